"""What agreement and adjudication read: the current responses of the nodes in a Browse scope, and
those nodes with their latest adjudication and the newest predict job's score."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlmodel import Session

from db import browsing, predictions, responses, tasks
from db.models import Adjudication, Dataset, Discussion, NodePrediction, Response, Turn


def task_filter(session: Session, task_id: int) -> tuple[str, dict]:
    """An annotation task's name and stored Browse filter (`BrowseFilter` values)."""
    task = tasks.get_task(session, task_id)
    return task.name, json.loads(task.filter)


def task_names(session: Session) -> dict[int, str]:
    """id -> name of the annotation tasks not archived, by name."""
    return {t.id: t.name for t in sorted(tasks.list_tasks(session), key=lambda t: t.name)}


def current_responses(session: Session, f: browsing.BrowseFilter) -> list[tuple[int, str, str, str | None]]:
    """(turn id, annotator, value, note) of every annotator's current response to the nodes of
    discussions matching `f` (`Response.is_current`: withdrawn ones are left out)."""
    q = select(Response.turn_id, Response.annotator, Response.value, Response.note).where(Response.is_current)
    scope = browsing.node_scope(session, f)
    if scope:
        q = q.where(Response.turn_id.in_(select(Turn.id).where(*scope)))
    return [tuple(r) for r in session.execute(q.order_by(Response.turn_id, Response.annotator))]


def nodes(session: Session, f: browsing.BrowseFilter) -> list[dict]:
    """The nodes of discussions matching `f` that hold a current response or an adjudication, with their
    discussion, dataset, latest adjudication (label, reason, adjudicator: None without one) and the
    newest predict job's P(correct) (None: not scored)."""
    latest = responses.newest_adjudication_ids()
    adjudicated = select(Adjudication).where(Adjudication.id.in_(latest)).subquery()
    answered = (Turn.n_responses > 0) | Turn.id.in_(select(Adjudication.turn_id))
    q = (
        select(
            Turn,
            Discussion.external_id,
            Discussion.question,
            Dataset.name,
            adjudicated.c.label,
            adjudicated.c.reason,
            adjudicated.c.adjudicator,
        )
        .join(Discussion, Discussion.id == Turn.discussion_id)
        .join(Dataset, Dataset.id == Discussion.dataset_id)
        .outerjoin(adjudicated, adjudicated.c.turn_id == Turn.id)
        .where(answered, *browsing.node_scope(session, f))
        .order_by(Turn.id)
    )
    job = predictions.latest_job(session)
    if job is not None:
        q = predictions.join_job(q.add_columns(NodePrediction.p_correct), job)
    out = []
    for t, ext, question, ds, label, reason, by, *p in session.execute(q):
        out.append(
            dict(
                turn=t,
                discussion=ext,
                question=question,
                dataset=ds,
                adjudicated=label,
                reason=reason,
                adjudicator=by,
                p_correct=p[0] if p else None,
            )
        )
    return out

"""Annotation tasks: a stored Browse filter whose nodes should each be answered by `overlap`
annotators; the personal queue of one annotator and the progress of a task.

A node's current responses are its annotators' newest `Response` rows that are not "withdrawn"
(`Response.is_current`), counted in `Turn.n_responses`; both are kept by every response write
(`db.responses.refresh_counts`). A task's nodes are the nodes (not excluded from training) of the
discussions its filter matches.

The queue is ordered by the review ranking over every node of the task: the Review queue's score
(`browsing.review_score`: unparseable 8 + confident but wrong 2 + flagged 1), then confidence
(highest first, none last), then id. The index ix_turn_queue (migration 0009) holds that order for
the nodes with a given number of responses, so the queue reads, for each count below the overlap,
the first nodes of that count in index order and keeps the best of them: a count with no node
costs one index probe, so an empty queue of full nodes is as quick as any. What the walk still
skips one by one (an index probe each, about 4 µs on SQLite) are the nodes the annotator answered
that wait for other annotators: one far ahead of the others pays for each of those ranked before
their next node, and one who answered every open node of a large task waits seconds for "nothing
left" (3.5 s at 900,000 such nodes).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import case, false, func, literal_column, select, true, union_all
from sqlalchemy.orm import aliased
from sqlmodel import Session

from db import browsing
from db.models import AnnotationTask, Discussion, Response, Turn

# The review ranking (`browsing.review_score`) as ix_turn_queue spells it; `{t}` is "" in the index
# (migration 0009, which has its own copy), "turn." here. A test checks that both rank alike.
QUEUE_RANK = (
    "(CAST({t}answer_norm IS NULL AND {t}needs_review AS INTEGER) * 8"
    " + CAST(coalesce({t}confidence, 0.0) >= 0.9 AND NOT coalesce({t}human_label, {t}auto_label) AS INTEGER)"
    " * 2 + CAST({t}needs_review AS INTEGER))"
)


def create_task(
    session: Session,
    *,
    name: str,
    filter_values: dict,
    overlap: int,
    participants: list[str] | None,
    hide_others: bool,
    created_by: str,
) -> AnnotationTask:
    task = AnnotationTask(
        name=name,
        filter=json.dumps(filter_values, sort_keys=True),
        overlap=overlap,
        participants=None if participants is None else json.dumps(participants),
        hide_others=hide_others,
        created_by=created_by,
    )
    session.add(task)
    session.flush()
    return task


def task_named(session: Session, name: str) -> AnnotationTask | None:
    return session.execute(select(AnnotationTask).where(AnnotationTask.name == name)).scalar_one_or_none()


def get_task(session: Session, task_id: int) -> AnnotationTask:
    task = session.get(AnnotationTask, task_id)
    if task is None:
        raise KeyError(f"no annotation task {task_id}")
    return task


def list_tasks(session: Session, *, archived: bool = False) -> list[AnnotationTask]:
    q = select(AnnotationTask).order_by(AnnotationTask.id.desc())
    if not archived:
        q = q.where(AnnotationTask.archived_at.is_(None))
    return list(session.execute(q).scalars())


def archive_task(session: Session, task_id: int) -> AnnotationTask:
    task = get_task(session, task_id)
    task.archived_at = datetime.now(UTC)
    session.add(task)
    return task


def _answered_by(annotator: str) -> object:
    """The outer Turn has a current response of `annotator` (ix_response_current)."""
    r = aliased(Response)
    return (
        select(r.id)
        .where(r.annotator == annotator, r.turn_id == Turn.id, r.is_current)
        .correlate(Turn)
        .exists()
    )


def queue_rank():
    """A node's review rank, in the spelling of ix_turn_queue."""
    return literal_column(QUEUE_RANK.format(t="turn."))


def queue_order(rank) -> list:
    """The queue's order, as ix_turn_queue holds it: rank, then confidence (none last), then id."""
    return [rank.desc(), Turn.confidence.is_(None), Turn.confidence.desc(), Turn.id]


def _in_discussions(session: Session, task: AnnotationTask) -> object | None:
    """The task's discussions (a subquery of ids), or None when its filter takes every one."""
    conditions = browsing.discussion_conditions(session, browsing.BrowseFilter(**json.loads(task.filter)))
    return select(Discussion.id).where(*conditions) if conditions else None


def _task_nodes(discussions: object | None) -> list:
    """Conditions on Turn alone (no join: a walk of ix_turn_queue reads nothing else): a node of
    the task whose discussions (`_in_discussions`) are given."""
    found = [Turn.excluded == false()]
    return found if discussions is None else [*found, Turn.discussion_id.in_(discussions)]


def next_items(session: Session, task: AnnotationTask, annotator: str, *, limit: int = 1) -> list[Turn]:
    """The annotator's next nodes of the task, in queue order: not answered by them (a withdrawn
    response does not count) and with fewer than `task.overlap` current responses. One query: for
    each count of responses below the overlap, the first `limit` such nodes in ix_turn_queue's
    order; the best `limit` of those."""
    in_task, rank = _task_nodes(_in_discussions(session, task)), queue_rank()
    levels = [
        select(
            select(Turn.id, rank.label("rank"), Turn.confidence)
            .where(*in_task, Turn.n_responses == n, ~_answered_by(annotator))
            .order_by(*queue_order(rank))
            .limit(limit)
            .subquery()
        )
        for n in range(task.overlap)
    ]
    best = union_all(*levels).subquery()
    order = [best.c.rank.desc(), best.c.confidence.is_(None), best.c.confidence.desc(), best.c.id]
    ids = list(session.execute(select(best.c.id).order_by(*order).limit(limit)).scalars())
    found = {t.id: t for t in session.execute(select(Turn).where(Turn.id.in_(ids))).scalars()}
    return [found[t] for t in ids]


def progress(session: Session, task: AnnotationTask) -> tuple[int, int, dict[str, int]]:
    """(nodes, responses that count: at most `overlap` per node, current responses by annotator)
    over the task's nodes, from the response counts: a task over the whole store reads one index
    of the nodes and one of the current responses."""
    counted = case((Turn.n_responses > task.overlap, task.overlap), else_=Turn.n_responses)
    discussions = _in_discussions(session, task)
    n_nodes, n_counted = session.execute(
        select(func.count(), func.coalesce(func.sum(counted), 0))
        .select_from(Turn)
        .where(*_task_nodes(discussions))
    ).one()
    excluded = select(Turn.id).where(Turn.excluded == true())  # few, and their responses do not count
    q = select(Response.annotator, func.count()).where(Response.is_current, Response.turn_id.not_in(excluded))
    if discussions is not None:
        q = q.where(Response.discussion_id.in_(discussions))
    by_annotator = dict(session.execute(q.group_by(Response.annotator)).all())
    return n_nodes, int(n_counted), by_annotator


def has_answered(session: Session, turn_id: int, annotator: str) -> bool:
    """The annotator has a current (not withdrawn) response to the node."""
    return bool(session.execute(select(Turn.id).where(Turn.id == turn_id, _answered_by(annotator))).first())

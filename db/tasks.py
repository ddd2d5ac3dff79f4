"""Annotation tasks: a stored Browse filter whose nodes should each be answered by `overlap`
annotators; the personal queue of one annotator and the progress of a task.

A node's current responses are its annotators' newest `Response` rows that are not "withdrawn"
(the index on response(turn_id, annotator, id) finds each one). A task's nodes are the nodes (not
excluded from training) of the discussions its filter matches.

The queue walks the discussions in the Browse "nodes to review" order (`Discussion.n_review`
descending, then id: the index ix_discussion_review_desc), and the nodes of a discussion by the
review queue's score (`browsing.review_score`), then confidence, then id. Because the discussions
come in index order, the database stops after `limit` nodes instead of ranking every node of the
store on each fetch; a node-level ranking across discussions would need a sort of all of them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from db import browsing
from db.engine import is_sqlite
from db.models import AnnotationTask, Discussion, Response, Turn

WITHDRAWN = "withdrawn"


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
        raise KeyError(f"annotation task {task_id} not found")
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


def _current(r) -> object:
    """`r` (a Response alias) is its annotator's newest row for its node and not withdrawn."""
    newer = aliased(Response)
    return and_(
        r.value != WITHDRAWN,
        ~exists(
            select(newer.id)
            .where(newer.turn_id == r.turn_id, newer.annotator == r.annotator, newer.id > r.id)
            .correlate(r)
        ),
    )


def _answered_by(annotator: str) -> object:
    """The outer Turn has a current response of `annotator`."""
    r = aliased(Response)
    return exists(
        select(r.id).where(r.turn_id == Turn.id, r.annotator == annotator, _current(r)).correlate(Turn)
    )


def _n_current():
    """The number of current responses of the outer Turn (a correlated scalar subquery)."""
    r = aliased(Response)
    return select(func.count(r.id)).where(r.turn_id == Turn.id, _current(r)).correlate(Turn).scalar_subquery()


def _task_nodes(session: Session, task: AnnotationTask) -> list:
    """Conditions on Turn (joined to its Discussion): a node of the task."""
    f = browsing.BrowseFilter(**json.loads(task.filter))
    return [*browsing.discussion_conditions(session, f), Turn.excluded.is_(False)]


def next_items(session: Session, task: AnnotationTask, annotator: str, *, limit: int = 1) -> list[Turn]:
    """The annotator's next nodes of the task, in queue order: not answered by them (a withdrawn
    response does not count) and with fewer than `task.overlap` current responses. One query."""
    score = browsing.review_score()
    # SQLite would rather scan every node and sort them all; an expression on Discussion's side of
    # the join leaves it one plan: the discussions in index order, their nodes by turn's index
    outer_id = Discussion.id + 0 if is_sqlite(session.get_bind()) else Discussion.id
    q = (
        select(Turn)
        .select_from(Discussion)
        .join(Turn, Turn.discussion_id == outer_id)
        .where(*_task_nodes(session, task), ~_answered_by(annotator), _n_current() < task.overlap)
        .order_by(
            Discussion.n_review.desc(),
            Discussion.id,
            score.desc(),
            Turn.confidence.desc().nulls_last(),
            Turn.id,
        )
        .limit(limit)
    )
    return list(session.execute(q).scalars())


def progress(session: Session, task: AnnotationTask) -> tuple[int, int, dict[str, int]]:
    """(nodes, responses that count: at most `overlap` per node, current responses by annotator)
    over the task's nodes."""
    nodes = (
        select(Turn.id)
        .join(Discussion, Discussion.id == Turn.discussion_id)
        .where(*_task_nodes(session, task))
    ).subquery()
    n_nodes = session.execute(select(func.count()).select_from(nodes)).scalar_one()
    r = aliased(Response)
    current = (
        select(r.turn_id, r.annotator).join(nodes, nodes.c.id == r.turn_id).where(_current(r)).subquery()
    )
    per_node = select(func.count().label("n")).select_from(current).group_by(current.c.turn_id).subquery()
    counted = session.execute(
        select(
            func.coalesce(func.sum(case((per_node.c.n > task.overlap, task.overlap), else_=per_node.c.n)), 0)
        )
    )
    by_annotator = dict(
        session.execute(select(current.c.annotator, func.count()).group_by(current.c.annotator)).all()
    )
    return n_nodes, int(counted.scalar_one()), by_annotator


def has_answered(session: Session, turn_id: int, annotator: str) -> bool:
    """The annotator has a current (not withdrawn) response to the node."""
    return bool(session.execute(select(Turn.id).where(Turn.id == turn_id, _answered_by(annotator))).first())

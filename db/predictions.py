"""Queries of node predictions: store a predict job's P(correct) per node, find disagreements.

A node's predicted label is `p_correct >= THRESHOLD`; the classifier disagrees with a node when
that differs from its effective label (the human label, else the automatic one). Excluded nodes
never disagree. Functions take the caller's session (`db.engine.session_scope`).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import ColumnElement, Select, delete, exists, func, insert, select
from sqlalchemy.orm import aliased
from sqlmodel import Session

from db.models import Dataset, Discussion, NodePrediction, Turn
from db.queries import CHUNK

THRESHOLD = 0.5


def turn_ids(session: Session, discussion_ids: list[int]) -> dict[tuple[int, str, int], int]:
    """Turn ids by (discussion id, agent, round)."""
    return {
        (d, a, r): t
        for t, d, a, r in session.execute(
            select(Turn.id, Turn.discussion_id, Turn.agent, Turn.round).where(
                Turn.discussion_id.in_(discussion_ids)
            )
        )
    }


def replace_predictions(session: Session, job_id: int, rows: Iterable[tuple[int, float]]) -> int:
    """Store (turn id, P(correct)) rows as the job's predictions, dropping any earlier ones of
    the job; returns how many were stored."""
    session.execute(delete(NodePrediction).where(NodePrediction.job_id == job_id))
    values = [dict(job_id=job_id, turn_id=t, p_correct=p) for t, p in rows]
    for i in range(0, len(values), CHUNK):
        session.execute(insert(NodePrediction), values[i : i + CHUNK])
    return len(values)


def latest_job(session: Session) -> int | None:
    """The newest predict job with stored predictions."""
    return session.execute(select(func.max(NodePrediction.job_id))).scalar()


def join_job(q: Select, job_id: int) -> Select:
    """`q` (over Turn) outer-joined to the job's prediction of each node."""
    return q.outerjoin(
        NodePrediction, (NodePrediction.turn_id == Turn.id) & (NodePrediction.job_id == job_id)
    )


def disagreement() -> ColumnElement[bool]:
    """The joined prediction exists and disagrees with the node's effective label (never NULL)."""
    effective = func.coalesce(Turn.human_label, Turn.auto_label)
    return (
        NodePrediction.p_correct.is_not(None)
        & Turn.excluded.is_(False)
        & (effective != (NodePrediction.p_correct >= THRESHOLD))
    )


def suggests(job_id: int) -> ColumnElement[bool]:
    """The job's classifier disagrees with a node no human has labelled: a suggestion to review
    it (a correlated EXISTS over Turn, so it needs no join)."""
    p = aliased(NodePrediction)  # apart from a NodePrediction the outer query may join
    scored = (
        select(p.turn_id)
        .where(p.job_id == job_id, p.turn_id == Turn.id, (p.p_correct >= THRESHOLD) != Turn.auto_label)
        .correlate(Turn)
    )
    return Turn.human_label.is_(None) & Turn.excluded.is_(False) & exists(scored)


def suggested(session: Session, turn_ids: list[int]) -> dict[int, float]:
    """P(correct) of those of these nodes the newest predict job's classifier suggests reviewing."""
    job = latest_job(session)
    if job is None or not turn_ids:
        return {}
    q = (
        select(Turn.id, NodePrediction.p_correct)
        .join(NodePrediction, (NodePrediction.turn_id == Turn.id) & (NodePrediction.job_id == job))
        .where(Turn.id.in_(turn_ids), suggests(job))
    )
    return dict(session.execute(q).all())


def waits_for_review(job_id: int | None) -> ColumnElement[bool]:
    """The one definition of a node that waits for review, for every count, filter and queue:
    flagged by the rules (`magdi.summary.needs_review`, stored as Turn.needs_review) or, once a
    predict job has scored the store (`job_id`: the newest), suggested by its classifier."""
    flagged = Turn.needs_review.is_(True)
    return flagged if job_id is None else flagged | suggests(job_id)


def disagreements(
    session: Session, job_id: int, *, dataset_ids: list[int] | None = None, offset: int = 0, limit: int = 100
) -> tuple[list[dict], int]:
    """Nodes where the job's classifier disagrees with the label, most confident first
    (|p_correct - THRESHOLD| descending), and how many there are."""
    cond = [disagreement()]
    if dataset_ids:
        cond.append(Discussion.dataset_id.in_(dataset_ids))
    base = join_job(select(Turn).join(Discussion, Discussion.id == Turn.discussion_id), job_id).where(*cond)
    total = session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    q = (
        join_job(
            select(Turn, NodePrediction.p_correct, Discussion.external_id, Dataset.name)
            .join(Discussion, Discussion.id == Turn.discussion_id)
            .join(Dataset, Dataset.id == Discussion.dataset_id),
            job_id,
        )
        .where(*cond)
        .order_by(func.abs(NodePrediction.p_correct - THRESHOLD).desc(), Turn.id)
        .offset(offset)
        .limit(limit)
    )
    rows = [dict(turn=t, p_correct=p, discussion=ext, dataset=ds) for t, p, ext, ds in session.execute(q)]
    return rows, total

"""Queries of evaluation results: store an eval job's predictions, read them for the Compare page.

Functions take the caller's session (`db.engine.session_scope`); the caller owns the transaction.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlmodel import Session

from db.models import Discussion, EvalQuestion, EvalRun, Prediction
from db.queries import CHUNK


def replace_eval_run(
    session: Session, run: EvalRun, items: Iterable[tuple[EvalQuestion, list[Prediction]]]
) -> int:
    """Store an evaluation, replacing any earlier one of the same run directory (a job stored
    again after a resume); returns its id."""
    session.execute(delete(EvalRun).where(EvalRun.run_dir == run.run_dir))  # children cascade
    session.add(run)
    session.flush()
    for question, predictions in items:
        question.eval_run_id = run.id
        session.add(question)
        for p in predictions:
            p.eval_run_id = run.id
        session.add_all(predictions)
    session.flush()
    return run.id


def list_eval_runs(session: Session) -> list[EvalRun]:
    """Newest first."""
    return list(session.execute(select(EvalRun).order_by(EvalRun.id.desc())).scalars())


def eval_runs(session: Session, ids: Iterable[int]) -> list[EvalRun]:
    return list(
        session.execute(select(EvalRun).where(EvalRun.id.in_(list(ids))).order_by(EvalRun.id)).scalars()
    )


def runs_with_question(session: Session, dataset: str, key: str) -> list[int]:
    """Ids of the evaluations that asked the question `key` of `dataset`, newest first."""
    q = select(EvalQuestion.eval_run_id).where(EvalQuestion.dataset == dataset, EvalQuestion.key == key)
    return list(session.execute(q.order_by(EvalQuestion.eval_run_id.desc())).scalars())


def eval_questions(session: Session, run_ids: Iterable[int]) -> list[EvalQuestion]:
    return list(
        session.execute(
            select(EvalQuestion)
            .where(EvalQuestion.eval_run_id.in_(list(run_ids)))
            .order_by(EvalQuestion.eval_run_id, EvalQuestion.id)
        ).scalars()
    )


def predictions(
    session: Session, run_ids: Iterable[int], keys: Iterable[str] | None = None
) -> list[Prediction]:
    """Samples of the runs (of some question keys only), by run, question and sample index."""
    q = select(Prediction).where(Prediction.eval_run_id.in_(list(run_ids)))
    if keys is not None:
        q = q.where(Prediction.question_key.in_(list(keys)))
    return list(
        session.execute(
            q.order_by(Prediction.eval_run_id, Prediction.question_key, Prediction.sample)
        ).scalars()
    )


def discussion_ids(session: Session, dataset_id: int, external_ids: Iterable[str]) -> dict[str, int]:
    """Store ids of a dataset's discussions by external id."""
    wanted = list(external_ids)
    found: dict[str, int] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found.update(
            session.execute(
                select(Discussion.external_id, Discussion.id).where(
                    Discussion.dataset_id == dataset_id, Discussion.external_id.in_(chunk)
                )
            ).all()
        )
    return found

"""Experiment queries: an experiment's row, its jobs (Job.experiment_id) and their evaluations.

Functions take the caller's session (`db.engine.session_scope`); the caller owns the transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlmodel import Session

from db.models import EvalRun, Experiment, Job


def create_experiment(session: Session, *, name: str, config: dict) -> Experiment:
    exp = Experiment(name=name, config=json.dumps(config, sort_keys=True))
    session.add(exp)
    session.flush()
    return exp


def get_experiment(session: Session, experiment_id: int) -> Experiment | None:
    return session.execute(
        select(Experiment).where(Experiment.id == experiment_id).execution_options(populate_existing=True)
    ).scalar_one_or_none()


def lock_experiment(session: Session, experiment_id: int) -> Experiment:
    """The row, locked until the transaction ends (FOR UPDATE on PostgreSQL; a SQLite write
    transaction holds the whole store already), so that two processes advancing the same
    experiment take turns."""
    exp = session.execute(
        select(Experiment)
        .where(Experiment.id == experiment_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if exp is None:
        raise LookupError(f"no experiment {experiment_id}")
    return exp


def list_experiments(session: Session, *, limit: int = 100) -> list[Experiment]:
    """Newest first."""
    return list(session.execute(select(Experiment).order_by(Experiment.id.desc()).limit(limit)).scalars())


def update_experiment(session: Session, experiment_id: int, **values) -> None:
    session.execute(update(Experiment).where(Experiment.id == experiment_id).values(**values))


def experiment_jobs(session: Session, experiment_id: int) -> list[Job]:
    """Every job (every attempt) of the experiment, oldest first."""
    return list(
        session.execute(
            select(Job)
            .where(Job.experiment_id == experiment_id)
            .order_by(Job.id)
            .execution_options(populate_existing=True)
        ).scalars()
    )


def experiment_of_job(session: Session, job_id: int) -> int | None:
    return session.execute(select(Job.experiment_id).where(Job.id == job_id)).scalar()


def eval_runs_of_jobs(session: Session, job_ids: Iterable[int]) -> list[EvalRun]:
    return list(
        session.execute(
            select(EvalRun).where(EvalRun.job_id.in_(list(job_ids))).order_by(EvalRun.id)
        ).scalars()
    )

"""Job queue queries: submit, atomic claim, heartbeats, cancellation, orphan recovery.

A claim is a compare-and-set (`UPDATE … WHERE status = 'queued'`), so several workers can
share one store on SQLite or PostgreSQL without two of them running the same job.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlmodel import Session

from db.models import EvalRun, Job, StoreInfo, utcnow

ACTIVE = ("queued", "running")
RESUMABLE = ("failed", "cancelled")
DONE = ("succeeded", "failed", "cancelled")


def create_job(
    session: Session,
    *,
    kind: str,
    config: dict,
    name: str = "",
    resume_of: Job | None = None,
    experiment_id: int | None = None,
    submitted_by: str = "local",
) -> Job:
    job = Job(
        kind=kind,
        name=name,
        config=json.dumps(config, sort_keys=True),
        experiment_id=experiment_id,
        submitted_by=submitted_by,
    )
    if resume_of is not None:
        job.resume_of, job.attempt = resume_of.id, resume_of.attempt + 1
        job.experiment_id = resume_of.experiment_id  # a new attempt stays in its experiment
        job.run_dir, job.label_revision, job.data_hash = (
            resume_of.run_dir,
            resume_of.label_revision,
            resume_of.data_hash,
        )
        job.data_summary = resume_of.data_summary
    session.add(job)
    session.flush()
    return job


def has_queued(session: Session) -> bool:
    return session.execute(select(Job.id).where(Job.status == "queued").limit(1)).first() is not None


def claim_next(session: Session, *, worker: str, kinds: tuple[str, ...] | None = None) -> Job | None:
    """Take the oldest queued job, or None. Safe against concurrent workers."""
    q = select(Job.id).where(Job.status == "queued").order_by(Job.id).limit(5)
    if kinds:
        q = q.where(Job.kind.in_(kinds))
    for job_id in session.execute(q).scalars().all():
        now = utcnow()
        taken = session.execute(
            update(Job)
            .where(Job.id == job_id, Job.status == "queued")
            .values(status="running", worker=worker, started_at=now, heartbeat_at=now)
        ).rowcount
        if taken:
            return get_job(session, job_id)
    return None


def get_job(session: Session, job_id: int) -> Job | None:
    return session.execute(
        select(Job).where(Job.id == job_id).execution_options(populate_existing=True)
    ).scalar_one_or_none()


def list_jobs(
    session: Session, *, kind: str | None = None, limit: int = 100, archived: bool | None = False
) -> list[Job]:
    """Newest first; `archived`: False (default) leaves archived jobs out, True lists only them,
    None lists both."""
    q = select(Job).order_by(Job.id.desc()).limit(limit)
    if kind:
        q = q.where(Job.kind == kind)
    if archived is not None:
        q = q.where(Job.archived_at.is_not(None) if archived else Job.archived_at.is_(None))
    return list(session.execute(q).scalars())


def run_jobs(session: Session, job: Job) -> list[Job]:
    """The attempts of `job`'s run, newest first: the jobs linked to it by `resume_of` either way
    and those sharing its run directory (an attempt resumed before it started has none)."""
    found, frontier = {job.id: job}, [job]
    while frontier:
        j = frontier.pop()
        linked = [Job.resume_of == j.id, Job.id == j.resume_of]
        if j.run_dir is not None:
            linked.append(Job.run_dir == j.run_dir)
        for other in session.execute(select(Job).where(or_(*linked))).scalars():
            if other.id not in found:
                found[other.id] = other
                frontier.append(other)
    return sorted(found.values(), key=lambda j: -j.id)


def job_configs(session: Session) -> list[tuple[int, str, str]]:
    """(id, kind, config JSON) of every job: what refers to a job lives in other jobs' configs."""
    return [tuple(row) for row in session.execute(select(Job.id, Job.kind, Job.config).order_by(Job.id))]


def evaluations_of(session: Session, job_ids: list[int]) -> list[int]:
    """The stored evaluations (EvalRun ids) these jobs made, newest first."""
    q = select(EvalRun.id).where(EvalRun.job_id.in_(job_ids)).order_by(EvalRun.id.desc())
    return list(session.execute(q).scalars())


def set_archived(session: Session, job_ids: list[int], archived: bool) -> None:
    session.execute(update(Job).where(Job.id.in_(job_ids)).values(archived_at=utcnow() if archived else None))


def delete_jobs(session: Session, job_ids: list[int]) -> None:
    """Delete the jobs with their evaluations (questions and predictions cascade) and node
    predictions (cascade); newest first, since a later attempt points at the one it resumed."""
    session.execute(delete(EvalRun).where(EvalRun.job_id.in_(job_ids)))
    for job_id in sorted(job_ids, reverse=True):
        session.execute(delete(Job).where(Job.id == job_id))


def update_job(session: Session, job_id: int, **values) -> None:
    if values:
        session.execute(update(Job).where(Job.id == job_id).values(**values))


def heartbeat(session: Session, job_id: int, **progress) -> bool:
    """Record liveness (and progress); returns whether cancellation was requested."""
    update_job(session, job_id, heartbeat_at=utcnow(), **progress)
    return bool(session.execute(select(Job.cancel_requested).where(Job.id == job_id)).scalar())


def finish(session: Session, job_id: int, status: str, error: str | None = None) -> None:
    if status not in DONE:
        raise ValueError(f"a job finishes as one of {DONE}, not {status!r}")
    update_job(session, job_id, status=status, error=error, finished_at=utcnow(), pid=None, eta_s=None)


def request_cancel(session: Session, job_id: int) -> str:
    """Queued jobs are cancelled at once; running ones are stopped by their worker."""
    if session.execute(
        update(Job)
        .where(Job.id == job_id, Job.status == "queued")
        .values(status="cancelled", cancel_requested=True, finished_at=utcnow())
    ).rowcount:
        return "cancelled"
    session.execute(
        update(Job).where(Job.id == job_id, Job.status == "running").values(cancel_requested=True)
    )
    return "cancelling"


def orphans(
    session: Session,
    *,
    stale_after: timedelta,
    worker_prefix: str | None = None,
    alive: Callable[[int], bool] | None = None,
) -> list[Job]:
    """Running jobs whose worker stopped: no heartbeat for `stale_after`, or (same host) a dead pid."""
    now = utcnow()
    found = []
    for job in session.execute(select(Job).where(Job.status == "running")).scalars():
        beat = job.heartbeat_at
        if beat is not None and beat.tzinfo is None:
            beat = beat.replace(tzinfo=now.tzinfo)
        stale = beat is None or now - beat > stale_after
        dead = (
            worker_prefix is not None
            and job.worker
            and job.worker.startswith(worker_prefix)
            and alive is not None
            and not alive(int(job.worker.rsplit(":", 1)[1]))
        )
        if stale or dead:
            found.append(job)
    return found


def attempts(session: Session, job: Job) -> list[Job]:
    """The attempts of `job`'s run, newest first: it, the attempt it resumed, and so on."""
    chain = [job]
    while chain[-1].resume_of is not None and len(chain) < 10_000:
        earlier = get_job(session, chain[-1].resume_of)
        if earlier is None:
            break
        chain.append(earlier)
    return chain


def store_id(session: Session) -> str:
    """The store's identity (a uuid made with the store; migration 0003): it keys run directories."""
    return session.execute(select(StoreInfo.store_id).order_by(StoreInfo.id).limit(1)).scalar_one()


def newest_of_run_dir(session: Session, run_dir: str) -> int:
    """The newest job of a run directory (a resumed attempt is queued with its run's directory)."""
    return session.execute(
        select(Job.id).where(Job.run_dir == run_dir).order_by(Job.id.desc()).limit(1)
    ).scalar_one()


def last_heartbeat_text(job: Job) -> str:
    beat: datetime | None = job.heartbeat_at
    return beat.strftime("%Y-%m-%d %H:%M:%S UTC") if beat else "never"

"""Job telemetry queries: what a job reports as it runs (its log tail, progress, metrics), written
by the job's worker (`app.telemetry`) and read by every host from the store, never from the run
directory (migration 0007)."""

from __future__ import annotations

import json

from sqlalchemy import delete, func, select
from sqlmodel import Session

from db.models import JobMetric, JobTelemetry, utcnow

# JobTelemetry's columns a worker copies
FIELDS = ("log_tail", "progress", "usage", "final", "quality", "starts")


def record(
    session: Session, job_id: int, *, restart: bool, metrics: list[dict], fields: dict[str, str]
) -> None:
    """Append `metrics` to the job's records (after dropping them all when `restart`: the run's
    metrics.jsonl was rewritten) and set the telemetry `fields` (FIELDS, text as stored)."""
    if unknown := set(fields) - set(FIELDS):
        raise ValueError(f"no telemetry field {', '.join(sorted(unknown))}")
    if restart:
        session.execute(delete(JobMetric).where(JobMetric.job_id == job_id))
    if metrics:
        last = session.execute(select(func.max(JobMetric.seq)).where(JobMetric.job_id == job_id)).scalar()
        start = 0 if last is None else last + 1
        session.add_all(
            JobMetric(job_id=job_id, seq=start + i, record=json.dumps(m)) for i, m in enumerate(metrics)
        )
    if fields:
        row = session.get(JobTelemetry, job_id) or JobTelemetry(job_id=job_id)
        for name, value in fields.items():
            setattr(row, name, value)
        row.updated_at = utcnow()
        session.add(row)
    session.flush()


def metrics(session: Session, job_id: int) -> list[dict]:
    """The job's metrics records in the order its run wrote them."""
    q = select(JobMetric.record).where(JobMetric.job_id == job_id).order_by(JobMetric.seq)
    return [json.loads(text) for text in session.execute(q).scalars()]


def newest_starts(session: Session, job_ids: list[int]) -> str | None:
    """starts.jsonl (stored text) as the newest of these jobs (the attempts of one run, which share
    its run directory and so its starts) copied it; None when none did."""
    q = (
        select(JobTelemetry.starts)
        .where(JobTelemetry.job_id.in_(job_ids), JobTelemetry.starts.is_not(None))
        .order_by(JobTelemetry.job_id.desc())
        .limit(1)
    )
    return session.execute(q).scalar()


def fields(session: Session, job_id: int) -> dict[str, str | None]:
    """The job's telemetry fields (FIELDS) as stored; {} before its worker copied any."""
    row = session.get(JobTelemetry, job_id)
    return {} if row is None else {name: getattr(row, name) for name in FIELDS}

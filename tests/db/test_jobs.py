"""The job queue's queries (db.jobs) on a real store: claims in order and by kind, heartbeats and
cancellation, finishing, orphans, the attempts of a run; SQLite and PostgreSQL."""

import uuid
from datetime import timedelta
from multiprocessing import get_context

import pytest

from db import jobs as q
from db.engine import session_scope
from db.models import utcnow


def _queue(url: str, *kinds: str) -> list[int]:
    with session_scope(url, write=True) as s:
        return [q.create_job(s, kind=k, config={"n": i}).id for i, k in enumerate(kinds)]


def test_claims_take_the_oldest_job_of_a_kind_the_worker_knows(db_url):
    train, evaluate, train2 = _queue(db_url, "train", "eval", "train")
    with session_scope(db_url, write=True) as s:
        first = q.claim_next(s, worker="w1", kinds=("eval",))
        assert (first.id, first.status, first.worker) == (evaluate, "running", "w1")
        assert first.started_at is not None and first.heartbeat_at is not None
        assert q.claim_next(s, worker="w1", kinds=("discuss",)) is None
        assert [q.claim_next(s, worker="w2").id for _ in range(2)] == [train, train2]
        assert q.claim_next(s, worker="w2") is None and not q.has_queued(s)
        assert [j.id for j in q.list_jobs(s, kind="train")] == [train2, train]  # newest first


def test_heartbeats_carry_progress_and_bring_back_a_cancel_request(db_url):
    [job_id] = _queue(db_url, "train")
    with session_scope(db_url, write=True) as s:
        q.claim_next(s, worker="w")
        assert q.heartbeat(s, job_id, step=3, total_steps=10, progress=0.3) is False
        assert q.request_cancel(s, job_id) == "cancelling"  # running: its worker stops it
        assert q.heartbeat(s, job_id, step=4) is True
        q.update_job(s, job_id, pid=1234, eta_s=5.0)
        q.finish(s, job_id, "cancelled")
        with pytest.raises(ValueError, match="a job finishes as one of"):
            q.finish(s, job_id, "paused")
    with session_scope(db_url) as s:
        job = q.get_job(s, job_id)
        assert (job.status, job.step, job.total_steps, job.pid, job.eta_s) == ("cancelled", 4, 10, None, None)
        assert job.finished_at is not None and q.last_heartbeat_text(job).endswith(" UTC")


def test_orphans_are_stale_or_dead_running_jobs(db_url):
    quiet, dead, alive = _queue(db_url, "train", "train", "train")
    with session_scope(db_url, write=True) as s:
        for job_id, worker in ((quiet, "other:1"), (dead, "here:111"), (alive, "here:222")):
            assert q.claim_next(s, worker=worker).id == job_id  # claimed in id order
        q.update_job(s, quiet, heartbeat_at=utcnow() - timedelta(minutes=5))
    with session_scope(db_url) as s:
        stale = q.orphans(s, stale_after=timedelta(seconds=60))
        found = q.orphans(
            s, stale_after=timedelta(seconds=60), worker_prefix="here:", alive=lambda pid: pid == 222
        )
    assert [j.id for j in stale] == [quiet]
    assert sorted(j.id for j in found) == [quiet, dead]


def test_attempts_of_a_run_newest_first(db_url):
    [first] = _queue(db_url, "train")
    with session_scope(db_url, write=True) as s:
        q.update_job(s, first, run_dir="/runs/job-1", data_hash="abc", status="failed")
        second = q.create_job(s, kind="train", config={}, resume_of=q.get_job(s, first))
        third = q.create_job(s, kind="train", config={}, resume_of=second)
        assert (third.attempt, third.run_dir, third.data_hash) == (3, "/runs/job-1", "abc")
        assert [j.id for j in q.attempts(s, third)] == [third.id, second.id, first]
        assert q.newest_of_run_dir(s, "/runs/job-1") == third.id


def test_every_store_has_an_identity(db_url):
    with session_scope(db_url) as s:
        assert uuid.UUID(q.store_id(s))  # made with the store; run directories are keyed by it


def _claim_all(url: str, name: str) -> list[int]:
    got = []
    while True:
        with session_scope(url, write=True) as s:
            job = q.claim_next(s, worker=name)
        if job is None:
            return got
        got.append(job.id)


def test_concurrent_workers_never_claim_the_same_job(db_url):
    with session_scope(db_url, write=True) as s:
        ids = [q.create_job(s, kind="train", config={}).id for _ in range(60)]
    with get_context("spawn").Pool(4) as pool:
        results = pool.starmap(_claim_all, [(db_url, f"w{i}") for i in range(4)])
    claimed = [j for r in results for j in r]
    assert sorted(claimed) == ids  # every job exactly once
    with session_scope(db_url) as s:
        workers = {j.id: j.worker for j in q.list_jobs(s)}
    assert all(workers[j] == f"w{i}" for i, r in enumerate(results) for j in r)

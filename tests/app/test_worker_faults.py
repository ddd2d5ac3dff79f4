"""Faults of one job, injected into real worker processes: the job fails with a clear reason (or
carries on, where the fault is harmless) and the worker goes on serving the queue.

What is real and what is simulated: a runs directory blocked by a file, a corrupt checkpoint and
junk progress and metrics files are the real thing. A read-only runs directory and a full disk are
real file systems (a read-only tmpfs, a tmpfs of a few KiB) and need the right to mount one (root):
those tests are skipped elsewhere.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import torch

from app import worker as worker_module
from app.services import jobs
from app.services.auth import LOCAL
from db import jobs as q
from db.engine import session_scope
from db.models import utcnow
from magdi import train as train_module
from magdi.plumbing import file_sha256
from tests.utils import wait_for
from tests.utils.training import TINY
from tests.utils.workers import start_worker, stop

LONG = {**TINY, "max_steps": 400, "save_every": 1}


@contextmanager
def small_filesystem(path: Path, size: str = "1m", *, read_only: bool = False) -> Iterator[Path]:
    """A tmpfs of `size` mounted at `path` (skips the test where mounting is not allowed)."""
    path.mkdir(parents=True, exist_ok=True)
    options = f"size={size}" + (",ro" if read_only else "")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=True)


def _log(job_id: int) -> str:
    path = jobs.get(job_id).log_path
    return Path(path).read_text(errors="replace") if path else ""


def _carries_on(url: str, worker) -> None:
    """The same worker process runs a new job to success."""
    fine = jobs.submit(jobs.train_config(TINY), actor=LOCAL)
    wait_for(lambda: jobs.get(fine).status in ("succeeded", "failed"), timeout=240, what="the next job")
    assert jobs.get(fine).status == "succeeded", jobs.get(fine).error
    assert worker.poll() is None


def test_a_runs_directory_blocked_by_a_file_fails_the_job_and_the_worker_goes_on(demo_store, tmp_path):
    runs = tmp_path / "runs"
    runs.write_text("not a directory")
    job_id = jobs.submit(jobs.train_config(TINY), actor=LOCAL)
    worker = start_worker(demo_store, tmp_path)
    try:
        wait_for(lambda: jobs.get(job_id).status == "failed", what="the job to fail")
        error = jobs.get(job_id).error
        assert error.startswith("could not start: a file is in the way of a directory") and str(runs) in error
        assert worker.poll() is None
        runs.unlink()
        _carries_on(demo_store, worker)
    finally:
        stop(worker)


def _fails_on(url: str, tmp_path: Path, mounted) -> tuple[str, bool]:
    """With `mounted` as the runs directory a job fails: its reason, and whether the worker was
    still alive then. Once it is unmounted the same worker runs the next job to success."""
    with mounted:
        job_id = jobs.submit(jobs.train_config(TINY), actor=LOCAL)
        worker = start_worker(url, tmp_path)
        try:
            wait_for(lambda: jobs.get(job_id).status == "failed", what="the job to fail")
            error, alive = jobs.get(job_id).error, worker.poll() is None
        except BaseException:
            stop(worker)
            raise
    try:
        _carries_on(url, worker)
    finally:
        stop(worker)
    return error, alive


def test_a_read_only_runs_directory_fails_the_job_and_the_worker_goes_on(demo_store, tmp_path):
    mounted = small_filesystem(tmp_path / "runs", read_only=True)
    error, alive = _fails_on(demo_store, tmp_path, mounted)
    assert error.startswith("could not start: the file system is read-only"), error
    assert alive


def test_a_full_disk_while_freezing_the_data_fails_the_job_and_the_worker_goes_on(demo_store, tmp_path):
    mounted = small_filesystem(tmp_path / "runs", "16k")  # the frozen data is ~67 kB
    error, alive = _fails_on(demo_store, tmp_path, mounted)
    assert error.startswith("could not start: the disk is full"), error
    assert alive


def _cancelled_run(url: str, tmp_path: Path):
    """A worker, and a job it ran for a few steps and cancelled (checkpoints kept)."""
    job_id = jobs.submit(jobs.train_config(LONG), actor=LOCAL)
    worker = start_worker(url, tmp_path)
    try:
        wait_for(lambda: (jobs.get(job_id).step or 0) >= 3, what="a few steps")
        jobs.cancel(job_id, actor=LOCAL)
        wait_for(lambda: jobs.get(job_id).status == "cancelled", what="cancellation")
    except BaseException:
        stop(worker)
        raise
    return worker, jobs.get(job_id)


def test_a_corrupt_newest_checkpoint_is_named_and_the_previous_one_resumed(demo_store, tmp_path):
    worker, job = _cancelled_run(demo_store, tmp_path)
    try:
        older, newest = sorted((Path(job.run_dir) / "checkpoints").glob("step-*.pt"))[-2:]
        data = bytearray(newest.read_bytes())
        for i in range(len(data) // 2, len(data) // 2 + 64):
            data[i] ^= 0xFF  # 64 bytes flipped
        newest.write_bytes(bytes(data))
        resumed = jobs.resume(job.id, actor=LOCAL)
        wait_for(
            lambda: "resumed from" in _log(resumed) or jobs.get(resumed).status in q.DONE,
            what="the resumed attempt to load a checkpoint",
        )
        log = _log(resumed)
        assert f"skipped corrupt checkpoint(s): {newest}: its contents do not match" in log
        assert f"resumed from {older}" in log
        jobs.cancel(resumed, actor=LOCAL)
        wait_for(lambda: jobs.get(resumed).status == "cancelled", what="second cancellation")
        assert worker.poll() is None
    finally:
        stop(worker)


def test_junk_progress_and_metrics_files_fail_the_attempt_clearly_and_the_worker_goes_on(
    demo_store, tmp_path
):
    worker, job = _cancelled_run(demo_store, tmp_path)
    try:
        run_dir = Path(job.run_dir)
        (run_dir / "progress.json").write_text('{"step": "abc"}')
        with open(run_dir / "metrics.jsonl", "a") as fh:
            fh.write('{"step": "abc"}\n')
        resumed = jobs.resume(job.id, actor=LOCAL)
        wait_for(lambda: jobs.get(resumed).status == "failed", what="the resumed attempt to fail")
        error = jobs.get(resumed).error
        assert f"{run_dir / 'metrics.jsonl'}:" in error and "not a metrics record" in error
        assert "step 'abc' is not an integer" in error
        assert f"[worker] {run_dir / 'progress.json'}: step is 'abc', not a number; ignored" in _log(resumed)
        _carries_on(demo_store, worker)
    finally:
        stop(worker)


def test_a_held_write_lock_delays_heartbeats_and_kills_no_worker(demo_store, tmp_path, monkeypatch):
    monkeypatch.setenv("MAGDI_WRITE_WAIT_S", "0.5")  # the worker gives up on a heartbeat quickly
    job_id = jobs.submit(jobs.train_config({**TINY, "max_steps": 30}), actor=LOCAL)
    worker = start_worker(demo_store, tmp_path)
    try:
        wait_for(lambda: (jobs.get(job_id).step or 0) >= 1, what="the job to start")
        holder = sqlite3.connect(demo_store.removeprefix("sqlite:///"), isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # another program holds the store's write lock
        time.sleep(4)
        holder.execute("ROLLBACK")
        holder.close()
        wait_for(lambda: jobs.get(job_id).status != "running", timeout=240, what="the job to end")
        assert jobs.get(job_id).status == "succeeded", jobs.get(job_id).error
        assert worker.poll() is None
    finally:
        stop(worker)
    log = max(tmp_path.glob("worker-*.log"), key=lambda p: p.stat().st_mtime).read_text()
    assert f"heartbeat of job {job_id} delayed: the store is busy" in log


# ---------------------------------------------------------------- in-process checks


def test_a_full_disk_while_saving_a_checkpoint_is_reported_and_keeps_the_previous_one(tmp_path):
    state = {"step": 1, "w": torch.arange(60_000, dtype=torch.float32)}  # ~240 kB
    with small_filesystem(tmp_path / "run", "400k") as run_dir:
        train_module._save_checkpoint(run_dir, 1, state, keep=2)
        with pytest.raises(
            OSError, match=r"disk full: checkpoint .*step-00000002.pt .* previous checkpoints"
        ):
            train_module._save_checkpoint(run_dir, 2, {**state, "step": 2}, keep=2)
        names = sorted(p.name for p in (run_dir / "checkpoints").iterdir())
        assert names == ["step-00000001.pt", "step-00000001.pt.sha256"]  # no temporary file left
        restored = train_module._read_checkpoint(run_dir / "checkpoints" / "step-00000001.pt")
        assert restored["step"] == 1 and torch.equal(restored["w"], state["w"])


def test_stores_sharing_a_runs_directory_never_share_a_run_directory(tmp_path, monkeypatch):
    monkeypatch.setattr(worker_module, "RUNS_DIR", tmp_path / "runs")
    first, second = (worker_module.Worker(url=f"sqlite:///{tmp_path / name}.db") for name in ("a", "b"))
    assert first.store_id() != second.store_id()
    a, b = first._new_run_dir(1), second._new_run_dir(1)
    assert a == tmp_path / "runs" / first.store_id() / "job-1" and b.name == "job-1" and a != b
    (a / "data.jsonl").write_text("the first run's data\n")
    again = first._new_run_dir(1)  # a copy of store a ran job 1 too: a new directory
    assert again.name == "job-1.1" and (a / "data.jsonl").read_text() == "the first run's data\n"


def test_resume_refuses_a_run_directory_of_another_store_job_or_data(tmp_path):
    run_dir = tmp_path / "job-1"
    run_dir.mkdir()
    (run_dir / "data.jsonl").write_text("frozen\n")
    digest = file_sha256(run_dir / "data.jsonl")
    worker_module._write_owner(run_dir, "store-a", 1, digest, prepared=True)
    worker_module.check_owner(run_dir, "store-a", 1, digest)  # its own: fine
    assert worker_module._prepared(run_dir) and worker_module._prepared(tmp_path)  # (no owner: older)
    half = tmp_path / "job-2"  # an attempt that failed while freezing its data: resumed afresh
    half.mkdir()
    worker_module._write_owner(half, "store-a", 2, None, prepared=False)
    assert not worker_module._prepared(half)
    with pytest.raises(ValueError, match="belongs to job 1 of store store-a, not to job 1 of this store"):
        worker_module.check_owner(run_dir, "store-b", 1, digest)
    with pytest.raises(ValueError, match="not to job 2"):
        worker_module.check_owner(run_dir, "store-a", 2, digest)
    (run_dir / "data.jsonl").write_text("overwritten by another run\n")
    with pytest.raises(ValueError, match="is not the data this job was frozen with"):
        worker_module.check_owner(run_dir, "store-a", 1, digest)


def test_orphans_are_resumed_automatically_a_bounded_number_of_times(sqlite_url):
    dead = "localhost-that-is-gone:1"  # another host: orphaned by its stale heartbeat
    with session_scope(sqlite_url, write=True) as s:
        job_id = q.create_job(s, kind="train", config={}).id
    w = worker_module.Worker(url=sqlite_url, resume_orphans=True, stale_after_s=1)
    chain = [job_id]
    for _ in range(worker_module.AUTO_ATTEMPTS):
        with session_scope(sqlite_url, write=True) as s:
            q.update_job(
                s, chain[-1], status="running", worker=dead, heartbeat_at=utcnow() - timedelta(minutes=5)
            )
            q.update_job(s, chain[-1], run_dir="/nonexistent")  # it had started
        assert w.recover_orphans() == [chain[-1]]
        with session_scope(sqlite_url) as s:
            newest = q.list_jobs(s, limit=1)[0]
        if newest.id != chain[-1]:
            chain.append(newest.id)
    assert len(chain) == worker_module.AUTO_ATTEMPTS  # 3 attempts, no 4th queued
    with session_scope(sqlite_url) as s:
        attempts = [q.get_job(s, i) for i in chain]
    assert [a.status for a in attempts] == ["failed"] * len(chain)
    assert all("stopped while the job ran" in a.error for a in attempts)  # the reason kept
    assert "not resumed automatically: 3 attempts in a row ended this way" in attempts[-1].error
    assert "not resumed" not in attempts[0].error
    assert json.loads(attempts[-1].config) == {} and attempts[-1].attempt == 3


def test_resume_refuses_a_checkpoint_of_other_data_and_names_every_corrupt_one(tmp_path):
    data = tmp_path / "train.jsonl"
    data.write_text('{"id": "q1"}\n')
    train_module._save_checkpoint(tmp_path, 1, {"step": 1, "data_sha256": file_sha256(data)}, keep=2)
    data.write_text('{"id": "other"}\n')  # the run directory's training data was replaced
    with pytest.raises(
        train_module.CheckpointError, match=r"step-00000001.pt was made on other training data"
    ):
        train_module._load_checkpoint(tmp_path, None, None, None, None, 0, 1, data)
    for path in (tmp_path / "checkpoints").glob("step-*.pt"):
        path.write_bytes(b"junk")
    with pytest.raises(
        train_module.CheckpointError, match=r"no intact checkpoint to resume from: .*step-00000001.pt: its"
    ):
        train_module._load_checkpoint(tmp_path, None, None, None, None, 0, 1, data)

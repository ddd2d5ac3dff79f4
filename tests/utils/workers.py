"""Job workers as real processes for the job tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import ROOT


def start_worker(url: str, tmp_path: Path, *extra: str) -> subprocess.Popen:
    log = open(tmp_path / f"worker-{time.monotonic_ns()}.log", "wb")
    env = {**os.environ, "MAGDI_DATABASE_URL": url, "MAGDI_RUNS_DIR": str(tmp_path / "runs")}
    return subprocess.Popen(
        [sys.executable, "-m", "app", "worker", "--poll", "0.2", *extra],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def copy_telemetry(url: str | None, job_id: int, run_dir: Path) -> None:
    """What a job's worker copies into the store from its run directory (`app.telemetry`), for
    tests that play the worker."""
    from app import telemetry
    from db.engine import session_scope

    with session_scope(url, write=True) as s:
        telemetry.store(s, job_id, telemetry.Reader(run_dir, run_dir / "job.log").pending())


def run_until_idle(url: str, tmp_path: Path) -> None:
    """A worker that runs every queued job and exits 0."""
    worker = start_worker(url, tmp_path, "--until-idle")
    try:
        assert worker.wait(240) == 0
    finally:
        stop(worker)


def stop(proc: subprocess.Popen, timeout: float = 30) -> None:
    """SIGTERM (a worker stops its jobs' process groups too), then SIGKILL if it lingers."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)

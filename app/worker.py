"""The job worker: `python -m app worker`. Claims queued jobs and runs each in its own process.

- A train job first freezes its data: the store is exported (effective labels, excluded nodes
  dropped) into the run directory with the label revision and a hash, so relabeling later
  changes nothing in that job. A resumed attempt reuses the frozen file and the checkpoint.
- Output goes to a log file in the run directory, never to a pipe nobody reads.
- Heartbeats every few seconds; a worker that starts (or any worker, periodically) marks jobs
  of dead workers failed with the reason, or queues a resumed attempt with --resume-orphans.
- Cancel: SIGTERM to the job's process group, SIGKILL after a grace period; status cancelled.
"""

from __future__ import annotations

import argparse
import ctypes
import importlib
import json
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from app.services import experiments
from app.services.jobs import RUNS_DIR
from db import jobs as q
from db.engine import ROOT, session_scope
from db.models import Job


@dataclass
class Running:
    job_id: int
    proc: subprocess.Popen
    run_dir: Path
    log: object
    term_sent_at: float | None = None
    cancelled: bool = False


@dataclass
class Worker:
    url: str | None = None
    concurrency: int = 1
    poll_s: float = 1.0
    stale_after_s: float = 30.0
    grace_s: float = 20.0
    resume_orphans: bool = False
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    running: dict[int, Running] = field(default_factory=dict)
    _stopping: bool = False

    # ------------------------------------------------------------ main loop

    def run(self, *, until_idle: bool = False, max_seconds: float | None = None) -> None:
        """Serve jobs until SIGTERM/SIGINT (or, with `until_idle`, until the queue is empty)."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        print(
            f"worker {self.name}: store {self.url or 'default'}, concurrency {self.concurrency}", flush=True
        )
        started, last_sweep = time.monotonic(), 0.0
        while not self._stopping:
            if time.monotonic() - last_sweep > min(10.0, self.stale_after_s / 2):
                self.recover_orphans()
                last_sweep = time.monotonic()
            self.tick()
            while len(self.running) < self.concurrency and not self._stopping:
                job = self.claim()
                if job is None:
                    break
                self.start(job)
            if until_idle and not self.running and self.queue_empty():
                break
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                break
            time.sleep(self.poll_s)
        for r in list(self.running.values()):  # worker shutdown: stop children, jobs resumable
            self._signal(r, signal.SIGTERM)
        deadline = time.monotonic() + self.grace_s
        while self.running and time.monotonic() < deadline:
            self.tick(shutting_down=True)
            time.sleep(0.2)
        for r in list(self.running.values()):
            self._signal(r, signal.SIGKILL)
            r.proc.wait()
            self._finish(r, "failed", STOPPED)

    def _on_signal(self, *_):
        self._stopping = True

    def queue_empty(self) -> bool:
        with session_scope(self.url) as s:
            return not q.has_queued(s)

    def claim(self) -> Job | None:
        with session_scope(self.url, write=True) as s:
            return q.claim_next(s, worker=self.name, kinds=tuple(KINDS))

    # ------------------------------------------------------------ starting a job

    def start(self, job: Job) -> None:
        run_dir = Path(job.run_dir or RUNS_DIR / f"job-{job.id}")
        run_dir.mkdir(parents=True, exist_ok=True)
        log_path = run_dir / "job.log"
        log = open(log_path, "ab", buffering=0)
        try:
            config = json.loads(job.config)
            kind = kind_module(job.kind)
            # A new attempt of a job that had started continues in its run directory, on its
            # frozen data; anything else (a first attempt, or one cancelled while queued) starts.
            resuming = job.resume_of is not None and job.run_dir is not None
            values = {} if resuming else kind.prepare(job.id, config, run_dir, self.url)
            cmd = kind.command(config, run_dir, resume=resuming)
            log.write(f"$ {' '.join(cmd)}\n".encode())
            proc = subprocess.Popen(
                cmd,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env=self._child_env(),
                preexec_fn=_die_with_parent,
            )
        except Exception as exc:  # noqa: BLE001 - any failure to start is the job's failure
            log.write(f"could not start: {exc}\n".encode())
            log.close()
            with session_scope(self.url, write=True) as s:
                q.update_job(s, job.id, run_dir=str(run_dir), log_path=str(log_path))
                q.finish(s, job.id, "failed", f"could not start: {exc}")
            return
        with session_scope(self.url, write=True) as s:
            q.update_job(s, job.id, pid=proc.pid, run_dir=str(run_dir), log_path=str(log_path), **values)
        self.running[job.id] = Running(job.id, proc, run_dir, log)
        print(f"worker {self.name}: started job {job.id} (pid {proc.pid})", flush=True)

    def _child_env(self) -> dict[str, str]:
        """The job's environment: ours, unbuffered output, and the store this worker serves."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if self.url:
            env["MAGDI_DATABASE_URL"] = self.url
        return env

    # ------------------------------------------------------------ watching jobs

    def tick(self, shutting_down: bool = False) -> None:
        for r in list(self.running.values()):
            code = r.proc.poll()
            if code is not None:
                if r.cancelled:
                    self._finish(r, "cancelled", None)
                elif code == 0:
                    self._finish(r, "succeeded", None)
                elif shutting_down:
                    self._finish(r, "failed", STOPPED)
                else:
                    self._finish(r, "failed", f"exit status {code}: {_last_lines(r.run_dir / 'job.log')}")
                continue
            progress = _read_progress(r.run_dir)
            with session_scope(self.url, write=True) as s:
                cancel = q.heartbeat(s, r.job_id, **progress)
            if cancel and r.term_sent_at is None:
                r.cancelled = True
                self._signal(r, signal.SIGTERM)
            elif r.term_sent_at is not None and time.monotonic() - r.term_sent_at > self.grace_s:
                self._signal(r, signal.SIGKILL)

    def _signal(self, r: Running, sig: int) -> None:
        if sig == signal.SIGTERM and r.term_sent_at is None:
            r.term_sent_at = time.monotonic()
        try:
            os.killpg(r.proc.pid, sig)
        except ProcessLookupError:
            pass

    def _finish(self, r: Running, status: str, error: str | None) -> None:
        progress = _read_progress(r.run_dir)
        with session_scope(self.url, write=True) as s:
            q.update_job(s, r.job_id, **progress)
            if status == "succeeded":
                q.update_job(s, r.job_id, progress=1.0)
            q.finish(s, r.job_id, status, error)
        r.log.close()
        del self.running[r.job_id]
        print(f"worker {self.name}: job {r.job_id} {status}", flush=True)
        try:  # a cell of an experiment: queue its evaluation when its training succeeded
            experiments.after_job(r.job_id, url=self.url)
        except Exception as exc:  # noqa: BLE001 - the Experiments page and CLI advance it again
            print(f"worker {self.name}: experiment of job {r.job_id} not advanced: {exc}", flush=True)

    # ------------------------------------------------------------ recovery

    def recover_orphans(self) -> list[int]:
        """Fail (or resume) running jobs whose worker is gone; kill their leftover processes."""
        host = socket.gethostname() + ":"
        recovered = []
        with session_scope(self.url, write=True) as s:
            for job in q.orphans(
                s, stale_after=timedelta(seconds=self.stale_after_s), worker_prefix=host, alive=_pid_alive
            ):
                if job.id in self.running:
                    continue
                if job.pid and job.worker and job.worker.startswith(host) and _pid_alive(job.pid):
                    try:
                        os.killpg(job.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                reason = (
                    f"worker {job.worker} stopped while the job ran (last heartbeat "
                    f"{q.last_heartbeat_text(job)}); resume it to continue from its last "
                    "checkpoint"
                )
                q.finish(s, job.id, "failed", reason)
                if self.resume_orphans:
                    q.create_job(
                        s, kind=job.kind, name=job.name, config=json.loads(job.config), resume_of=job
                    )
                recovered.append(job.id)
        for job_id in recovered:
            print(
                f"worker {self.name}: job {job_id} was orphaned; marked failed"
                + (" and queued again" if self.resume_orphans else ""),
                flush=True,
            )
        return recovered


# ---------------------------------------------------------------- helpers

# Each job kind is a module with `prepare(job_id, config, run_dir, url) -> dict` (job fields to
# record; called once, not on resume) and `command(config, run_dir, resume) -> list[str]`.
STOPPED = "the worker was stopped while the job ran"
KINDS = {
    "train": "app.jobkinds.train",
    "discuss": "app.jobkinds.discuss",
    "eval": "app.jobkinds.evaluate",
    "predict": "app.jobkinds.predict",
}


def kind_module(kind: str):
    return importlib.import_module(KINDS[kind])


def _read_progress(run_dir: Path) -> dict:
    try:
        p = json.loads((run_dir / "progress.json").read_text())
    except (OSError, json.JSONDecodeError):
        return {}
    out = {"step": int(p.get("step", 0))}
    if p.get("total_steps"):
        out["total_steps"] = int(p["total_steps"])
        out["progress"] = min(1.0, out["step"] / out["total_steps"])
    if p.get("eta_s") is not None:
        out["eta_s"] = float(p["eta_s"])
    summary = run_dir / "data_summary.json"
    if summary.exists():
        out["data_summary"] = summary.read_text()
    return out


def _last_lines(path: Path, n: int = 8) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").strip().splitlines()[-n:])
    except OSError:
        return ""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _die_with_parent() -> None:
    """Linux: the job gets SIGTERM when its worker dies, even by kill -9."""
    try:
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app worker", description="Run queued jobs.")
    ap.add_argument("--db", metavar="URL")
    ap.add_argument("--concurrency", type=int, default=1, help="jobs at a time (default 1)")
    ap.add_argument("--poll", type=float, default=1.0, help="seconds between checks")
    ap.add_argument(
        "--stale-after",
        type=float,
        default=30.0,
        help="seconds without heartbeat before a running job counts as orphaned",
    )
    ap.add_argument("--grace", type=float, default=20.0, help="seconds between SIGTERM and SIGKILL")
    ap.add_argument(
        "--resume-orphans",
        action="store_true",
        help="queue a resumed attempt of orphaned jobs instead of only failing them",
    )
    ap.add_argument("--until-idle", action="store_true", help="exit when the queue is empty")
    args = ap.parse_args(argv)
    Worker(
        url=args.db,
        concurrency=args.concurrency,
        poll_s=args.poll,
        stale_after_s=args.stale_after,
        grace_s=args.grace,
        resume_orphans=args.resume_orphans,
    ).run(until_idle=args.until_idle)
    return 0

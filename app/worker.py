"""The job worker: `python -m app worker`. Claims queued jobs and runs each in its own process.

- A train job first freezes its data: the store is exported (effective labels, excluded nodes
  dropped) into the run directory with the label revision and a hash, so relabeling later
  changes nothing in that job. A resumed attempt reuses the frozen file and the checkpoint.
- Output goes to a log file in the run directory, never to a pipe nobody reads.
- What the job reports (its log's newest lines, progress, metrics) is copied into the store at
  every heartbeat and when it ends (`app.telemetry`): the app and other hosts read it there, so a
  worker may run on another host than the app, with its own run root (MAGDI_RUNS_DIR).
- Each job gets a new run directory, `<runs>/<store id>/job-<id>` (never one that exists: stores
  sharing a runs directory, or copies of one store, never write into each other's runs), with
  owner.json naming the store, the job and its data hash; a resumed attempt is refused when
  they do not match.
- Heartbeats every few seconds; a worker that starts (or any worker, periodically) marks jobs
  of dead workers failed with the reason, or queues a resumed attempt with --resume-orphans
  (at most AUTO_ATTEMPTS attempts in a row that ended the same way).
- Faults of one job (its run directory unwritable or gone, a full disk, junk files written
  into it) fail that job with the reason; the worker goes on. A store that stays locked
  (`db.engine.StoreBusy`) delays a heartbeat, never kills the worker.
- Cancel: SIGTERM to the job's process group, SIGKILL after a grace period; status cancelled.
"""

from __future__ import annotations

import argparse
import ctypes
import errno
import importlib
import json
import math
import os
import re
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from app import telemetry
from app.services import experiments
from app.services.jobs import RUNS_DIR
from db import jobs as q
from db.engine import ROOT, StoreBusy, session_scope
from db.models import Job
from magdi.plumbing import file_sha256


@dataclass
class Running:
    job_id: int
    proc: subprocess.Popen
    run_dir: Path
    log: object
    telemetry: telemetry.Reader  # what of the run directory the store does not have yet
    progress_note: bool = False  # said once in the job's log that its progress.json is junk
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
    _store_id: str | None = None

    # ------------------------------------------------------------ main loop

    def run(self, *, until_idle: bool = False, max_seconds: float | None = None) -> None:
        """Serve jobs until SIGTERM/SIGINT (or, with `until_idle`, until the queue is empty)."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)
        print(
            f"worker {self.name}: store {self.url or 'default'}, concurrency {self.concurrency}", flush=True
        )
        try:
            self._serve(until_idle, max_seconds)
        except BaseException as exc:  # the worker itself failed: its jobs say why, not "stopped"
            for r in list(self.running.values()):
                self._signal(r, signal.SIGKILL)
                r.proc.wait()
                self._finish(r, "failed", f"the worker crashed: {_describe(exc)}")
            raise
        self._stop_jobs()

    def _serve(self, until_idle: bool, max_seconds: float | None) -> None:
        started, last_sweep = time.monotonic(), 0.0
        while not self._stopping:
            try:
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
            except StoreBusy as exc:  # the next round tries again
                print(f"worker {self.name}: {exc}", flush=True)
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                break
            time.sleep(self.poll_s)

    def _stop_jobs(self) -> None:
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
        run_dir = log_path = log = None
        try:
            # A new attempt of a job that had started continues in its run directory, on its
            # frozen data; anything else (a first attempt, or one cancelled while queued) starts
            # in a new one.
            resuming = job.resume_of is not None and job.run_dir is not None and _prepared(Path(job.run_dir))
            run_dir = self._resumed_dir(job) if resuming else self._new_run_dir(job.id)
            if not resuming:  # until prepare() is done, a resumed attempt starts afresh
                _write_owner(run_dir, self.store_id(), self._first_attempt(job), None, prepared=False)
            log_path = run_dir / "job.log"
            log = open(log_path, "ab", buffering=0)
            config = json.loads(job.config)
            kind = kind_module(job.kind)
            values = {} if resuming else kind.prepare(job.id, config, run_dir, self.url)
            if not resuming:
                first = self._first_attempt(job)
                _write_owner(run_dir, self.store_id(), first, values.get("data_hash"), prepared=True)
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
            reason = f"could not start: {_describe(exc)}"
            if log is not None:
                try:
                    log.write(f"{reason}\n".encode())
                    log.close()
                except OSError:  # the disk that failed the job may refuse this line too
                    pass
            where = {"run_dir": str(run_dir)} if run_dir else {}
            copied = telemetry.Update()
            if log is not None:
                where["log_path"] = str(log_path)
                copied = telemetry.Reader(run_dir, log_path).pending()
            self._write(
                lambda s: (
                    q.update_job(s, job.id, **where),
                    telemetry.store(s, job.id, copied),
                    q.finish(s, job.id, "failed", reason),
                )
            )
            print(f"worker {self.name}: job {job.id} failed: {reason}", flush=True)
            return
        self._write(
            lambda s: q.update_job(
                s, job.id, pid=proc.pid, run_dir=str(run_dir), log_path=str(log_path), **values
            )
        )
        self.running[job.id] = Running(job.id, proc, run_dir, log, telemetry.Reader(run_dir, log_path))
        print(f"worker {self.name}: started job {job.id} (pid {proc.pid})", flush=True)

    def store_id(self) -> str:
        if self._store_id is None:
            with session_scope(self.url) as s:
                self._store_id = q.store_id(s)
        return self._store_id

    def _new_run_dir(self, job_id: int) -> Path:
        """A directory made for this attempt alone: `<runs>/<store id>/job-<id>`, or `job-<id>.N`
        when that exists (a copy of this store ran the same job id): an existing one is never
        written into."""
        parent = RUNS_DIR / self.store_id()
        parent.mkdir(parents=True, exist_ok=True)
        for n in range(1000):
            path = parent / (f"job-{job_id}" if n == 0 else f"job-{job_id}.{n}")
            try:
                path.mkdir()
            except FileExistsError:
                continue
            return path
        raise FileExistsError(f"{parent}: job-{job_id} and 999 numbered copies of it exist")

    def _resumed_dir(self, job: Job) -> Path:
        """The run directory of the attempt `job` resumes, checked to be that run's."""
        run_dir = Path(job.run_dir)
        if not run_dir.is_dir():
            raise FileNotFoundError(f"the run directory {run_dir} of the attempt this resumes is gone")
        check_owner(run_dir, self.store_id(), self._first_attempt(job), job.data_hash)
        return run_dir

    def _first_attempt(self, job: Job) -> int:
        """The id of the run's first attempt: a run directory's owner, whichever attempt made it."""
        with session_scope(self.url) as s:
            return q.attempts(s, job)[-1].id

    def _write(self, work) -> None:
        """A write the worker must not lose (a job's start or end): retried while the store is busy."""
        while True:
            try:
                with session_scope(self.url, write=True) as s:
                    work(s)
                return
            except StoreBusy as exc:
                print(f"worker {self.name}: {exc}; retrying", flush=True)

    def _child_env(self) -> dict[str, str]:
        """The job's environment: ours, unbuffered output, and the store this worker serves."""
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        if self.url:
            env["MAGDI_DATABASE_URL"] = self.url
        return env

    # ------------------------------------------------------------ watching jobs

    def tick(self, shutting_down: bool = False) -> None:
        for r in list(self.running.values()):
            try:
                self._watch(r, shutting_down)
            except StoreBusy as exc:  # a missed heartbeat; the next tick beats again
                print(f"worker {self.name}: heartbeat of job {r.job_id} delayed: {exc}", flush=True)
            except Exception as exc:  # noqa: BLE001 - a fault of this job fails this job only
                self._signal(r, signal.SIGKILL)
                r.proc.wait()
                self._finish(r, "failed", f"the worker could not watch the job: {_describe(exc)}")

    def _watch(self, r: Running, shutting_down: bool) -> None:
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
            return
        progress, copied = self._progress(r), r.telemetry.pending()
        with session_scope(self.url, write=True) as s:
            cancel = q.heartbeat(s, r.job_id, **progress)
            telemetry.store(s, r.job_id, copied)
        r.telemetry.stored(copied)
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

    def _progress(self, r: Running) -> dict:
        """The job's progress.json as job fields; junk there (the job rewrites it every step) is
        noted once in the job's log and ignored."""
        try:
            return _read_progress(r.run_dir)
        except JunkProgress as exc:
            if not r.progress_note:
                r.progress_note = True
                try:
                    r.log.write(f"[worker] {exc}; ignored until the job rewrites it\n".encode())
                except OSError:
                    pass
            return {}

    def _finish(self, r: Running, status: str, error: str | None) -> None:
        progress = self._progress(r)
        copied = r.telemetry.pending()  # the last of it, the log's last lines too

        def record(s) -> None:
            q.update_job(s, r.job_id, **progress)
            telemetry.store(s, r.job_id, copied)
            if status == "succeeded":
                q.update_job(s, r.job_id, progress=1.0)
            q.finish(s, r.job_id, status, error)

        self._write(record)
        try:
            r.log.close()
        except OSError:
            pass
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
        asked = time.monotonic()
        with session_scope(self.url, write=True) as s:
            s.connection()  # takes the write lock; heartbeats waited for it as long as this did
            stale_after = timedelta(seconds=self.stale_after_s + (time.monotonic() - asked))
            for job in q.orphans(s, stale_after=stale_after, worker_prefix=host, alive=_pid_alive):
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
                again = self.resume_orphans
                if again:  # not without end: a cause that stays kills every attempt the same way
                    same = _same_reason_run(q.attempts(s, job)[1:], reason) + 1
                    if same >= AUTO_ATTEMPTS:
                        again = False
                        reason += (
                            f"; not resumed automatically: {same} attempts in a row ended this way "
                            "(resume it by hand once the cause is found)"
                        )
                q.finish(s, job.id, "failed", reason)
                if again:
                    q.create_job(
                        s, kind=job.kind, name=job.name, config=json.loads(job.config), resume_of=job
                    )
                recovered.append((job.id, again))
        for job_id, again in recovered:
            print(
                f"worker {self.name}: job {job_id} was orphaned; marked failed"
                + (" and queued again" if again else ""),
                flush=True,
            )
        return [job_id for job_id, _ in recovered]


# ---------------------------------------------------------------- helpers

# Each job kind is a module with `prepare(job_id, config, run_dir, url) -> dict` (job fields to
# record; called once, not on resume) and `command(config, run_dir, resume) -> list[str]`.
STOPPED = "the worker was stopped while the job ran"
AUTO_ATTEMPTS = 3  # --resume-orphans: attempts in a row that end the same way before it gives up
OWNER_NAME = "owner.json"  # in a run directory: the store, job and data hash it was made for
KINDS = {
    "train": "app.jobkinds.train",
    "discuss": "app.jobkinds.discuss",
    "eval": "app.jobkinds.evaluate",
    "predict": "app.jobkinds.predict",
}


def kind_module(kind: str):
    return importlib.import_module(KINDS[kind])


class JunkProgress(ValueError):
    """progress.json holds something other than the progress the job writes."""


def _read_progress(run_dir: Path) -> dict:
    """Job fields from progress.json ({} while there is none); JunkProgress when it is junk."""
    path = run_dir / "progress.json"
    try:
        p = json.loads(path.read_text())
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JunkProgress(f"{path} is unreadable: {exc}") from None
    if not isinstance(p, dict):
        raise JunkProgress(f"{path} holds {type(p).__name__}, not an object")
    out = {"step": _number(path, p, "step", int) or 0}
    if total := _number(path, p, "total_steps", int):
        out["total_steps"] = total
        out["progress"] = min(1.0, max(0.0, out["step"] / total))
    if (eta := _number(path, p, "eta_s", float)) is not None:
        out["eta_s"] = eta
    summary = run_dir / "data_summary.json"
    try:
        text = summary.read_text()
        json.loads(text)
        out["data_summary"] = text
    except FileNotFoundError:
        pass
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise JunkProgress(f"{summary} is unreadable: {exc}") from None
    return out


def _number(path: Path, p: dict, key: str, kind: type) -> int | float | None:
    value = p.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise JunkProgress(f"{path}: {key} is {value!r}, not a number")
    if kind is int and value != int(value):
        raise JunkProgress(f"{path}: {key} is {value!r}, not a whole number")
    return kind(value)


def _write_owner(run_dir: Path, store_id: str, job_id: int, data_hash: str | None, *, prepared: bool) -> None:
    owner = {"store_id": store_id, "job_id": job_id, "data_hash": data_hash, "prepared": prepared}
    (run_dir / OWNER_NAME).write_text(json.dumps(owner, indent=1) + "\n")


def _prepared(run_dir: Path) -> bool:
    """Whether the attempt that made `run_dir` got its data ready (a directory from before owner
    files: yes); if not, resuming in it would run on half-frozen data."""
    try:
        return bool(json.loads((run_dir / OWNER_NAME).read_text()).get("prepared", True))
    except FileNotFoundError:
        return True
    except (OSError, ValueError, AttributeError):
        return False


def check_owner(run_dir: Path, store_id: str, job_id: int, data_hash: str | None) -> None:
    """Refuse (ValueError) to resume in a run directory made for another store or job, or whose
    frozen data is not the job's (a run directory from before owner files: the data only)."""
    path = run_dir / OWNER_NAME
    if path.exists():
        try:
            owner = json.loads(path.read_text())
            mine = (owner["store_id"], owner["job_id"]) == (store_id, job_id)
        except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError):
            raise ValueError(f"{path} is unreadable: not resumed") from None
        if not mine:
            raise ValueError(
                f"{run_dir} belongs to job {owner['job_id']} of store {owner['store_id']}, not to job "
                f"{job_id} of this store ({store_id}): not resumed"
            )
    data = run_dir / "data.jsonl"
    if data_hash and data.exists():
        found = file_sha256(data)
        if found != data_hash:
            raise ValueError(
                f"{data} is not the data this job was frozen with (sha256 {found[:12]}…, the job's "
                f"{data_hash[:12]}…): its run directory was overwritten; not resumed"
            )


def _same_reason_run(earlier: list[Job], reason: str) -> int:
    """How many of the `earlier` attempts (newest first) in a row failed for `reason`, ignoring
    the numbers in it (worker pids, times)."""
    key = _reason_key(reason)
    n = 0
    for job in earlier:
        if job.status != "failed" or _reason_key(job.error or "") != key:
            break
        n += 1
    return n


def _reason_key(reason: str) -> str:
    first = reason.split(";", 1)[0]  # before "; not resumed …" and the like
    return re.sub(r"\d+", "#", first)


_OS_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is exceeded",
    errno.EROFS: "the file system is read-only",
    errno.EACCES: "permission denied",
    errno.ENOTDIR: "a file is in the way of a directory",
}


def _describe(exc: BaseException) -> str:
    """A reason for a job's error column: plain words for the usual OS faults, with the path."""
    if isinstance(exc, OSError) and exc.errno in _OS_REASONS:
        return f"{_OS_REASONS[exc.errno]} ({exc.filename or exc.strerror})"
    return str(exc) or type(exc).__name__


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

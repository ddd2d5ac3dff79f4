"""Job services for the pages and the CLI: submit, list, cancel, resume, read a run's outputs.

Jobs run in the worker (`python -m app worker`), never in Streamlit's script threads. A job's
config is a plain dict: {"train": DistillConfig fields, "filter": BrowseFilter fields,
"split": {"train", "validation", "test" fractions, "seed"}, "nproc": processes} and, for the cells of
an experiment, "frozen": a directory of frozen data and split (see app.jobkinds.train); the worker
freezes the data and sets the run directory at start.

A job that would have nothing to do is refused when it is queued (`submit` raises ValueError).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shlex
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

from app.services import audit, files, store
from app.services.auth import Actor, Role, require
from app.services.filters import Filter, stored_filter
from db import browsing, queries, telemetry
from db import jobs as job_queries
from db.engine import ROOT, session_scope, snapshot_scope
from db.models import Job
from magdi import formats
from magdi.chains import build_examples
from magdi.config import DistillConfig
from magdi.mag import Discussion
from magdi.splits import DEFAULT_SPLIT, SPLIT_NAME, check_split, make_split, question_key, read_split

# A line that states what went wrong: `SomeError: message`, `error: message` (our CLIs), or a bare
# exception name; a traceback's frames ("  File ...", "    code") never match.
_MESSAGE_LINE = re.compile(r"^(?:[A-Za-z_][\w.]*(?:Error|Exception|Interrupt|Exit|Warning)|error)(?::\s|$)")


def input_error(error: str | None) -> bool:
    """The job's process refused its input or settings: exit status 2, our CLIs' `error: ...`."""
    return (error or "").startswith("exit status 2:")


def headline(error: str) -> str:
    """The line of a job's error to show first. The worker records "exit status N: " and the log's
    last lines, which often end in a traceback: the exception's message (the last line that names
    an exception or starts with `error:`) goes first, with the exit status after it."""
    first, _, _ = error.partition("\n")
    status, sep, rest = first.partition(": ")
    lines = [rest if sep and status.startswith("exit status") else first, *error.splitlines()[1:]]
    message = next((ln.strip() for ln in reversed(lines) if _MESSAGE_LINE.match(ln.strip())), None)
    if message is None:
        return first
    return f"{message} ({status})" if sep and status.startswith("exit status") else message


RUNS_DIR = Path(os.environ.get("MAGDI_RUNS_DIR", ROOT / "var" / "runs"))
# Several machines: the run root that every worker host mounts at the same path (an NFS share, say);
# a run whose artifacts another job loads must be under it (`check_shared`). Unset: one host.
SHARED_RUNS_DIR: Path | None = (
    Path(os.environ["MAGDI_SHARED_RUNS_DIR"]) if os.environ.get("MAGDI_SHARED_RUNS_DIR") else None
)


@dataclass
class JobView:
    """A job as the pages show it (a plain copy, never a live ORM row)."""

    id: int
    kind: str
    name: str
    status: str
    config: dict
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    heartbeat_at: datetime | None
    progress: float
    step: int
    total_steps: int | None
    eta_s: float | None
    label_revision: int | None
    data_hash: str | None
    data_summary: dict | None
    run_dir: str | None
    log_path: str | None
    error: str | None
    cancel_requested: bool
    attempt: int
    resume_of: int | None
    worker: str | None
    pid: int | None
    archived_at: datetime | None
    submitted_by: str  # the identity that queued it

    @classmethod
    def of(cls, job: Job) -> JobView:
        fields = {k: getattr(job, k) for k in cls.__dataclass_fields__}
        fields["config"] = json.loads(job.config)
        fields["data_summary"] = json.loads(job.data_summary) if job.data_summary else None
        return cls(**fields)

    @property
    def active(self) -> bool:
        return self.status in job_queries.ACTIVE

    @property
    def resumable(self) -> bool:
        """Failed or cancelled, and a new attempt could end otherwise: not a job that failed on
        its own input (see `input_error`), which would fail the same way again."""
        return self.status in job_queries.RESUMABLE and not input_error(self.error)

    @property
    def headline(self) -> str | None:
        """A failed job's reason in one line, the exception's message first (see `headline`)."""
        return headline(self.error) if self.error else None

    @property
    def trained(self) -> bool:
        """A training run that finished: its run directory holds a student to load."""
        return self.kind == "train" and self.status == "succeeded" and self.run_dir is not None


def finished_training(job_id: int, *, url: str | None = None) -> JobView:
    job = get(job_id, url=url)
    if job is None or not job.trained:
        raise ValueError(f"job {job_id} is not a finished training job")
    return job


def check_shared(job: JobView) -> None:
    """Queue time, for a job that will load `job`'s artifacts (an evaluation of its student, node
    scores from its classifier): with a shared run root configured, refuse (ValueError) when they
    are outside it, since the worker that claims the new job may be on another host. The worker
    checks again that it can read them (`app.jobkinds.require_readable`)."""
    if SHARED_RUNS_DIR is None or job.run_dir is None:
        return
    shared = Path(os.path.normpath(SHARED_RUNS_DIR.absolute()))
    if not Path(os.path.normpath(job.run_dir)).is_relative_to(shared):
        raise ValueError(
            f"job {job.id}'s artifacts are at {job.run_dir}, outside the shared run root {shared}: "
            "a worker on another host could not read them (run its workers with MAGDI_RUNS_DIR "
            "under the shared run root)"
        )


def submit(
    config: dict,
    *,
    actor: Actor,
    kind: str = "train",
    name: str = "",
    url: str | None = None,
) -> int:
    """Queue a job (trainers and admins; audited); a training job with nothing to train on is
    refused here (ValueError)."""
    require(actor, Role.TRAINER, f"queue a {kind} job")
    if kind == "train":
        preview_training(config, url=url)
    with session_scope(url, write=True) as s:
        job = job_queries.create_job(s, kind=kind, config=config, name=name, submitted_by=actor.identity)
        audit.record(actor, "job.queued", f"job {job.id}", {"kind": kind, "name": name}, session=s)
        return job.id


def require_owner(actor: Actor, job: Job | JobView, action: str) -> None:
    """Trainers act on the jobs they queued; someone else's job needs an admin."""
    require(actor, Role.TRAINER, f"{action} a job")
    if job.submitted_by != actor.identity:
        require(actor, Role.ADMIN, f"{action} job {job.id}, queued by {job.submitted_by}")


def resume(job_id: int, *, actor: Actor, url: str | None = None) -> int:
    """A new attempt of a failed or cancelled job, continuing from its last checkpoint; queued by
    `actor` (its own job for a trainer, any job for an admin; audited)."""
    require(actor, Role.TRAINER, "resume a job")
    with session_scope(url, write=True) as s:
        old = job_queries.get_job(s, job_id)
        if old is None:
            raise LookupError(f"no job {job_id}")
        require_owner(actor, old, "resume")
        if old.status not in job_queries.RESUMABLE:
            raise ValueError(f"job {job_id} is {old.status}; only failed or cancelled jobs resume")
        if input_error(old.error):
            raise ValueError(
                f"job {job_id} failed on its own input or settings ({headline(old.error)}); a new "
                "attempt would fail the same way: queue a new job with corrected settings"
            )
        new = job_queries.create_job(
            s,
            kind=old.kind,
            name=old.name,
            config=json.loads(old.config),
            resume_of=old,
            submitted_by=actor.identity,
        )
        audit.record(actor, "job.resumed", f"job {new.id}", {"resumes": job_id, "kind": old.kind}, session=s)
        return new.id


def cancel(job_id: int, *, actor: Actor, url: str | None = None) -> str:
    """Cancel a queued job, or ask its worker to stop a running one (own job or admin; audited)."""
    require(actor, Role.TRAINER, "cancel a job")
    with session_scope(url, write=True) as s:
        job = job_queries.get_job(s, job_id)
        if job is None:
            raise LookupError(f"no job {job_id}")
        require_owner(actor, job, "cancel")
        outcome = job_queries.request_cancel(s, job_id)
        audit.record(actor, "job.cancelled", f"job {job_id}", {"outcome": outcome}, session=s)
        return outcome


def get(job_id: int, *, url: str | None = None) -> JobView | None:
    with session_scope(url) as s:
        job = job_queries.get_job(s, job_id)
        return None if job is None else JobView.of(job)


def list_all(
    *, kind: str | None = None, archived: bool | None = False, url: str | None = None
) -> list[JobView]:
    """Newest first; archived jobs only with `archived=True` (both with None)."""
    with session_scope(url) as s:
        return [JobView.of(j) for j in job_queries.list_jobs(s, kind=kind, archived=archived)]


# ---------------------------------------------------------------- archive and delete


@dataclass
class Removal:
    """What archiving or deleting a job takes with it: the attempts of its run (they share one run
    directory), their stored evaluations, and the reasons it cannot be deleted (`blockers`)."""

    job_id: int
    jobs: list[int]
    run_dir: str | None
    evaluations: int
    blockers: list[str] = field(default_factory=list)  # non-empty: delete is refused
    active: bool = False  # queued or running: archive and delete are both refused


def _users(configs: list[tuple[int, str, str]], ids: set[int]) -> list[tuple[int, str]]:
    """(job id, kind) of the jobs whose config names one of `ids` as its student or classifier."""
    out = []
    for job_id, kind, text in configs:
        config = json.loads(text)
        named = (config.get("model") or {}).get("run_job") if kind == "eval" else config.get("train_job")
        if job_id not in ids and named is not None and int(named) in ids:
            out.append((job_id, kind))
    return out


def removal(job_id: int, *, url: str | None = None) -> Removal:
    """What `delete(job_id)` would remove, and why it would be refused."""
    with session_scope(url) as s:
        job = job_queries.get_job(s, job_id)
        if job is None:
            raise LookupError(f"no job {job_id}")
        run = job_queries.run_jobs(s, job)
        ids = [j.id for j in run]
        plan = Removal(job_id, ids, job.run_dir, len(job_queries.evaluations_of(s, ids)))
        plan.active = any(j.status in job_queries.ACTIVE for j in run)
        if plan.active:
            plan.blockers.append("an attempt of it is queued or running: cancel it first")
        for other, kind in _users(job_queries.job_configs(s), set(ids)):
            use = "evaluates" if kind == "eval" else "scores nodes with"
            plan.blockers.append(f"job {other} ({kind}) {use} this run: delete that job first")
        if cells := sorted({j.experiment_id for j in run if j.experiment_id is not None}):
            plan.blockers.append(
                f"a cell of experiment {', '.join(map(str, cells))}: archive it instead (the experiment"
                " reads its results)"
            )
    return plan


def evaluation_ids(job_id: int, *, url: str | None = None) -> list[int]:
    """The stored evaluations of a job: an eval job's own, or those of the eval jobs that evaluate
    a training run (any attempt of it), newest first."""
    with session_scope(url) as s:
        job = job_queries.get_job(s, job_id)
        if job is None:
            return []
        ids = {j.id for j in job_queries.run_jobs(s, job)}
        makers = ids | {other for other, kind in _users(job_queries.job_configs(s), ids) if kind == "eval"}
        return job_queries.evaluations_of(s, sorted(makers))


def _check_owner(actor: Actor, job_id: int, action: str, url: str | None) -> None:
    require(actor, Role.TRAINER, f"{action} a job")
    with session_scope(url) as s:
        job = job_queries.get_job(s, job_id)
        if job is None:
            raise LookupError(f"no job {job_id}")
        require_owner(actor, job, action)


def archive(job_id: int, archived: bool = True, *, actor: Actor, url: str | None = None) -> list[int]:
    """Archive (hide) or restore the jobs of a finished run; rows and run directory stay, so what
    refers to them (evaluations, experiments, an eval job's student) still works. Returns the ids.
    Own job or admin; audited."""
    _check_owner(actor, job_id, "archive" if archived else "restore", url)
    plan = removal(job_id, url=url)
    if plan.active:
        raise ValueError(f"job {job_id} is queued or running: cancel it first")
    with session_scope(url, write=True) as s:
        job_queries.set_archived(s, plan.jobs, archived)
        action = "job.archived" if archived else "job.restored"
        audit.record(actor, action, f"job {job_id}", {"jobs": plan.jobs}, session=s)
    return plan.jobs


def delete(job_id: int, *, actor: Actor, url: str | None = None) -> bool:
    """Delete a finished run: its jobs (every attempt), their evaluations and node scores, and its
    run directory when the worker made it for this store and run (its owner.json says so).
    Refused (ValueError, nothing removed) while a job of it is active or something else still
    uses it (see `removal`). Returns whether the run directory was removed."""
    from app.worker import OWNER_NAME  # the worker imports this module

    _check_owner(actor, job_id, "delete", url)
    plan = removal(job_id, url=url)
    if plan.blockers:
        raise ValueError(f"job {job_id} cannot be deleted: " + "; ".join(plan.blockers))
    with session_scope(url, write=True) as s:
        owned = plan.run_dir is not None and _owned(
            Path(plan.run_dir) / OWNER_NAME, job_queries.store_id(s), plan.jobs
        )
        job_queries.delete_jobs(s, plan.jobs)
        audit.record(
            actor, "job.deleted", f"job {job_id}", {"jobs": plan.jobs, "run_dir": plan.run_dir}, session=s
        )
    if owned:
        shutil.rmtree(plan.run_dir, ignore_errors=True)
    return owned


def _owned(owner: Path, store_id: str, job_ids: list[int]) -> bool:
    try:
        found = json.loads(owner.read_text())
        return found.get("store_id") == store_id and found.get("job_id") in job_ids
    except (OSError, ValueError, AttributeError):
        return False


# ---------------------------------------------------------------- downloads

MAX_DOWNLOAD_BYTES = 256 << 20  # a download is built in memory; larger runs are copied from the run directory
# What the student zip holds (magdi.run): its config, tokenizer, offline base, adapter and heads.
STUDENT_FILES = ("distill_config.json", "tokenizer", "base", "adapter", "heads.safetensors")
FROZEN_FILES = ("data.jsonl", "data.json", "split.json", "questions.jsonl", "discussions.jsonl")


@dataclass
class Download:
    label: str
    file_name: str
    mime: str
    size: int  # bytes on disk (the zip is smaller)
    build: Callable[[], bytes] = field(repr=False)


def downloads(job: JobView, *, url: str | None = None) -> list[Download]:
    """The run's artifacts as downloads: the student (zip), the frozen data (zip), the predictions
    (eval jobs), only those the run directory holds, and the metrics as CSV (from the store), each
    within MAX_DOWNLOAD_BYTES (`too_large` lists the others)."""
    records = metrics(job, url=url)
    out = _artifact_downloads(job) if job.run_dir and Path(job.run_dir).is_dir() else []
    return out + ([_metrics_download(job, records)] if records else [])


def _artifact_downloads(job: JobView) -> list[Download]:
    root, stem = Path(job.run_dir), f"job-{job.id}"
    out = []
    student = [root / n for n in STUDENT_FILES if (root / n).exists()]
    if (root / "adapter").is_dir():
        out.append(
            _zip_download("student (adapter, heads, tokenizer, config)", f"{stem}-student.zip", root, student)
        )
    frozen = [root / n for n in FROZEN_FILES if (root / n).is_file()]
    if frozen:
        out.append(_zip_download("frozen data", f"{stem}-data.zip", root, frozen))
    if (root / "predictions.jsonl").is_file():
        path = root / "predictions.jsonl"
        out.append(
            Download(
                "predictions (JSONL)",
                f"{stem}-predictions.jsonl",
                "application/jsonl",
                path.stat().st_size,
                path.read_bytes,
            )
        )
    return out


def _metrics_download(job: JobView, records: list[dict]) -> Download:
    size = sum(len(json.dumps(r)) for r in records)  # about the CSV's size
    return Download("metrics (CSV)", f"job-{job.id}-metrics.csv", "text/csv", size, lambda: _csv(records))


def too_large(d: Download) -> bool:
    return d.size > MAX_DOWNLOAD_BYTES


def _size(paths: list[Path]) -> int:
    return sum(f.stat().st_size for p in paths for f in ([p] if p.is_file() else p.rglob("*")) if f.is_file())


def _zip_download(label: str, name: str, root: Path, paths: list[Path]) -> Download:
    def build() -> bytes:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for p in paths:
                for f in sorted([p] if p.is_file() else p.rglob("*")):
                    if f.is_file():
                        zf.write(f, f.relative_to(root))
        return buf.getvalue()

    return Download(label, name, "application/zip", _size(paths), build)


def _csv(records: list[dict]) -> bytes:
    """Metrics records as CSV: a column per key any record has, in first-seen order."""
    columns = list(dict.fromkeys(k for r in records for k in r))
    buf = io.StringIO()
    writer = csv.DictWriter(buf, columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buf.getvalue().encode("utf-8")


def reported(job: JobView, name: str, *, url: str | None = None) -> dict | list | None:
    """What the job reported in one of its files ("progress", "usage", "final", "quality", "starts"; see
    `app.telemetry`) as its worker last copied it into the store: None before it has. Read from the
    store, never from the run directory, so every host sees the same."""
    with session_scope(url) as s:
        text = telemetry.fields(s, job.id).get(name)
    return None if text is None else json.loads(text)


def attempt_span(job: JobView, *, url: str | None = None) -> tuple[list[int], int | None]:
    """Where this attempt stands among the starts of its run directory (attempts share one):
    the steps at which earlier starts took over (boundaries to mark), and the step after which a
    later attempt took over from this one (None: this one is the last, or the run predates
    starts.jsonl). A start belongs to this job when it happened while the job ran."""
    if job.started_at is None:
        return [], None
    began = job.started_at.replace(tzinfo=job.started_at.tzinfo or UTC).timestamp()
    with session_scope(url) as s:  # the run's starts as its newest attempt saw them
        row = job_queries.get_job(s, job.id)
        run = [] if row is None else [j.id for j in job_queries.run_jobs(s, row)]
        text = telemetry.newest_starts(s, run)
    starts = [s for s in json.loads(text or "[]") if isinstance(s.get("time"), int | float)]
    mine = next((i for i, s in enumerate(starts) if s["time"] >= began), None)
    if mine is None:
        return [], None
    later = starts[mine + 1 :]
    return [int(s["step"]) for s in starts[1 : mine + 1]], int(later[0]["step"]) if later else None


def metrics(job: JobView, *, url: str | None = None) -> list[dict]:
    """The run's metrics records (step, each loss, lr, tokens/s) as this attempt's worker copied
    them into the store, as far as this attempt took them: an attempt another one resumed ends
    where that one took over."""
    with session_scope(url) as s:
        records = telemetry.metrics(s, job.id)
    _, until = attempt_span(job, url=url)
    return records if until is None else [r for r in records if r.get("step", 0) <= until]


def final_metrics(job: JobView, *, url: str | None = None) -> dict | None:
    """A finished training run's final metrics (final_metrics.json, as stored): the kept (best)
    step, its validation scores and the test loss (see magdi.validation); None before the run ends."""
    return reported(job, "final", url=url)


def log_tail(job: JobView, max_bytes: int = 8000, *, url: str | None = None) -> str:
    """The newest lines of the job's log, as its worker last copied them into the store."""
    with session_scope(url) as s:
        text = telemetry.fields(s, job.id).get("log_tail") or ""
    return text[-max_bytes:]


def artifacts(job: JobView) -> list[tuple[str, int]]:
    """(relative path, size in bytes) of every file in the run directory."""
    if not job.run_dir or not Path(job.run_dir).exists():
        return []
    root = Path(job.run_dir)
    return sorted((str(p.relative_to(root)), p.stat().st_size) for p in root.rglob("*") if p.is_file())


def train_config(
    overrides: dict,
    *,
    data: Filter | None = None,
    nproc: int = 1,
    split: dict | None = None,
    frozen: str | Path | None = None,
    url: str | None = None,
) -> dict:
    """Validate training settings and build a train job's config.

    Settings go through `DistillConfig` and `check_split`, so a bad value fails here, before anything
    is queued. `data` is a Browse filter (dataset names etc.); the worker freezes the matching
    discussions and their split when the job starts, or links `frozen` (a directory `freeze` made).
    """
    resolved = DistillConfig(**{k: v for k, v in overrides.items() if k not in ("data", "output_dir")})
    train = {k: v for k, v in resolved.to_dict().items() if k not in ("data", "output_dir")}
    if resolved.model:  # a Hugging Face id or a folder under the models root, whoever builds the job
        train["model"] = files.model_source(resolved.model)
    f = data or Filter()
    unknown = set(f.datasets) - set(store.dataset_names(url))
    if unknown:
        raise LookupError(f"no dataset named {', '.join(map(repr, sorted(unknown)))}")
    if nproc < 1:
        raise ValueError("nproc must be >= 1")
    config = {
        "train": train,
        "filter": stored_filter(f, url),
        "data": f.to_query(),
        "nproc": nproc,
        "split": check_split(split),
    }
    if frozen is not None:
        missing = [n for n in ("data.jsonl", "data.json", SPLIT_NAME) if not (Path(frozen) / n).is_file()]
        if missing:
            raise ValueError(f"frozen data: {frozen} lacks {', '.join(missing)}")
        config["frozen"] = str(Path(frozen).resolve())
    return config


def config_help() -> dict[str, tuple]:
    """DistillConfig field -> (default, help), for forms."""
    return DistillConfig.field_docs()


def preview_training(config: dict, *, url: str | None = None) -> dict:
    """What the job would train on now: its split's counts ("split") and the chains, pairs and
    graphs of its training questions at its level (and at every level), computed as the worker
    will. Raises ValueError when it would have nothing to do: no question selected, a split that
    leaves none for training, or no training question with a correct chain at the level."""
    cfg = DistillConfig(**config["train"])
    selected, split = _selection(config, url)
    train = set(split["train"])
    examples, summary = build_examples(cfg, [d for d, ds in selected if question_key(ds, d.id) in train])
    if not examples:
        who = f" of teacher {cfg.teacher!r}" if cfg.level == "single-teacher" else ""
        raise ValueError(
            f"nothing to train on: none of the {split['counts']['train']} training question(s) "
            f"has a correct chain{who} at level {cfg.level}"
        )
    return {**summary, "split": split["counts"]}


def _selection(config: dict, url: str | None) -> tuple[list[tuple[Discussion, str | None]], dict]:
    """The discussions a train job would freeze and their split (the frozen ones, for an experiment's
    cell)."""
    if config.get("frozen"):
        frozen = Path(config["frozen"])
        return [(d, ds) for _, d, ds in formats.read_jsonl(frozen / "data.jsonl")], read_split(frozen)
    with snapshot_scope(url) as s:
        ids = browsing.matching_ids(s, browsing.BrowseFilter(**config["filter"]))
        selected = list(queries.iter_discussions(s, discussion_ids=ids, drop_excluded=True))
    return selected, make_split([question_key(ds, d.id) for d, ds in selected], config.get("split"))


def command_line(config: dict) -> str:
    """The shell command that queues the same job (shown on the Train page)."""
    defaults = DistillConfig().to_dict()
    parts = ["python -m app train"]
    query = Filter.from_query(config.get("data", {})).to_query()
    parts += [f"--dataset {shlex.quote(name)}" for name in query.pop("ds", [])]
    if query:
        parts.append(f"--filter {shlex.quote(urlencode(query))}")
    if config.get("nproc", 1) != 1:
        parts.append(f"--nproc {config['nproc']}")
    split = check_split(config.get("split"))
    changed = [f"{k}={split[k]}" for k in ("validation", "test", "seed") if DEFAULT_SPLIT[k] != split[k]]
    if changed:
        parts.append("--split " + " ".join(changed))
    for key, value in config["train"].items():
        if defaults.get(key) != value:
            text = ",".join(map(str, value)) if isinstance(value, list) else value
            parts.append(f"--set {shlex.quote(f'{key}={text}')}")
    return " ".join(parts)

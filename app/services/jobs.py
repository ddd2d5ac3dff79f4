"""Job services for the pages and the CLI: submit, list, cancel, resume, read a run's outputs.

Jobs run in the worker (`python -m app worker`), never in Streamlit's script threads. A job's
config is a plain dict: {"train": DistillConfig fields, "filter": BrowseFilter fields,
"nproc": processes}; the worker adds the data path and run directory at start.
"""

from __future__ import annotations

import json
import os
import shlex
from urllib.parse import urlencode
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path

from app.services import explore, store
from app.services.explore import Filter
from db import jobs as job_queries
from db import browsing, queries
from db.engine import ROOT, session_scope, snapshot_scope
from db.models import Job
from magdi.chains import build_examples
from magdi.config import DistillConfig

RUNS_DIR = Path(os.environ.get("MAGDI_RUNS_DIR", ROOT / "var" / "runs"))


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
        return self.status in job_queries.RESUMABLE

    @property
    def trained(self) -> bool:
        """A training run that finished: its run directory holds a student to load."""
        return self.kind == "train" and self.status == "succeeded" and self.run_dir is not None


def finished_training(job_id: int, *, url: str | None = None) -> JobView:
    job = get(job_id, url=url)
    if job is None or not job.trained:
        raise ValueError(f"job {job_id} is not a finished training job")
    return job


def submit(config: dict, *, kind: str = "train", name: str = "", url: str | None = None) -> int:
    with session_scope(url, write=True) as s:
        return job_queries.create_job(s, kind=kind, config=config, name=name).id


def resume(job_id: int, *, url: str | None = None) -> int:
    """A new attempt of a failed or cancelled job, continuing from its last checkpoint."""
    with session_scope(url, write=True) as s:
        old = job_queries.get_job(s, job_id)
        if old is None:
            raise LookupError(f"no job {job_id}")
        if old.status not in job_queries.RESUMABLE:
            raise ValueError(f"job {job_id} is {old.status}; only failed or cancelled jobs resume")
        return job_queries.create_job(s, kind=old.kind, name=old.name, config=json.loads(old.config),
                                      resume_of=old).id


def cancel(job_id: int, *, url: str | None = None) -> str:
    with session_scope(url, write=True) as s:
        return job_queries.request_cancel(s, job_id)


def get(job_id: int, *, url: str | None = None) -> JobView | None:
    with session_scope(url) as s:
        job = job_queries.get_job(s, job_id)
        return None if job is None else JobView.of(job)


def list_all(*, kind: str | None = None, url: str | None = None) -> list[JobView]:
    with session_scope(url) as s:
        return [JobView.of(j) for j in job_queries.list_jobs(s, kind=kind)]


def metrics(job: JobView) -> list[dict]:
    """The run's metrics.jsonl records (step, each loss, lr, tokens/s)."""
    if not job.run_dir:
        return []
    path = Path(job.run_dir) / "metrics.jsonl"
    if not path.exists():
        return []
    out = []
    for line in path.read_text().splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:  # a line being written right now
            break
    return out


def log_tail(job: JobView, max_bytes: int = 8000) -> str:
    if not job.log_path or not Path(job.log_path).exists():
        return ""
    with open(job.log_path, "rb") as fh:
        fh.seek(0, os.SEEK_END)
        fh.seek(max(0, fh.tell() - max_bytes))
        return fh.read().decode("utf-8", errors="replace")


def artifacts(job: JobView) -> list[tuple[str, int]]:
    """(relative path, size in bytes) of every file in the run directory."""
    if not job.run_dir or not Path(job.run_dir).exists():
        return []
    root = Path(job.run_dir)
    return sorted((str(p.relative_to(root)), p.stat().st_size) for p in root.rglob("*") if p.is_file())


def train_config(overrides: dict, *, data: Filter | None = None, nproc: int = 1,
                 url: str | None = None) -> dict:
    """Validate training settings and build a train job's config.

    Settings go through `DistillConfig`, so a bad value fails here, before anything is queued.
    `data` is a Browse filter (dataset names etc.); the worker freezes the matching
    discussions when the job starts and sets the data path and run directory then.
    """
    resolved = DistillConfig(**{k: v for k, v in overrides.items() if k not in ("data", "output_dir")})
    train = {k: v for k, v in resolved.to_dict().items() if k not in ("data", "output_dir")}
    f = data or Filter()
    unknown = set(f.datasets) - set(store.dataset_names(url))
    if unknown:
        raise LookupError(f"no dataset named {', '.join(map(repr, sorted(unknown)))}")
    if nproc < 1:
        raise ValueError("nproc must be >= 1")
    with session_scope(url) as s:
        flt = {k: v for k, v in asdict(explore.to_browse_filter(s, f)).items() if v is not None}
    return {"train": train, "filter": flt, "data": f.to_query(), "nproc": nproc}


def config_help() -> dict[str, tuple]:
    """DistillConfig field -> (default, help), for forms."""
    return DistillConfig.field_docs()


def preview_training(config: dict, *, url: str | None = None) -> dict:
    """What the job would train on now: chains, pairs and graphs at its level (and at every level)."""
    cfg = DistillConfig(**config["train"])
    with snapshot_scope(url) as s:
        ids = browsing.matching_ids(s, browsing.BrowseFilter(**config["filter"]))
        discussions = [d for d, _ in queries.iter_discussions(s, discussion_ids=ids, drop_excluded=True)]
    return build_examples(cfg, discussions)[1]


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
    for key, value in config["train"].items():
        if defaults.get(key) != value:
            text = ",".join(map(str, value)) if isinstance(value, list) else value
            parts.append(f"--set {shlex.quote(f'{key}={text}')}")
    return " ".join(parts)

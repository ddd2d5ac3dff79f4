"""Node-classifier services: score stored nodes with a trained level-4 run (a predict job), and
read where its classifier disagrees with the labels (the Review queue's last signal)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.services import jobs
from app.services.auth import Actor, Role, require
from app.services.jobs import JobView
from db import predictions, queries
from db.engine import session_scope

QUALITY = "quality.json"  # a predict job's run directory: its classifier's held-out accuracy


@dataclass(frozen=True)
class Classifier:
    """The node classifier whose suggestions the review counts include: the newest predict job."""

    job_id: int  # the predict job
    train_job: int | None  # whose level-4 run it scored with
    held_out_nodes: int  # nodes of questions that run never trained on (its validation + test)
    accuracy: float | None  # on them, against the effective labels; None: none to measure

    @property
    def quality(self) -> str:
        if self.accuracy is None:
            return "held-out accuracy unknown (no held-out nodes scored)"
        return f"held-out accuracy {self.accuracy:.0%} on {self.held_out_nodes:,} nodes"


def current_classifier(*, url: str | None = None) -> Classifier | None:
    """The newest predict job's classifier and its quality, or None before any predict job."""
    job_id = latest_job(url=url)
    if job_id is None:
        return None
    job = jobs.get(job_id, url=url)
    q = jobs.reported(job, "quality", url=url) or {}  # {}: a predict job from before quality.json
    return Classifier(job_id, job.config.get("train_job"), q.get("held_out_nodes", 0), q.get("accuracy"))


@dataclass
class Disagreement:
    node_id: int
    discussion_id: int
    dataset: str
    discussion: str
    agent: str
    round: int
    label: bool  # effective
    human_label: bool | None
    p_correct: float


def is_classifier(job: JobView) -> bool:
    """A succeeded level-4 train job whose run holds the trained heads."""
    return (
        job.trained
        and job.config["train"].get("level") == "4"
        and (Path(job.run_dir) / "heads.safetensors").is_file()
    )


def classifier_jobs(*, url: str | None = None) -> list[JobView]:
    """Train jobs whose node classifier can score nodes, newest first."""
    return [j for j in jobs.list_all(kind="train", url=url) if is_classifier(j)]


def trained_classifier(train_job_id: int, *, url: str | None = None) -> JobView:
    job = jobs.get(train_job_id, url=url)
    if job is None or not is_classifier(job):
        raise ValueError(f"job {train_job_id} is not a succeeded level-4 training job")
    return job


def submit_predictions(
    train_job_id: int, *, actor: Actor, same_data: bool = False, name: str = "", url: str | None = None
) -> int:
    """Queue a predict job (trainers) scoring every stored discussion (or, `same_data`, those
    matching the train job's filter) with the train job's classifier; returns its id."""
    require(actor, Role.TRAINER, "queue a predict job")
    job = trained_classifier(train_job_id, url=url)
    jobs.check_shared(job)  # workers on other hosts load its classifier
    config = {"train_job": job.id, "filter": job.config.get("filter", {}) if same_data else {}}
    name = name or f"score nodes with job {job.id}"
    return jobs.submit(config, kind="predict", name=name, actor=actor, url=url)


def latest_job(*, url: str | None = None) -> int | None:
    """The predict job whose predictions the Review queue uses (the newest with any)."""
    with session_scope(url) as s:
        return predictions.latest_job(s)


def disagreements(
    *,
    job_id: int | None = None,
    dataset: str | None = None,
    page: int = 1,
    page_size: int = 50,
    url: str | None = None,
) -> tuple[list[Disagreement], int]:
    """Nodes where a predict job's classifier (default: the newest) disagrees with the effective
    label, most confident first, and their total."""
    with session_scope(url) as s:
        job_id = job_id if job_id is not None else predictions.latest_job(s)
        if job_id is None:
            return [], 0
        ds_ids = None
        if dataset:
            found = queries.find_dataset(s, dataset)
            ds_ids = [found if found is not None else -1]
        rows, total = predictions.disagreements(
            s, job_id, dataset_ids=ds_ids, offset=max(0, page - 1) * page_size, limit=page_size
        )
    items = [
        Disagreement(
            t.id,
            t.discussion_id,
            r["dataset"],
            r["discussion"],
            t.agent,
            t.round,
            t.auto_label if t.human_label is None else t.human_label,
            t.human_label,
            r["p_correct"],
        )
        for r in rows
        for t in [r["turn"]]
    ]
    return items, total

"""SQLModel tables of the store: datasets, discussions, turns (MAG nodes), edges, label history.

Labels are booleans (True = correct). A turn's effective label is its human label when one was
set, else the automatic one. Discussions carry summary columns (majority right, flips, review
counts, ...) computed by `magdi.summary` so that browse filters are plain indexed comparisons.
"""

from __future__ import annotations

import dataclasses
import typing
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Index, Text, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from magdi.summary import DiscussionSummary


def utcnow() -> datetime:
    return datetime.now(UTC)


class Dataset(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True, unique=True)
    created_at: datetime = Field(default_factory=utcnow)
    description: str | None = Field(default=None, sa_column=Column(Text))  # free text (Datasets page)
    source: str | None = None  # where the discussions came from (a file, a job, a paper)
    # The pending import that made it: hidden from readers until that import publishes (`db.visibility`)
    import_id: int | None = None


def _summary_columns() -> type[SQLModel]:
    """A column per `magdi.summary.DiscussionSummary` field, with its type, default and index."""
    hints = typing.get_type_hints(DiscussionSummary)
    namespace: dict[str, Any] = {
        "__module__": __name__,
        "__doc__": "Derived per-discussion facts, recomputed whenever a label or the gold answer changes.",
        "__annotations__": {},
    }
    for f in dataclasses.fields(DiscussionSummary):
        namespace["__annotations__"][f.name] = hints[f.name]
        namespace[f.name] = Field(default=f.default, index=f.metadata["indexed"])
    return type("SummaryColumns", (SQLModel,), namespace)


SummaryColumns = _summary_columns()


class Discussion(SummaryColumns, table=True):
    __table_args__ = (
        UniqueConstraint("dataset_id", "external_id"),
        Index("ix_discussion_dataset_id_id", "dataset_id", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    dataset_id: int = Field(foreign_key="dataset.id", ondelete="CASCADE")
    external_id: str
    task: str = Field(index=True)
    question: str = Field(sa_column=Column(Text, nullable=False))
    options: str | None = None  # JSON list of option texts
    gold_answer: str
    meta: str | None = None  # JSON object, kept for lossless export
    version: int = 0  # optimistic concurrency for gold-answer edits


class Turn(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("discussion_id", "agent", "round"),)
    id: int | None = Field(default=None, primary_key=True)
    discussion_id: int = Field(foreign_key="discussion.id", ondelete="CASCADE")
    agent: str
    round: int
    reasoning: str = Field(sa_column=Column(Text, nullable=False))
    answer: str
    answer_norm: str | None = None  # None: the answer could not be parsed (flagged)
    confidence: float | None = None
    explicit_edges: bool = False  # the file listed responds_to (kept for lossless export)
    auto_label: bool
    human_label: bool | None = None  # adjudicated, else the responses' consensus (db.responses)
    excluded: bool = False
    needs_review: bool = False
    version: int = 0  # optimistic concurrency: bumped by every edit of this turn
    n_responses: int = 0  # current responses (`db.responses.refresh_counts`; not a version change)


class Edge(SQLModel, table=True):
    """`dst` responds to `src`; `position` keeps the order of an explicit responds_to list.

    Clustered by discussion (no rowid on SQLite): edges are written and read per discussion.
    """

    __table_args__ = {"sqlite_with_rowid": False}
    discussion_id: int = Field(foreign_key="discussion.id", primary_key=True, ondelete="CASCADE")
    dst_id: int = Field(foreign_key="turn.id", primary_key=True, ondelete="CASCADE")
    position: int = Field(primary_key=True)
    src_id: int = Field(foreign_key="turn.id", ondelete="CASCADE")


class LabelEvent(SQLModel, table=True):
    """Append-only history. `field` is label, excluded, gold or auto_label."""

    __table_args__ = (Index("ix_labelevent_turn_id_id", "turn_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    discussion_id: int = Field(foreign_key="discussion.id", index=True, ondelete="CASCADE")
    turn_id: int | None = Field(default=None, foreign_key="turn.id", ondelete="CASCADE")
    field: str
    old: str | None = None
    new: str | None = None
    who: str
    at: datetime = Field(default_factory=utcnow, index=True)
    note: str | None = None
    revision: int
    undoes: int | None = None  # id of the event this one reverts


class StoreMeta(SQLModel, table=True):
    key: str = Field(primary_key=True)
    value: int = 0


class Job(SQLModel, table=True):
    """A background job (train, eval, predict, discuss). A finished one can be archived or deleted
    with its run (`app.services.jobs`)."""

    __table_args__ = (Index("ix_job_status_id", "status", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = "train"
    name: str = ""
    status: str = "queued"  # queued | running | succeeded | failed | cancelled
    config: str = Field(sa_column=Column(Text, nullable=False))  # resolved config, JSON
    created_at: datetime = Field(default_factory=utcnow)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    heartbeat_at: datetime | None = None
    worker: str | None = None  # host:pid of the worker that claimed it
    pid: int | None = None  # the job's own process
    progress: float = 0.0  # 0..1
    step: int = 0
    total_steps: int | None = None
    eta_s: float | None = None
    label_revision: int | None = None
    data_hash: str | None = None
    data_summary: str | None = None  # JSON counts (chains/pairs/graphs) of the training data
    run_dir: str | None = None
    log_path: str | None = None
    error: str | None = Field(default=None, sa_column=Column(Text))
    cancel_requested: bool = False
    attempt: int = 1
    resume_of: int | None = Field(default=None, foreign_key="job.id")
    experiment_id: int | None = Field(default=None, foreign_key="experiment.id", index=True)
    archived_at: datetime | None = None  # archived: hidden from the Jobs page, kept (migration 0005)
    submitted_by: str = "local"  # the identity that queued it (migration 0006; older rows: "local")


class StoreInfo(SQLModel, table=True):
    """One row: the store's identity, made with the store (or by migration 0003 for older ones).

    Run directories are keyed by `store_id`, so stores that share a runs directory (a new store
    whose job ids start again at 1, say) never write into each other's runs.
    """

    id: int | None = Field(default=None, primary_key=True)
    store_id: str  # a uuid4, hex
    created_at: datetime = Field(default_factory=utcnow)


class User(SQLModel, table=True):
    """A person who signs in (`app.services.auth`): made a viewer at the first sign-in, except the
    identities named by `MAGDI_ADMIN`, made admins."""

    id: int | None = Field(default=None, primary_key=True)
    identity: str = Field(unique=True)  # the OIDC e-mail or subject, or the proxy header's value
    display: str = ""
    role: str = "viewer"  # an `app.services.auth.Role` label
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    """Append-only: who queued, cancelled or resumed which job, changed a role, a dataset, an agent,
    or applied a bulk label (`app.services.audit`). Nothing updates or deletes these rows."""

    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    actor: str = Field(index=True)  # the actor's identity
    action: str = Field(index=True)  # e.g. "job.queued", "role.changed", "dataset.renamed"
    target: str = ""  # e.g. "job 3", "user ann@example.org", "dataset gsm8k"
    detail: str | None = Field(default=None, sa_column=Column(Text))  # JSON object


# Browse sorts by "nodes to review", most first, with the id as tie-break: this index serves that
# order (and deep pages) without sorting 100,000 rows (the ascending order uses
# ix_discussion_n_review, which ends with the rowid on SQLite).
Index("ix_discussion_review_desc", Discussion.n_review.desc(), Discussion.id)


# ---------------------------------------------------------------- evaluations (eval jobs)


class EvalRun(SQLModel, table=True):
    """One evaluation: one student (a trained run or a base model) on one set of questions."""

    id: int | None = Field(default=None, primary_key=True)
    job_id: int | None = Field(default=None, foreign_key="job.id", index=True)
    run_dir: str = Field(unique=True)  # storing the same run again replaces it
    model: str  # "job 3 · level 4", a base model's name, "offline default"
    level: str  # the student's training level; "base" when untrained
    dataset: str  # stored dataset name(s), or the benchmark file's name
    source: str  # "store" | "benchmark"
    decoding: str  # "greedy" | "sampling"
    k: int = 1  # samples per question (self-consistency)
    questions: int = 0
    correct: int = 0
    student_tokens: int = 0
    teacher_tokens: int | None = None
    summary: str = Field(sa_column=Column(Text, nullable=False))  # summary.json
    created_at: datetime = Field(default_factory=utcnow)


class EvalQuestion(SQLModel, table=True):
    """A question of an evaluation with its self-consistency answer. Benchmark questions are not
    in the store, so their text and gold answer live here."""

    __table_args__ = (UniqueConstraint("eval_run_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    eval_run_id: int = Field(foreign_key="evalrun.id", ondelete="CASCADE")
    key: str  # the discussion's external id, or the benchmark question's id
    dataset: str
    discussion_id: int | None = Field(
        default=None, foreign_key="discussion.id", index=True, ondelete="SET NULL"
    )
    task: str
    question: str = Field(sa_column=Column(Text, nullable=False))
    options: str | None = None  # JSON list
    gold_answer: str
    answer: str | None = None  # None: no sample could be parsed
    correct: bool = False
    tokens: int = 0  # over all samples
    teacher_tokens: int | None = None


class Prediction(SQLModel, table=True):
    """One generated sample of a student for a question."""

    __table_args__ = (Index("ix_prediction_run_key", "eval_run_id", "question_key", "sample"),)
    id: int | None = Field(default=None, primary_key=True)
    eval_run_id: int = Field(foreign_key="evalrun.id", ondelete="CASCADE")
    question_key: str
    sample: int
    text: str = Field(sa_column=Column(Text, nullable=False))
    parsed: str | None = None  # None: unparseable (counted wrong)
    correct: bool = False
    tokens: int = 0
    latency_s: float = 0.0


# ---------------------------------------------------------------- node predictions (predict jobs)


class NodePrediction(SQLModel, table=True):
    """P(correct) of a node from the node classifier (GCN) of a trained level-4 run, one row per
    node a predict job scored (`app.jobkinds.predict`)."""

    job_id: int = Field(foreign_key="job.id", primary_key=True, ondelete="CASCADE")
    turn_id: int = Field(foreign_key="turn.id", primary_key=True, index=True, ondelete="CASCADE")
    p_correct: float


# ---------------------------------------------------------------- job telemetry (migration 0007)


class JobTelemetry(SQLModel, table=True):
    """What a job reports as it runs, copied from its run directory into the store by its worker at
    every heartbeat (`app.telemetry`), so every host reads it from here: the log's newest lines and
    the small JSON files the job rewrites. Its metrics records are `JobMetric` rows."""

    job_id: int = Field(foreign_key="job.id", primary_key=True, ondelete="CASCADE")
    log_tail: str = Field(default="", sa_column=Column(Text, nullable=False))  # the newest lines of job.log
    progress: str | None = Field(default=None, sa_column=Column(Text))  # progress.json
    usage: str | None = Field(default=None, sa_column=Column(Text))  # usage.json (discussion jobs)
    final: str | None = Field(default=None, sa_column=Column(Text))  # final_metrics.json (training)
    quality: str | None = Field(default=None, sa_column=Column(Text))  # quality.json (node scoring)
    starts: str | None = Field(default=None, sa_column=Column(Text))  # starts.jsonl, as a JSON list
    updated_at: datetime = Field(default_factory=utcnow)


class JobMetric(SQLModel, table=True):
    """One record of the run's metrics.jsonl as this job (attempt) saw it, in file order (`seq`)."""

    job_id: int = Field(foreign_key="job.id", primary_key=True, ondelete="CASCADE")
    seq: int = Field(primary_key=True)
    record: str = Field(sa_column=Column(Text, nullable=False))  # JSON object: step, losses, lr, ...


# ---------------------------------------------------------------- experiments (level ablations)


class Experiment(SQLModel, table=True):
    """A level ablation: variants × seeds on one frozen data set and split (`app.services.experiments`).
    Its jobs point at it (Job.experiment_id); its cells and results are read from them."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = ""
    config: str = Field(sa_column=Column(Text, nullable=False))  # data, split, variants, seeds, ... JSON
    status: str = "running"  # running | finished | failed | cancelled (as last seen)
    directory: str | None = None  # the frozen data.jsonl, data.json and split.json
    created_at: datetime = Field(default_factory=utcnow)


# ---------------------------------------------------------------- several annotators (migration 0008)


class Response(SQLModel, table=True):
    """One annotator's response to a node (`app.services.responses`). Append-only: an annotator's
    current response to a node is their newest row; "withdrawn" takes a response back (an undo).
    The node's effective human label (`Turn.human_label`) is derived from these and adjudications."""

    __table_args__ = (
        Index("ix_response_turn_annotator_id", "turn_id", "annotator", "id"),
        # "has this annotator a current response to this node", from the index alone
        Index(
            "ix_response_current",
            "annotator",
            "turn_id",
            sqlite_where=text("is_current"),
            postgresql_where=text("is_current"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    turn_id: int = Field(foreign_key="turn.id", ondelete="CASCADE")
    discussion_id: int = Field(foreign_key="discussion.id", index=True, ondelete="CASCADE")
    annotator: str = Field(index=True)  # the annotator's identity
    value: str  # "correct" | "incorrect" | "unsure" | "withdrawn"
    note: str | None = Field(default=None, sa_column=Column(Text))
    revision: int | None = None  # the label revision of the edit that wrote it (undo finds it by this)
    created_at: datetime = Field(default_factory=utcnow)
    is_current: bool = False  # its annotator's newest row for the node, not "withdrawn" (refresh_counts)


class Adjudication(SQLModel, table=True):
    """An adjudicator's final label of a node, with a reason. Append-only: the newest row wins."""

    id: int | None = Field(default=None, primary_key=True)
    turn_id: int = Field(foreign_key="turn.id", index=True, ondelete="CASCADE")
    label: bool
    reason: str = Field(sa_column=Column(Text, nullable=False))
    adjudicator: str  # the adjudicator's identity
    created_at: datetime = Field(default_factory=utcnow)


class AnnotationTask(SQLModel, table=True):
    """A unit of handed-out work: the nodes of a stored Browse filter, each to be answered by
    `overlap` annotators, optionally only by `participants`."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    filter: str = Field(sa_column=Column(Text, nullable=False))  # JSON, `app.services.filters.stored_filter`
    overlap: int = 1
    participants: str | None = Field(default=None, sa_column=Column(Text))  # JSON list; None: every annotator
    hide_others: bool = True  # other people's responses stay hidden until the annotator has answered
    created_by: str = "local"
    created_at: datetime = Field(default_factory=utcnow)
    archived_at: datetime | None = None


# ---------------------------------------------------------------- imports in chunks (migration 0010)


class PendingImport(SQLModel, table=True):
    """A SQLite import that copies its rows into the store in short transactions (`db.bulk`).

    Readers see none of its rows (`db.visibility`) until it publishes them all at once by deleting
    this row; the rows of an import whose process died are removed by the next import."""

    __tablename__ = "pending_import"
    id: int | None = Field(default=None, primary_key=True)
    owner: str  # "host:pid" of the importing process
    started_at: datetime = Field(default_factory=utcnow)
    heartbeat_at: datetime = Field(default_factory=utcnow)  # at each copied chunk


class PendingRange(SQLModel, table=True):
    """Discussion ids first_id..last_id, with their nodes, edges and search rows, copied by a
    pending import (usually one range per import: its chunks take consecutive ids)."""

    __tablename__ = "pending_range"
    import_id: int = Field(foreign_key="pending_import.id", primary_key=True, ondelete="CASCADE")
    first_id: int = Field(primary_key=True)
    last_id: int

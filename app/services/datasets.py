"""Datasets as a whole, for the Datasets page: details, rename, delete, merge, copy with labels.

Each action is one transaction, for admins only, and audited. Delete, merge and rename are refused
while a queued or running job names the dataset (its config would then point at nothing, or at other
data); the jobs that named it and have finished are listed and kept (their run directories hold
their frozen data).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session

from app.services import audit
from app.services.auth import Actor, Forbidden, Role, require
from db import datasets as queries
from db.engine import StoreBusy, session_scope
from db.models import Dataset, Job

NAME_MAX = 200
# What an action can be refused with (nothing changed): the page says why.
REFUSALS = (ValueError, LookupError, StoreBusy, Forbidden)


class DatasetInUse(ValueError):
    """A queued or running job names the dataset."""


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    description: str | None
    source: str | None
    created_at: datetime
    discussions: int
    turns: int
    human: int


@dataclass(frozen=True)
class JobRef:
    id: int
    kind: str
    status: str
    name: str

    def __str__(self) -> str:
        return f"job {self.id} ({self.kind}, {self.status}{': ' + self.name if self.name else ''})"


@dataclass(frozen=True)
class DeletePlan:
    """What deleting a dataset removes, and the jobs that name it (`blocking`: queued or running)."""

    name: str
    discussions: int
    turns: int
    human: int
    history: int
    predictions: int
    eval_questions: int
    jobs: list[JobRef] = field(default_factory=list)

    @property
    def blocking(self) -> list[JobRef]:
        return [j for j in self.jobs if j.status in ("queued", "running")]


def list_datasets(url: str | None = None) -> list[DatasetInfo]:
    with session_scope(url) as s:
        return [DatasetInfo(**row) for row in queries.listing(s)]


def check_name(name: str) -> str:
    """A dataset name as stored: trimmed, not empty, printable text PostgreSQL can hold."""
    name = (name or "").strip()
    if not name:
        raise ValueError("a dataset needs a name")
    if len(name) > NAME_MAX:
        raise ValueError(f"a dataset name has at most {NAME_MAX} characters")
    if any(not c.isprintable() or 0xD800 <= ord(c) <= 0xDFFF for c in name):
        raise ValueError("a dataset name cannot hold control characters")
    return name


def _require(s: Session, name: str) -> Dataset:
    found = queries.get_dataset(s, name)
    if found is None:
        raise LookupError(f"no dataset named {name!r}")
    return found


def _refs(jobs: list[Job]) -> list[JobRef]:
    return [JobRef(j.id, j.kind, j.status, j.name) for j in jobs]


def _refuse_if_in_use(s: Session, ds: Dataset, action: str) -> None:
    active = _refs(queries.referring_jobs(s, dataset_id=ds.id, name=ds.name, active_only=True))
    if active:
        raise DatasetInUse(
            f"cannot {action} dataset {ds.name!r}: {', '.join(map(str, active))} uses it; "
            "wait until it ends or cancel it"
        )


def _free(s: Session, name: str) -> None:
    if queries.get_dataset(s, name) is not None:
        raise ValueError(f"a dataset named {name!r} exists already")


def set_details(name: str, *, description: str, source: str, actor: Actor, url: str | None = None) -> None:
    """Description and source (empty text: none)."""
    require(actor, Role.ADMIN, "change a dataset's details")
    description, source = description.strip() or None, source.strip() or None
    with session_scope(url, write=True) as s:
        ds = _require(s, name)
        if (description, source) == (ds.description, ds.source):
            return
        queries.set_details(s, dataset_id=ds.id, description=description, source=source)
        detail = {"description": description, "source": source}
        audit.record(actor, "dataset.details", f"dataset {name}", detail, session=s)


def rename(name: str, new_name: str, *, actor: Actor, url: str | None = None) -> str:
    require(actor, Role.ADMIN, "rename a dataset")
    new_name = check_name(new_name)
    with session_scope(url, write=True) as s:
        ds = _require(s, name)
        if new_name == ds.name:
            return new_name
        _free(s, new_name)
        _refuse_if_in_use(s, ds, "rename")
        queries.rename(s, dataset_id=ds.id, name=new_name)
        audit.record(actor, "dataset.renamed", f"dataset {name}", {"to": new_name}, session=s)
    return new_name


def delete_plan(name: str, *, url: str | None = None) -> DeletePlan:
    with session_scope(url) as s:
        ds = _require(s, name)
        counts = queries.contents(s, dataset_id=ds.id)
        jobs = _refs(queries.referring_jobs(s, dataset_id=ds.id, name=ds.name))
    return DeletePlan(name=name, jobs=jobs, **counts)


def delete(
    name: str, *, actor: Actor, expected: DeletePlan | None = None, url: str | None = None
) -> DeletePlan:
    """Delete the dataset and everything in it, in one transaction. With `expected` (the plan the
    user confirmed), refused when the dataset changed since: the user confirmed other contents."""
    require(actor, Role.ADMIN, "delete a dataset")
    with session_scope(url, write=True, bulk_load=True) as s:
        ds = _require(s, name)
        _refuse_if_in_use(s, ds, "delete")
        counts = queries.contents(s, dataset_id=ds.id)
        plan = DeletePlan(
            name=name, jobs=_refs(queries.referring_jobs(s, dataset_id=ds.id, name=name)), **counts
        )
        if expected is not None and (plan.discussions, plan.turns, plan.human, plan.history) != (
            expected.discussions,
            expected.turns,
            expected.human,
            expected.history,
        ):
            raise ValueError(f"dataset {name!r} changed since you checked it; check what goes again")
        queries.delete_dataset(s, dataset_id=ds.id)
        detail = {"discussions": plan.discussions, "turns": plan.turns, "human": plan.human}
        audit.record(actor, "dataset.deleted", f"dataset {name}", detail, session=s)
    return plan


def merge(source: str, target: str, *, actor: Actor, url: str | None = None) -> int:
    """Move the discussions of `source` (nodes, labels, history) into `target`, then remove
    `source`; refused when the two hold a discussion id in common. Returns how many moved."""
    require(actor, Role.ADMIN, "merge datasets")
    if source == target:
        raise ValueError("choose another dataset to merge into")
    with session_scope(url, write=True) as s:
        src, dst = _require(s, source), _require(s, target)
        _refuse_if_in_use(s, src, "merge")
        n, first = queries.clashes(s, source_id=src.id, target_id=dst.id)
        if n:
            shown = ", ".join(map(repr, first)) + (f" and {n - len(first)} more" if n > len(first) else "")
            raise ValueError(
                f"cannot merge {source!r} into {target!r}: both hold discussion id(s) {shown}; "
                "rename or delete one side first"
            )
        moved = queries.merge(s, source_id=src.id, target_id=dst.id)
        audit.record(
            actor, "dataset.merged", f"dataset {source}", {"into": target, "moved": moved}, session=s
        )
        return moved


def copy(source: str, new_name: str, *, actor: Actor, url: str | None = None) -> dict[str, int]:
    """A new dataset with copies of every discussion, node label and history entry of `source`."""
    require(actor, Role.ADMIN, "copy a dataset")
    new_name = check_name(new_name)
    with session_scope(url, write=True, bulk_load=True) as s:
        src = _require(s, source)
        _free(s, new_name)
        counts = queries.copy_dataset(s, source_id=src.id, name=new_name)
        audit.record(actor, "dataset.copied", f"dataset {source}", {"to": new_name, **counts}, session=s)
        return counts

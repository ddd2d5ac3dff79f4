"""Annotation tasks: hand out the nodes of a Browse filter to several annotators.

A task is a Browse filter, an overlap k (how many annotators should answer each node), optionally
who takes part, and whether other people's responses stay hidden until one has answered. Creating
and archiving a task needs the trainer role (it decides whose time goes where); annotators list
tasks, work through their personal queue (`next_items`) and read progress. Responses are saved
through `app.services.responses`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from app.services import audit, responses
from app.services.auth import Actor, Forbidden, Role, require
from app.services.filters import Filter, stored_filter
from db import tasks
from db.engine import session_scope
from db.models import AnnotationTask

MAX_NAME = 200
MAX_OVERLAP = 20


@dataclass(frozen=True)
class TaskInfo:
    id: int
    name: str
    filter: dict  # the stored Browse filter (`db.browsing.BrowseFilter` values)
    overlap: int
    participants: list[str] | None  # None: every annotator
    hide_others: bool
    created_by: str
    created_at: datetime
    archived_at: datetime | None

    def takes_part(self, actor: Actor) -> bool:
        return self.participants is None or actor.identity in self.participants


@dataclass(frozen=True)
class QueueItem:
    node_id: int
    discussion_id: int
    agent: str
    round: int
    version: int  # the node's version, for the optimistic check of a save


@dataclass(frozen=True)
class Progress:
    nodes: int
    needed: int  # nodes × overlap
    answered: int  # responses that count (at most overlap per node)
    by_annotator: dict[str, int]  # identity -> nodes of the task they answered

    @property
    def fraction(self) -> float:
        return self.answered / self.needed if self.needed else 1.0


def _info(t: AnnotationTask) -> TaskInfo:
    return TaskInfo(
        t.id,
        t.name,
        json.loads(t.filter),
        t.overlap,
        None if t.participants is None else json.loads(t.participants),
        t.hide_others,
        t.created_by,
        t.created_at,
        t.archived_at,
    )


def create_task(
    name: str,
    f: Filter,
    *,
    overlap: int,
    actor: Actor,
    participants: list[str] | None = None,
    hide_others: bool = True,
    url: str | None = None,
) -> TaskInfo:
    """A new task over the nodes of `f` (trainer and above); audited."""
    require(actor, Role.TRAINER, "create annotation tasks")
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise ValueError(f"a task needs a name of 1 to {MAX_NAME} characters")
    if not 1 <= overlap <= MAX_OVERLAP:
        raise ValueError(f"overlap must be between 1 and {MAX_OVERLAP}, not {overlap}")
    if participants is not None:
        participants = sorted({p.strip() for p in participants if p.strip()})
        if not participants:
            raise ValueError("name at least one participant, or leave participants open to every annotator")
    values = stored_filter(f, url)
    with session_scope(url, write=True) as s:
        if tasks.task_named(s, name) is not None:
            raise ValueError(f"a task named {name!r} exists already")
        t = tasks.create_task(
            s,
            name=name,
            filter_values=values,
            overlap=overlap,
            participants=participants,
            hide_others=hide_others,
            created_by=actor.identity,
        )
        audit.record(
            actor,
            "task.created",
            f"task {t.id}",
            dict(name=name, filter=values, overlap=overlap, participants=participants),
            session=s,
        )
        return _info(t)


def archive_task(task_id: int, *, actor: Actor, url: str | None = None) -> TaskInfo:
    """Archive a task (trainer and above): it leaves the list; its responses stay."""
    require(actor, Role.TRAINER, "archive annotation tasks")
    with session_scope(url, write=True) as s:
        t = tasks.archive_task(s, task_id)
        audit.record(actor, "task.archived", f"task {t.id}", dict(name=t.name), session=s)
        return _info(t)


def list_tasks(*, actor: Actor, archived: bool = False, url: str | None = None) -> list[TaskInfo]:
    require(actor, Role.ANNOTATOR, "see annotation tasks")
    with session_scope(url) as s:
        return [_info(t) for t in tasks.list_tasks(s, archived=archived)]


def get_task(task_id: int, *, actor: Actor, url: str | None = None) -> TaskInfo:
    require(actor, Role.ANNOTATOR, "see annotation tasks")
    with session_scope(url) as s:
        return _info(tasks.get_task(s, task_id))


def _working(s, task_id: int, actor: Actor) -> AnnotationTask:
    """The task, when the actor may work on it."""
    require(actor, Role.ANNOTATOR, "annotate a task")
    t = tasks.get_task(s, task_id)
    if not _info(t).takes_part(actor):
        raise Forbidden(f"{actor.shown} does not take part in the task {t.name!r}")
    if t.archived_at is not None:
        raise Forbidden(f"the task {t.name!r} is archived")
    return t


def next_items(task_id: int, *, actor: Actor, limit: int = 1, url: str | None = None) -> list[QueueItem]:
    """The actor's next nodes of the task: not answered by them, with fewer than `overlap`
    current responses, in the queue order of `db.tasks`."""
    with session_scope(url) as s:
        t = _working(s, task_id, actor)
        return [
            QueueItem(n.id, n.discussion_id, n.agent, n.round, n.version)
            for n in tasks.next_items(s, t, actor.identity, limit=limit)
        ]


def progress(task_id: int, *, actor: Actor, url: str | None = None) -> Progress:
    require(actor, Role.ANNOTATOR, "see annotation tasks")
    with session_scope(url) as s:
        t = tasks.get_task(s, task_id)
        n_nodes, counted, by_annotator = tasks.progress(s, t)
        return Progress(n_nodes, n_nodes * t.overlap, counted, by_annotator)


def visible_responses(
    task_id: int, turn_id: int, *, actor: Actor, url: str | None = None
) -> tuple[list, int]:
    """The node's responses the actor may see while working on the task, and how many are hidden:
    with `hide_others`, other people's stay hidden until the actor has answered the node."""
    with session_scope(url) as s:
        t = _working(s, task_id, actor)
        hide = t.hide_others and not tasks.has_answered(s, turn_id, actor.identity)
    shown = responses.responses(turn_id, actor=actor, url=url)
    if not hide:
        return shown, 0
    own = [r for r in shown if r.annotator == actor.identity]
    return own, len(shown) - len(own)

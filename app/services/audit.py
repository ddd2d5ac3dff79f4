"""The audit log: who queued, cancelled, resumed, archived or deleted which job, changed a role,
a dataset or an agent, or applied or undid a bulk label. Append-only, in the store; the Admin page
reads it.

Actions are dotted names, subject first ("job.queued", "role.changed", "dataset.renamed",
"bulk.applied"); the target names the thing ("job 3", "user ann@example.org", "dataset gsm8k").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from app.services.auth import Actor, Role, require
from db import audit as queries
from db.engine import session_scope


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    actor: str
    action: str
    target: str
    detail: dict | None


def record(
    actor: Actor,
    action: str,
    target: str,
    detail: dict | None = None,
    *,
    url: str | None = None,
    session: Session | None = None,
) -> None:
    """Append an entry. With `session`, in that transaction (the entry commits with the change it
    records, or not at all); else in one of its own on the store at `url`."""
    if session is not None:
        queries.add_entry(session, actor=actor.identity, action=action, target=target, detail=detail)
        return
    with session_scope(url, write=True) as s:
        queries.add_entry(s, actor=actor.identity, action=action, target=target, detail=detail)


def entries(
    *,
    actor: Actor,
    by: str | None = None,
    action: str | None = None,
    limit: int = 200,
    offset: int = 0,
    url: str | None = None,
) -> list[Entry]:
    """Newest first, optionally only those of one actor identity (`by`) or one action. Admins only:
    the log names everyone's work."""
    require(actor, Role.ADMIN, "read the audit log")
    with session_scope(url) as s:
        rows = queries.entries(s, actor=by, action=action, limit=limit, offset=offset)
        return [
            Entry(r.id, r.at, r.actor, r.action, r.target, None if r.detail is None else json.loads(r.detail))
            for r in rows
        ]


def filters(*, actor: Actor, url: str | None = None) -> tuple[list[str], list[str]]:
    """The actors and the actions found in the log (the Admin page's filter choices)."""
    require(actor, Role.ADMIN, "read the audit log")
    with session_scope(url) as s:
        return queries.actors_and_actions(s)

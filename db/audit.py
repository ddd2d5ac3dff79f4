"""The append-only audit log (`app.services.audit`): rows are added and read, never changed."""

from __future__ import annotations

import json

from sqlalchemy import select
from sqlmodel import Session

from db.models import AuditEntry


def add_entry(session: Session, *, actor: str, action: str, target: str, detail: dict | None) -> None:
    text = None if detail is None else json.dumps(detail, sort_keys=True, default=str)
    session.add(AuditEntry(actor=actor, action=action, target=target, detail=text))
    session.flush()


def entries(
    session: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[AuditEntry]:
    """Newest first; `actor` and `action` match exactly."""
    q = select(AuditEntry).order_by(AuditEntry.id.desc()).limit(limit).offset(offset)
    if actor:
        q = q.where(AuditEntry.actor == actor)
    if action:
        q = q.where(AuditEntry.action == action)
    return list(session.execute(q).scalars())


def actors_and_actions(session: Session) -> tuple[list[str], list[str]]:
    """The distinct actors and actions in the log, for the Admin page's filters."""
    actors = session.execute(select(AuditEntry.actor).distinct().order_by(AuditEntry.actor)).scalars()
    actions = session.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).scalars()
    return list(actors), list(actions)

"""Ids of stored rows by what a test knows of them (a discussion's external id, an agent and round)."""

from __future__ import annotations

from sqlalchemy import select

from db.engine import session_scope
from db.models import Discussion, Turn


def disc_id(url: str, ext: str) -> int:
    with session_scope(url) as s:
        return s.execute(select(Discussion.id).where(Discussion.external_id == ext)).scalar_one()


def node_id(url: str, ext: str, agent: str, rnd: int) -> int:
    """The id of discussion `ext`'s node (turn) by `agent` in round `rnd`."""
    with session_scope(url) as s:
        return s.execute(
            select(Turn.id)
            .join(Discussion)
            .where(Discussion.external_id == ext, Turn.agent == agent, Turn.round == rnd)
        ).scalar_one()

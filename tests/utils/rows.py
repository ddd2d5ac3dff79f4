"""Stored rows as tests know them: ids by a discussion's external id (and a node's agent and round),
and a fingerprint of every row of every table."""

from __future__ import annotations

from sqlalchemy import create_engine, inspect, select, text

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


def fingerprint(url: str) -> dict[str, list[str]]:
    """Every row of every table (search index and its shadow tables included), sorted."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return {
                name: sorted(map(repr, conn.execute(text(f'SELECT * FROM "{name}"')).all()))
                for name in inspect(conn).get_table_names()
            }
    finally:
        engine.dispose()

"""Reads of one MAG for the MAG page: the discussion, its nodes in round order, its edges, and
where a node sits (for the label history)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlmodel import Session

from db.models import Dataset, Discussion, Edge, Turn


@dataclass
class MagRows:
    discussion: Discussion
    dataset: str  # "?" when the dataset row is gone
    turns: list[Turn]  # by round, then id
    edges: list[tuple[int, int]]  # (source turn id, target turn id)


def mag_rows(session: Session, discussion_id: int) -> MagRows | None:
    d = session.get(Discussion, discussion_id)
    if d is None:
        return None
    ds = session.get(Dataset, d.dataset_id)
    turns = session.execute(
        select(Turn).where(Turn.discussion_id == discussion_id).order_by(Turn.round, Turn.id)
    ).scalars()
    edges = session.execute(select(Edge.src_id, Edge.dst_id).where(Edge.discussion_id == discussion_id))
    return MagRows(d, ds.name if ds else "?", list(turns), [(a, b) for a, b in edges])


def turn_places(session: Session, turn_ids: Iterable[int]) -> dict[int, tuple[str, int]]:
    """turn id -> (agent, round)."""
    ids = set(turn_ids)
    if not ids:
        return {}
    rows = session.execute(select(Turn.id, Turn.agent, Turn.round).where(Turn.id.in_(ids)))
    return {i: (a, r) for i, a, r in rows}

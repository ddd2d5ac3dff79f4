"""The label history of a node or a discussion, as the MAG page lists it (and can undo it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from db import labels, mag_view
from db.engine import session_scope


@dataclass
class EventView:
    id: int
    at: datetime
    who: str
    field: str
    old: str | None
    new: str | None
    note: str | None
    revision: int
    undoes: int | None
    turn_id: int | None
    discussion_id: int
    undone: bool = False
    where: str = ""  # "round 1 · gpt4" or "gold answer"

    @property
    def undoable(self) -> bool:
        return self.field in ("label", "excluded", "gold") and not self.undone

    def summary(self) -> str:
        old = "—" if self.old is None else self.old
        new = "—" if self.new is None else self.new
        what = {
            "label": "human label",
            "excluded": "excluded",
            "gold": "gold answer",
            "auto_label": "automatic label",
        }.get(self.field, self.field)
        return f"#{self.id} {what}: {old} → {new}"


def history(
    *, turn_id: int | None = None, discussion_id: int | None = None, limit: int = 50, url: str | None = None
) -> list[EventView]:
    """History entries, newest first, with whether each was undone since."""
    with session_scope(url) as s:
        events = labels.history(s, turn_id=turn_id, discussion_id=discussion_id, limit=limit)
        undone = labels.undone_event_ids(s, [e.id for e in events])
        places = mag_view.turn_places(s, (e.turn_id for e in events if e.turn_id is not None))
        where = {i: f"round {r} · {a}" for i, (a, r) in places.items()}
        return [
            EventView(
                e.id,
                e.at,
                e.who,
                e.field,
                e.old,
                e.new,
                e.note,
                e.revision,
                e.undoes,
                e.turn_id,
                e.discussion_id,
                e.id in undone,
                where.get(e.turn_id, "gold answer" if e.turn_id is None else ""),
            )
            for e in events
        ]

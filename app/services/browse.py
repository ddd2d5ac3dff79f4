"""Browse: one page of the discussions matching a filter, and their order for previous / next.

No Streamlit here: every function opens its own session and returns plain dataclasses and dicts
(never live ORM rows), so the pages, the CLI and tests can share it. Text from the data is
returned as is; escaping is the job of whoever draws it (`app.ui`, `app.graph_view`).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.services.filters import Filter, to_browse_filter
from db import browsing
from db.engine import session_scope

PAGE_SIZES = (25, 50, 100)
MAX_PAGE = 10**12
SORTS = {
    "id": "import order",
    "question": "question",
    "review": "nodes to review",
    "consensus": "consensus round",
    "turns": "turns",
}


def store_stamp(url: str | None = None) -> tuple[int, int]:
    """(discussions, highest id): changes with imports, not with label edits."""
    with session_scope(url) as s:
        return browsing.store_stamp(s)


@dataclass
class BrowsePage:
    rows: list[dict]  # one plain dict per discussion, ready for a table
    total: int
    offset: int
    limit: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))


def browse(
    f: Filter,
    *,
    sort: str = "id",
    descending: bool = False,
    page: int = 1,
    page_size: int = 50,
    url: str | None = None,
) -> BrowsePage:
    """One page of matching discussions (1-based `page`, clamped to the last page)."""
    sort = sort if sort in browsing.SORTS else "id"
    page_size = max(1, min(page_size, 500))
    page = min(page, MAX_PAGE)  # any page past the end is the last one; this keeps the offset in 64 bits
    with session_scope(url) as s:
        bf = to_browse_filter(s, f)
        offset = max(0, page - 1) * page_size
        rows, total = browsing.browse(s, bf, sort=sort, descending=descending, offset=offset, limit=page_size)
        if not rows and total and offset >= total:  # past the end (e.g. after a narrower filter)
            offset = (max(1, -(-total // page_size)) - 1) * page_size
            rows, total = browsing.browse(
                s, bf, sort=sort, descending=descending, offset=offset, limit=page_size
            )
        names = browsing.dataset_names_by_id(s)
        out = [
            dict(
                id=r.id,
                dataset=names.get(r.dataset_id, "?"),
                discussion=r.external_id,
                task=r.task,
                question=r.question if len(r.question) <= 160 else r.question[:157] + "…",
                gold=r.gold_answer,
                agents=r.n_agents,
                rounds=r.n_rounds,
                turns=r.n_turns,
                majority=_majority(r.majority_correct),
                round0_disagree=r.round0_disagree,
                consensus=r.consensus_round,
                flips=_flips(r),
                human=r.n_human,
                review=r.n_review,
                correct=r.n_correct,
            )
            for r in rows
        ]
    return BrowsePage(out, total, offset, page_size)


def _majority(value: bool | None) -> str:
    return "—" if value is None else ("right" if value else "wrong")


def _flips(r) -> str:
    return " ".join(x for x, on in (("R→W", r.flip_right_wrong), ("W→R", r.flip_wrong_right)) if on)


def ordered_ids(
    f: Filter, *, sort: str = "id", descending: bool = False, url: str | None = None
) -> list[int]:
    """All matching discussion ids in the Browse order (cache it: prev/next walks it)."""
    with session_scope(url) as s:
        return browsing.ordered_ids(
            s, to_browse_filter(s, f), sort=sort if sort in browsing.SORTS else "id", descending=descending
        )


def neighbours(ids: list[int], current: int) -> tuple[int | None, int | None, int | None]:
    """(previous, next, 1-based position) of `current` in `ids`; position None if absent."""
    try:
        i = ids.index(current)
    except ValueError:
        return (None, ids[0] if ids else None, None)
    return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None, i + 1)

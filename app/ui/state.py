"""URL state: the shared Browse filter, order and page, in the URL (refresh, shared link) and in
the session (the sidebar navigation drops query parameters)."""

from __future__ import annotations

import streamlit as st

from app import ui
from app.services.browse import PAGE_SIZES, SORTS
from app.services.filters import Filter


def _query_dict(keys) -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in keys if k in st.query_params}


def current_filter() -> Filter:
    """The shared filter: from the URL when it has one (refresh, shared link), else the one
    this session last used (the sidebar navigation drops query parameters)."""
    q = _query_dict(Filter.query_keys())
    if q:
        f = Filter.from_query(q)
        st.session_state["filter"] = f
        return f
    return st.session_state.get("filter", Filter())


def current_view() -> dict:
    """Browse order and page: sort, desc, page, size (URL first, then this session's)."""
    saved = st.session_state.get("view", {})
    q = st.query_params
    sort = q.get("sort") or saved.get("sort", "id")
    size = to_int(q.get("size"), saved.get("size", 50))
    return dict(
        sort=sort if sort in SORTS else "id",
        desc=(q.get("desc") or ("1" if saved.get("desc") else "0")) == "1",
        page=max(1, to_int(q.get("page"), saved.get("page", 1))),
        size=size if size in PAGE_SIZES else 50,
    )


INT64_MAX = 2**63 - 1  # the largest id or number a store column holds


def to_int(value, default=None):
    """An integer from the URL; anything else, or one no store column can hold, is `default`."""
    try:
        n = int(value)
    except (TypeError, ValueError):  # also a number past Python's digit limit
        return default
    return n if -INT64_MAX <= n <= INT64_MAX else default


def view_query(view: dict) -> dict[str, str]:
    q = {}
    if view["sort"] != "id":
        q["sort"] = view["sort"]
    if view["desc"]:
        q["desc"] = "1"
    if view["page"] != 1:
        q["page"] = str(view["page"])
    if view["size"] != 50:
        q["size"] = str(view["size"])
    return q


def remember(f: Filter, view: dict | None = None, **extra: str | None) -> None:
    """Save the filter (and order) in this session and write them, plus `extra`, to the URL."""
    st.session_state["filter"] = f
    if view is not None:
        st.session_state["view"] = view
    wanted: dict[str, str | list[str]] = dict(f.to_query())
    wanted.update(view_query(view or st.session_state.get("view", current_view())))
    wanted.update({k: v for k, v in extra.items() if v is not None})
    have = {k: st.query_params.get_all(k) for k in st.query_params}
    norm = {k: v if isinstance(v, list) else [v] for k, v in wanted.items()}
    if have != norm:
        st.query_params.from_dict(wanted)


def compare_query(run_ids: list[int], dataset: str | None = None, key: str | None = None) -> dict:
    """The Compare page's URL: the evaluations to show (`run`) and a question (`qds`, `qkey`: its
    dataset and key, a stored discussion's external id)."""
    q: dict[str, str | list[str]] = {"run": [str(i) for i in run_ids]}
    if dataset is not None and key is not None:
        q.update(qds=dataset, qkey=key)
    return q


def open_mag(discussion_id: int, node_id: int | None = None) -> None:
    """Go to the MAG page of a discussion, keeping the filter (for previous / next) in the URL."""
    q = dict(current_filter().to_query())
    q.update(view_query(current_view()))
    q["d"] = str(discussion_id)
    if node_id is not None:
        q["n"] = str(node_id)
    st.switch_page(ui.PAGES["mag"], query_params=q)

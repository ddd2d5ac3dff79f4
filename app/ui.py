"""Streamlit glue shared by the pages: cached service calls, URL state, annotator, escaping.

The only module with `st.cache_*`. Cached reads are keyed by the store's label revision, which
every import and every edit bumps, so a page never shows a result older than the last write
(another annotator's included) and an unchanged store is served from memory.

Escaping: every text that comes from data is untrusted. Show long text with `st.text` (no
Markdown, no HTML); put short data text into Markdown only through `esc`.
"""

from __future__ import annotations

import html
import json
import re
import time
from pathlib import Path
from urllib.parse import quote, unquote

import streamlit as st

from app import graph_view
from app.services import annotate, compare, explore, predictions, store
from app.services.explore import Filter
from db.engine import database_url

ROOT = Path(__file__).resolve().parent.parent
# name -> (file, title, icon, section); pages whose file is missing are left out of the app.
PAGE_INFO = {
    "overview": ("Overview", ":material/dashboard:", "Explore"),
    "browse": ("Browse", ":material/table_rows:", "Explore"),
    "mag": ("MAG", ":material/hub:", "Explore"),
    "review": ("Review queue", ":material/flag:", "Annotate"),
    "bulk": ("Bulk label", ":material/done_all:", "Annotate"),
    "discuss": ("Discuss", ":material/forum:", "Teach"),
    "train": ("Train", ":material/model_training:", "Distil"),
    "jobs": ("Jobs", ":material/work_history:", "Distil"),
    "compare": ("Compare", ":material/compare_arrows:", "Distil"),
    "experiments": ("Experiments", ":material/science:", "Distil"),
    "export": ("Export", ":material/download:", "Data"),
}
PAGES = {name: ROOT / "pages" / f"{name}.py" for name in PAGE_INFO}
COOKIE = "magdi_annotator"


# ---------------------------------------------------------------- escaping

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'@%])")


def esc(text: object) -> str:
    """Text made inert for Streamlit Markdown: every punctuation character backslash-escaped, so
    no HTML, link, image, emphasis, directive (`:red[…]`) or LaTeX can come out of it."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def plot_text(text: object, n: int = 40) -> str:
    """Data text for plotly, which reads a few HTML tags: & < > escaped, shortened."""
    text = str(text)
    return html.escape(text if len(text) <= n else text[: n - 1] + "…", quote=False)


def notice(kind: str, text: str) -> None:
    """st.success / info / warning / error with escaped text."""
    getattr(st, kind)(esc(text))


def flash(kind: str, text: str) -> None:
    """A message shown once on the next run (callbacks run before the page draws)."""
    st.session_state.setdefault("flash", []).append((kind, text))


def show_flash() -> None:
    # One container whether or not there is a message, so that what follows keeps its place in
    # the page: otherwise the next rerun briefly shows old elements beside their new copies.
    with st.container():
        for kind, text in st.session_state.pop("flash", []):
            notice(kind, text)


# ---------------------------------------------------------------- store and cached reads


def db_url() -> str:
    return database_url()


@st.cache_resource(show_spinner=False)
def _ensure_store(url: str) -> bool:
    store.load_demo_if_empty(url)
    return True


def ensure_store() -> None:
    """Create the schema, and load the demonstration set into an empty store (first start)."""
    _ensure_store(db_url())


def revision() -> int:
    return store.revision(db_url())


@st.cache_data(show_spinner=False, max_entries=8, ttl=3600)
def _filter_options(url: str, stamp: tuple[int, int]) -> explore.FilterOptions:
    return explore.filter_options(url)


def filter_options() -> explore.FilterOptions:
    """Datasets, tasks, agents: they change with imports only, so label edits keep the cache."""
    return _filter_options(db_url(), explore.store_stamp(db_url()))


@st.cache_data(show_spinner=False, max_entries=256, ttl=3600)
def _browse(url, rev, f, sort, desc, page, size) -> explore.BrowsePage:
    return explore.browse(f, sort=sort, descending=desc, page=page, page_size=size, url=url)


def browse(f: Filter, *, sort: str, desc: bool, page: int, size: int) -> explore.BrowsePage:
    return _browse(db_url(), revision(), f, sort, desc, page, size)


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _ordered_ids(url, rev, f, sort, desc) -> list[int]:
    return explore.ordered_ids(f, sort=sort, descending=desc, url=url)


def ordered_ids(f: Filter, *, sort: str = "id", desc: bool = False) -> list[int]:
    """Every matching id in Browse order. Keyed by the label revision only when labels can
    change the answer (label filters, review order): saving a label then keeps this cached."""
    labels_matter = sort == "review" or any(
        v is not None for v in (f.majority_correct, f.flip, f.has_human, f.needs_review)
    )
    key = revision() if labels_matter else -1
    return _ordered_ids(db_url(), (key, explore.store_stamp(db_url())), f, sort, desc)


@st.cache_data(show_spinner=False, max_entries=128, ttl=3600)
def _discussion(url, rev, did) -> explore.DiscussionView | None:
    return explore.discussion(did, url)


def discussion(did: int) -> explore.DiscussionView | None:
    return _discussion(db_url(), revision(), did)


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def graph_html(view: explore.DiscussionView, selected: int | None) -> str:
    """The pyvis HTML of a MAG (≈480 KB with vis.js inlined), cached on its content."""
    return graph_view.render_html(view, selected)


@st.cache_data(show_spinner=False, max_entries=256, ttl=3600)
def _history(url, rev, turn_id, discussion_id, limit) -> list[explore.EventView]:
    return explore.history(turn_id=turn_id, discussion_id=discussion_id, limit=limit, url=url)


def history(
    *, turn_id: int | None = None, discussion_id: int | None = None, limit: int = 50
) -> list[explore.EventView]:
    return _history(db_url(), revision(), turn_id, discussion_id, limit)


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _overview(url, rev) -> explore.Overview:
    return explore.overview(url=url)


def overview() -> explore.Overview:
    return _overview(db_url(), revision())


ACCURACY_EVERY_S = 60


@st.cache_data(show_spinner="Computing accuracy per agent and round…", max_entries=16, ttl=3600)
def _accuracy(url, stamp, bucket, dataset) -> tuple[list[dict], float]:
    return explore.accuracy(dataset, url=url), time.time()


def accuracy(dataset: str | None) -> tuple[list[dict], float]:
    """(rows, computed at): a scan of every node, so recomputed at most once a minute after
    label edits (immediately after an import, or with `refresh_accuracy`)."""
    return _accuracy(db_url(), explore.store_stamp(db_url()), int(time.time() // ACCURACY_EVERY_S), dataset)


def refresh_accuracy() -> None:
    _accuracy.clear()


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _review_queue(url, rev, dataset, page, size):
    return explore.review_queue(dataset=dataset, page=page, page_size=size, url=url)


def review_queue(dataset: str | None, page: int, size: int):
    """Keyed by the label revision and the predict job whose node predictions join the queue."""
    return _review_queue(db_url(), (revision(), predictions.latest_job(url=db_url())), dataset, page, size)


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _answer_values(url, rev, f) -> list[tuple[str, int]]:
    return annotate.answer_values(f, url=url)


def answer_values(f: Filter) -> list[tuple[str, int]]:
    return _answer_values(db_url(), revision(), f)


# ---------------------------------------------------------------- URL state


def _query_dict(keys) -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in keys if k in st.query_params}


def current_filter() -> Filter:
    """The shared filter: from the URL when it has one (refresh, shared link), else the one
    this session last used (the sidebar navigation drops query parameters)."""
    q = _query_dict(Filter.QUERY_KEYS)
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
        sort=sort if sort in explore.SORTS else "id",
        desc=(q.get("desc") or ("1" if saved.get("desc") else "0")) == "1",
        page=max(1, to_int(q.get("page"), saved.get("page", 1))),
        size=size if size in explore.PAGE_SIZES else 50,
    )


def to_int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


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


def open_mag(discussion_id: int, node_id: int | None = None) -> None:
    """Go to the MAG page of a discussion, keeping the filter (for previous / next) in the URL."""
    q = dict(current_filter().to_query())
    q.update(view_query(current_view()))
    q["d"] = str(discussion_id)
    if node_id is not None:
        q["n"] = str(node_id)
    st.switch_page(PAGES["mag"], query_params=q)


# ---------------------------------------------------------------- annotator


def _clean_name(name: str | None) -> str:
    return " ".join((name or "").split())[:100]


def annotator() -> str | None:
    """The annotator's name: asked once per browser session (a session cookie keeps it across
    reloads and tabs until the browser closes)."""
    if "annotator" not in st.session_state:
        st.session_state["annotator"] = _clean_name(unquote(st.context.cookies.get(COOKIE, "")))
    return st.session_state["annotator"] or None


def _write_cookie(name: str) -> None:
    # json.dumps + escaping < > & keeps any name a JS string literal inside the script tag.
    literal = (
        json.dumps(quote(name, safe=""))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    expire = "; max-age=0" if not name else ""
    st.html(
        f"<script>document.cookie = '{COOKIE}=' + {literal} + '; path=/; SameSite=Strict{expire}';</script>",
        unsafe_allow_javascript=True,
    )


def _set_annotator() -> None:
    st.session_state["annotator"] = _clean_name(st.session_state.get("annotator_input"))


def _change_annotator() -> None:
    st.session_state["annotator"] = ""
    st.session_state["annotator_input"] = ""


def sidebar_annotator() -> None:
    name = annotator()
    with st.sidebar:
        if name:
            st.caption("Annotating as")
            st.markdown(f"**{esc(name)}**")
            st.button("Change name", key="annotator_change", on_click=_change_annotator, type="tertiary")
        else:
            with st.form("annotator_form", border=False, enter_to_submit=True):
                st.text_input(
                    "Your name", key="annotator_input", max_chars=100, placeholder="recorded with every edit"
                )
                st.form_submit_button("Start annotating", on_click=_set_annotator)
            st.caption("Browsing needs no name; every edit is recorded with it.")
        cookie = _clean_name(unquote(st.context.cookies.get(COOKIE, "")))
        if (name or "") != cookie:
            _write_cookie(name or "")


def require_annotator() -> str | None:
    """The name, or None after telling the user where to enter it."""
    name = annotator()
    if not name:
        st.info("Enter your name in the sidebar to edit labels (it goes into the history).")
    return name


# ---------------------------------------------------------------- compare


def compare_stamp(runs: list[compare.RunInfo]) -> tuple:
    """What the Compare views read changes with: the stored evaluations, the teachers' labels and
    gold answers (the label revision) and the stored discussions."""
    return (revision(), explore.store_stamp(db_url()), tuple((r.id, r.created_at, r.questions) for r in runs))


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _compare_questions(url, stamp, run_ids, flt) -> list[compare.QuestionView]:
    return compare.questions(list(run_ids), flt=flt, url=url)


def compare_questions(stamp: tuple, run_ids: list[int], flt: str) -> list[compare.QuestionView]:
    return _compare_questions(db_url(), stamp, tuple(run_ids), flt)


@st.cache_data(show_spinner=False, max_entries=64, ttl=3600)
def _compare_question(url, stamp, run_ids, dataset, key) -> compare.QuestionView | None:
    return compare.question(list(run_ids), dataset, key, url=url)


def compare_question(stamp: tuple, run_ids: list[int], dataset: str, key: str) -> compare.QuestionView | None:
    return _compare_question(db_url(), stamp, tuple(run_ids), dataset, key)


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _compare_aggregate(url, stamp, run_ids) -> list[dict]:
    return compare.aggregate(list(run_ids), url=url)


def compare_aggregate(stamp: tuple, run_ids: list[int]) -> list[dict]:
    return _compare_aggregate(db_url(), stamp, tuple(run_ids))


# ---------------------------------------------------------------- small shared widgets


def label_text(value: bool | None) -> str:
    return "—" if value is None else ("correct" if value else "incorrect")


def filter_caption(f: Filter, total: int | None = None) -> None:
    count = "" if total is None else f" — {total:,} discussion(s)"
    st.caption(esc(f"Filter: {f.describe()}{count}"))

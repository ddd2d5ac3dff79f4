"""Cached service calls: the only module with `st.cache_*`.

Cached reads are keyed by the store's label revision, which every import and every edit bumps, so
a page never shows a result older than the last write (another annotator's included) and an
unchanged store is served from memory. Reads that only imports change are keyed by the store's
stamp (`browse.store_stamp`) instead.
"""

from __future__ import annotations

import time

import streamlit as st

from app.services import annotate, compare, mag_view, predictions, review, store
from app.services import browse as browse_svc  # the services whose functions share a name here
from app.services import history as history_svc
from app.services import overview as overview_svc
from app.services.filters import Filter, FilterOptions
from app.services.filters import filter_options as _options


def db_url() -> str:
    return store.store_url()


@st.cache_resource(show_spinner=False)
def _ensure_store(url: str) -> bool:
    store.remove_abandoned_imports(url)
    store.load_demo_if_empty(url)
    return True


def ensure_store() -> None:
    """Create the schema, remove what imports that died left, and load the demonstration set into
    an empty store (first start)."""
    _ensure_store(db_url())


def revision() -> int:
    return store.revision(db_url())


def store_stamp() -> tuple[int, int]:
    return browse_svc.store_stamp(db_url())


@st.cache_data(show_spinner=False, max_entries=8, ttl=3600)
def _filter_options(url: str, stamp: tuple[int, int]) -> FilterOptions:
    return _options(url)


def filter_options() -> FilterOptions:
    """Datasets, tasks, agents: they change with imports only, so label edits keep the cache."""
    return _filter_options(db_url(), store_stamp())


@st.cache_data(show_spinner=False, max_entries=256, ttl=3600)
def _browse(url, rev, f, sort, desc, page, size) -> browse_svc.BrowsePage:
    return browse_svc.browse(f, sort=sort, descending=desc, page=page, page_size=size, url=url)


def browse(f: Filter, *, sort: str, desc: bool, page: int, size: int) -> browse_svc.BrowsePage:
    return _browse(db_url(), revision(), f, sort, desc, page, size)


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _ordered_ids(url, rev, f, sort, desc) -> list[int]:
    return browse_svc.ordered_ids(f, sort=sort, descending=desc, url=url)


def ordered_ids(f: Filter, *, sort: str = "id", desc: bool = False) -> list[int]:
    """Every matching id in Browse order. Keyed by the label revision only when labels can
    change the answer (label filters, review order): saving a label then keeps this cached."""
    key = revision() if sort == "review" or f.labels_matter() else -1
    return _ordered_ids(db_url(), (key, store_stamp()), f, sort, desc)


@st.cache_data(show_spinner=False, max_entries=128, ttl=3600)
def _discussion(url, rev, did) -> mag_view.DiscussionView | None:
    return mag_view.discussion(did, url)


def discussion(did: int) -> mag_view.DiscussionView | None:
    return _discussion(db_url(), revision(), did)


@st.cache_data(show_spinner=False, max_entries=256, ttl=3600)
def _history(url, rev, turn_id, discussion_id, limit) -> list[history_svc.EventView]:
    return history_svc.history(turn_id=turn_id, discussion_id=discussion_id, limit=limit, url=url)


def history(
    *, turn_id: int | None = None, discussion_id: int | None = None, limit: int = 50
) -> list[history_svc.EventView]:
    return _history(db_url(), revision(), turn_id, discussion_id, limit)


@st.cache_data(show_spinner=False, max_entries=16, ttl=3600)
def _overview(url, rev) -> overview_svc.Overview:
    return overview_svc.overview(url=url)


def overview() -> overview_svc.Overview:
    return _overview(db_url(), revision())


ACCURACY_EVERY_S = 60


@st.cache_data(show_spinner="Computing accuracy per agent and round…", max_entries=16, ttl=3600)
def _accuracy(url, stamp, bucket, dataset) -> tuple[list[dict], float]:
    return overview_svc.accuracy(dataset, url=url), time.time()


def accuracy(dataset: str | None) -> tuple[list[dict], float]:
    """(rows, computed at): a scan of every node, so recomputed at most once a minute after
    label edits (immediately after an import, or with `refresh_accuracy`)."""
    return _accuracy(db_url(), store_stamp(), int(time.time() // ACCURACY_EVERY_S), dataset)


def refresh_accuracy() -> None:
    _accuracy.clear()


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _review_queue(url, rev, dataset, page, size):
    return review.review_queue(dataset=dataset, page=page, page_size=size, url=url)


def review_queue(dataset: str | None, page: int, size: int):
    """Keyed by the label revision and the predict job whose node predictions join the queue."""
    return _review_queue(db_url(), (revision(), predictions.latest_job(url=db_url())), dataset, page, size)


@st.cache_data(show_spinner=False, max_entries=32, ttl=3600)
def _answer_values(url, rev, f) -> list[tuple[str, int]]:
    return annotate.answer_values(f, url=url)


def answer_values(f: Filter) -> list[tuple[str, int]]:
    return _answer_values(db_url(), revision(), f)


# ---------------------------------------------------------------- compare


def compare_stamp(runs: list[compare.RunInfo]) -> tuple:
    """What the Compare views read changes with: the stored evaluations, the teachers' labels and
    gold answers (the label revision) and the stored discussions."""
    return (revision(), store_stamp(), tuple((r.id, r.created_at, r.questions) for r in runs))


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

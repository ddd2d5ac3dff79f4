"""Browsing the store (db.browsing): each filter and full-text search, sorting and pages, the answer
counts, the review queue, and the store's facets; on SQLite and PostgreSQL."""

import pytest

from app.services import store
from app.services.auth import LOCAL
from db import browsing
from db.engine import session_scope
from tests.utils import agree_flip_never, discussion, write_jsonl
from tests.utils.rows import disc_id, node_id


@pytest.fixture
def url(db_url, tmp_path) -> str:
    """Dataset "b": tests.utils.agree_flip_never()."""
    store.import_file(write_jsonl(tmp_path / "b.jsonl", agree_flip_never()), url=db_url, actor=LOCAL)
    return db_url


def test_browse_filters_and_full_text_search(url):
    def ids(**kw):
        with session_scope(url) as s:
            rows, total = browsing.browse(s, browsing.BrowseFilter(**kw))
            assert total == len(rows)
            return {r.external_id for r in rows}

    assert ids() == {"agree", "flip", "never"}
    assert ids(task="strategyqa") == {"never"}
    assert ids(agent="x") == {"never"}
    assert ids(majority_correct=False) == {"flip"}
    assert ids(round0_disagree=True) == {"flip", "never"}
    assert ids(consensus_round=0) == {"agree"}
    assert ids(consensus_round=1) == {"flip"}
    assert ids(consensus_round=-1) == {"never"}
    assert ids(flip="right_wrong") == {"flip", "never"}
    assert ids(flip="wrong_right") == {"never"}  # y: unparseable "maybe" -> "yes"
    assert ids(needs_review=True) == {"never"}  # "maybe" cannot be parsed
    assert ids(search="apples") == {"agree"}
    assert ids(search="three") == {"flip"}  # reasoning is searched too
    assert ids(search='pears" OR "apples') == set()  # user text is never FTS syntax


def _external(url: str, ids: list[int]) -> list[str]:
    by_id = {disc_id(url, ext): ext for ext in ("agree", "flip", "never")}
    return [by_id[i] for i in ids]


def test_sorting_pages_and_the_full_order(url):
    every = browsing.BrowseFilter()
    with session_scope(url) as s:
        page, total = browsing.browse(s, every, sort="question", descending=True, offset=1, limit=1)
        assert ([d.external_id for d in page], total) == (["flip"], 3)
        by_turns = browsing.ordered_ids(s, every, sort="turns", descending=True)
        by_question = browsing.ordered_ids(s, every, sort="question")
        gsm8k = browsing.matching_ids(s, browsing.BrowseFilter(task="gsm8k"))
    assert _external(url, by_turns) == ["flip", "never", "agree"]  # 4, 4 (ties in id order), 2 turns
    assert _external(url, by_question) == ["agree", "flip", "never"]
    assert _external(url, gsm8k) == ["agree", "flip"]


def test_answer_counts_name_the_unparseable_ones(url):
    with session_scope(url) as s:
        values = browsing.answer_values(s, browsing.BrowseFilter(task="strategyqa"))
    assert values[0] == ("yes", 2)
    assert dict(values) == {"yes": 2, "no": 1, browsing.UNPARSEABLE: 1}


def test_the_review_queue_puts_unparseable_answers_first(url):
    with session_scope(url) as s:
        rows, total = browsing.review_queue(s)
        split = browsing.split_last_round(s, [disc_id(url, ext) for ext in ("agree", "flip", "never")])
    assert total == len(rows) > 0
    first = rows[0]
    assert (first["turn"].id, first["discussion"], first["dataset"]) == (
        node_id(url, "never", "y", 0),
        "never",
        "b",
    )
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)
    assert split == {disc_id(url, "never"): 1}  # only never's agents still disagree in its last round


def test_facets_of_the_store(url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "other.jsonl", [discussion(id="extra")]), url=url, actor=LOCAL)
    with session_scope(url) as s:
        assert browsing.tasks(s) == ["gsm8k", "strategyqa"]
        assert browsing.agents(s) == ["a", "b", "c", "x", "y"]
        assert browsing.max_rounds(s) == 2
        [other] = browsing.dataset_ids(s, ["no such set", "other"])
        assert browsing.dataset_names_by_id(s)[other] == "other"
        assert browsing.dataset_scope(s, None) is None
        assert browsing.dataset_scope(s, "no such set") == [-1]
        assert browsing.store_stamp(s)[0] == 4


def test_a_consensus_never_reached_sorts_after_every_round(url):
    """Ascending: round 0, round 1, then never; descending the reverse, on both back ends (SQLite
    puts NULL first by default, PostgreSQL last)."""
    every = browsing.BrowseFilter()
    with session_scope(url) as s:
        up = browsing.ordered_ids(s, every, sort="consensus")
        down = browsing.ordered_ids(s, every, sort="consensus", descending=True)
    assert _external(url, up) == ["agree", "flip", "never"]
    assert _external(url, down) == ["never", "flip", "agree"]

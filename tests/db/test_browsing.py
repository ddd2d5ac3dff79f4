"""Browsing the store: each filter of db.browsing and full-text search, on SQLite and PostgreSQL."""

from app.services import store
from db import browsing
from db.engine import session_scope
from tests.utils import discussion, turn, write_jsonl


def test_browse_filters_and_full_text_search(db_url, tmp_path):
    items = [
        discussion(
            id="agree",
            question="How many apples are in the basket?",
            turns=[turn("a", 0, "18"), turn("b", 0, "18")],
        ),
        discussion(
            id="flip",
            question="How many pears?",
            turns=[
                turn("a", 0, "18"),
                turn("b", 0, "3"),
                turn("a", 1, "3", "Now I think three"),
                turn("b", 1, "3"),
            ],
        ),
        discussion(
            id="never",
            task="strategyqa",
            gold="yes",
            question="Is the sky green?",
            turns=[turn("x", 0, "yes"), turn("y", 0, "maybe"), turn("x", 1, "no"), turn("y", 1, "yes")],
        ),
    ]
    store.import_file(write_jsonl(tmp_path / "b.jsonl", items), url=db_url)

    def ids(**kw):
        with session_scope(db_url) as s:
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

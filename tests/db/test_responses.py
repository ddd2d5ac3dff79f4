"""Responses on a real store (SQLite and PostgreSQL): the materialised human label follows the
consensus and adjudications; undo and bulk labels work per annotator; labels set before responses
existed are kept."""

import pytest
from sqlalchemy import select

from app.services import store
from app.services.auth import LOCAL
from db import browsing, labels, responses
from db.engine import session_scope
from db.models import LabelEvent, Turn
from tests.utils import discussion, turn, write_jsonl
from tests.utils.rows import node_id


@pytest.fixture
def url(db_url, tmp_path) -> str:
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url, actor=LOCAL)
    return db_url


def _label(url: str, turn_id: int) -> bool | None:
    with session_scope(url) as s:
        return s.get(Turn, turn_id).human_label


def _respond(url: str, turn_id: int, who: str, value: str) -> LabelEvent | None:
    with session_scope(url, write=True) as s:
        return labels.respond(s, turn_id, value, who=who)[1]


def test_the_human_label_is_the_majority_and_a_tie_has_none(url):
    b0 = node_id(url, "q1", "b", 0)
    first = _respond(url, b0, "ann", "correct")
    assert (first.old, first.new, first.who) == (None, "correct", "ann") and _label(url, b0) is True
    tie = _respond(url, b0, "bob", "incorrect")
    assert (tie.old, tie.new, tie.who) == ("correct", None, "bob") and _label(url, b0) is None
    assert _respond(url, b0, "cy", "unsure") is None  # not counted: no change, no history entry
    majority = _respond(url, b0, "dee", "incorrect")
    assert majority.new == "incorrect" and _label(url, b0) is False
    assert _respond(url, b0, "bob", "incorrect") is None  # bob says it again: nothing changes
    with session_scope(url) as s:
        current = responses.current_responses(s, [b0])[b0]
        assert {who: v for who, (v, _, _) in current.items()} == {
            "ann": "correct",
            "bob": "incorrect",
            "cy": "unsure",
            "dee": "incorrect",
        }
        assert len(responses.response_history(s, b0)) == 5
        assert [e.who for e in labels.history(s, turn_id=b0)] == ["dee", "bob", "ann"]


def test_k_responses_are_needed(url, monkeypatch):
    monkeypatch.setenv("MAGDI_CONSENSUS_MIN", "2")
    b0 = node_id(url, "q1", "b", 0)
    assert _respond(url, b0, "ann", "correct") is None and _label(url, b0) is None
    assert _respond(url, b0, "bob", "correct").new == "correct"
    _respond(url, b0, "bob", "withdrawn")  # withdrawn: ann alone is too few again
    assert _label(url, b0) is None
    with session_scope(url) as s:
        assert set(responses.current_responses(s, [b0])[b0]) == {"ann"}


def test_an_adjudication_wins_over_the_responses(url):
    b0 = node_id(url, "q1", "b", 0)
    _respond(url, b0, "ann", "correct")
    _respond(url, b0, "bob", "incorrect")
    with session_scope(url, write=True) as s:
        _, event = labels.adjudicate(s, b0, True, who="judge", reason="units")
    assert (event.new, event.who, event.note) == ("correct", "judge", "adjudicated: units")
    assert _respond(url, b0, "cy", "incorrect") is None and _label(url, b0) is True
    with session_scope(url, write=True) as s:
        _, again = labels.adjudicate(s, b0, False, who="judge", reason="second look")  # the newest wins
    assert _label(url, b0) is False
    with session_scope(url, write=True) as s:
        with pytest.raises(ValueError, match="adjudicated"):
            labels.undo(s, again.id, who="ann")
        assert responses.current_adjudication(s, b0).reason == "second look"


def test_undo_takes_back_that_annotators_response_only(url):
    b0 = node_id(url, "q1", "b", 0)
    _respond(url, b0, "ann", "correct")
    change = _respond(url, b0, "ann", "incorrect")  # ann changes her mind
    with session_scope(url, write=True) as s:
        undone = labels.undo(s, change.id, who="ann")
    assert (undone.old, undone.new, undone.undoes) == ("incorrect", "correct", change.id)
    bob = _respond(url, b0, "bob", "incorrect")  # a tie
    with session_scope(url, write=True) as s:
        labels.undo(s, bob.id, who="bob")
        assert {w: v for w, (v, _, _) in responses.current_responses(s, [b0])[b0].items()} == {
            "ann": "correct"
        }
    assert _label(url, b0) is True


def test_a_bulk_label_is_a_response_of_whoever_applied_it(url):
    a0, b0 = node_id(url, "q1", "a", 0), node_id(url, "q1", "b", 0)
    _respond(url, a0, "ann", "incorrect")
    with session_scope(url, write=True) as s:  # the six nodes: correct, by bob
        bulk = labels.bulk_set_label(s, browsing.BrowseFilter(), True, who="bob")
    assert (bulk["responses"], bulk["changed"]) == (6, 6)  # a0: ann's incorrect ties with bob's correct
    assert _label(url, a0) is None and _label(url, b0) is True
    with session_scope(url, write=True) as s:
        assert labels.undo_revision(s, bulk["revision"], who="bob") == 6
        assert set(responses.current_responses(s, [a0, b0])) == {a0}  # bob's responses taken back
    assert _label(url, a0) is False and _label(url, b0) is None


def test_an_imported_human_label_counts_as_a_response(db_url, tmp_path):
    record = discussion(
        turns=[turn("a", 0, "18", label="incorrect", label_source="human"), turn("b", 0, "18")]
    )
    store.import_file(write_jsonl(tmp_path / "h.jsonl", [record]), url=db_url, actor=LOCAL)
    a0 = node_id(db_url, "q1", "a", 0)
    assert _label(db_url, a0) is False
    assert _respond(db_url, a0, "ann", "unsure") is None  # the imported label stays
    with session_scope(db_url) as s:
        found = {w: v for w, (v, _, _) in responses.current_responses(s, [a0])[a0].items()}
        events = s.execute(select(LabelEvent).where(LabelEvent.turn_id == a0)).all()
    assert found == {"local": "incorrect", "ann": "unsure"} and events == []


def test_a_stale_response_writes_nothing(url):
    b0 = node_id(url, "q1", "b", 0)
    _respond(url, b0, "ann", "correct")  # version 0 -> 1
    with session_scope(url, write=True) as s:
        with pytest.raises(labels.StaleEdit, match="changed by someone else"):
            labels.respond(s, b0, "incorrect", who="bob", expected_version=0)
    with session_scope(url) as s:
        assert set(responses.current_responses(s, [b0])[b0]) == {"ann"}

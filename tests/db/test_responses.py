"""Responses on a real store (SQLite and PostgreSQL): the materialised human label follows the
consensus and adjudications; undo and bulk labels work per annotator; labels set before responses
existed are kept."""

import pytest
from sqlalchemy import select

from app.services import store
from app.services.auth import LOCAL
from db import browsing, labels, responses
from db.engine import session_scope
from db.models import LabelEvent, Response, Turn
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


def _counts_from_scratch(url: str) -> tuple[set, set, dict, dict]:
    """(current responses by is_current, by the newest rows; n_responses stored, recounted)."""
    with session_scope(url) as s:
        rows = s.execute(select(Response.id, Response.turn_id, Response.annotator, Response.value)).all()
        flagged = set(s.execute(select(Response.id).where(Response.is_current)).scalars())
        stored = dict(s.execute(select(Turn.id, Turn.n_responses)).all())
    newest = {}
    for rid, t, who, value in sorted(rows):
        newest[(t, who)] = (rid, value)
    current = {rid for rid, value in newest.values() if value != "withdrawn"}
    recount = dict.fromkeys(stored, 0)
    for (t, _), (_, value) in newest.items():
        recount[t] += value != "withdrawn"
    return flagged, current, stored, recount


def test_every_write_keeps_the_response_counts(url):
    """is_current and n_responses (the queue and progress read them) follow responses, changes of
    mind, withdrawals, undo, bulk labels and their undo, as counted from the rows themselves."""
    a0, b0 = node_id(url, "q1", "a", 0), node_id(url, "q1", "b", 0)
    _respond(url, b0, "ann", "correct")
    change = _respond(url, b0, "ann", "incorrect")
    _respond(url, b0, "bob", "unsure")
    _respond(url, a0, "bob", "correct")
    _respond(url, a0, "bob", "withdrawn")
    with session_scope(url, write=True) as s:
        labels.undo(s, change.id, who="ann")
        bulk = labels.bulk_set_label(s, browsing.BrowseFilter(), False, who="cy")
    flagged, current, stored, recount = _counts_from_scratch(url)
    assert flagged == current and stored == recount and recount[b0] == 3 and recount[a0] == 1
    with session_scope(url, write=True) as s:
        labels.undo_revision(s, bulk["revision"], who="cy")
    flagged, current, stored, recount = _counts_from_scratch(url)
    assert flagged == current and stored == recount and recount[b0] == 2 and recount[a0] == 0


@pytest.mark.parametrize("k", ["1", "2"])
def test_the_bulk_preview_counts_what_the_bulk_label_then_does(db_url, tmp_path, monkeypatch, k):
    """Given others' responses, an adjudication, an imported label and the applier's own earlier
    response, under k = 1 and 2: the preview's counts are what applying the bulk label does."""
    monkeypatch.setenv("MAGDI_CONSENSUS_MIN", k)
    record = discussion(
        turns=[
            turn("a", 0, "18", label="correct", label_source="human"),  # imported: seeded as local's
            *(turn(agent, rnd, "18") for agent, rnd in (("b", 0), ("c", 0), ("a", 1), ("b", 1), ("c", 1))),
        ]
    )
    store.import_file(write_jsonl(tmp_path / "p.jsonl", [record]), url=db_url, actor=LOCAL)
    node = {
        (a, r): node_id(db_url, "q1", a, r) for a, r in (("a", 0), ("b", 0), ("c", 0), ("a", 1), ("b", 1))
    }
    for who, where, value in [
        ("bob", ("b", 0), "correct"),
        ("cy", ("b", 0), "correct"),
        ("bob", ("c", 0), "incorrect"),
        ("ann", ("a", 1), "incorrect"),  # ann's own response already says so: nothing to write
        ("bob", ("b", 1), "unsure"),
    ]:
        _respond(db_url, node[where], who, value)
    with session_scope(db_url, write=True) as s:
        labels.adjudicate(s, node[("c", 0)], True, who="adj", reason="checked")

    def labels_now() -> dict[int, tuple[bool | None, bool]]:
        with session_scope(db_url) as s:
            return {t: (h, a) for t, h, a in s.execute(select(Turn.id, Turn.human_label, Turn.auto_label))}

    everything = browsing.BrowseFilter()
    with session_scope(db_url) as s:
        preview = labels.bulk_preview(s, everything, False, who="ann")
    before = labels_now()
    with session_scope(db_url, write=True) as s:
        done = labels.bulk_set_label(s, everything, False, who="ann")
    after = labels_now()
    changed = [t for t in after if after[t][0] != before[t][0]]
    effective = {t: [a if h is None else h for h, a in (before[t], after[t])] for t in after}
    assert preview == dict(
        nodes=6,
        discussions=1,
        responses=done["responses"],
        changing=done["changed"],
        to_label=sum(after[t][0] is False for t in changed),
        undecided=sum(h is None for h, _ in after.values()),
        effective_flips=sum(old != new for old, new in effective.values()),
    )
    # k = 1: a0 ties with its seeded "correct", b1 and c1 become incorrect; k = 2: only a0 changes
    assert (
        done["responses"] == 5
        and (preview["changing"], preview["undecided"]) == {"1": (3, 1), "2": (1, 4)}[k]
    )

"""The annotation service on a real store: what each edit answers (EditResult), stale and refused
edits, gold corrections, undo, and bulk labels."""

import pytest

from app.services import annotate, store
from app.services.auth import LOCAL, Actor, Forbidden, Role
from db import labels
from db.engine import session_scope
from tests.utils import discussion, exported, write_jsonl
from tests.utils.rows import disc_id, node_id


@pytest.fixture
def url(db_url, tmp_path) -> str:
    """A store holding tests.utils.discussion(): q1, gold 18, agents a, b, c over rounds 0 and 1."""
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url, actor=LOCAL)
    return db_url


def _turns(url: str) -> dict[tuple[str, int], dict]:
    [d] = exported(url)
    return {(t["agent"], t["round"]): t for t in d["turns"]}


def test_every_edit_records_the_actors_identity_and_keeps_a_bounded_note(url):
    b0 = node_id(url, "q1", "b", 0)
    with pytest.raises(Forbidden, match="needs the annotator role"):
        annotate.set_label(b0, True, actor=Actor("vic@example.org", Role.VIEWER), url=url)
    with pytest.raises(Forbidden, match="sign in"):
        annotate.set_label(b0, True, actor=None, url=url)
    ann = Actor("ann@example.org", Role.ANNOTATOR, "Ann, self-declared")
    result = annotate.set_label(b0, True, actor=ann, note="x" * 3000, url=url)
    assert result.ok and result.message == "label set to correct" and result.event_id is not None
    with session_scope(url) as s:
        [event] = labels.history(s, turn_id=b0)
        assert (event.who, len(event.note), event.revision) == (
            "ann@example.org",
            annotate.MAX_NOTE,
            result.revision,
        )
    assert (_turns(url)[("b", 0)]["label"], _turns(url)[("b", 0)]["label_source"]) == ("correct", "human")


def test_a_stale_edit_is_answered_not_raised_and_clearing_restores_the_automatic_label(url):
    b0 = node_id(url, "q1", "b", 0)
    assert annotate.set_label(b0, True, actor=Actor("first", Role.ANNOTATOR), expected_version=0, url=url).ok
    stale = annotate.set_label(b0, False, actor=Actor("second", Role.ANNOTATOR), expected_version=0, url=url)
    assert (stale.ok, stale.stale) == (False, True) and "changed by someone else" in stale.message
    cleared = annotate.set_label(b0, None, actor=Actor("first", Role.ANNOTATOR), expected_version=1, url=url)
    assert cleared.ok and cleared.message == "label set to automatic (human label cleared)"
    assert (_turns(url)[("b", 0)]["label"], _turns(url)[("b", 0)]["label_source"]) == ("incorrect", "auto")


def test_excluding_a_node_and_including_it_again(url):
    c1 = node_id(url, "q1", "c", 1)
    result = annotate.set_excluded(c1, True, actor=Actor("ann", Role.ANNOTATOR), url=url)
    assert (result.ok, result.message) == (True, "excluded from training")
    assert _turns(url)[("c", 1)].get("excluded") is True
    assert (
        annotate.set_excluded(c1, False, actor=Actor("ann", Role.ANNOTATOR), url=url).message
        == "included in training again"
    )
    assert "excluded" not in _turns(url)[("c", 1)]


def test_gold_correction_previews_then_recomputes_but_keeps_human_labels(url):
    did = disc_id(url, "q1")
    assert annotate.set_label(
        node_id(url, "q1", "b", 0), True, actor=Actor("ann", Role.ANNOTATOR), url=url
    ).ok
    preview = {
        (c.agent, c.round): (c.old, c.new, c.human_label) for c in annotate.preview_gold(did, "20", url)
    }
    assert preview[("b", 0)] == (False, True, True)  # "$20" becomes right, and was already human-labelled
    assert preview[("a", 0)] == (True, False, None) and len(preview) == 6

    empty = annotate.set_gold(did, "  ", actor=Actor("ann", Role.ANNOTATOR), url=url)
    assert (empty.ok, empty.message) == (False, "the gold answer cannot be empty")
    result = annotate.set_gold(did, "20", actor=Actor("ann", Role.ANNOTATOR), url=url)
    assert result.ok and result.changed == 6
    assert result.message == "gold answer set to 20; 6 automatic label(s) recomputed"
    labels_now = {k: t["label"] for k, t in _turns(url).items()}
    assert labels_now[("b", 0)] == "correct"  # the human label
    assert labels_now[("a", 1)] == "incorrect" and labels_now[("b", 1)] == "incorrect"


def test_undo_once_and_only_once(url):
    a0 = node_id(url, "q1", "a", 0)
    edit = annotate.set_label(a0, False, actor=Actor("ann", Role.ANNOTATOR), url=url)
    undone = annotate.undo(edit.event_id, actor=Actor("ann", Role.ANNOTATOR), url=url)
    assert (undone.ok, undone.message) == (True, f"undid #{edit.event_id}")
    again = annotate.undo(edit.event_id, actor=Actor("ann", Role.ANNOTATOR), url=url)
    assert (again.ok, again.stale) == (False, True) and "changed again" in again.message
    missing = annotate.undo(10_000, actor=Actor("ann", Role.ANNOTATOR), url=url)
    assert (missing.ok, missing.message) == (False, "no history entry 10000")
    assert _turns(url)[("a", 0)]["label_source"] == "auto"


def test_bulk_label_previews_then_labels_every_node_with_that_answer(url):
    scope = annotate.BulkScope(answer="18")  # "18", "18.0" and "18 eggs": five nodes, not b's "$20"
    preview = annotate.bulk_preview(scope, False, actor=Actor("ann", Role.ANNOTATOR), url=url)
    assert (preview["nodes"], preview["discussions"], preview["changing"]) == (5, 1, 5)
    result = annotate.bulk_label(scope, False, actor=Actor("ann", Role.ANNOTATOR), url=url)
    assert (result.ok, result.changed) == (True, 5)
    assert {k for k, t in _turns(url).items() if t["label_source"] == "human"} == {
        ("a", 0),
        ("c", 0),
        ("a", 1),
        ("b", 1),
        ("c", 1),
    }
    again = annotate.bulk_label(scope, False, actor=Actor("ann", Role.ANNOTATOR), url=url)
    assert (again.ok, again.changed) == (True, 0)
    assert again.message == "nothing to change: every node in scope is already incorrect"

"""Label edits on a real store: history and undo, stale edits, concurrent editors, gold corrections."""

import threading

import pytest
from sqlalchemy import select

from app.services import store
from app.services.auth import LOCAL
from db import browsing, labels, queries
from db.engine import session_scope
from db.models import Discussion, LabelEvent, Turn
from tests.utils import discussion, exported, write_jsonl
from tests.utils.rows import node_id


def test_label_edit_history_undo_and_revision(db_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url, actor=LOCAL)
    rev0 = store.revision(db_url)
    tid = node_id(db_url, "q1", "b", 0)
    with session_scope(db_url, write=True) as s:
        ev = labels.set_label(s, tid, True, who="ann", note="units differ", expected_version=0)
    assert ev.revision == rev0 + 1 and (ev.old, ev.new, ev.who) == (None, "correct", "ann")
    [d] = exported(db_url)
    t = next(t for t in d["turns"] if (t["agent"], t["round"]) == ("b", 0))
    assert (t["label"], t["label_source"]) == ("correct", "human")
    with session_scope(db_url, write=True) as s:
        undo = labels.undo(s, ev.id, who="ann")
    assert (undo.old, undo.new, undo.undoes) == ("correct", None, ev.id)
    with session_scope(db_url) as s:
        turn_row = s.get(Turn, tid)
        assert turn_row.human_label is None and turn_row.version == 2
        assert [e.field for e in labels.history(s, turn_id=tid)] == ["label", "label"]
        assert queries.label_revision(s) == rev0 + 2


def test_stale_edit_is_refused_and_loses_nothing(db_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url, actor=LOCAL)
    tid = node_id(db_url, "q1", "a", 0)
    with session_scope(db_url, write=True) as s:
        labels.set_label(s, tid, False, who="first", expected_version=0)
    with pytest.raises(labels.StaleEdit, match="changed by someone else"):
        with session_scope(db_url, write=True) as s:
            labels.set_label(s, tid, True, who="second", expected_version=0)
    with session_scope(db_url) as s:
        assert s.get(Turn, tid).human_label is False
        assert [e.who for e in labels.history(s, turn_id=tid)] == ["first"]


def test_label_edits_take_turns(db_url, tmp_path):
    """A second editor waits for the first to commit, then reads what it wrote, so its history
    entry never records a value that was already replaced."""
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url, actor=LOCAL)
    tid = node_id(db_url, "q1", "a", 0)
    second: list[str | None] = []

    def edit() -> None:
        with session_scope(db_url, write=True) as s:
            second.append(labels.set_label(s, tid, True, who="second").old)

    with session_scope(db_url, write=True) as s:
        labels.set_label(s, tid, False, who="first")
        other = threading.Thread(target=edit)
        other.start()
        other.join(1.0)
        assert other.is_alive() and not second
    other.join(30)
    assert second == ["incorrect"]


def test_gold_correction_recomputes_automatic_labels(db_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url, actor=LOCAL)
    with session_scope(db_url) as s:
        did = s.execute(select(Discussion.id)).scalar_one()
        changes = labels.preview_gold(s, did, "20")
        assert sorted((t.agent, t.round, old, new) for t, old, new in changes) == sorted(
            [
                ("a", 0, True, False),
                ("b", 0, False, True),
                ("c", 0, True, False),
                ("a", 1, True, False),
                ("b", 1, True, False),
                ("c", 1, True, False),
            ]
        )
    with session_scope(db_url, write=True) as s:
        ev = labels.set_gold(s, did, "20", who="ann", expected_version=0)
    with session_scope(db_url) as s:
        d = s.get(Discussion, did)
        assert (d.gold_answer, d.n_correct, d.majority_correct) == ("20", 1, False)
        kinds = [e.field for e in s.execute(select(LabelEvent)).scalars()]
        assert kinds.count("auto_label") == 6 and kinds.count("gold") == 1
    with session_scope(db_url, write=True) as s:
        labels.undo(s, ev.id, who="ann")
    with session_scope(db_url) as s:
        assert s.get(Discussion, did).n_correct == 5


def test_undo_of_a_bulk_label_leaves_nodes_edited_since_alone(db_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url, actor=LOCAL)
    with session_scope(db_url, write=True) as s:  # the five nodes answering 18 become incorrect
        bulk = labels.bulk_set_label(s, browsing.BrowseFilter(), False, who="ann", answer="18")
    assert (bulk["changed"], bulk["discussions"]) == (5, 1)
    a0 = node_id(db_url, "q1", "a", 0)
    with session_scope(db_url, write=True) as s:  # ann changes her mind on a0 (another annotator's
        labels.set_label(s, a0, True, who="ann")  # "correct" would tie with hers: no label)
    with session_scope(db_url, write=True) as s:
        assert labels.undo_revision(s, bulk["revision"], who="ann") == 4  # not a0: changed since
    with session_scope(db_url, write=True) as s:
        assert labels.undo_revision(s, bulk["revision"], who="ann") == 0  # nothing left to undo
    with session_scope(db_url) as s:
        bulk_events = s.execute(
            select(LabelEvent.id).where(LabelEvent.revision == bulk["revision"])
        ).scalars()
        assert len(labels.undone_event_ids(s, list(bulk_events))) == 4
        [latest] = labels.recent_events(s, limit=1)
        human = dict(s.execute(select(Turn.id, Turn.human_label).where(Turn.human_label.is_not(None))).all())
    assert {k: latest[k] for k in ("who", "field", "note", "dataset", "discussion")} == {
        "who": "ann",
        "field": "label",
        "note": f"undo of revision {bulk['revision']}",
        "dataset": "s",
        "discussion": "q1",
    }
    assert human == {a0: True}

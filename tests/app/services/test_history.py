"""The label history service: entries newest first, where each happened, and which were undone."""

from app.services import annotate, history, store
from app.services.auth import LOCAL, Actor, Role
from tests.utils import discussion, write_jsonl
from tests.utils.rows import disc_id, node_id


def test_history_names_the_place_and_what_was_undone(db_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url, actor=LOCAL)
    did, b0 = disc_id(db_url, "q1"), node_id(db_url, "q1", "b", 0)
    label = annotate.set_label(b0, True, actor=Actor("ann", Role.ANNOTATOR), note="units", url=db_url)
    gold = annotate.set_gold(did, "20", actor=Actor("ann", Role.ANNOTATOR), url=db_url)
    assert annotate.undo(label.event_id, actor=Actor("ann", Role.ANNOTATOR), url=db_url).ok

    [undo, *_, first] = history.history(turn_id=b0, url=db_url)
    assert (first.id, first.where, first.undone, first.undoable) == (
        label.event_id,
        "round 0 · b",
        True,
        False,
    )
    assert first.summary() == f"#{label.event_id} human label: — → correct"
    assert (undo.undoes, undo.undone, undo.undoable) == (label.event_id, False, True)

    events = history.history(discussion_id=did, url=db_url)
    assert [e.id for e in events] == sorted((e.id for e in events), reverse=True)  # newest first
    [gold_event] = [e for e in events if e.id == gold.event_id]
    assert (gold_event.where, gold_event.summary()) == (
        "gold answer",
        f"#{gold.event_id} gold answer: 18 → 20",
    )
    assert {e.field for e in events} == {"label", "gold", "auto_label"}
    assert len(history.history(discussion_id=did, limit=2, url=db_url)) == 2

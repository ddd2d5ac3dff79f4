"""The store on a real database (SQLite, and PostgreSQL when MAGDI_TEST_POSTGRES_URL is set)."""

import io
import json
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from sqlalchemy import select

from app.services import store
from db import browsing, labels, queries
from db.engine import session_scope
from db.models import Discussion, LabelEvent, Turn
from magdi.formats import FormatError, read_jsonl
from tests.magdi.test_formats import discussions
from tests.utils import discussion, turn, write_jsonl


def _turn_id(url, agent, rnd, ext="q1"):
    with session_scope(url) as s:
        return s.execute(
            select(Turn.id)
            .join(Discussion)
            .where(Discussion.external_id == ext, Turn.agent == agent, Turn.round == rnd)
        ).scalar_one()


def _dump(url) -> list[dict]:
    buf = io.StringIO()
    store.export_discussions(buf, url=url)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def test_import_labels_with_normalisation_and_builds_edges(db_url, tmp_path):
    path = write_jsonl(tmp_path / "gsm.jsonl", [discussion()])
    report = store.import_file(path, url=db_url)
    assert report.added == {"gsm": 1} and report.turns == 6 and report.edges == 9
    [d] = _dump(db_url)
    labels = {(t["agent"], t["round"]): t["label"] for t in d["turns"]}
    assert labels[("c", 0)] == "correct"  # "18.0" only matches after normalisation
    assert labels[("b", 0)] == "incorrect"
    assert labels[("b", 1)] == "correct"  # "18 eggs"
    assert {t["label_source"] for t in d["turns"]} == {"auto"}
    [row] = store.stats(db_url)
    assert (row["discussions"], row["turns"], row["correct"], row["incorrect"]) == (1, 6, 5, 1)


def test_a_bad_line_leaves_the_store_untouched(db_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "a.jsonl", [discussion(id="first")]), url=db_url)
    before = _dump(db_url)
    bad = write_jsonl(tmp_path / "a2.jsonl", [discussion(id="n1"), discussion(id="n2"), '{"broken": '])
    with pytest.raises(FormatError, match=r"a2\.jsonl:3: malformed JSON"):
        store.import_file(bad, dataset="a", url=db_url)
    assert _dump(db_url) == before
    assert store.revision(db_url) == 1


def test_duplicate_ids_in_file_and_store(db_url, tmp_path):
    dup = write_jsonl(tmp_path / "d.jsonl", [discussion(id="x"), discussion(id="y"), discussion(id="x")])
    with pytest.raises(FormatError, match=r"d\.jsonl:3: discussion id 'x' appears twice"):
        store.import_file(dup, url=db_url)
    assert store.stats(db_url) == []
    once = write_jsonl(tmp_path / "d.jsonl", [discussion(id="x")])
    store.import_file(once, url=db_url)
    again = write_jsonl(tmp_path / "d.jsonl", [discussion(id="y"), discussion(id="x")])
    with pytest.raises(FormatError, match=r"d\.jsonl:2: discussion id 'x' is already in dataset 'd'"):
        store.import_file(again, url=db_url)
    report = store.import_file(again, url=db_url, skip_existing=True)
    assert (report.added, report.skipped) == ({"d": 1}, 1)


def test_label_edit_history_undo_and_revision(db_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url)
    rev0 = store.revision(db_url)
    tid = _turn_id(db_url, "b", 0)
    with session_scope(db_url, write=True) as s:
        ev = labels.set_label(s, tid, True, who="ann", note="units differ", expected_version=0)
    assert ev.revision == rev0 + 1 and (ev.old, ev.new, ev.who) == (None, "correct", "ann")
    [d] = _dump(db_url)
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
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url)
    tid = _turn_id(db_url, "a", 0)
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
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url)
    tid = _turn_id(db_url, "a", 0)
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
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url)
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


@given(ds=__import__("hypothesis").strategies.lists(discussions(), max_size=3))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_import_export_import_is_lossless(sqlite_url, tmp_path, ds):
    for i, d in enumerate(ds):
        d.id = f"{i}-{d.id}"  # ids are unique within a file
        for t in d.turns:  # the store decides automatic labels; human ones are kept
            if t.label_source != "human":
                t.label, t.label_source = None, None
    src = tmp_path / "src.jsonl"
    with open(src, "w") as fh:
        from magdi.formats import write_jsonl as write

        write(((d, "set") for d in ds), fh)
    url = f"sqlite:///{tmp_path}/rt-{len(list(tmp_path.iterdir()))}.db"
    if ds:
        store.import_file(src, url=url)
    first = tmp_path / "first.jsonl"
    store.export_file(first, url=url)
    url2 = url.replace(".db", "-2.db")
    if ds:
        store.import_file(first, url=url2)
    second = tmp_path / "second.jsonl"
    store.export_file(second, url=url2)
    assert first.read_text() == second.read_text()
    exported = [d for _, d, _ in read_jsonl(first)]
    assert [(d.id, d.question, d.gold_answer, d.options, d.meta) for d in exported] == [
        (d.id, d.question, d.gold_answer, d.options, d.meta) for d in ds
    ]
    for a, b in zip(exported, ds):
        assert [(t.key, t.reasoning, t.answer, t.confidence, t.responds_to, t.excluded) for t in a.turns] == [
            (t.key, t.reasoning, t.answer, t.confidence, t.responds_to, t.excluded) for t in b.turns
        ]
        assert [t.label for t in a.turns if t.label_source == "human"] == [
            t.label for t in b.turns if t.label_source == "human"
        ]

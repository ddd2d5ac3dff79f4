"""The store service (import, export, counts) on a real database (SQLite, and PostgreSQL when
MAGDI_TEST_POSTGRES_URL is set)."""

import pytest
from hypothesis import HealthCheck, given, settings

from app.services import store
from app.services.auth import LOCAL
from magdi.formats import FormatError, read_jsonl
from tests.utils import discussion, exported, write_jsonl
from tests.utils.strategies import discussions


def test_import_labels_with_normalisation_and_builds_edges(db_url, tmp_path):
    path = write_jsonl(tmp_path / "gsm.jsonl", [discussion()])
    report = store.import_file(path, url=db_url, actor=LOCAL)
    assert report.added == {"gsm": 1} and report.turns == 6 and report.edges == 9
    [d] = exported(db_url)
    labels = {(t["agent"], t["round"]): t["label"] for t in d["turns"]}
    assert labels[("c", 0)] == "correct"  # "18.0" only matches after normalisation
    assert labels[("b", 0)] == "incorrect"
    assert labels[("b", 1)] == "correct"  # "18 eggs"
    assert {t["label_source"] for t in d["turns"]} == {"auto"}
    [row] = store.stats(db_url)
    assert (row["discussions"], row["turns"], row["correct"], row["incorrect"]) == (1, 6, 5, 1)


def test_a_bad_line_leaves_the_store_untouched(db_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "a.jsonl", [discussion(id="first")]), url=db_url, actor=LOCAL)
    before = exported(db_url)
    bad = write_jsonl(tmp_path / "a2.jsonl", [discussion(id="n1"), discussion(id="n2"), '{"broken": '])
    with pytest.raises(FormatError, match=r"a2\.jsonl:3: malformed JSON"):
        store.import_file(bad, dataset="a", url=db_url, actor=LOCAL)
    assert exported(db_url) == before
    assert store.revision(db_url) == 1


def test_duplicate_ids_in_file_and_store(db_url, tmp_path):
    dup = write_jsonl(tmp_path / "d.jsonl", [discussion(id="x"), discussion(id="y"), discussion(id="x")])
    with pytest.raises(FormatError, match=r"d\.jsonl:3: discussion id 'x' appears twice"):
        store.import_file(dup, url=db_url, actor=LOCAL)
    assert store.stats(db_url) == []
    once = write_jsonl(tmp_path / "d.jsonl", [discussion(id="x")])
    store.import_file(once, url=db_url, actor=LOCAL)
    again = write_jsonl(tmp_path / "d.jsonl", [discussion(id="y"), discussion(id="x")])
    with pytest.raises(FormatError, match=r"d\.jsonl:2: discussion id 'x' is already in dataset 'd'"):
        store.import_file(again, url=db_url, actor=LOCAL)
    report = store.import_file(again, url=db_url, skip_existing=True, actor=LOCAL)
    assert (report.added, report.skipped) == ({"d": 1}, 1)


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
        store.import_file(src, url=url, actor=LOCAL)
    first = tmp_path / "first.jsonl"
    store.export_file(first, url=url, actor=LOCAL)
    url2 = url.replace(".db", "-2.db")
    if ds:
        store.import_file(first, url=url2, actor=LOCAL)
    second = tmp_path / "second.jsonl"
    store.export_file(second, url=url2, actor=LOCAL)
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

"""The Import and Datasets pages through AppTest on a real temporary store (demo set)."""

from __future__ import annotations

import json

import pytest

from app.services import annotate, datasets, store
from app.services.auth import LOCAL, Actor, Role
from tests.conftest import ROOT
from tests.utils import discussion, unescape
from tests.utils.apptest import open_page
from tests.utils.rows import node_id


@pytest.fixture
def url(demo_store, tmp_path, monkeypatch):
    monkeypatch.setenv("MAGDI_UPLOAD_DIR", str(tmp_path / "uploads"))
    return demo_store


def _jsonl(*items) -> bytes:
    return "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in items).encode()


def _notes(at) -> str:
    return unescape(
        "\n".join(e.value for kind in ("info", "warning", "error", "success") for e in getattr(at, kind))
    )


def _upload(at, *files: tuple[str, bytes]):
    at.file_uploader[0].set_value([(name, data, "application/octet-stream") for name, data in files])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


# ---------------------------------------------------------------- import


def test_import_checks_then_imports_into_a_new_dataset(url, tmp_path):
    at = open_page("import")
    assert "Choose one or more files" in _notes(at)
    at.radio(key="import_mode").set_value("new").run()
    at.text_input(key="import_new").set_value("birds").run()
    _upload(
        at,
        ("owls.jsonl", _jsonl(discussion("o1"), discussion("o2"))),
        ("larks.jsonl", _jsonl(discussion("l1"))),
    )
    [summary, first] = at.dataframe
    assert list(summary.value["discussions"]) == [2, 1] and list(summary.value["status"]) == ["ok", "ok"]
    assert list(first.value["id"]) == ["o1", "o2", "l1"] and set(first.value["dataset"]) == {"birds"}
    assert "Ready: 3 discussion(s), 18 node(s) from 2 file(s) into birds" in _notes(at)
    assert list((tmp_path / "uploads").rglob("*.jsonl"))  # staged on disk

    at.button(key="import_go").click().run()
    assert not at.exception
    assert "owls.jsonl: added 2 into 'birds'" in _notes(at)
    assert "larks.jsonl: added 1 into 'birds'" in _notes(at)
    assert not list((tmp_path / "uploads").rglob("*.jsonl"))  # staged files removed
    assert not at.file_uploader[0].value  # a fresh uploader
    [birds] = [d for d in datasets.list_datasets(url) if d.name == "birds"]
    assert birds.discussions == 3 and birds.source.startswith("uploaded owls.jsonl, larks.jsonl on ")


def test_import_shows_every_error_and_imports_nothing(url):
    before = store.stats(url)
    at = open_page("import")
    _upload(
        at,
        ("good.jsonl", _jsonl(discussion("g1"))),
        ("bad.jsonl", _jsonl(discussion("b1"), '{"id": "b2", "task": "gsm8k"')),
        ("twice.jsonl", _jsonl(discussion("t1"), discussion("t1"))),
    )
    assert "2 file(s) have errors; nothing will be imported" in _notes(at)
    [code] = at.code
    lines = code.value.splitlines()
    assert lines[0].startswith("bad.jsonl:2: ") and lines[1].startswith("twice.jsonl:2: discussion id 't1'")
    assert not [b for b in at.button if b.key == "import_go"]
    assert store.stats(url) == before

    at = open_page("import")  # an id the store already holds: refused unless skipped
    at.radio(key="import_mode").set_value("existing").run()
    at.selectbox(key="import_dataset").set_value("gsm8k").run()
    _upload(at, ("again.jsonl", _jsonl(discussion("gsm8k-001"))))
    assert "again.jsonl:1: discussion id 'gsm8k-001' is already in dataset 'gsm8k'" in at.code[0].value
    at.checkbox(key="import_skip").check().run()
    assert "1 already stored are skipped" in _notes(at)


def test_a_removed_upload_leaves_no_copy(url, tmp_path):
    at = _upload(open_page("import"), ("a.jsonl", _jsonl(discussion("a1"))))
    assert [p.name for p in (tmp_path / "uploads").rglob("*.jsonl")] == ["a.jsonl"]
    at.file_uploader[0].set_value(None).run()
    assert not list((tmp_path / "uploads").rglob("*.jsonl")) and "Choose one or more files" in _notes(at)


def test_import_refuses_a_file_over_the_limit(url, monkeypatch):
    monkeypatch.setenv("MAGDI_UPLOAD_MAX_MB", "1")
    at = open_page("import")
    _upload(at, ("huge.jsonl", b"x" * (1 << 20) + b"y"))
    assert "over the upload limit" in _notes(at)
    assert at.code[0].value.startswith(
        "huge.jsonl: 1.0 MB is over the upload limit of 1 MB (MAGDI_UPLOAD_MAX_MB)"
    )
    assert "huge" not in store.dataset_names(url)


# ---------------------------------------------------------------- datasets


def test_datasets_page_edits_copies_and_merges(url):
    annotate.set_label(
        node_id(url, "gsm8k-001", "gpt4", 0), False, actor=Actor("ann", Role.ANNOTATOR), url=url
    )
    at = open_page("datasets")
    table = at.dataframe[0].value
    assert "gsm8k" in list(table["dataset"]) and "human labels" in table.columns
    at.selectbox(key="datasets_selected").set_value("gsm8k").run()
    at.text_input(key="datasets_name_gsm8k").set_value("maths")
    at.text_area(key="datasets_description_gsm8k").set_value("grade-school <b>maths</b>")
    at.text_input(key="datasets_source_gsm8k").set_value("demo")
    at.button[0].click().run()  # the form's Save
    assert "saved dataset 'maths'" in _notes(at)
    [maths] = [d for d in datasets.list_datasets(url) if d.name == "maths"]
    assert (maths.description, maths.source) == ("grade-school <b>maths</b>", "demo")

    at.text_input(key="datasets_copy_name_maths").set_value("maths copy")
    at.button(key="datasets_copy").click().run()
    assert "into 'maths copy'" in _notes(at) and "1 human label(s)" in _notes(at)
    assert at.selectbox(key="datasets_selected").value == "maths copy"

    at.selectbox(key="datasets_merge_target").set_value("maths").run()
    at.button(key="datasets_merge").click().run()
    at.button(key="datasets_merge_yes").click().run()
    assert "both hold discussion id(s) 'gsm8k-001'" in _notes(at)  # a copy clashes everywhere
    assert "maths copy" in store.dataset_names(url)


def test_datasets_page_deletes_after_confirmation_and_refuses_while_in_use(url):
    from db import jobs as job_queries
    from db.engine import session_scope

    at = open_page("datasets")
    at.selectbox(key="datasets_selected").set_value("strategyqa").run()
    plan = datasets.delete_plan("strategyqa", url=url)
    assert f"Deleting 'strategyqa' removes {plan.discussions} discussion(s), {plan.turns} node(s)" in _notes(
        at
    )
    at.button(key="datasets_delete").click().run()
    assert "for good?" in _notes(at) and "strategyqa" in store.dataset_names(url)
    at.button(key="datasets_delete_no").click().run()
    assert not [b for b in at.button if b.key == "datasets_delete_yes"]

    with session_scope(url, write=True) as s:
        job = job_queries.create_job(s, kind="discuss", config={"target_dataset": "strategyqa"}, name="more")
    at.run()
    assert f"Refused while job {job.id} (discuss, queued: more) uses it" in _notes(at)
    assert not [b for b in at.button if b.key == "datasets_delete"]
    with session_scope(url, write=True) as s:
        job_queries.finish(s, job.id, "cancelled")

    at.run()
    assert list(at.dataframe[1].value["job"]) == [job.id]  # listed, kept
    at.button(key="datasets_delete").click().run()
    at.button(key="datasets_delete_yes").click().run()
    assert f"deleted dataset 'strategyqa' with {plan.discussions} discussion(s)" in _notes(at)
    assert "strategyqa" not in store.dataset_names(url)
    assert at.selectbox(key="datasets_selected").value != "strategyqa"


def test_datasets_page_shows_hostile_names_as_text(url):
    store.import_file(ROOT / "tests" / "data" / "hostile.jsonl", url=url, actor=LOCAL)
    hostile = next(n for n in store.dataset_names(url) if "<" in n)
    at = open_page("datasets")
    at.selectbox(key="datasets_selected").set_value(hostile).run()
    assert not at.exception
    assert f"Deleting {hostile!r} removes" in _notes(at)
    at.button(key="datasets_delete").click().run()
    [yes] = [b for b in at.button if b.key == "datasets_delete_yes"]
    assert "<" not in yes.label.replace("\\<", "")  # escaped for Markdown

"""Bulk import (db.bulk, app.services.store) on a real store: the parallel path for large JSONL
files, batches with skipped discussions, and the integrity of what a bulk load writes."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from app.services import store
from app.services.auth import LOCAL
from app.services.store import _parse_block
from db import browsing
from db.engine import session_scope
from db.labels import refresh_summaries
from magdi.formats import FormatError
from magdi.summary import SUMMARY_COLUMNS
from tests.conftest import ROOT
from tests.utils import discussion, turn, write_jsonl


def _items(n: int) -> list[dict]:
    """Discussions of every shape the row layout handles: default and explicit edges, human
    labels, absent turns, options, meta, a dataset named by the line."""
    out = []
    for i in range(n):
        turns = [
            turn("a", 0, str(i % 7)),
            turn("b", 0, "18", confidence=0.95),
            turn("a", 1, "18", label="incorrect", label_source="human"),
        ]
        if i % 3 == 0:
            turns.append(turn("b", 1, "19", responds_to=[["b", 0]], excluded=True))
        extra = {"meta": {"n": i}} if i % 4 == 0 else {}
        if i % 5 == 0:
            extra["dataset"] = "fives"
        out.append(discussion(id=f"d{i}", turns=turns, question=f"Question {i} about eggs?", **extra))
    return out


def _export(url: str) -> list[dict]:
    buf = io.StringIO()
    store.export_discussions(buf, url=url, actor=LOCAL)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def _small_blocks(monkeypatch) -> None:
    """Send even a tiny file through the forked parsers, in many blocks and batches."""
    monkeypatch.setattr(store, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(store, "_BLOCK_BYTES", 700)
    monkeypatch.setattr(store, "_BATCH", 2)


def test_parallel_import_stores_what_the_serial_import_stores(db_url, tmp_path, monkeypatch):
    path = write_jsonl(tmp_path / "many.jsonl", _items(23)[:11] + [""] + _items(23)[11:])
    serial = f"sqlite:///{tmp_path / 'serial.db'}"
    expected = store.import_file(path, url=serial, actor=LOCAL)
    _small_blocks(monkeypatch)
    report = store.import_file(path, url=db_url, actor=LOCAL)
    assert str(report) == str(expected)
    assert report.added == {"many": 18, "fives": 5} and report.edges == expected.edges
    assert _export(db_url) == _export(serial)
    with session_scope(db_url) as s:
        assert len(browsing.matching_ids(s, browsing.BrowseFilter(search="question 17"))) == 1
        assert len(browsing.matching_ids(s, browsing.BrowseFilter(search="eggs"))) == 23


@pytest.mark.parametrize(
    "bad, message",
    [
        ('{"id": "x", ', r"malformed JSON"),
        (json.dumps(discussion(id="d3")), r"discussion id 'd3' appears twice"),
    ],
)
def test_parallel_import_names_the_line_of_a_late_error(db_url, tmp_path, monkeypatch, bad, message):
    store.import_file(write_jsonl(tmp_path / "first.jsonl", [discussion(id="kept")]), url=db_url, actor=LOCAL)
    before = _export(db_url)
    lines = [json.dumps(d) for d in _items(14)]
    lines.insert(12, bad)  # line 13, many blocks after the first
    path = write_jsonl(tmp_path / "late.jsonl", lines)
    _small_blocks(monkeypatch)
    with pytest.raises(FormatError, match=rf"late\.jsonl:13: {message}"):
        store.import_file(path, url=db_url, actor=LOCAL)
    assert _export(db_url) == before


def test_skipped_discussions_inside_a_batch_keep_ids_and_edges_right(db_url, tmp_path, monkeypatch):
    items = _items(9)
    store.import_file(
        write_jsonl(tmp_path / "some.jsonl", [items[1], items[4], items[6]]),
        dataset="all",
        url=db_url,
        actor=LOCAL,
    )
    _small_blocks(monkeypatch)
    report = store.import_file(
        write_jsonl(tmp_path / "all.jsonl", items), dataset="all", skip_existing=True, url=db_url, actor=LOCAL
    )
    assert (report.added, report.skipped) == ({"all": 6}, 3)
    stored = {d["id"]: d for d in _export(db_url)}
    assert sorted(stored) == sorted(d["id"] for d in items)
    reference = f"sqlite:///{tmp_path / 'reference.db'}"
    store.import_file(write_jsonl(tmp_path / "all.jsonl", items), dataset="all", url=reference, actor=LOCAL)
    assert stored == {d["id"]: d for d in _export(reference)}
    assert report.edges == 14  # 2 default edges per discussion, 1 explicit one in every third
    with session_scope(db_url) as s:  # every edge joins two turns of its own discussion
        assert (
            s.execute(
                text(
                    "SELECT count(*) FROM edge e JOIN turn d ON d.id = e.dst_id"
                    " JOIN turn s ON s.id = e.src_id "
                    "WHERE d.discussion_id = e.discussion_id AND s.discussion_id = e.discussion_id "
                    "AND s.round < d.round"
                )
            ).scalar()
            == 9 * 2 + 3
        )


def test_bulk_load_skips_foreign_key_checks_only_inside_the_import(sqlite_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "a.jsonl", _items(5)), url=sqlite_url, actor=LOCAL)
    with session_scope(sqlite_url) as s:
        assert s.execute(text("PRAGMA foreign_key_check")).all() == []
        assert s.execute(text("PRAGMA foreign_keys")).scalar() == 1
    with pytest.raises(IntegrityError, match="FOREIGN KEY"):
        with session_scope(sqlite_url, write=True) as s:
            s.execute(text("INSERT INTO edge VALUES (1, 1, 9, 99999)"))


def _fts_check(url: str) -> None:
    """FTS5's own check of the index against the text it was built from (raises if corrupt)."""
    with session_scope(url, write=True) as s:
        s.execute(text("INSERT INTO discussion_fts (discussion_fts, rank) VALUES ('integrity-check', 1)"))


def test_search_index_matches_the_stored_text(sqlite_url, tmp_path, monkeypatch):
    _small_blocks(monkeypatch)
    store.import_file(write_jsonl(tmp_path / "a.jsonl", _items(7)), url=sqlite_url, actor=LOCAL)
    _fts_check(sqlite_url)
    with session_scope(sqlite_url) as s:  # the index keeps no copy of the text
        assert (
            s.execute(
                text("SELECT count(*) FROM sqlite_master WHERE name = 'discussion_fts_content'")
            ).scalar()
            == 0
        )
    with session_scope(sqlite_url, write=True) as s:  # a corrupt index is noticed
        s.execute(text("UPDATE turn SET reasoning = 'changed behind the index' WHERE id = 1"))
    with pytest.raises(Exception, match="malformed"):
        _fts_check(sqlite_url)


def test_a_store_opens_while_a_long_import_holds_the_write_lock(sqlite_url, tmp_path):
    """A new process (the app, `stats`, a job) reads the store during an import instead of
    waiting for its write lock and failing after the busy timeout."""
    store.import_file(write_jsonl(tmp_path / "a.jsonl", _items(3)), url=sqlite_url, actor=LOCAL)
    writer = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # as an import's one transaction does
    try:
        done = subprocess.run(
            [sys.executable, "-m", "app", "stats", "--db", sqlite_url],
            capture_output=True,
            text=True,
            timeout=20,
            cwd=ROOT,
        )
    finally:
        writer.rollback()
        writer.close()
    assert done.returncode == 0, done.stderr
    printed = {line.split()[0]: line.split()[1] for line in done.stdout.splitlines()[1:-1]}
    assert printed == {row["dataset"]: str(row["discussions"]) for row in store.stats(sqlite_url)}
    assert sum(map(int, printed.values())) == 3


@pytest.mark.parametrize("parallel", [False, True])
def test_progress_counts_discussions_read(sqlite_url, tmp_path, monkeypatch, parallel):
    if parallel:
        _small_blocks(monkeypatch)
    else:
        monkeypatch.setattr(store, "_BATCH", 4)
    seen: list[int] = []
    store.import_file(
        write_jsonl(tmp_path / "p.jsonl", _items(10)), url=sqlite_url, progress=seen.append, actor=LOCAL
    )
    assert seen == sorted(seen) and len(seen) >= 3 and seen[-1] == 10


def _die_on_third_block(path, dataset, default, block):
    if block[2] > 2:
        os._exit(9)  # as the kernel's OOM killer would end it
    return _parse_block(path, dataset, default, block)


def test_a_parser_that_dies_fails_the_import_and_loses_nothing(sqlite_url, tmp_path, monkeypatch):
    store.import_file(
        write_jsonl(tmp_path / "first.jsonl", [discussion(id="kept")]), url=sqlite_url, actor=LOCAL
    )
    _small_blocks(monkeypatch)
    monkeypatch.setattr(store, "_parse_block", _die_on_third_block)
    with pytest.raises(store.ParserDied, match=r"many\.jsonl: a parser process died"):
        store.import_file(write_jsonl(tmp_path / "many.jsonl", _items(8)), url=sqlite_url, actor=LOCAL)
    assert [d["id"] for d in _export(sqlite_url)] == ["kept"]


def test_imported_summary_columns_equal_the_ones_a_label_edit_recomputes(sqlite_url, tmp_path):
    """The bulk rows and the label-edit update both derive from `magdi.summary.DiscussionSummary`."""
    store.import_file(write_jsonl(tmp_path / "a.jsonl", _items(6)), url=sqlite_url, actor=LOCAL)
    columns = ", ".join(SUMMARY_COLUMNS)
    with session_scope(sqlite_url, write=True) as s:
        imported = s.execute(text(f"SELECT {columns} FROM discussion ORDER BY id")).all()
        assert {row.n_turns for row in imported} == {3, 4} and any(row.n_human for row in imported)
        s.execute(text(f"UPDATE discussion SET {', '.join(c + ' = 0' for c in SUMMARY_COLUMNS)}"))
        refresh_summaries(s, list(s.execute(text("SELECT id FROM discussion")).scalars()))
        assert s.execute(text(f"SELECT {columns} FROM discussion ORDER BY id")).all() == imported

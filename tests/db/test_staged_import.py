"""A SQLite import holds the store's write lock only to copy rows staged beforehand (db.bulk.
import_parsed): other writers save while it reads and stages its files, and an id that another
import stores in the meantime is refused (or skipped) under the lock, all or nothing. Real
SQLite files, real connections; the other writer runs from the import's own progress callback,
so it writes exactly while the import is reading its rows."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import text

from db import bulk, engine, labels
from db.engine import StoreBusy, session_scope
from magdi import formats
from tests.utils import discussion, write_jsonl


@pytest.fixture(autouse=True, params=["one chunk", "a chunk per batch"])
def chunks(request, monkeypatch) -> None:
    """Each test copies the staged rows in one chunk, and in a chunk per batch of 5 (db.bulk)."""
    if request.param == "a chunk per batch":
        monkeypatch.setattr(bulk, "CHUNK_NODES", 12)


def _batches(path: Path, dataset: str, per_batch: int = 5) -> list[bulk.ImportBatch]:
    """The file's discussions laid out as rows, a few per batch (a progress call after each)."""
    items = ((loc, dataset, d) for loc, d, _ in formats.read_discussions(path, "jsonl"))
    out = []
    while chunk := list(itertools.islice(items, per_batch)):
        out.append(bulk.layout(chunk))
    return out


def _file(tmp_path: Path, name: str, ids: list[str]) -> Path:
    return write_jsonl(tmp_path / f"{name}.jsonl", [discussion(id=i) for i in ids])


def _counts(url: str) -> tuple[int, ...]:
    with session_scope(url) as s:
        return tuple(
            s.execute(text(f"SELECT count(*) FROM {t}")).scalar()
            for t in ("discussion", "turn", "edge", "discussion_fts_docsize")
        )


def test_another_writer_saves_while_an_import_reads_its_rows(sqlite_url, tmp_path, monkeypatch):
    first = _file(tmp_path, "first", ["seed"])
    bulk.import_parsed(sqlite_url, [_batches(first, "seed")], tmp_path)
    with session_scope(sqlite_url) as s:
        turn_id = s.execute(text("SELECT min(id) FROM turn")).scalar()
    # A writer that meets the lock gives up at once: any wait for the import fails the save.
    monkeypatch.setattr(engine, "WRITE_WAIT_S", 0.2)
    saves = []

    def save_a_label(n: int) -> None:
        try:
            with session_scope(sqlite_url, write=True) as s:
                labels.set_label(s, turn_id, n % 2 == 0, who="other", note=f"during the import at {n}")
        except StoreBusy as exc:
            saves.append(exc)
        else:
            saves.append(n)

    big = _file(tmp_path, "big", [f"d{i}" for i in range(60)])
    [report] = bulk.import_parsed(sqlite_url, [_batches(big, "big")], tmp_path, progress=save_a_label)
    assert saves == [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60]  # every save went through
    assert report.added == {"big": 60} and report.turns == 360
    with session_scope(sqlite_url) as s:
        history = s.execute(text("SELECT count(*) FROM labelevent WHERE who = 'other'")).scalar()
        (human,) = s.execute(text("SELECT human_label FROM turn WHERE id = :i"), {"i": turn_id}).one()
    assert history == 12 and human == 1  # nothing lost: the last save (at 60) set True
    assert _counts(sqlite_url) == (61, 366, 9 * 61, 61)


def test_an_id_stored_by_another_import_meanwhile_refuses_the_whole_import(sqlite_url, tmp_path):
    ids = [f"d{i}" for i in range(20)]
    other = _file(tmp_path, "other", ["d7"])
    done = []

    def other_import(n: int) -> None:  # another import commits d7 while this one stages
        if not done:
            done.append(bulk.import_parsed(sqlite_url, [_batches(other, "set")], tmp_path / "o"))

    (tmp_path / "o").mkdir()
    assert _counts(sqlite_url) == (0, 0, 0, 0)
    with pytest.raises(bulk.StoreError, match=r"discussion id 'd7' is already in dataset 'set'") as caught:
        bulk.import_parsed(
            sqlite_url, [_batches(_file(tmp_path, "set", ids), "set")], tmp_path, progress=other_import
        )
    assert caught.value.location == 8 and caught.value.file == 0  # d7 is line 8
    assert _counts(sqlite_url) == (1, 6, 9, 1)  # only the other import's discussion


def test_with_skip_existing_a_late_id_is_skipped_and_counted(sqlite_url, tmp_path):
    other = _file(tmp_path, "other", ["d3", "d12"])
    (tmp_path / "o").mkdir()
    done = []

    def other_import(n: int) -> None:
        if not done:
            done.append(bulk.import_parsed(sqlite_url, [_batches(other, "set")], tmp_path / "o"))

    files = [_batches(_file(tmp_path, "a", [f"d{i}" for i in range(10)]), "set")]
    files.append(_batches(_file(tmp_path, "b", [f"d{i}" for i in range(10, 15)]), "set"))
    a, b = bulk.import_parsed(sqlite_url, files, tmp_path, skip_existing=True, progress=other_import)
    assert (a.added, a.skipped, a.turns, a.edges) == ({"set": 9}, 1, 54, 81)
    assert (b.added, b.skipped, b.turns, b.edges) == ({"set": 4}, 1, 24, 36)
    assert _counts(sqlite_url) == (15, 90, 135, 15)
    with session_scope(sqlite_url) as s:
        found = s.execute(text("SELECT rowid FROM discussion_fts WHERE discussion_fts MATCH 'eggs'")).all()
        stored = s.execute(text("SELECT count(DISTINCT external_id) FROM discussion")).scalar()
        orphans = s.execute(text("PRAGMA foreign_key_check")).all()
    assert len(found) == 15 and stored == 15 and orphans == []

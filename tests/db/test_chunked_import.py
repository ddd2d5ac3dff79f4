"""A SQLite import copies its staged rows in chunks, each its own short transaction, and publishes
them with one last transaction (db.bulk, db.visibility): readers between two chunks see the store as
it was, a failure in any chunk removes the chunks copied, and the rows of an import killed between
chunks are never shown and are removed by the next import. Real SQLite files, real processes."""

from __future__ import annotations

import io
import itertools
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app.jobkinds import train
from app.services import browse, datasets, mag_view, overview, review, store, tasks
from app.services.auth import LOCAL
from app.services.filters import Filter
from db import bulk
from db.discussions import BeingImported, create_discussion
from db.engine import session_scope
from magdi import formats
from tests.utils import discussion, turn, write_jsonl
from tests.utils.rows import fingerprint

CHUNK = 12  # nodes per copy transaction here: two 6-node discussions
# row counts that tell what an import left: its rows, its pending state, hidden datasets
_TABLES = ("discussion", "turn", "edge", "discussion_fts_docsize", "pending_import", "pending_range")
_TABLES += ("dataset WHERE import_id IS NOT NULL",)
_SEGMENTS = {"discussion_fts_data", "discussion_fts_idx"}  # the search index's own segments
_MATCH = "SELECT rowid FROM discussion_fts WHERE discussion_fts MATCH :q ORDER BY rowid"


def _stranger(i: int) -> dict:
    """A discussion no reader of the store before the import can mistake for a stored one."""
    turns = [turn(agent, rnd, "7", reasoning=f"zebra step {rnd}") for rnd in (0, 1) for agent in "xyz"]
    return discussion(id=f"z{i}", task="aqua", gold="7", question=f"Zebra question {i}?", turns=turns)


def _batches(path: Path, dataset: str) -> list[bulk.ImportBatch]:
    items = ((loc, dataset, d) for loc, d, _ in formats.read_discussions(path, "jsonl"))
    return [bulk.layout(chunk) for chunk in iter(lambda: list(itertools.islice(items, 2)), [])]


def _seeded(url: str, tmp_path: Path) -> None:
    seed = write_jsonl(tmp_path / "seed.jsonl", [discussion(id=f"s{i}") for i in range(4)])
    store.import_file(seed, dataset="seed", url=url, actor=LOCAL)
    tasks.create_task("all nodes", Filter(), overlap=1, actor=LOCAL, url=url)


def _seen(url: str, tmp_path: Path) -> tuple:
    """What every reader shows: Browse (list, search, navigation), a MAG by its id or name, counts,
    the overview, the review and annotation queues, dataset lists, an export and a training job's
    frozen data."""
    out = io.StringIO()
    store.export_discussions(out, actor=LOCAL, url=url)
    page = browse.browse(Filter(), url=url)
    frozen = train.freeze({}, {"seed": 0, "validation": 0.25, "test": 0.25}, tmp_path / "frozen", url)
    [task] = tasks.list_tasks(actor=LOCAL, url=url)
    return (
        out.getvalue(),
        [r["id"] for r in page.rows],
        page.total,
        browse.browse(Filter(search="zebra"), url=url).total,
        browse.ordered_ids(Filter(), sort="review", descending=True, url=url),
        [mag_view.discussion(i, url=url) for i in range(1, 20)],  # a MAG opened by its id
        mag_view.find_discussion("new", "z0", url=url),
        browse.store_stamp(url),
        overview.overview(url=url),
        overview.accuracy(url=url),
        review.review_queue(url=url),
        tasks.next_items(task.id, actor=LOCAL, limit=50, url=url),
        tasks.progress(task.id, actor=LOCAL, url=url),
        store.dataset_names(url),
        store.stats(url),
        datasets.list_datasets(url),
        (frozen["counts"], (tmp_path / "frozen" / "data.jsonl").read_text()),
    )


def test_readers_between_chunks_see_none_of_the_import(sqlite_url, tmp_path, monkeypatch):
    _seeded(sqlite_url, tmp_path)
    before = _seen(sqlite_url, tmp_path)
    monkeypatch.setattr(bulk, "CHUNK_NODES", CHUNK)
    new = _batches(write_jsonl(tmp_path / "new.jsonl", [_stranger(i) for i in range(8)]), "new")
    more = _batches(write_jsonl(tmp_path / "more.jsonl", [_stranger(i) for i in range(8, 12)]), "seed")
    between = []

    def read_between(n: int) -> None:
        with session_scope(sqlite_url) as s:
            stored = s.execute(text("SELECT count(*) FROM discussion")).scalar()
        between.append((n, stored, _seen(sqlite_url, tmp_path) == before))

    a, b = bulk.import_parsed(sqlite_url, [new, more], tmp_path, copied=read_between)
    # 6 chunks of 2 discussions, each committed (the store holds its rows) and seen by no reader
    assert between == [
        (2, 6, True),
        (4, 8, True),
        (6, 10, True),
        (8, 12, True),
        (10, 14, True),
        (12, 16, True),
    ]
    assert a.added == {"new": 8} and b.added == {"seed": 4}
    after = _seen(sqlite_url, tmp_path)
    assert after[2] == 16 and after[3] == 12  # all of them at once, searchable
    assert store.dataset_names(sqlite_url) == ["new", "seed"]
    with session_scope(sqlite_url) as s:
        left = s.execute(text("SELECT count(*) FROM pending_import")).scalar()
        left += s.execute(text("SELECT count(*) FROM pending_range")).scalar()
        hidden = s.execute(text("SELECT count(*) FROM dataset WHERE import_id IS NOT NULL")).scalar()
        orphans = s.execute(text("PRAGMA foreign_key_check")).all()
    assert (left, hidden, orphans) == (0, 0, [])


def test_an_error_in_a_later_chunk_leaves_the_store_as_it_was(sqlite_url, tmp_path, monkeypatch):
    _seeded(sqlite_url, tmp_path)
    monkeypatch.setattr(bulk, "CHUNK_NODES", CHUNK)
    rival = _batches(write_jsonl(tmp_path / "rival.jsonl", [_stranger(7)]), "new")
    (tmp_path / "rival").mkdir()
    done = []

    def rival_import(n: int) -> None:  # after chunk 1 another import stores z7, which is in chunk 4
        if not done:
            done.append(bulk.import_parsed(sqlite_url, [rival], tmp_path / "rival"))

    mine = _batches(write_jsonl(tmp_path / "new.jsonl", [_stranger(i) for i in range(9)]), "new")
    with pytest.raises(bulk.StoreError, match=r"discussion id 'z7' is already in dataset 'new'") as caught:
        bulk.import_parsed(sqlite_url, [mine], tmp_path, copied=rival_import)
    assert caught.value.location == 8
    # The error path removed chunks 1 to 3: the store holds the seed and the rival's z7, no more.
    with session_scope(sqlite_url) as s:
        rows = [s.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in _TABLES]
        ids = s.execute(text("SELECT external_id FROM discussion WHERE external_id LIKE 'z%'")).scalars()
        ids = list(ids)
        s.execute(text("INSERT INTO discussion_fts (discussion_fts, rank) VALUES ('integrity-check', 1)"))
        found = s.execute(text(_MATCH), {"q": "zebra"}).scalars().all()
    assert rows == [5, 30, 45, 5, 0, 0, 0] and ids == ["z7"] and len(found) == 1
    assert store.dataset_names(sqlite_url) == ["new", "seed"]  # the rival published "new"


def test_a_dataset_deleted_during_the_import_stops_it_cleanly(sqlite_url, tmp_path, monkeypatch):
    _seeded(sqlite_url, tmp_path)
    monkeypatch.setattr(bulk, "CHUNK_NODES", CHUNK)
    more = _batches(write_jsonl(tmp_path / "more.jsonl", [_stranger(i) for i in range(6)]), "seed")

    def delete_seed(n: int) -> None:
        if n == 2:
            datasets.delete("seed", actor=LOCAL, url=sqlite_url)

    with pytest.raises(bulk.ImportInterrupted, match="dataset 'seed' was deleted"):
        bulk.import_parsed(sqlite_url, [more], tmp_path, copied=delete_seed)
    with session_scope(sqlite_url) as s:  # the delete took chunk 1, the error path chunks 2 and 3
        rows = [s.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in _TABLES]
    assert rows == [0, 0, 0, 0, 0, 0, 0]


KILLED = """
import os, signal, sys
from db import bulk
from app.services import store
from app.services.auth import LOCAL

bulk.CHUNK_NODES, store._BATCH = 12, 2  # chunks of two discussions
def die(n):
    if n == 4:  # after the second chunk's commit: kill -9, nothing runs after
        os.kill(os.getpid(), signal.SIGKILL)
real = bulk.import_parsed
bulk.import_parsed = lambda *a, **k: real(*a, **k, copied=die)
store.import_file(sys.argv[1], dataset="new", url=sys.argv[2], actor=LOCAL)
"""


def test_an_import_killed_between_chunks_is_never_seen_and_is_removed(sqlite_url, tmp_path):
    _seeded(sqlite_url, tmp_path)
    seen = _seen(sqlite_url, tmp_path)
    path = write_jsonl(tmp_path / "new.jsonl", [_stranger(i) for i in range(9)])
    killed = subprocess.run(
        [sys.executable, "-c", KILLED, str(path), sqlite_url], capture_output=True, text=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    with session_scope(sqlite_url) as s:
        stored = s.execute(text("SELECT count(*) FROM discussion")).scalar()
    assert stored == 8  # two chunks of two discussions are in the file ...
    assert _seen(sqlite_url, tmp_path) == seen  # ... and no reader shows any of them
    [report] = store.import_files([path], dataset="new", url=sqlite_url, actor=LOCAL)  # removes them first
    assert report.added == {"new": 9}
    assert browse.browse(Filter(search="zebra"), url=sqlite_url).total == 9


def test_the_rows_of_an_abandoned_import_are_removed_when_the_server_starts(sqlite_url, tmp_path):
    _seeded(sqlite_url, tmp_path)
    before = fingerprint(sqlite_url)
    path = write_jsonl(tmp_path / "new.jsonl", [_stranger(i) for i in range(9)])
    killed = subprocess.run(
        [sys.executable, "-c", KILLED, str(path), sqlite_url], capture_output=True, text=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert fingerprint(sqlite_url) != before
    assert len(store.remove_abandoned_imports(sqlite_url)) == 1  # as the server does when it starts
    # Every row of every table as it was, but for the search index's segments: it records removals
    # in new ones (merging them would rewrite the whole index); what it finds is as it was.
    after = fingerprint(sqlite_url)
    assert {t: rows for t, rows in after.items() if t not in _SEGMENTS} == {
        t: rows for t, rows in before.items() if t not in _SEGMENTS
    }
    with session_scope(sqlite_url) as s:
        s.execute(text("INSERT INTO discussion_fts (discussion_fts, rank) VALUES ('integrity-check', 1)"))
        found = [s.execute(text(_MATCH), {"q": q}).scalars().all() for q in ("zebra", "eggs")]
    assert found == [[], [1, 2, 3, 4]]
    assert store.remove_abandoned_imports(sqlite_url) == []


def test_a_discussion_job_cannot_write_into_an_import_not_yet_published(sqlite_url, tmp_path):
    _seeded(sqlite_url, tmp_path)
    path = write_jsonl(tmp_path / "new.jsonl", [_stranger(i) for i in range(9)])
    killed = subprocess.run(
        [sys.executable, "-c", KILLED, str(path), sqlite_url], capture_output=True, text=True
    )
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    question = dict(task="aqua", question="Zebra question 0?", options=None, gold_answer="7")
    with pytest.raises(BeingImported, match="discussion 'z0' of dataset 'new' is being imported"):
        with session_scope(sqlite_url, write=True) as s:
            create_discussion(s, dataset="new", external_id="z0", **question)
    store.remove_abandoned_imports(sqlite_url)
    with session_scope(sqlite_url, write=True) as s:
        assert create_discussion(s, dataset="new", external_id="z0", **question) == 5

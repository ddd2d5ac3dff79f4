"""The store under load (db.engine): writers that meet the write lock wait for it with a bound,
then fail with StoreBusy having written nothing; imports take the lock only to insert, and
imports running at once all succeed or fail cleanly. Real SQLite (and PostgreSQL when
configured), real processes, a real other connection holding the lock."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from app.services import annotate, store
from app.services.auth import Actor, Role
from db import engine
from db.engine import StoreBusy, session_scope
from tests.conftest import ROOT
from tests.utils import discussion, write_jsonl


@contextmanager
def lock_held(url: str) -> Iterator[None]:
    """Another program holds the store's write lock (SQLite) or the turn table (PostgreSQL)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
    else:
        u = make_url(url)
        conn = psycopg.connect(host=u.host, port=u.port, user=u.username, dbname=u.database)
        conn.execute("LOCK TABLE turn IN EXCLUSIVE MODE")
    try:
        yield
    finally:
        conn.rollback() if not url.startswith("sqlite") else conn.execute("ROLLBACK")
        conn.close()


def _first_turn(url: str) -> tuple[int, bool]:
    with session_scope(url) as s:
        row = s.execute(text("SELECT id, auto_label FROM turn ORDER BY id LIMIT 1")).one()
        return row.id, bool(row.auto_label)


def _human_label(url: str, turn_id: int) -> bool | None:
    with session_scope(url) as s:
        value = s.execute(text("SELECT human_label FROM turn WHERE id = :i"), {"i": turn_id}).scalar()
        return None if value is None else bool(value)


def test_a_label_save_that_cannot_get_the_lock_says_the_store_is_busy(db_url, monkeypatch):
    store.load_demo_if_empty(db_url)
    turn_id, auto = _first_turn(db_url)
    monkeypatch.setattr(engine, "WRITE_WAIT_S", 0.5)
    with lock_held(db_url):
        started = time.monotonic()
        result = annotate.set_label(turn_id, not auto, actor=Actor("alice", Role.ANNOTATOR), url=db_url)
        waited = time.monotonic() - started
        bulk = annotate.bulk_label(
            annotate.BulkScope(), not auto, actor=Actor("alice", Role.ANNOTATOR), url=db_url
        )
    assert not bulk.ok and bulk.message.startswith("the store is busy")
    assert not result.ok and not result.stale
    assert result.message.startswith("the store is busy: another writer held it for more than")
    assert "nothing was saved" in result.message
    assert 0.4 < waited < 10
    assert _human_label(db_url, turn_id) is None  # nothing written
    assert annotate.set_label(
        turn_id, not auto, actor=Actor("alice", Role.ANNOTATOR), url=db_url
    ).ok  # free again: saved
    assert _human_label(db_url, turn_id) is (not auto)


def test_a_writer_waits_for_a_short_hold_and_then_writes(sqlite_url, monkeypatch):
    store.stats(sqlite_url)
    monkeypatch.setattr(engine, "WRITE_WAIT_S", 20)
    conn = sqlite3.connect(
        sqlite_url.removeprefix("sqlite:///"), isolation_level=None, check_same_thread=False
    )
    conn.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.5, lambda: conn.execute("ROLLBACK"))
    release.start()
    started = time.monotonic()
    with session_scope(sqlite_url, write=True) as s:  # retried with backoff until the lock is free
        s.execute(text("UPDATE job SET name = 'x' WHERE id = -1"))
    assert time.monotonic() - started > 1.0
    release.join()
    conn.close()
    with pytest.raises(StoreBusy):  # and a hold past the bound fails instead of waiting on
        monkeypatch.setattr(engine, "WRITE_WAIT_S", 0.3)
        with lock_held(sqlite_url), session_scope(sqlite_url, write=True) as s:
            s.execute(text("UPDATE job SET name = 'x' WHERE id = -1"))


def _file(tmp_path, name: str, n: int, *, broken: bool = False):
    items = [discussion(id=f"{name}-{i}") for i in range(n)]
    path = write_jsonl(tmp_path / f"{name}.jsonl", items)
    if broken:  # a bad last line: the whole file is refused
        with open(path, "a") as fh:
            fh.write(json.dumps({"id": "bad", "turns": "not a list"}) + "\n")
    return path


def test_imports_running_at_once_all_succeed_or_fail_cleanly(db_url, tmp_path):
    store.stats(db_url)  # the store exists before the imports race
    files = [_file(tmp_path, f"set{k}", 300) for k in range(4)] + [_file(tmp_path, "bad", 50, broken=True)]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "app", "import", str(f), "--db", db_url],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for f in files
    ]
    outs = [p.communicate(timeout=300) for p in procs]
    codes = [p.returncode for p in procs]
    assert codes == [0, 0, 0, 0, 2], outs
    assert all("Traceback" not in err for _, err in outs)
    assert outs[-1][1].startswith(f"error: {files[-1]}:51:")
    assert {s["dataset"]: s["discussions"] for s in store.stats(db_url)} == {f"set{k}": 300 for k in range(4)}

"""Engine and sessions. Any SQLAlchemy URL via MAGDI_DATABASE_URL; a SQLite file by default.

SQLite runs in WAL mode with foreign keys on (off only inside a bulk-load transaction). Write
units start with BEGIN IMMEDIATE so that two writers queue on the busy timeout instead of failing
when a read lock cannot be upgraded.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, inspect, text
from sqlmodel import Session, SQLModel

from db import models  # noqa: F401  (registers the tables)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'magdi.db'}"
CACHE_KIB = 64 * 1024  # SQLite page cache per connection; bulk imports raise it for themselves
PAGE_BYTES = 16384  # fewer, larger pages: bulk imports write ~8% faster, browsing is unchanged


def database_url(url: str | None = None) -> str:
    return url or os.environ.get("MAGDI_DATABASE_URL") or DEFAULT_URL


def is_sqlite(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "sqlite"


_ENGINE_LOCK = threading.Lock()


def get_engine(url: str | None = None) -> Engine:
    """One engine per URL and process (resolved now, so a changed environment is honoured)."""
    with _ENGINE_LOCK:  # threads of a job ask for the engine at once
        return _engine(database_url(url))


@cache
def _engine(url: str) -> Engine:
    """Create the engine and, on first use, the schema."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    if is_sqlite(engine):
        _configure_sqlite(engine)
    init_db(engine)
    return engine


def _use_wal(cur: sqlite3.Cursor) -> None:
    """Switch a new store to WAL (a property of the file, so only its first connection does).

    Switching fails at once with "database is locked" while another connection holds a lock,
    without waiting on the busy timeout: connections racing to create a store retry.
    """
    deadline = time.monotonic() + 30
    while cur.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
        try:
            cur.execute("PRAGMA journal_mode=WAL")
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record) -> None:
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves (below)
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA page_size={PAGE_BYTES}")  # takes effect only in a new store
        _use_wal(cur)
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        options = conn.get_execution_options()
        # Only settable outside a transaction, so every transaction states its own.
        conn.exec_driver_sql(f"PRAGMA foreign_keys={'OFF' if options.get('bulk_load') else 'ON'}")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("sqlite_immediate") else "BEGIN")


def _schema_ready(engine: Engine) -> bool:
    """Whether the store already has everything `init_db` creates; read without a write lock,
    so a process that opens a store during a long import does not wait for it."""
    search = "discussion_fts" if is_sqlite(engine) else "discussion_search"
    with engine.connect() as conn:
        found = inspect(conn)
        names = set(found.get_table_names()) | set(found.get_view_names())
        if not set(SQLModel.metadata.tables) | {search, "discussion_text"} <= names:
            return False
        if is_sqlite(engine) and "content=" not in conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'discussion_fts'").scalar():
            return False  # the old self-contained index: rebuilt below
        return conn.execute(text(
            "SELECT 1 FROM storemeta WHERE key = 'label_revision'")).first() is not None


_POSTGRES_SCHEMA_LOCK = 7238411  # advisory lock key: one process creates the schema


def init_db(engine: Engine) -> None:
    """Create tables, full-text search structures and the label revision counter."""
    if _schema_ready(engine):
        return
    if is_sqlite(engine):  # several processes may start at once: take the write lock first
        engine = engine.execution_options(sqlite_immediate=True)
    with engine.begin() as conn:
        if not is_sqlite(engine):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_POSTGRES_SCHEMA_LOCK})")  # one creator at a time
        SQLModel.metadata.create_all(conn)
        if is_sqlite(engine):
            _create_sqlite_search(conn)
        else:
            conn.exec_driver_sql(_POSTGRES_TEXT_VIEW)
            conn.exec_driver_sql(
                "CREATE TABLE IF NOT EXISTS discussion_search ("
                "discussion_id INTEGER PRIMARY KEY REFERENCES discussion(id) ON DELETE CASCADE,"
                " tsv tsvector NOT NULL)")
            conn.exec_driver_sql(
                "CREATE INDEX IF NOT EXISTS ix_discussion_search_tsv "
                "ON discussion_search USING GIN (tsv)")
        conn.execute(text(
            "INSERT INTO storemeta (key, value) SELECT 'label_revision', 0 "
            "WHERE NOT EXISTS (SELECT 1 FROM storemeta WHERE key = 'label_revision')"))


# What the full-text index holds for a discussion: its question and its turns' reasoning in
# insertion order. SQLite's index reads this view (external content) instead of keeping a copy.
_POSTGRES_TEXT_VIEW = (
    "CREATE OR REPLACE VIEW discussion_text AS SELECT id, question, "
    "(SELECT string_agg(reasoning, E'\\n' ORDER BY id) FROM turn "
    "WHERE turn.discussion_id = discussion.id) AS reasoning FROM discussion")
_SQLITE_TEXT_VIEW = (
    "CREATE VIEW IF NOT EXISTS discussion_text AS SELECT id, question, "
    "(SELECT group_concat(reasoning, char(10)) FROM (SELECT reasoning FROM turn "
    "WHERE turn.discussion_id = discussion.id ORDER BY turn.id)) AS reasoning FROM discussion")
_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE discussion_fts USING fts5(question, reasoning, "
    "content='discussion_text', content_rowid='id', tokenize='unicode61 remove_diacritics 2')")


def _create_sqlite_search(conn) -> None:
    """FTS5 over `discussion_text`; a store made before that view gets its index rebuilt."""
    conn.exec_driver_sql(_SQLITE_TEXT_VIEW)
    found = conn.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE name = 'discussion_fts'").scalar()
    if found is not None and "content=" in found:
        return
    if found is not None:  # the index used to keep its own copy of the text
        conn.exec_driver_sql("DROP TABLE discussion_fts")
    conn.exec_driver_sql(_SQLITE_FTS)
    conn.exec_driver_sql("INSERT INTO discussion_fts (discussion_fts) VALUES ('rebuild')")


@contextmanager
def session_scope(url: str | None = None, *, write: bool = False,
                  bulk_load: bool = False) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any error.

    `bulk_load` (SQLite) skips foreign-key checks, for imports whose rows reference only rows
    they insert themselves or that already exist.
    """
    engine = get_engine(url)
    if write and is_sqlite(engine):
        engine = engine.execution_options(sqlite_immediate=True, bulk_load=bulk_load)
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def snapshot_scope(url: str | None = None) -> Iterator[Session]:
    """A read-only unit of work whose queries all see one snapshot of the store.

    SQLite (WAL) read transactions are snapshots already; PostgreSQL needs REPEATABLE READ.
    """
    engine = get_engine(url)
    if not is_sqlite(engine):
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
        finally:
            session.rollback()

"""Engine and sessions. Any SQLAlchemy URL via MAGDI_DATABASE_URL; a SQLite file by default.

The first use of a store in a process brings its schema up to date (`db.migrations`).
SQLite runs in WAL mode with foreign keys on (off only inside a bulk-load transaction). Write
units start with BEGIN IMMEDIATE so that two writers queue instead of failing when a read lock
cannot be upgraded. A writer that meets the write lock retries with backoff for up to
`WRITE_WAIT_S` (PostgreSQL: waits as long for row and table locks), then raises `StoreBusy`:
nothing was written, and the caller can say "the store is busy" instead of showing a traceback.
"""

from __future__ import annotations

import logging
import os
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlmodel import Session

from db import migrations, models, visibility  # noqa: F401  (the tables; the readers' filter)

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = f"sqlite:///{ROOT / 'var' / 'magdi.db'}"
CACHE_KIB = 64 * 1024  # SQLite page cache per connection; bulk imports raise it for themselves
PAGE_BYTES = 16384  # fewer, larger pages: bulk imports write ~8% faster, browsing is unchanged
# How long a writer waits for the write lock before StoreBusy. The longest writer, an import,
# holds the lock only while it copies in rows parsed, checked and staged beforehand (bench/store.py
# measures it), so this is reached when something holds the store far longer (another program, say).
WRITE_WAIT_S = float(os.environ.get("MAGDI_WRITE_WAIT_S", "30"))
_BUSY_MS = 1000  # SQLite's own wait (busy handler) per attempt, within WRITE_WAIT_S


class StoreBusy(RuntimeError):
    """A write could not get the store's write lock within WRITE_WAIT_S; nothing was written."""

    def __init__(self, waited_s: float):
        super().__init__(
            f"the store is busy: another writer held it for more than {waited_s:.0f} s, so nothing "
            "was saved; try again in a moment"
        )


def _is_lock_error(error: BaseException) -> bool:
    """SQLite's "database is locked"/"busy", or PostgreSQL's lock_timeout (SQLSTATE 55P03)."""
    if not isinstance(error, exc.OperationalError):
        return False
    orig = error.orig
    return getattr(orig, "sqlstate", None) == "55P03" or any(
        w in str(orig).lower() for w in ("database is locked", "database is busy")
    )


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
    """The engine, its store upgraded to the code's schema on first use (`db.migrations`)."""
    engine = schema_engine(url)
    done = migrations.upgrade(engine)
    if done is not None and not done.new:  # an existing store changed: say so (and its copy)
        logging.getLogger(__name__).warning("%s", done)
    return engine


@cache
def schema_engine(url: str) -> Engine:
    """The engine as it is, schema untouched: for `db current`, and for the upgrade itself."""
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///:memory:"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, connect_args={"timeout": 30} if url.startswith("sqlite") else {})
    if is_sqlite(engine):
        _configure_sqlite(engine)
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
        cur.execute(f"PRAGMA busy_timeout={min(_BUSY_MS, int(WRITE_WAIT_S * 1000))}")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn) -> None:
        options = conn.get_execution_options()
        # Only settable outside a transaction, so every transaction states its own.
        conn.exec_driver_sql(f"PRAGMA foreign_keys={'OFF' if options.get('bulk_load') else 'ON'}")
        if options.get("sqlite_immediate"):
            _begin_immediate(conn)
        else:
            conn.exec_driver_sql("BEGIN")


def _begin_immediate(conn: Connection) -> None:
    """BEGIN IMMEDIATE (take the write lock), retried with jittered exponential backoff while
    another writer holds it, for up to WRITE_WAIT_S; then StoreBusy. Nothing has been done in
    the transaction yet, so a retry is always safe."""
    started = time.monotonic()
    pause = 0.02
    while True:
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
            return
        except exc.OperationalError as error:
            waited = time.monotonic() - started
            if not _is_lock_error(error):
                raise
            if waited >= WRITE_WAIT_S:
                raise StoreBusy(waited) from None
            time.sleep(min(pause * random.uniform(0.5, 1.5), max(0.0, WRITE_WAIT_S - waited)))
            pause = min(pause * 2, 1.0)


@contextmanager
def session_scope(
    url: str | None = None, *, write: bool = False, bulk_load: bool = False
) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back on any error.

    `bulk_load` (SQLite) skips foreign-key checks, for imports whose rows reference only rows
    they insert themselves or that already exist.
    """
    engine = get_engine(url)
    postgres = not is_sqlite(engine)
    if write and not postgres:
        engine = engine.execution_options(sqlite_immediate=True, bulk_load=bulk_load)
    started = time.monotonic()
    with Session(engine, expire_on_commit=False) as session:
        try:
            if write and postgres:  # a bounded wait for locks, as on SQLite
                session.execute(text(f"SET LOCAL lock_timeout = '{int(WRITE_WAIT_S * 1000)}ms'"))
            yield session
            session.commit()
        except exc.OperationalError as error:
            session.rollback()
            if _is_lock_error(error):  # e.g. a lock met inside a transaction not begun for writing
                raise StoreBusy(time.monotonic() - started) from error
            raise
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

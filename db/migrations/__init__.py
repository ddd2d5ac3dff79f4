"""Schema migrations of the store (Alembic), applied when a process first opens a store.

`upgrade` reads the store's revision without any lock; only a store behind the code takes the
schema lock (SQLite: BEGIN IMMEDIATE; PostgreSQL: an advisory lock), reads the revision again
(another process may have upgraded it meanwhile), copies a SQLite file aside and runs the
migrations in that one transaction. A store made before migrations (tables, no `alembic_version`)
goes through the baseline, which creates only what such a store lacks. A store at a revision this
code does not know was upgraded by newer code: it is refused, never touched.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, inspect

HERE = Path(__file__).resolve().parent
_POSTGRES_SCHEMA_LOCK = 7238411  # advisory lock key: one process upgrades the schema
# Made by hand in the migrations (full-text search), so not compared with the models.
SEARCH_OBJECTS = ("discussion_fts", "discussion_search", "discussion_text")
# Expression indexes made by hand in the migrations (each dialect spells their SQL its own way).
HAND_MADE_INDEXES = ("ix_turn_queue",)


class StoreTooNew(RuntimeError):
    """The store's revision is not one of this code's: newer code upgraded it."""


@dataclass
class Upgrade:
    before: str | None  # None: a new store, or one made before migrations
    after: str
    new: bool  # the store was empty: its schema was made
    backup: Path | None = None

    def __str__(self) -> str:
        if self.new:
            return f"made the schema of a new store (revision {self.after})"
        return f"upgraded the store from {self.before or 'no revision'} to {self.after}" + (
            f"; the old store is copied to {self.backup}" if self.backup else ""
        )


def config(connection: Connection | None = None) -> Config:
    """Alembic's configuration, from code: no alembic.ini or working directory is needed."""
    cfg = Config()
    cfg.set_main_option("script_location", str(HERE))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.attributes["connection"] = connection
    return cfg


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(config())


def head() -> str:
    return _script().get_current_head()


def history() -> list[str]:
    """One line per revision, newest first: `id (after parent): message`."""
    return [
        f"{s.revision} ({'after ' + s.down_revision if s.down_revision else 'baseline'}): {s.doc}"
        for s in _script().walk_revisions()
    ]


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Autogenerate leaves the hand-made search objects alone (they are in no model)."""
    owner = (
        obj.table.name
        if type_ in ("index", "column", "unique_constraint", "foreign_key_constraint")
        else name
    )
    return not (owner or "").startswith(SEARCH_OBJECTS) and not (
        type_ == "index" and name in HAND_MADE_INDEXES
    )


def stored_revision(conn: Connection) -> str | None:
    """The store's revision; None where there is no `alembic_version` table (yet)."""
    if not inspect(conn).has_table("alembic_version"):
        return None
    return conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def known(revision: str | None) -> bool:
    """Whether this code can upgrade a store at `revision` (None: no revision yet)."""
    return revision is None or revision in {s.revision for s in _script().walk_revisions()}


def _check_known(revision: str | None, engine: Engine) -> None:
    if not known(revision):
        raise StoreTooNew(
            f"the store {engine.url.render_as_string(hide_password=True)} is at schema revision "
            f"{revision!r}, which this code does not know (its newest is {head()!r}): newer code "
            f"has upgraded it. Run that newer version, or point MAGDI_DATABASE_URL at another "
            f"store (a SQLite store's copy from before the upgrade is beside it, *.bak-*)."
        )


def upgrade(engine: Engine) -> Upgrade | None:
    """Bring the store to the code's head revision; None when it was there already."""
    target = head()
    with engine.connect() as conn:  # a plain read: no lock, so a long import blocks nobody
        found = stored_revision(conn)
    if found == target:
        return None
    _check_known(found, engine)
    with _schema_lock(engine) as conn:
        found = stored_revision(conn)
        if found == target:  # another process upgraded it meanwhile
            return None
        _check_known(found, engine)
        new = found is None and not inspect(conn).get_table_names()
        backup = _backup(engine, found) if engine.dialect.name == "sqlite" and not new else None
        command.upgrade(config(conn), "head")
        if engine.dialect.name == "sqlite":
            _check_foreign_keys(conn)
    return Upgrade(found, target, new, backup)


@contextmanager
def _schema_lock(engine: Engine) -> Iterator[Connection]:
    """One transaction that holds the schema lock. SQLite runs it with foreign keys off (a
    table rebuilt in batch mode is dropped and renamed; dropping it with them on would cascade)
    and with the legacy ALTER TABLE (renames that do not re-check views meanwhile broken)."""
    if engine.dialect.name == "sqlite":
        with engine.execution_options(sqlite_immediate=True, bulk_load=True).begin() as conn:
            conn.exec_driver_sql("PRAGMA legacy_alter_table=ON")
            try:
                yield conn
            finally:
                conn.exec_driver_sql("PRAGMA legacy_alter_table=OFF")
    else:
        with engine.begin() as conn:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_POSTGRES_SCHEMA_LOCK})")
            yield conn


def _check_foreign_keys(conn: Connection) -> None:
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").all()
    if broken:
        raise RuntimeError(f"the migration left rows with broken foreign keys: {broken[:5]}")


def _backup(engine: Engine, revision: str | None) -> Path:
    """Copy the store aside with SQLite's backup API (which reads the WAL too)."""
    path = Path(engine.url.database)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.bak-{revision or 'unversioned'}-{stamp}")
    source, copy = sqlite3.connect(path), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
    return target

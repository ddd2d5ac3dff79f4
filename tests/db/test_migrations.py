"""Schema migrations (db.migrations) on SQLite and PostgreSQL.

The store of release 13b2f0b (the last made without migrations: demo data, label edits, a queued
job) comes from the SQL dumps `tests/data/store-13b2f0b.sqlite.sql` and `.postgresql.sql`, written
by `tests/data/store-13b2f0b.make.py` with that release's code (its docstring has the command).
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import MetaData, create_engine, func, inspect, select, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from app.services import store
from app.services.auth import LOCAL
from db import browsing, engine, labels, migrations
from db.engine import session_scope
from tests.conftest import ROOT

DATA = ROOT / "tests" / "data"


def _load_release(url: str) -> None:
    """Fill the empty store at `url` from the dump of a 13b2f0b store (as that release left it)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"))
        conn.execute(f"PRAGMA page_size={engine.PAGE_BYTES}")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.executescript((DATA / "store-13b2f0b.sqlite.sql").read_text())
        conn.close()
        return
    u = make_url(url)
    with psycopg.connect(
        host=u.host, port=u.port, user=u.username, password=u.password, dbname=u.database, autocommit=True
    ) as conn:
        conn.execute((DATA / "store-13b2f0b.postgresql.sql").read_text())


Contents = dict[str, tuple[list[str], list[tuple]]]  # table: its columns, its rows


def _contents(url: str, like: Contents | None = None) -> Contents:
    """Every row of every model table in the store, read without the app (so not upgraded);
    with `like`, only its tables and columns (later migrations may add some)."""
    raw = create_engine(url)
    try:
        with raw.connect() as conn:
            names = set(inspect(conn).get_table_names()) & set(SQLModel.metadata.tables)
            meta = MetaData()
            meta.reflect(conn, only=sorted(like or names))
            found = {}
            for name in sorted(like or names):  # (reflect adds the tables they reference)
                table = meta.tables[name]
                cols = like[name][0] if like else [c.name for c in table.columns]
                query = select(*(table.c[c] for c in cols)).order_by(*table.primary_key.columns)
                found[name] = (cols, conn.execute(query).all())
            return found
    finally:
        raw.dispose()


def _unchanged(url: str, before: Contents) -> bool:
    """Whether the tables and columns read into `before` still hold exactly those rows."""
    return _contents(url, before) == before


def _mentioning(contents: Contents, word: str) -> list[int]:
    """Ids of the discussions whose question or reasoning has `word`, found without the index."""

    def column(table: str, name: str) -> list:
        cols, rows = contents[table]
        return [row[cols.index(name)] for row in rows]

    texts = list(zip(column("discussion", "id"), column("discussion", "question")))
    texts += zip(column("turn", "discussion_id"), column("turn", "reasoning"))
    return sorted({d for d, t in texts if word in t.lower()})


def _revision(url: str) -> str | None:
    raw = create_engine(url)
    try:
        with raw.connect() as conn:
            return migrations.stored_revision(conn)
    finally:
        raw.dispose()


def _reopen(url: str) -> None:
    """Forget the process's engine, as a new process would start without one."""
    engine.schema_engine(url).dispose()
    engine._engine.cache_clear()


def _app(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "app", *args], capture_output=True, text=True, timeout=60, cwd=ROOT
    )


@pytest.fixture
def release_url(db_url) -> str:
    _load_release(db_url)
    return db_url


def test_a_release_store_is_upgraded_without_loss(release_url):
    before = _contents(release_url)
    assert len(before["discussion"][1]) == 40 and len(before["labelevent"][1]) == 8
    assert _revision(release_url) is None
    with session_scope(release_url) as s:  # the app's first use upgrades the store
        found = browsing.matching_ids(s, browsing.BrowseFilter(search="marathon"))
        first = labels.history(s, turn_id=1)
    assert _revision(release_url) == migrations.head()
    assert _unchanged(release_url, before)  # every row of every table
    assert found == _mentioning(before, "marathon") and found
    assert [(e.field, e.new, e.who, e.note) for e in first] == [("label", "incorrect", "alice", "wrong step")]
    assert store.revision(release_url) == 8
    # The store goes on working: new rows get fresh ids and are searchable.
    report = store.import_file(next(store.demo_files()), dataset="again", url=release_url, actor=LOCAL)
    assert report.added == {"again": 13}
    with session_scope(release_url) as s:
        found = browsing.matching_ids(s, browsing.BrowseFilter(search="marathon"))
    assert found == _mentioning(_contents(release_url), "marathon") and len(found) > 1


def test_the_baseline_changes_nothing_in_a_release_store(sqlite_url):
    """A store made before migrations is recognised as the baseline: nothing is recreated."""
    _load_release(sqlite_url)
    path = sqlite_url.removeprefix("sqlite:///")

    def schema() -> set[tuple]:
        conn = sqlite3.connect(path)
        try:
            return set(
                conn.execute(
                    "SELECT type, name, sql, rootpage FROM sqlite_master WHERE tbl_name != 'alembic_version'"
                )
            )
        finally:
            conn.close()

    before = schema()
    with engine.schema_engine(sqlite_url).begin() as conn:
        command.upgrade(migrations.config(conn), "0001")
    assert schema() == before and _revision(sqlite_url) == "0001"


def test_a_store_with_the_old_search_index_gets_it_rebuilt(sqlite_url):
    """Stores older than 13b2f0b kept a copy of the text in the index: the baseline replaces it."""
    _load_release(sqlite_url)
    conn = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    conn.executescript(
        "DROP TABLE discussion_fts; CREATE VIRTUAL TABLE discussion_fts USING fts5(question, reasoning);"
    )
    conn.close()
    with session_scope(sqlite_url) as s:
        found = browsing.matching_ids(s, browsing.BrowseFilter(search="marathon"))
        assert (
            "content='discussion_text'"
            in s.execute(text("SELECT sql FROM sqlite_master WHERE name = 'discussion_fts'")).scalar()
        )
    with session_scope(sqlite_url, write=True) as s:  # FTS5's check of the index (raises)
        s.execute(text("INSERT INTO discussion_fts (discussion_fts, rank) VALUES ('integrity-check', 1)"))
    assert found == _mentioning(_contents(sqlite_url), "marathon") and found


def test_a_sqlite_store_is_copied_aside_before_it_is_upgraded(sqlite_url, caplog):
    _load_release(sqlite_url)
    folder = Path(sqlite_url.removeprefix("sqlite:///")).parent
    writer = sqlite3.connect(folder / "store.db", isolation_level=None)
    writer.execute("PRAGMA wal_autocheckpoint=0")  # the last write stays in the WAL file only
    writer.execute("UPDATE job SET name = 'renamed in the WAL'")
    before = _contents(sqlite_url)
    store.stats(sqlite_url)
    writer.close()
    copies = list(folder.glob("store.db.bak-unversioned-*"))
    assert len(copies) == 1
    copy_url = f"sqlite:///{copies[0]}"
    assert _unchanged(copy_url, before) and _revision(copy_url) is None
    assert before["job"][1][0][2] == "renamed in the WAL"
    assert (
        f"upgraded the store from no revision to {migrations.head()}; the old store is "
        f"copied to {copies[0]}" in caplog.text
    )  # on stderr, where the app and workers run
    _reopen(sqlite_url)
    store.stats(sqlite_url)  # up to date: no second copy
    assert list(folder.glob("store.db.bak-*")) == copies


def test_a_new_store_is_not_copied(sqlite_url, caplog):
    store.stats(sqlite_url)
    assert "upgraded" not in caplog.text
    assert _revision(sqlite_url) == migrations.head()
    assert not list(Path(sqlite_url.removeprefix("sqlite:///")).parent.glob("*.bak-*"))


@pytest.mark.parametrize("origin", ["new", "release"])
def test_the_models_and_the_migrated_schema_agree(db_url, origin):
    if origin == "release":
        _load_release(db_url)
    store.stats(db_url)
    with engine.get_engine(db_url).connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": migrations.include_object, "compare_type": True}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
        found = inspect(conn)
        search = "discussion_fts" if engine.is_sqlite(conn) else "discussion_search"
        assert search in found.get_table_names() and "discussion_text" in found.get_view_names()


def test_a_store_newer_than_the_code_is_refused_untouched(db_url):
    store.stats(db_url)
    with session_scope(db_url, write=True) as s:
        s.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    _reopen(db_url)
    with pytest.raises(
        migrations.StoreTooNew,
        match=r"revision '9999', which this code does not "
        r"know",
    ):
        store.stats(db_url)
    assert _revision(db_url) == "9999"
    for args in (["stats"], ["worker"]):  # the CLI's own commands and the delegated ones
        done = _app(*args)  # (on $MAGDI_DATABASE_URL)
        assert done.returncode == 2 and "error: the store " in done.stderr
        assert "schema revision '9999'" in done.stderr and "Traceback" not in done.stderr
    done = _app("db", "current", "--db", db_url)
    assert done.returncode == 0 and "9999 (newer than this code" in done.stdout


def test_db_history():
    done = _app("db", "history")
    assert done.returncode == 0 and done.stdout.startswith(f"{migrations.head()} (")
    assert done.stdout.strip().endswith(
        "0001 (baseline): Baseline: the schema of release 13b2f0b, the last one made without migrations."
    )


def test_db_current_and_upgrade(release_url):
    done = _app("db", "current", "--db", release_url)
    assert done.returncode == 0 and done.stdout.startswith("no revision")
    assert _revision(release_url) is None  # `current` only looks
    done = _app("db", "upgrade", "--db", release_url)
    assert done.returncode == 0, done.stderr
    assert f"upgraded the store from no revision to {migrations.head()}" in done.stdout
    assert ("store.db.bak-unversioned-" in done.stdout) == release_url.startswith("sqlite")
    done = _app("db", "upgrade", "--db", release_url)
    assert done.stdout.strip() == f"the store is up to date (revision {migrations.head()})"
    done = _app("db", "current", "--db", release_url)
    assert done.stdout.strip() == f"{migrations.head()} (up to date)"


def test_processes_starting_at_once_upgrade_the_store_once(release_url):
    before = _contents(release_url)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "app", "db", "upgrade", "--db", release_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [err for _, err in outs]
    assert sum("upgraded the store" in out for out, _ in outs) == 1
    assert _unchanged(release_url, before) and _revision(release_url) == migrations.head()


def test_every_store_gets_an_id_of_its_own(db_url, tmp_path):
    """0003: a new store and an upgraded release store each get one store id; it never changes."""
    from db import jobs as job_queries

    _load_release(db_url)
    with session_scope(db_url) as s:  # upgraded from 13b2f0b
        upgraded = job_queries.store_id(s)
    _reopen(db_url)
    with session_scope(db_url) as s:
        assert job_queries.store_id(s) == upgraded
    other = f"sqlite:///{tmp_path / 'other.db'}"
    with session_scope(other) as s:  # made new
        made = job_queries.store_id(s)
    assert len({upgraded, made}) == 2 and all(len(i) == 32 and int(i, 16) >= 0 for i in (upgraded, made))


def test_datasets_get_an_empty_description_and_source(release_url):
    """0004: the release's datasets keep their rows and get NULL description and source."""
    from db.models import Dataset

    before = _contents(release_url)
    with session_scope(release_url) as s:
        found = s.execute(
            select(Dataset.name, Dataset.description, Dataset.source).order_by(Dataset.id)
        ).all()
    assert _unchanged(release_url, before)
    names = [row[before["dataset"][0].index("name")] for row in before["dataset"][1]]
    assert [tuple(r) for r in found] == [(n, None, None) for n in names] and found


def test_jobs_are_not_archived_after_the_upgrade(release_url):
    """0005: the release's job keeps its row, is not archived, and lists as before."""
    from app.services import jobs

    before = _contents(release_url)
    listed = jobs.list_all(url=release_url)
    assert _unchanged(release_url, before)
    assert len(listed) == len(before["job"][1]) == 1 and listed[0].archived_at is None
    assert jobs.list_all(archived=True, url=release_url) == []


def test_existing_jobs_were_submitted_by_the_local_user(release_url):
    """0006: the release's job was queued in local mode; the user and audit tables start empty."""
    from db.models import AuditEntry, Job, User

    before = _contents(release_url)
    with session_scope(release_url) as s:
        submitters = s.execute(select(Job.submitted_by)).scalars().all()
        users, entries = s.execute(select(User)).all(), s.execute(select(AuditEntry)).all()
    assert _unchanged(release_url, before)
    assert submitters == ["local"] * len(before["job"][1]) and submitters
    assert users == [] and entries == []


def test_each_human_label_becomes_a_response_of_its_annotator(release_url):
    """0008: a human label becomes one response of whoever its newest label edit (not undone) was
    recorded for ("local" when the history has none); an undone label leaves none."""
    from db.models import Adjudication, AnnotationTask, Response

    before = _contents(release_url)
    cols, rows = before["turn"]
    labelled = {r[cols.index("id")]: r[cols.index("human_label")] for r in rows}
    labelled = {t: h for t, h in labelled.items() if h is not None}
    with session_scope(release_url) as s:
        found = s.execute(select(Response.turn_id, Response.annotator, Response.value).order_by(Response.id))
        found = [tuple(r) for r in found]
        others = s.execute(select(Adjudication)).all() + s.execute(select(AnnotationTask)).all()
    assert _unchanged(release_url, before)
    assert (1, "alice", "incorrect") in found  # labelled by alice; turn 5's label by bob was undone
    assert all(t != 5 for t, _, _ in found)
    expected = {t: "correct" if h else "incorrect" for t, h in labelled.items()}
    assert {t: v for t, _, v in found} == expected and len(found) == len(expected)
    assert others == []


def test_response_counts_are_computed_from_existing_responses(release_url):
    """0009: each annotator's newest response to a node is its current one unless it withdraws,
    and a node counts its current responses, in a store that had responses under 0008."""
    from db.models import Response, Turn

    raw = create_engine(release_url)
    with raw.begin() as conn:
        command.upgrade(migrations.config(conn), "0008")
        conn.execute(text("DELETE FROM response"))
        rows = [
            (1, "alice", "correct"),
            (1, "bob", "incorrect"),
            (2, "alice", "correct"),
            (2, "bob", "incorrect"),
            (2, "bob", "withdrawn"),
            (3, "carol", "unsure"),
            (3, "dan", "correct"),
            (3, "dan", "incorrect"),
            (4, "erin", "withdrawn"),
            (4, "erin", "correct"),
        ]
        for turn, who, value in rows:
            conn.execute(
                text(
                    "INSERT INTO response (turn_id, discussion_id, annotator, value, created_at) "
                    "SELECT id, discussion_id, :who, :value, CURRENT_TIMESTAMP FROM turn WHERE id = :turn"
                ),
                dict(turn=turn, who=who, value=value),
            )
    raw.dispose()
    with session_scope(release_url) as s:  # the app's first use upgrades the store to the head
        current = s.execute(
            select(Response.turn_id, Response.annotator, Response.value).where(Response.is_current)
        )
        counts = dict(s.execute(select(Turn.id, Turn.n_responses).where(Turn.n_responses > 0)).all())
        n_turns = s.execute(select(func.count(Turn.id))).scalar_one()
    assert sorted(tuple(r) for r in current) == [
        (1, "alice", "correct"),
        (1, "bob", "incorrect"),
        (2, "alice", "correct"),
        (3, "carol", "unsure"),
        (3, "dan", "incorrect"),
        (4, "erin", "correct"),
    ]
    assert counts == {1: 2, 2: 1, 3: 2, 4: 1} and n_turns > 4


def test_datasets_are_published_and_no_import_is_pending_after_the_upgrade(release_url):
    """0010: the release's datasets are published (no pending import made them), no import is
    pending, and readers see every discussion and node."""
    from db.models import Dataset, Discussion, PendingImport, PendingRange, Turn

    before = _contents(release_url)
    with session_scope(release_url) as s:
        made_by = s.execute(select(Dataset.import_id)).scalars().all()
        pending = s.execute(select(PendingImport)).all() + s.execute(select(PendingRange)).all()
        seen = [s.execute(select(func.count()).select_from(m)).scalar_one() for m in (Discussion, Turn)]
    assert _unchanged(release_url, before)
    assert made_by == [None] * len(before["dataset"][1]) and made_by
    assert pending == []
    assert seen == [len(before["discussion"][1]), len(before["turn"][1])] and all(seen)

"""Write the SQL dumps of a store made by release 13b2f0b (the schema before migrations).

The dumps hold the demonstration set plus a few edits (a label, an exclusion, a gold answer, an
undo) and a queued job, so that the upgrade tests can check that nothing is lost. Run it with the
code of that release, never with today's:

    git archive 13b2f0b | tar -x -C /tmp/magdi-13b2f0b
    PYTHONPATH=/tmp/magdi-13b2f0b .venv/bin/python tests/data/store-13b2f0b.make.py \\
        postgresql+psycopg://postgres@127.0.0.1:55432/postgres

It writes tests/data/store-13b2f0b.sqlite.sql (sqlite3's iterdump; load it into a new file with
`executescript`) and, given a PostgreSQL server
URL (`bash scripts/postgres.sh start`), tests/data/store-13b2f0b.postgresql.sql (pg_dump with
INSERTs, psql meta-commands removed so that one `execute` loads it).
"""

from __future__ import annotations

import glob
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent


def _fill(url: str) -> None:
    """The demo set and one edit of each kind, through the release's own services."""
    from app.services import annotate, jobs, store
    from db import engine

    if not hasattr(engine, "init_db"):
        raise SystemExit(f"{engine.__file__} is today's code: run this with release 13b2f0b's")
    store.load_demo_if_empty(url)
    annotate.set_label(1, False, who="alice", note="wrong step", url=url)
    annotate.set_excluded(2, True, who="alice", url=url)
    gold = annotate.set_gold(3, "yes", who="bob", url=url)
    undone = annotate.set_label(5, True, who="bob", url=url)
    annotate.undo(undone.event_id, who="bob", url=url)
    assert gold.ok and undone.ok
    jobs.submit({"level": 1, "steps": 2}, kind="train", name="baseline job", url=url)


def _sqlite(out: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "store.db"
        _fill(f"sqlite:///{path}")
        conn = sqlite3.connect(path)
        # iterdump also writes the rows the index reads through its view as INSERTs into the
        # index itself (CPython's dump of a virtual table): the shadow tables hold the index.
        out.write_text("\n".join(line for line in conn.iterdump()
                                 if not line.startswith('INSERT INTO "discussion_fts" ')) + "\n")
        conn.close()


def _postgresql(server: str, out: Path) -> None:
    import psycopg

    base = make_url(server)
    name = "magdi_dump_13b2f0b"
    admin = dict(host=base.host, port=base.port, user=base.username, password=base.password)
    with psycopg.connect(**admin, dbname=base.database, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        url = base.set(database=name).render_as_string(hide_password=False)
        _fill(url)
        from db.engine import get_engine

        get_engine(url).dispose()
        pg_dump = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_dump"))[-1]
        dump = subprocess.run(
            [pg_dump, "--inserts", "--no-owner", "--no-privileges", "-h", base.host,
             "-p", str(base.port), "-U", base.username, name],
            check=True, capture_output=True, text=True).stdout
        out.write_text("".join(line for line in dump.splitlines(keepends=True)
                               if not line.startswith("\\")))
    finally:
        with psycopg.connect(**admin, dbname=base.database, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


if __name__ == "__main__":
    _sqlite(HERE / "store-13b2f0b.sqlite.sql")
    if len(sys.argv) > 1:
        _postgresql(sys.argv[1], HERE / "store-13b2f0b.postgresql.sql")

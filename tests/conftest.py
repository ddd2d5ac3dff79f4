"""Shared fixtures: a fresh store per test, on SQLite and (when configured) on PostgreSQL.

`MAGDI_TEST_POSTGRES_URL` names a PostgreSQL server (e.g. postgresql+psycopg://postgres@127.0.0.1:55432/postgres);
`scripts/test.sh` starts one. Store tests then run against both back ends.
"""

from __future__ import annotations

import os
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

warnings.filterwarnings("ignore", message=".*torch.jit.script.*", category=DeprecationWarning)

ROOT = Path(__file__).resolve().parent.parent
# Stores filled "as on first start" get only the team-written demo set (its 40 discussions are what
# the tests count); tests of the synthetic set name it (store.load_demo_if_empty(url, sets=...)).
os.environ.setdefault("MAGDI_DEMO_SETS", "demo")
PG_URL = os.environ.get("MAGDI_TEST_POSTGRES_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def _postgres(sql: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(PG_URL)
    with psycopg.connect(
        host=base.host,
        port=base.port,
        user=base.username,
        password=base.password,
        dbname=base.database,
        autocommit=True,
    ) as conn:
        conn.execute(sql)


@contextmanager
def empty_store(backend: str, folder: Path) -> Iterator[str]:
    """URL of an empty store on `backend` ("sqlite": in `folder`). A PostgreSQL store is a
    database of its own, dropped afterwards."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'store.db'}"
        return
    from sqlalchemy.engine import make_url

    name = f"magdi_test_{uuid.uuid4().hex[:12]}"
    _postgres(f'CREATE DATABASE "{name}"')
    try:
        yield make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    finally:  # FORCE: ends the connections the test's engines keep
        _postgres(f'DROP DATABASE "{name}" WITH (FORCE)')


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path, monkeypatch) -> Iterator[str]:
    """URL of an empty store; also exported as MAGDI_DATABASE_URL for code that reads it."""
    with empty_store(request.param, tmp_path) as url:
        monkeypatch.setenv("MAGDI_DATABASE_URL", url)
        yield url


@pytest.fixture
def sqlite_url(tmp_path, monkeypatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("MAGDI_DATABASE_URL", url)
    return url

"""Fixtures of the app tests."""

from __future__ import annotations

import pytest

from app.services import store


@pytest.fixture
def demo_store(sqlite_url, tmp_path, monkeypatch):
    """A SQLite store holding the demonstration set; job runs go under tmp_path/runs."""
    monkeypatch.setenv("MAGDI_RUNS_DIR", str(tmp_path / "runs"))
    store.load_demo_if_empty(sqlite_url)
    return sqlite_url

"""The synthetic demonstration set: the committed files are the script's output, and a first
start loads it beside the team-written set."""

from __future__ import annotations

import subprocess
import sys

import pytest

from app.services import store
from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "make_synthetic_demo.py"
DATA = ROOT / "data" / "synthetic"


def test_the_committed_files_are_what_the_script_writes(tmp_path):
    subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(tmp_path)], check=True, cwd=ROOT, capture_output=True
    )
    written = sorted(p.name for p in tmp_path.iterdir())
    assert written == ["synthetic-arith.jsonl", "synthetic-choice.jsonl", "synthetic-yesno.jsonl"]
    for name in written:
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
    assert "synthetic" in (DATA / "README.md").read_text().lower()


def test_a_first_start_loads_both_sets_and_the_variable_narrows_it(sqlite_url, monkeypatch):
    monkeypatch.delenv("MAGDI_DEMO_SETS")
    assert store.demo_sets() == ["demo", "synthetic"]
    store.load_demo_if_empty(sqlite_url)
    stats = {s["dataset"]: s for s in store.stats(sqlite_url)}
    assert set(stats) == {
        "ecqa",
        "gsm8k",
        "strategyqa",
        "synthetic-arith",
        "synthetic-choice",
        "synthetic-yesno",
    }
    assert [stats[f"synthetic-{k}"]["discussions"] for k in ("arith", "yesno", "choice")] == [150, 75, 75]
    assert all(stats[f"synthetic-{k}"]["unparseable"] == 0 for k in ("arith", "yesno", "choice"))
    assert sum(stats[d]["discussions"] for d in ("ecqa", "gsm8k", "strategyqa")) == 40
    assert store.load_demo_if_empty(sqlite_url) == []  # only an empty store
    monkeypatch.setenv("MAGDI_DEMO_SETS", "synthetic, demo")
    assert store.demo_sets() == ["synthetic", "demo"]
    monkeypatch.setenv("MAGDI_DEMO_SETS", "demos")
    with pytest.raises(ValueError, match="unknown demonstration sets"):
        store.demo_sets()

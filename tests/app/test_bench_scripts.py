"""The store and page benchmarks run end to end on a small store and print every figure (the
figures themselves are for bench/, not for tests)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.parametrize(
    "script, figures",
    [
        (
            "store.py",
            [
                "import now (rows staged, then copied in chunks and published): 200 MAGs",
                "write transactions of the import: 2, holding the lock",
                "browse full-text",
                "label change",
            ],
        ),
        (
            "pages.py",
            ["MAG page script", "Label save end to end", "review queue page 1", "Overview page script"],
        ),
        ("annotate_queue.py", ["next queue item", "save a response", "empty queue, worst case"]),
    ],
)
def test_bench_smoke(tmp_path, script, figures):
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / script),
            "--n",
            "200",
            "--repeat",
            "1",
            "--db",
            f"sqlite:///{tmp_path / 'bench.db'}",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    for figure in figures:
        assert figure in done.stdout, figure
    assert "median" in done.stdout


def test_learn_bench_smoke(tmp_path):
    """bench/learn.py on a few questions for a few seconds: the curve, the time split, the plot."""
    done = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "learn.py"),
            "--questions",
            "40",
            "--held-out",
            "8",
            "--minutes",
            "0.2",
            "--eval-every",
            "4",
            "--max-new-tokens",
            "16",
            "--threads",
            "1",
            "--out",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "preset cpu" in done.stdout and "held-out accuracy" in done.stdout
    assert "trained " in done.stdout and "s validating" in done.stdout
    report = json.loads((tmp_path / "learn.json").read_text())
    assert report["curve"] and report["config"]["preset"] == "cpu"
    assert (tmp_path / "learn.html").stat().st_size > 1000


def test_serve_bench_smoke():
    """bench/serve.py against a scripted server, a few clients of each kind: every phase, no failure."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "serve.py"), "--script", "--clients", "2", "--requests", "2"]
        + ["--overload", "4", "--hostile", "1", "--socket-timeout", "0.5", "--read-timeout", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for figure in [
        "load: 2 clients × 2 requests",
        "p99",
        "overload: 4 clients",
        "slow-loris: {'dropped': 1}",
    ]:
        assert figure in done.stdout, figure
    assert "healthy" in done.stdout and "failures: 0" in done.stdout

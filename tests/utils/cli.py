"""The app's command line as a user runs it: `python -m app …` as a real process on a store."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def cli(*args: str, url: str) -> subprocess.CompletedProcess:
    """`python -m app ARGS --db URL`, from the repository root; output captured as text."""
    return subprocess.run(
        [sys.executable, "-m", "app", *args, "--db", url],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

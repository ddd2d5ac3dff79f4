"""Job kinds the worker can run; see app.worker.KINDS.

The evaluate and predict kinds run as `python -m app.jobkinds.KIND RUN_DIR [--resume]`; the two
helpers below are both ends of that command line. Modules pass their `__spec__.name` (under
`-m`, `__name__` is "__main__").
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run_dir_command(module: str, run_dir: Path, *, resume: bool) -> list[str]:
    return [sys.executable, "-m", module, str(run_dir)] + (["--resume"] if resume else [])


def parse_run_dir(module: str, description: str, argv: list[str] | None) -> tuple[Path, bool]:
    """(run directory, whether this attempt resumes an earlier one)."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    parser.add_argument("run_dir")
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args(argv)
    return Path(args.run_dir), args.resume

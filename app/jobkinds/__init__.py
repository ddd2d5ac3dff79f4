"""Job kinds the worker can run; see app.worker.KINDS.

The evaluate and predict kinds run as `python -m app.jobkinds.KIND RUN_DIR [--resume]`; the two
helpers below are both ends of that command line. Modules pass their `__spec__.name` (under
`-m`, `__name__` is "__main__").
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.services.jobs import RUNS_DIR, JobView


def run_dir_command(module: str, run_dir: Path, *, resume: bool) -> list[str]:
    return [sys.executable, "-m", module, str(run_dir)] + (["--resume"] if resume else [])


def parse_run_dir(module: str, description: str, argv: list[str] | None) -> tuple[Path, bool]:
    """(run directory, whether this attempt resumes an earlier one)."""
    parser = argparse.ArgumentParser(prog=f"python -m {module}", description=description)
    parser.add_argument("run_dir")
    parser.add_argument("--resume", action="store_true")
    args = parser.parse_args(argv)
    return Path(args.run_dir), args.resume


def require_readable(job: JobView, what: str, names: tuple[str, ...]) -> None:
    """Claim time, on the worker: the files of `job`'s run that this job loads (`names`, in its run
    directory) can be read here, or a ValueError that says where they are and what to mount. A run
    made by a worker on another host is readable only through the shared run root."""
    root = Path(job.run_dir)
    for name in names:
        path = root / name
        if not os.access(path, os.R_OK | (os.X_OK if path.is_dir() else 0)):
            raise ValueError(
                f"the {what} of job {job.id} is at {path}, not readable from this worker's run root "
                f"{RUNS_DIR}: mount the shared run root at the same path on every worker host"
            )

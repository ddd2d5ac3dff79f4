"""Fixtures for the distillation pages in a real browser: the app and a job worker on one
temporary store and one runs directory, and a browser page bound to that app.

Import the fixtures into a test module (`from tests.e2e.distil_fixtures import ...`); the
browser itself is conftest's session-wide `browser` (Debian's /usr/bin/chromium).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.utils import free_port
from tests.utils import wait_for as poll
from tests.utils.workers import stop
from tests.e2e.conftest import CHROMIUM, _wait_healthy, guarded_page


@dataclass
class DistilApp:
    base: str       # http://127.0.0.1:PORT
    url: str        # the store (MAGDI_DATABASE_URL of the app and the worker)
    runs: Path      # MAGDI_RUNS_DIR of the app and the worker
    tmp: Path
    worker: subprocess.Popen
    worker_log: Path

    def worker_output(self, n: int = 4000) -> str:
        """The worker's own log and the newest job logs: for failure messages."""
        parts = [self.worker_log.read_text(errors="replace")[-n:]]
        for log in sorted(self.runs.glob("job-*/job.log"))[-2:]:
            parts.append(f"--- {log}\n" + log.read_text(errors="replace")[-n:])
        return "\n".join(parts)


@pytest.fixture(scope="module")
def distil_app(tmp_path_factory):
    """`streamlit run app/main.py` and `python -m app worker --poll 0.2` on a fresh store with
    the demonstration set, sharing MAGDI_DATABASE_URL and MAGDI_RUNS_DIR."""
    venv_bin = str(Path(sys.executable).parent)
    if not Path(CHROMIUM).exists() or shutil.which("streamlit", path=venv_bin) is None:
        pytest.skip(f"needs {CHROMIUM} (apt install chromium) and streamlit in the venv")
    from app.services import store

    tmp = tmp_path_factory.mktemp("distil")
    url = f"sqlite:///{tmp / 'store.db'}"
    runs = tmp / "runs"
    runs.mkdir()
    store.load_demo_if_empty(url)
    env = dict(os.environ, MAGDI_DATABASE_URL=url, MAGDI_RUNS_DIR=str(runs), PYTHONPATH=str(ROOT))
    port = free_port()
    app_log = open(tmp / "streamlit.log", "wb")
    worker_log_path = tmp / "worker.log"
    worker_log = open(worker_log_path, "wb")
    app = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app/main.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=app_log, stderr=subprocess.STDOUT)
    worker = subprocess.Popen([sys.executable, "-m", "app", "worker", "--poll", "0.2"],
                              cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, app)
        yield DistilApp(base, url, runs, tmp, worker, worker_log_path)
    finally:
        stop(worker)  # stops a running job's process group, too
        stop(app, 10)
        app_log.close()
        worker_log.close()


@pytest.fixture
def distil_page(browser, distil_app):
    """A fresh browser session on the distillation app; a request off loopback is refused and
    recorded in `page.external_requests`. `expect` waits up to 20 s here, like the page's actions:
    a page's first run (pandas, plotly, torch-free but heavy) can take longer than the default 5 s
    on two busy cores."""
    from playwright.sync_api import expect
    with guarded_page(browser, distil_app.base, accept_downloads=True) as pg:
        expect.set_options(timeout=20_000)
        try:
            yield pg
        finally:
            expect.set_options(timeout=None)  # back to Playwright's default


def wait_for(predicate, timeout: float = 120, what: str = "condition", app: DistilApp | None = None):
    """Poll `predicate` until it returns something true; on timeout, fail with the worker logs."""
    return poll(predicate, timeout, what, detail=app.worker_output if app is not None else lambda: "")

"""End-to-end fixtures: the app on loopback against a temporary store (demo set +
tests/data/hostile.jsonl), the distillation app (app + job worker), and Debian's Chromium driven by
Playwright. The parts they are built from are in tests/utils/browser.py."""

from __future__ import annotations

import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from app.services.auth import LOCAL
from tests.conftest import ROOT
from tests.utils import free_port
from tests.utils import wait_for as poll
from tests.utils.browser import CHROMIUM, CHROMIUM_ARGS, DistilApp, guarded_page, needs_browser, start_app
from tests.utils.workers import stop

HOSTILE = ROOT / "tests" / "data" / "hostile.jsonl"
README_SHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where a test puts the README's screenshots: docs/screenshots/ with
    MAGDI_UPDATE_SCREENSHOTS=1, else a temporary folder (the tree stays clean)."""
    return README_SHOTS if os.environ.get("MAGDI_UPDATE_SCREENSHOTS") == "1" else tmp_path


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """(base URL, store URL) of a running app on a fresh store."""
    needs_browser()
    from app.services import store

    tmp = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{tmp / 'store.db'}"
    store.load_demo_if_empty(url)
    store.import_file(HOSTILE, url=url, actor=LOCAL)
    env = dict(os.environ, MAGDI_DATABASE_URL=url, PYTHONPATH=str(ROOT))
    with open(tmp / "streamlit.log", "wb") as log:
        proc, base = start_app(env, log)
        try:
            yield base, url
        finally:
            stop(proc, 10)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_server):
    """A fresh browser session on the app; `expect` waits up to 20 s, like the page's actions (a
    page's first run can take longer than Playwright's default 5 s on two busy cores)."""
    from playwright.sync_api import expect

    base, _ = app_server
    with guarded_page(browser, base) as pg:
        expect.set_options(timeout=20_000)
        try:
            yield pg
        finally:
            expect.set_options(timeout=None)  # back to Playwright's default


@pytest.fixture(scope="module")
def distil_app(tmp_path_factory):
    """`streamlit run app/main.py` and `python -m app worker --poll 0.2` on a fresh store with
    the demonstration set, sharing MAGDI_DATABASE_URL and MAGDI_RUNS_DIR."""
    needs_browser()
    from app.services import store

    tmp = tmp_path_factory.mktemp("distil")
    url = f"sqlite:///{tmp / 'store.db'}"
    runs = tmp / "runs"
    runs.mkdir()
    store.load_demo_if_empty(url)
    env = dict(os.environ, MAGDI_DATABASE_URL=url, MAGDI_RUNS_DIR=str(runs), PYTHONPATH=str(ROOT))
    worker_log_path = tmp / "worker.log"
    with open(tmp / "streamlit.log", "wb") as app_log, open(worker_log_path, "wb") as worker_log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "app", "worker", "--poll", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=worker_log,
            stderr=subprocess.STDOUT,
        )
        try:
            app, base = start_app(env, app_log)
            try:
                yield DistilApp(base, url, runs, tmp, worker, worker_log_path)
            finally:
                stop(app, 10)
        finally:
            stop(worker)  # stops a running job's process group, too


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


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    """The OIDC provider's base URL (it accepts any client; its sign-in page asks for a subject)."""
    needs_browser()
    port = free_port()
    log = open(tmp_path_factory.mktemp("idp") / "idp.log", "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def up():
        try:
            with urllib.request.urlopen(f"{base}/.well-known/openid-configuration", timeout=2) as r:
                return r.status == 200
        except OSError:
            return proc.poll() is not None  # ends the wait; the assert below says why

    poll(up, 30, "the OIDC provider")
    assert proc.poll() is None, "oidc-provider-mock exited"
    try:
        yield base
    finally:
        stop(proc, 10)
        log.close()

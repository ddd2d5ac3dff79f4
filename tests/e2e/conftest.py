"""End-to-end fixtures: `streamlit run app/main.py` on loopback against a temporary store
(demo set + tests/data/hostile.jsonl), and Debian's Chromium driven by Playwright.

Never `playwright install`: the browser is /usr/bin/chromium (apt package `chromium`).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ROOT
from tests.utils import free_port

CHROMIUM = os.environ.get("MAGDI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
HOSTILE = ROOT / "tests" / "data" / "hostile.jsonl"


def pytest_configure(config):
    config.addinivalue_line("markers",
                            "e2e: end-to-end tests in a real browser against a running app")


def _wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit not healthy after {timeout} s")


@pytest.fixture(scope="session")
def app_server(tmp_path_factory):
    """(base URL, store URL) of a running app on a fresh store."""
    venv_bin = str(Path(sys.executable).parent)
    if not Path(CHROMIUM).exists() or shutil.which("streamlit", path=venv_bin) is None:
        pytest.skip(f"needs {CHROMIUM} (apt install chromium) and streamlit in the venv")
    from app.services import store

    tmp = tmp_path_factory.mktemp("e2e")
    url = f"sqlite:///{tmp / 'store.db'}"
    store.load_demo_if_empty(url)
    store.import_file(HOSTILE, url=url)
    port = free_port()
    env = dict(os.environ, MAGDI_DATABASE_URL=url, PYTHONPATH=str(ROOT))
    log = open(tmp / "streamlit.log", "w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app/main.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(base, proc)
        yield base, url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@contextmanager
def guarded_page(browser, base: str, **options):
    """A fresh browser session (own cookies) on `base`; any request off loopback is refused and
    recorded in `page.external_requests`."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, base_url=base, **options)
    context.set_default_timeout(20_000)
    external: list[str] = []

    def guard(route):
        if route.request.url.startswith((base, "data:", "about:", "blob:")):
            route.continue_()
        else:
            external.append(route.request.url)
            route.abort()
    context.route("**/*", guard)
    pg = context.new_page()
    pg.external_requests = external
    try:
        yield pg
    finally:
        context.close()


@pytest.fixture
def page(browser, app_server):
    base, _ = app_server
    with guarded_page(browser, base) as pg:
        yield pg


def choose(page, combobox: str, option: str | re.Pattern) -> None:
    """Pick an option of a select box. A rerun that redraws the page (after the previous widget
    changed) can close the menu as it opens, so the menu is opened again when that happens."""
    wanted = page.get_by_role("option", name=option).first
    for _ in range(3):
        page.get_by_role("combobox", name=combobox).click()
        try:
            wanted.wait_for(state="visible", timeout=5_000)
            break
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
    wanted.click()

"""The browser tests' parts: Debian's Chromium (never `playwright install`), an app started with
`streamlit run app/main.py` on loopback, pages that refuse requests off loopback, and the
distillation app (app + worker) with a wait that fails with the worker's logs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.conftest import ROOT
from tests.utils import free_port
from tests.utils import wait_for as poll
from tests.utils.workers import stop

CHROMIUM = os.environ.get("MAGDI_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def needs_browser() -> None:
    """Skip the test unless Chromium and the venv's streamlit are there."""
    venv_bin = str(Path(sys.executable).parent)
    if not Path(CHROMIUM).exists() or shutil.which("streamlit", path=venv_bin) is None:
        pytest.skip(f"needs {CHROMIUM} (apt install chromium) and streamlit in the venv")


def start_app(env: dict, log) -> tuple[subprocess.Popen, str]:
    """`streamlit run app/main.py` on a free loopback port with `env`; (process, base URL) once it
    answers its health check."""
    port = free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app/main.py",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(base, proc)
    except BaseException:
        proc.kill()
        raise
    return proc, base


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
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


@contextmanager
def guarded_page(browser, base: str, also: tuple[str, ...] = (), **options):
    """A fresh browser session (own cookies) on `base`; any request elsewhere (but the origins in
    `also`, e.g. a sign-in provider on loopback) is refused and recorded in `page.external_requests`."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, base_url=base, **options)
    context.set_default_timeout(20_000)
    external: list[str] = []

    def guard(route):
        if route.request.url.startswith((base, *also, "data:", "about:", "blob:")):
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


@dataclass
class DistilApp:
    base: str  # http://127.0.0.1:PORT
    url: str  # the store (MAGDI_DATABASE_URL of the app and the worker)
    runs: Path  # MAGDI_RUNS_DIR of the app and the worker
    tmp: Path
    worker: subprocess.Popen
    worker_log: Path

    def worker_output(self, n: int = 4000) -> str:
        """The worker's own log and the newest job logs: for failure messages."""
        parts = [self.worker_log.read_text(errors="replace")[-n:]]
        for log in sorted(self.runs.glob("job-*/job.log"))[-2:]:
            parts.append(f"--- {log}\n" + log.read_text(errors="replace")[-n:])
        return "\n".join(parts)


def wait_for(predicate, timeout: float = 120, what: str = "condition", app: DistilApp | None = None):
    """Poll `predicate` until it returns something true; on timeout, fail with the worker logs."""
    return poll(predicate, timeout, what, detail=app.worker_output if app is not None else lambda: "")


# ---------------------------------------------------------------- sign-in (python -m app serve)


def clean_env(**extra: str) -> dict[str, str]:
    """This environment without sign-in settings, plus `extra`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MAGDI_OIDC_", "MAGDI_PROXY_"))}
    return env | {"PYTHONPATH": str(ROOT), **extra}


@contextmanager
def serve(env: dict[str, str], log, port: int, *args: str):
    """`python -m app serve --port PORT ARGS`, until the block ends; from when the app answers."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "app", "serve", "--port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_healthy(f"http://127.0.0.1:{port}", proc)
        yield
    finally:
        stop(proc, 10)


def oidc_env(url: str, base: str, idp: str) -> dict[str, str]:
    """The environment of an app on `base` over the store `url` that signs in with `idp`."""
    return clean_env(
        MAGDI_DATABASE_URL=url,
        MAGDI_OIDC_REDIRECT_URI=f"{base}/oauth2callback",
        MAGDI_OIDC_COOKIE_SECRET=os.urandom(32).hex(),
        MAGDI_OIDC_CLIENT_ID="magdi-studio",
        MAGDI_OIDC_CLIENT_SECRET="e2e-client-secret",
        MAGDI_OIDC_SERVER_METADATA_URL=f"{idp}/.well-known/openid-configuration",
    )

"""Import and Datasets in a real browser: upload valid, invalid and large files through the file
input, and delete a dataset through its confirmation. An app of its own on a fresh store (demo set),
so the shared app's datasets stay as the other browser tests expect them."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.services import datasets, store
from app.services.auth import LOCAL
from tests.conftest import ROOT
from tests.utils import discussion, turn, write_jsonl
from tests.utils.browser import CHROMIUM, choose, guarded_page, start_app
from tests.utils.workers import stop

pytestmark = pytest.mark.e2e
LIMIT_MB = 8
README_SHOTS = ROOT / "docs" / "screenshots"  # replaced when MAGDI_UPDATE_SCREENSHOTS=1


@pytest.fixture(scope="module")
def data_app(tmp_path_factory):
    """(base URL, store URL, upload folder) of an app whose uploads stop at LIMIT_MB."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"needs {CHROMIUM} (apt install chromium)")
    tmp = tmp_path_factory.mktemp("data")
    url = f"sqlite:///{tmp / 'store.db'}"
    store.load_demo_if_empty(url)
    env = dict(
        os.environ,
        MAGDI_DATABASE_URL=url,
        MAGDI_UPLOAD_DIR=str(tmp / "uploads"),
        MAGDI_UPLOAD_MAX_MB=str(LIMIT_MB),
        PYTHONPATH=str(ROOT),
    )
    with open(tmp / "streamlit.log", "wb") as log:
        proc, base = start_app(env, log)
        try:
            yield base, url, tmp / "uploads"
        finally:
            stop(proc, 10)


@pytest.fixture
def page(browser, data_app):
    with guarded_page(browser, data_app[0]) as pg:
        expect.set_options(timeout=30_000)
        try:
            yield pg
        finally:
            expect.set_options(timeout=None)


def _upload(page: Page, *paths) -> None:
    page.goto("/import")
    page.locator("input[type=file]").set_input_files([str(p) for p in paths])


def test_upload_two_files_and_import_them(page: Page, data_app, tmp_path):
    """Takes the README's screenshot of the Import page (docs/screenshots/import.png)."""
    _, url, uploads = data_app
    owls = write_jsonl(tmp_path / "owls.jsonl", [discussion("o1"), discussion("o2", dataset="larks")])
    magdi = tmp_path / "wrens.json"
    magdi.write_text(
        json.dumps(
            [
                {
                    "question": "Do wrens sing?",
                    "gold_answer": "yes",
                    "a_output_0": {"reasoning": "r", "answer": "Yes."},
                }
            ]
        )
    )
    _upload(page, owls, magdi)
    expect(
        page.get_by_text("Ready: 3 discussion(s), 13 node(s) from 2 file(s) into larks, owls, wrens")
    ).to_be_visible()
    expect(page.get_by_text("The first discussions of each file")).to_be_visible()  # a grid (canvas)
    page.wait_for_timeout(500)  # let the grids paint
    shots = README_SHOTS if os.environ.get("MAGDI_UPDATE_SCREENSHOTS") == "1" else tmp_path
    page.screenshot(path=shots / "import.png", full_page=True)
    assert (shots / "import.png").stat().st_size > 10_000
    page.get_by_role("button", name="Import 3 discussion(s)").click()
    expect(page.get_by_text("owls.jsonl: added 1 into 'owls', 1 into 'larks'")).to_be_visible()
    expect(page.get_by_text("wrens.json: added 1 into 'wrens'")).to_be_visible()
    assert {"owls", "larks", "wrens"} <= set(store.dataset_names(url))
    assert not list(uploads.rglob("*.json*"))  # staged copies removed after the import
    assert page.external_requests == []


def test_an_invalid_upload_names_its_line_and_imports_nothing(page: Page, data_app, tmp_path):
    _, url, _ = data_app
    before = store.stats(url)
    bad = write_jsonl(
        tmp_path / "bad.jsonl", [discussion("b1"), discussion("b2", turns=[turn("a", 0, "1", confidence=2)])]
    )
    good = write_jsonl(tmp_path / "fine.jsonl", [discussion("f1")])
    _upload(page, good, bad)
    expect(page.get_by_text("1 file(s) have errors; nothing will be imported")).to_be_visible()
    expect(page.locator("code").filter(has_text=re.compile(r"^bad\.jsonl:2: .*confidence"))).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Import \d"))).to_have_count(0)
    assert store.stats(url) == before


def test_a_large_upload_streams_to_disk_and_imports(page: Page, data_app, tmp_path):
    """About 5 MB: over the size at which the import parses in forked processes."""
    _, url, _ = data_app
    long = "word " * 150
    items = [
        discussion(f"big-{i}", turns=[turn(a, r, "18", long) for a in "abc" for r in range(2)])
        for i in range(1000)
    ]
    big = write_jsonl(tmp_path / "big.jsonl", items)
    assert 4 << 20 < big.stat().st_size < LIMIT_MB << 20
    _upload(page, big)
    expect(
        page.get_by_text("Ready: 1,000 discussion(s), 6,000 node(s) from 1 file(s) into big")
    ).to_be_visible()
    page.get_by_role("button", name="Import 1,000 discussion(s)").click()
    expect(page.get_by_text("big.jsonl: added 1000 into 'big' (6000 turns")).to_be_visible()
    [info] = [d for d in datasets.list_datasets(url) if d.name == "big"]
    assert (info.discussions, info.turns) == (1000, 6000)

    over = tmp_path / "over.jsonl"
    with open(over, "wb") as fh:
        fh.truncate((LIMIT_MB << 20) + 1)
    _upload(page, over)
    # The browser refuses it before sending it (the uploader knows the limit).
    expect(
        page.get_by_role("alert").filter(has_text=f"File must be {LIMIT_MB}.0MB or smaller")
    ).to_be_visible()
    expect(page.get_by_role("button", name=re.compile(r"^Import \d"))).to_have_count(0)
    assert "over" not in store.dataset_names(url)


def test_delete_a_dataset_after_its_confirmation(page: Page, data_app, tmp_path):
    _, url, _ = data_app
    store.import_file(
        write_jsonl(tmp_path / "doomed.jsonl", [discussion("d1"), discussion("d2")]), url=url, actor=LOCAL
    )
    page.goto("/datasets")
    choose(page, "Dataset", "doomed")
    page.get_by_role("tab", name="Delete").click()
    expect(page.get_by_text("Deleting 'doomed' removes 2 discussion(s), 12 node(s)")).to_be_visible()
    page.get_by_role("button", name="Delete…").click()
    expect(page.get_by_text("Delete 'doomed' and everything above for good?")).to_be_visible()
    assert "doomed" in store.dataset_names(url)  # nothing yet
    page.get_by_role("button", name="Yes, delete doomed").click()
    expect(page.get_by_text("deleted dataset 'doomed' with 2 discussion(s)")).to_be_visible()
    assert "doomed" not in store.dataset_names(url)
    expect(page.get_by_role("cell", name="doomed", exact=True)).to_have_count(0)

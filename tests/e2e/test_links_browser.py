"""Links between pages in a real browser, several per test: a job's downloads, Jobs → Browse (its data) and
Compare (its evaluations) → MAG (a question's discussion) → Compare (the students' answers to it);
Jobs → Browse (a discussion job's new dataset) and Overview (a change) → MAG (its node)."""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.services import annotate, jobs, store
from app.services.auth import Actor, Role
from tests.utils.browser import guarded_page, start_app
from tests.utils.evaluations import finished_job, stored_evaluation
from tests.utils.rows import disc_id, node_id
from tests.utils.training import TINY
from tests.utils.workers import copy_telemetry, stop

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def links_app(browser, tmp_path_factory):
    """The app on a store with the demo set, a training job, its evaluation (one question), a
    discussion job and a label change; (base URL, store URL, ids)."""
    tmp = tmp_path_factory.mktemp("links")
    url = f"sqlite:///{tmp / 'store.db'}"
    store.load_demo_if_empty(url)
    run_dir = tmp / "runs" / "job-1"
    (run_dir / "adapter").mkdir(parents=True)
    (run_dir / "adapter" / "adapter_config.json").write_text("{}")
    (run_dir / "metrics.jsonl").write_text('{"step": 1, "loss": 2.5}\n')
    config = jobs.train_config(TINY, url=url) | {"data": {"ds": ["gsm8k"]}}
    train = finished_job(url, "train", config, run_dir=str(run_dir))
    copy_telemetry(url, train, run_dir)  # its metrics, as its worker copied them
    evaluation = finished_job(url, "eval", {"model": {"run_job": train}})
    run = stored_evaluation(url, dataset="gsm8k", key="gsm8k-003", answer="22", gold="22", job_id=evaluation)
    discuss = finished_job(url, "discuss", {"target_dataset": "ecqa"})
    turn = node_id(url, "gsm8k-003", "claude", 1)
    assert annotate.set_label(turn, False, actor=Actor("t", Role.ANNOTATOR), url=url).ok
    ids = {"train": train, "run": run, "discuss": discuss, "turn": turn, "d": disc_id(url, "gsm8k-003")}
    env = dict(os.environ, MAGDI_DATABASE_URL=url)
    with open(tmp / "streamlit.log", "wb") as log:
        proc, base = start_app(env, log)
        try:
            yield base, ids
        finally:
            stop(proc, 10)


@pytest.fixture
def tab(browser, links_app):
    base, _ = links_app
    with guarded_page(browser, base, accept_downloads=True) as pg:
        expect.set_options(timeout=20_000)
        try:
            yield pg
        finally:
            expect.set_options(timeout=None)
            assert not pg.external_requests


def follow(page: Page, name: str, url: re.Pattern) -> None:
    page.get_by_role("link", name=name).click()
    expect(page).to_have_url(url)


def test_job_downloads_then_its_data_and_evaluations_then_compare_mag_and_back(tab, links_app):
    _, ids = links_app
    tab.goto(f"/jobs?job={ids['train']}")
    with tab.expect_download() as got:
        tab.get_by_role("button", name="metrics (CSV)").click()
    assert Path(got.value.path()).read_text() == "step,loss\n1,2.5\n"
    with tab.expect_download() as got:
        tab.get_by_role("button", name=re.compile(r"^student")).click()
    assert zipfile.ZipFile(got.value.path()).namelist() == ["adapter/adapter_config.json"]
    follow(tab, "Its data on Browse", re.compile(r"/browse\?.*ds=gsm8k"))
    expect(tab.get_by_text(re.compile(r"Filter: dataset gsm8k"))).to_be_visible()

    tab.goto(f"/jobs?job={ids['train']}")
    follow(tab, "Its evaluations on Compare (1)", re.compile(rf"/compare\?run={ids['run']}$"))
    follow(tab, "Its teachers' discussion (MAG)", re.compile(rf"/mag\?.*d={ids['d']}"))
    expect(tab.get_by_text("task gsm8k", exact=False)).to_be_visible()
    follow(
        tab,
        re.compile("The students' answers to this question"),
        re.compile(rf"/compare\?run={ids['run']}&qds=gsm8k&qkey=gsm8k-003"),
    )
    expect(tab.get_by_role("combobox", name="Question")).to_have_value(re.compile(r"^gsm8k · gsm8k-003 · "))


def test_discussion_job_to_its_dataset_and_overview_change_to_its_node(tab, links_app):
    _, ids = links_app
    tab.goto(f"/jobs?job={ids['discuss']}")
    follow(tab, "Its new dataset ecqa on Browse", re.compile(r"/browse\?ds=ecqa"))
    expect(tab.get_by_text(re.compile(r"Filter: dataset ecqa"))).to_be_visible()

    tab.goto("/")
    follow(tab, "Open its node on the MAG page", re.compile(rf"/mag\?.*d={ids['d']}&n={ids['turn']}"))
    expect(tab.get_by_role("heading", name="claude · round 1")).to_be_visible()

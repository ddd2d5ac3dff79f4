"""The Experiments page in a real browser: a finished 2-variant × 2-seed experiment (run by the
fixture's worker, tiny settings) shows its cells, the table, the plot with error bars, the paired
test and the downloads."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.services import experiments
from app.services.auth import LOCAL
from app.services.filters import Filter
from tests.utils.browser import DistilApp, wait_for
from tests.utils.training import TINY

pytestmark = pytest.mark.e2e
NAME = "<b>e2e</b> levels"  # shown as text, never as HTML


@pytest.fixture(scope="module")
def finished(distil_app: DistilApp) -> int:
    url = distil_app.url
    with pytest.MonkeyPatch.context() as mp:  # the frozen data goes where the app's runs go
        mp.setenv("MAGDI_RUNS_DIR", str(distil_app.runs))
        experiment_id = experiments.create(
            data=Filter(datasets=("gsm8k",)),
            variants=["1", "2"],
            seeds=[0, 1],
            train={**TINY, "val_max_new_tokens": 8},
            split={"train": 0.6, "validation": 0.1, "test": 0.3, "seed": 1},
            max_new_tokens=8,
            name=NAME,
            url=url,
            actor=LOCAL,
        )
    wait_for(
        lambda: experiments.get(experiment_id, url=url).status != "running",
        timeout=400,
        what="the experiment",
        app=distil_app,
    )
    view = experiments.get(experiment_id, url=url)
    assert view.status == "finished", experiments.for_display(view)
    return experiment_id


def test_experiments_page_shows_the_table_and_the_plot(distil_page: Page, distil_app: DistilApp, finished):
    page, url = distil_page, distil_app.url
    res = experiments.results(finished, url=url)
    page.goto("/experiments")
    expect(page.get_by_role("heading", name=f"Experiment {finished} · {NAME} · finished")).to_be_visible()
    expect(page.get_by_text("4/4 cells done")).to_be_visible()
    expect(page.get_by_text(f"{res.questions} test questions")).to_be_visible()
    caption = experiments.settings_text(res.settings)  # the settings beside the table
    assert caption.startswith(
        "data ds=gsm8k · split 0.6/0.1/0.3 (seed 1) · student offline default · 4 steps"
    )
    expect(page.get_by_text(caption)).to_be_visible()
    tables = page.get_by_test_id("stDataFrame")
    expect(tables).to_have_count(3)  # cells, results, paired tests
    chart = page.locator(".stPlotlyChart .js-plotly-plot")
    expect(chart).to_be_visible()
    drawn = chart.evaluate("""gd => ({title: gd.querySelector('.gtitle')?.textContent,
        errorbars: gd.querySelectorAll('g.errorbar').length,
        traces: gd._fullData.map(t => ({x: Array.from(t.x), y: Array.from(t.y),
                                        error: Array.from(t.error_y.array)}))})""")
    assert drawn["title"] == "Test accuracy by level (95% interval over questions and seeds)"
    (trace,) = drawn["traces"]
    assert [html.unescape(x) for x in trace["x"]] == ["1", "2"]
    assert trace["y"] == pytest.approx([r["accuracy"] for r in res.rows])
    assert trace["error"] == pytest.approx([r["ci_high"] - r["accuracy"] for r in res.rows])
    assert drawn["errorbars"] >= 1
    expect(page.get_by_text(re.compile("McNemar's exact test"))).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == f"magdi-experiment-{finished}.csv"
    assert (
        Path(download.value.path()).read_bytes() == experiments.results(finished, url=url).to_csv().encode()
    )
    assert page.external_requests == []

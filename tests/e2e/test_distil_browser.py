"""The distillation pages in a real browser, with a real worker running the jobs:

- Train → Jobs: configure a tiny level-4 run in the form, start it, watch it succeed, see its
  loss and throughput curves and its log;
- Jobs: cancel a running job, then resume it as a new attempt;
- Compare: an evaluation run shown per question and in aggregate, with its CSV download.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.services import compare, jobs
from app.services.auth import LOCAL
from app.services.filters import Filter
from tests.utils.browser import DistilApp, choose, wait_for
from tests.utils.training import TINY, TINY_STUDENT

pytestmark = pytest.mark.e2e
JOB_TIMEOUT_MS = 120_000
# the tiny settings of tests/utils/workers.py, as far as the Train page offers them
TINY_FORM = {
    "max steps (0: epochs decide)": 4,
    "batch (questions)": 2,
    "warm-up steps": 0,
    "max tokens per chain": 128,
    "log every (steps)": 1,
    "checkpoint every (steps)": 2,
}
TINY_CLI = {
    "max_steps": 4,
    "batch_size": 2,
    "warmup_steps": 0,
    "max_length": 128,
    "log_every": 1,
    "save_every": 2,
}


def command(page: Page):
    """The Train page's equivalent command line, which shows every setting the form holds."""
    return page.locator("[data-testid=stCode]").filter(has_text="python -m app train")


def job_heading(page: Page, job_id: int, status: str):
    return page.get_by_role("heading", name=re.compile(rf"^Job {job_id} · train · ({status})$"))


def watch_tabs(page: Page) -> None:
    """Record, from now on, the most tabs named "Log" the page ever shows at once: a rerun that
    moves the tabs leaves the old ones standing beside the new ones until it ends."""
    page.evaluate("""() => { window.mostLogTabs = 0; new MutationObserver(() => {
        const n = [...document.querySelectorAll('[data-testid=stTab]')]
            .filter(t => t.textContent.trim() === 'Log').length;
        window.mostLogTabs = Math.max(window.mostLogTabs, n);
    }).observe(document.body, {subtree: true, childList: true, attributes: true}); }""")


def most_log_tabs(page: Page) -> int:
    return page.evaluate("window.mostLogTabs")


def plots(page: Page) -> list[dict]:
    """Every visible plotly chart: its title, legend entries, drawn error bars and traces (name,
    x, y, error bar lengths)."""
    return page.evaluate("""() => [...document.querySelectorAll('.stPlotlyChart .js-plotly-plot')]
        .filter(gd => gd.offsetParent !== null)
        .map(gd => ({
            title: gd.querySelector('.gtitle')?.textContent ?? null,
            legend: [...gd.querySelectorAll('.legendtext')].map(t => t.textContent),
            errorbars: gd.querySelectorAll('g.errorbar').length,
            // _fullData: the traces as drawn, with plotly's binary-encoded arrays decoded
            traces: gd._fullData.map(t => ({
                name: t.name ?? null, x: Array.from(t.x ?? []), y: Array.from(t.y ?? []),
                hover: Array.isArray(t.hovertext) ? t.hovertext : [],
                error: t.error_y ? Array.from(t.error_y.array ?? []) : null,
                errorminus: t.error_y ? Array.from(t.error_y.arrayminus ?? []) : null})),
        }))""")


def test_train_page_starts_a_tiny_job_that_succeeds_on_the_jobs_page(
    distil_page: Page, distil_app: DistilApp
):
    page, url = distil_page, distil_app.url
    page.goto("/train")
    expect(page.get_by_role("button", name="Start training")).to_be_visible()
    expect(command(page)).to_have_text("python -m app train")  # all defaults

    choose(page, "Datasets (none: all)", "gsm8k")
    page.keyboard.press("Escape")  # close the multiselect's menu
    expect(command(page)).to_contain_text("--dataset gsm8k")
    choose(page, "Level", "4 · MAGDi (+ graph structure)")
    expect(page.get_by_role("combobox", name="Level")).to_have_value("4 · MAGDi (+ graph structure)")

    page.get_by_text("Optimisation", exact=True).click()
    for (label, value), key in zip(TINY_FORM.items(), TINY_CLI):
        box = page.get_by_label(label, exact=True)
        box.fill(str(value))
        box.press("Enter")
        expect(command(page)).to_contain_text(f"--set {key}={value}")  # the app took it
    page.get_by_label("Job name", exact=True).fill("e2e tiny")
    page.get_by_label("Job name", exact=True).press("Enter")

    # what level 4 trains on, counted in the browser and by the service
    page.get_by_role("button", name="Count what this level trains on").click()
    config = jobs.train_config({"level": "4", **TINY_CLI}, data=Filter(datasets=("gsm8k",)), url=url)
    summary = jobs.preview_training(config, url=url)
    counts = {
        **{f"{p} questions": summary["split"][p] for p in ("train", "validation", "test")},
        **{
            label: summary[key]
            for label, key in (
                ("questions trained on", "questions"),
                ("positive chains", "chains"),
                ("pairs", "pairs"),
                ("graphs", "graphs"),
            )
        },
    }
    for label, value in counts.items():
        metric = page.locator("[data-testid=stMetric]").filter(has=page.get_by_text(label, exact=True))
        expect(metric.locator("[data-testid=stMetricValue]")).to_have_text(str(value))
    assert summary["graphs"] > 0 and summary["pairs"] > 0  # level 4 has something to train on

    page.get_by_role("button", name="Start training").click()
    page.wait_for_url(re.compile(r"/jobs\?job=\d+$"))
    job_id = int(re.search(r"job=(\d+)", page.url).group(1))
    job = jobs.get(job_id, url=url)
    assert (job.kind, job.name) == ("train", "e2e tiny")
    assert {k: job.config["train"][k] for k in TINY_CLI} == TINY_CLI
    assert job.config["train"]["level"] == "4" and job.config["data"] == {"ds": ["gsm8k"]}

    expect(page.get_by_role("heading", name="Jobs", exact=True)).to_be_visible()
    expect(job_heading(page, job_id, "queued|running|succeeded")).to_be_visible()
    expect(job_heading(page, job_id, "succeeded")).to_be_visible(timeout=JOB_TIMEOUT_MS)
    job = jobs.get(job_id, url=url)
    assert job.status == "succeeded", f"{job.error}\n{distil_app.worker_output()}"

    expect(page.get_by_role("button", name=re.compile("^(Cancel|Resume)$"))).to_have_count(0)

    # the fragment draws the charts once metrics exist: the losses as named traces, by step
    # (validation loss among them where it was measured), throughput and validation accuracy
    records = jobs.metrics(job, url=url)
    losses = [
        k for k in ("loss", "ntp", "margin", "node", "val_loss") if any(r.get(k) is not None for r in records)
    ]
    charts = page.locator(".stPlotlyChart .js-plotly-plot")
    expect(charts).to_have_count(3)
    expect(page.locator(".legendtext")).to_have_count(len(losses))
    drawn = {p["title"]: p for p in plots(page)}
    assert set(drawn) == {"losses", "throughput (tokens/s)", "validation accuracy (greedy)"}
    assert drawn["losses"]["legend"] == losses
    assert [r["step"] for r in records] == [1, 2, 3, 4]
    for trace in drawn["losses"]["traces"]:
        assert trace["x"] == [1, 2, 3, 4], trace
        assert trace["y"] == pytest.approx([r[trace["name"]] for r in records]), trace
    (throughput,) = drawn["throughput (tokens/s)"]["traces"]
    assert throughput["y"] == pytest.approx([r["tokens_per_s"] for r in records])

    # the log tail
    page.get_by_role("tab", name="Log").click()
    log = page.get_by_role("tabpanel", name="Log").locator("[data-testid=stCode]")
    expect(log).to_contain_text("step 4/4")
    assert log.inner_text().strip().splitlines()[-1] in jobs.log_tail(job, url=url)
    assert page.external_requests == []


def test_cancel_a_running_job_then_resume_it(distil_page: Page, distil_app: DistilApp):
    page, url = distil_page, distil_app.url
    # a line every 50 steps: the resumed attempt's first lines stay in the store's 200-line log tail
    # even when the remaining ~390 steps run in a few seconds
    long = {**TINY, "max_steps": 400, "save_every": 3, "log_every": 50}
    job_id = jobs.submit(
        jobs.train_config(long, data=Filter(datasets=("gsm8k",)), url=url),
        name="e2e long",
        url=url,
        actor=LOCAL,
    )
    resumed = None
    try:
        page.goto(f"/jobs?job={job_id}")
        expect(job_heading(page, job_id, "running")).to_be_visible(timeout=JOB_TIMEOUT_MS)
        # the live progress bar counts steps towards max steps
        expect(page.get_by_text(re.compile(r"^step [1-9]\d*/400"))).to_be_visible(timeout=JOB_TIMEOUT_MS)
        wait_for(
            lambda: list(Path(jobs.get(job_id, url=url).run_dir).glob("checkpoints/step-*.pt")),
            what="a checkpoint",
            app=distil_app,
        )

        watch_tabs(page)
        page.get_by_role("button", name="Cancel", exact=True).click()
        expect(page.get_by_text(f"Job {job_id}: cancelling")).to_be_visible()
        expect(job_heading(page, job_id, "cancelled")).to_be_visible(timeout=60_000)
        page.wait_for_timeout(2500)  # one more refresh of the job's fragment
        assert most_log_tabs(page) == 1
        cancelled = jobs.get(job_id, url=url)
        assert cancelled.status == "cancelled"
        expect(page.get_by_role("button", name="Cancel", exact=True)).to_have_count(0)
        checkpoints = sorted(
            Path(cancelled.run_dir).glob("checkpoints/step-*.pt"), key=lambda p: int(p.stem.split("-")[1])
        )
        stopped_at = int(checkpoints[-1].stem.split("-")[1])
        page.get_by_role("tab", name="Log").click()
        log = page.get_by_role("tabpanel", name="Log").locator("[data-testid=stCode]")
        expect(log).to_contain_text("stopped by SIGTERM; continue with")

        page.get_by_role("button", name="Resume").click()
        resumed = wait_for(
            lambda: next((j.id for j in jobs.list_all(url=url) if j.resume_of == job_id), None),
            what="the new attempt",
            app=distil_app,
        )
        expect(page.get_by_text(f"Queued job {resumed}, a new attempt of job {job_id}.")).to_be_visible()
        page.wait_for_url(re.compile(rf"job={resumed}$"))
        expect(job_heading(page, resumed, "queued|running")).to_be_visible()
        page.get_by_role("tab", name="Run").click()
        attempt = page.locator("[data-testid=stMetric]").filter(has=page.get_by_text("attempt", exact=True))
        expect(attempt.locator("[data-testid=stMetricValue]")).to_have_text("2")
        again = jobs.get(resumed, url=url)
        assert (again.attempt, again.resume_of, again.name) == (2, job_id, "e2e long")
        # the new attempt runs on from the checkpoint, in the first attempt's run directory
        expect(job_heading(page, resumed, "running")).to_be_visible(timeout=JOB_TIMEOUT_MS)
        page.get_by_role("tab", name="Log").click()
        resumed_from = re.compile(rf"resumed from \S+step-0*{stopped_at}\.pt \(step {stopped_at}\)")
        expect(log).to_contain_text(resumed_from, timeout=JOB_TIMEOUT_MS)
        assert jobs.get(resumed, url=url).run_dir == cancelled.run_dir
        assert page.external_requests == []
    finally:
        for jid in (job_id, resumed):
            if jid is not None and jobs.get(jid, url=url).status in ("queued", "running"):
                jobs.cancel(jid, url=url, actor=LOCAL)
        wait_for(
            lambda: all(j.status not in ("queued", "running") for j in jobs.list_all(url=url)),
            timeout=60,
            what="the jobs to stop",
            app=distil_app,
        )


@pytest.fixture(scope="module")
def eval_run(distil_app: DistilApp):
    """One evaluation of the offline student (tiny, random) on 3 held-out GSM8K questions, run by
    the worker."""
    url = distil_app.url
    cfg = compare.eval_job_config(
        dataset="gsm8k", limit=3, max_new_tokens=8, student=TINY_STUDENT, label="e2e eval", url=url
    )
    job_id = compare.submit_eval(cfg, name="e2e eval", url=url, actor=LOCAL)
    wait_for(
        lambda: jobs.get(job_id, url=url).status not in ("queued", "running"),
        timeout=180,
        what="the evaluation job",
        app=distil_app,
    )
    job = jobs.get(job_id, url=url)
    assert job.status == "succeeded", f"{job.error}\n{distil_app.worker_output()}"
    (run,) = compare.list_runs(url)
    assert (run.dataset, run.questions) == ("gsm8k", 3)
    return run


def test_compare_page_per_question_and_aggregate(distil_page: Page, distil_app: DistilApp, eval_run):
    page, url = distil_page, distil_app.url
    runs = compare.list_runs(url)
    assert [r.id for r in runs] == [eval_run.id]
    page.goto("/compare")
    expect(page.get_by_role("heading", name="Compare", exact=True)).to_be_visible()
    expect(page.get_by_role("tab", name="Per question")).to_be_visible()
    runs_box = page.get_by_test_id("stMultiSelect").filter(has_text="Evaluations")
    expect(runs_box).to_contain_text(eval_run.label)  # chosen by default

    # per question: the first question, its gold answer, the teachers' final vote, the student's
    views = compare.questions([eval_run.id], url=url)
    assert len(views) == 3
    expect(page.get_by_text("3 question(s)")).to_be_visible()
    v = compare.question([eval_run.id], views[0].dataset, views[0].key, url=url)
    panel = page.get_by_role("tabpanel", name="Per question")
    expect(panel.get_by_test_id("stText").first).to_have_text(v.question)
    expect(
        panel.get_by_text(re.compile(rf"^Gold answer: {re.escape(v.gold_answer)} · task {v.task}$"))
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Teachers")).to_be_visible()
    expect(page.get_by_role("heading", name="Students")).to_be_visible()
    c = v.consensus
    assert c is not None and v.teachers  # a stored discussion: the teachers' turns
    expect(page.get_by_text(re.compile(rf"Final answer \(round {c.round}\): weighted vote"))).to_be_visible()
    expect(panel.get_by_test_id("stDataFrame")).to_have_count(2)  # teachers' turns, students
    (student,) = v.students
    (sample,) = student.samples
    expander = page.get_by_test_id("stExpander").filter(has_text=f"{student.label}: 1 sample(s)")
    expander.get_by_text(f"{student.label}: 1 sample(s)").click()
    read_as = re.escape(sample.parsed or "(unparseable)")
    caption = re.compile(rf"sample 0 · read as {read_as} · [✓✗] · {sample.tokens} tokens")
    expect(expander.get_by_text(caption)).to_be_visible()
    if sample.text.strip():
        expect(expander.get_by_test_id("stText")).to_have_text(sample.text.strip())
    # the MAG: teachers by round, the student beside them
    graph = next(p for p in plots(page) if any(t["name"] == "students" for t in p["traces"]))
    by_name = {t["name"]: t for t in graph["traces"]}
    teachers, students = by_name["teachers"], by_name["students"]
    assert teachers["x"] == [t.round for t in v.teachers]
    for t, hover in zip(v.teachers, teachers["hover"], strict=True):  # each turn and its answer
        assert html.unescape(hover) == f"{t.agent} round {t.round}: {t.answer}"[:200]
    assert [html.unescape(h) for h in students["hover"]] == [
        f"{student.label}: {student.answer or '(unparseable)'}"[:200]
    ]

    # aggregate: a row per evaluation and the teachers' votes, accuracy with error bars, tokens
    page.get_by_role("tab", name="Aggregate").click()
    rows = compare.aggregate([eval_run.id], url=url)
    # students and the teachers' votes in two tables, each scored against gold
    expect(page.get_by_role("tabpanel", name="Aggregate").get_by_test_id("stDataFrame")).to_have_count(2)
    expect(page.get_by_text("Students, scored against the gold answer")).to_be_visible()
    expect(page.get_by_text("Accuracy (Wilson 95% interval)")).to_be_visible()
    expect(page.get_by_text("Token efficiency: teacher tokens ÷ student tokens")).to_be_visible()
    drawn = {p["title"]: p for p in plots(page)}
    (acc,) = drawn["Accuracy (Wilson 95% interval)"]["traces"]
    bars = [html.unescape(x) for x in acc["x"]]
    assert bars == [f"{r['model']} · {r['level']} · {r['dataset']}" for r in rows]
    assert len(bars) == 3 and bars[0].startswith("e2e eval") and "teachers (majority vote)" in bars[2]
    assert acc["y"] == pytest.approx([r["accuracy"] for r in rows])
    assert acc["error"] == pytest.approx([r["ci_high"] - r["accuracy"] for r in rows])
    assert acc["errorminus"] == pytest.approx([r["accuracy"] - r["ci_low"] for r in rows])
    assert drawn["Accuracy (Wilson 95% interval)"]["errorbars"] == len(rows)
    (ratio,) = drawn["Token efficiency: teacher tokens ÷ student tokens"]["traces"]
    assert ratio["y"] == pytest.approx([r["token_ratio"] for r in rows if r["token_ratio"] is not None])
    assert len(ratio["y"]) >= 1

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == "magdi-compare.csv"
    assert Path(download.value.path()).read_bytes() == compare.aggregate_csv(rows).encode()
    assert page.external_requests == []

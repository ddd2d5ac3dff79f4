"""Train and Jobs pages through AppTest on a real store, with a real worker run in between."""

from __future__ import annotations

import subprocess
import sys

from app.services import jobs
from app.services.auth import LOCAL
from db import jobs as job_queries
from db.engine import session_scope
from tests.conftest import ROOT
from tests.utils.apptest import open_page
from tests.utils.training import TINY


def test_train_page_previews_and_queues_a_job(demo_store):
    at = open_page("train")
    at.selectbox(key="train_level").set_value("3").run()
    at.multiselect(key="train_datasets").set_value(["gsm8k"]).run()
    assert "--dataset gsm8k --set level=3" in at.code[0].value
    at.button(key="train_preview").click().run()
    metrics = {m.label: m.value for m in at.metric}
    # 14 GSM8K questions split 80/10/10, with at least one in each held-out part
    assert [metrics[f"{p} questions"] for p in ("train", "validation", "test")] == ["12", "1", "1"]
    assert (metrics["questions trained on"], metrics["graphs"]) == ("12", "0")
    assert int(metrics["pairs"]) > 0
    at.number_input(key="train_split_test").set_value(0.3).run()
    assert "--split test=0.3" in at.code[0].value
    at.button(key="train_start").click().run()
    [job] = jobs.list_all()
    assert (job.status, job.config["train"]["level"], job.config["data"]) == (
        "queued",
        "3",
        {"ds": ["gsm8k"]},
    )
    assert job.config["split"] == {"train": 0.6, "validation": 0.1, "test": 0.3, "seed": 0}


def test_train_page_refuses_a_job_with_nothing_to_train_on(demo_store):
    at = open_page("train")
    at.multiselect(key="train_datasets").set_value(["gsm8k"]).run()
    at.number_input(key="train_split_val").set_value(0.5).run()
    at.number_input(key="train_split_test").set_value(0.49).run()
    at.button(key="train_start").click().run()
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any(e.startswith("Not queued: cannot split 14 question(s)") for e in errors), errors
    assert not jobs.list_all()


def test_train_page_rejects_bad_settings(demo_store):
    at = open_page("train")
    at.text_input(key="train_lora_targets").set_value(" ").run()
    errors = [e.value.replace("\\", "") for e in at.error]  # markdown-escaped text
    assert any("lora_target_modules must not be empty" in e for e in errors), errors
    assert "train_start" not in [b.key for b in at.button]
    assert not jobs.list_all()


def test_jobs_page_shows_curves_cancel_and_resume(demo_store, tmp_path):
    done = jobs.submit(jobs.train_config(TINY), name="tiny", actor=LOCAL)
    subprocess.run(
        [sys.executable, "-m", "app", "worker", "--until-idle", "--poll", "0.2"],
        cwd=ROOT,
        check=True,
        timeout=300,
        capture_output=True,
    )
    waiting = jobs.submit(jobs.train_config(TINY), name="waiting", actor=LOCAL)

    at = open_page("jobs", {"job": str(done)})
    assert jobs.get(done).status == "succeeded"
    assert len(at.get("plotly_chart")) == 3  # losses (with validation loss), throughput, validation accuracy
    metrics = {m.label: m.value for m in at.metric}
    assert [metrics[f"{p} questions"] for p in ("train", "validation", "test")] == ["32", "4", "4"]
    assert metrics["kept step"] == str(jobs.final_metrics(jobs.get(done))["best_step"])
    assert "step 4/4" in at.code[0].value  # the log tail
    at.selectbox(key="jobs_selected").set_value(waiting).run()
    at.button(key=f"jobs_cancel_{waiting}").click().run()
    assert jobs.get(waiting).status == "cancelled"
    at.button(key=f"jobs_resume_{waiting}").click().run()
    attempt = jobs.list_all()[0]
    assert (attempt.resume_of, attempt.attempt, attempt.status) == (waiting, 2, "queued")
    at.multiselect(key="jobs_compare").set_value([done]).run()
    assert len(at.get("plotly_chart")) >= 1


def test_a_failed_job_shows_its_exception_then_the_lines_of_its_log(demo_store):
    failed = jobs.submit(jobs.train_config(TINY), name="bad", actor=LOCAL)
    error = 'exit status 1: Traceback (most recent call last):\n  File "x.py", line 1\nValueError: *boom*'
    with session_scope(write=True) as s:
        job_queries.finish(s, failed, "failed", error)
    at = open_page("jobs", {"job": str(failed)})
    # the exception's message first (Markdown in it stays text), the whole error folded below
    assert [e.value.replace("\\", "") for e in at.error] == ["ValueError: *boom* (exit status 1)"]
    [folded] = [e for e in at.expander if e.label == "Traceback and the log's last lines"]
    assert folded.code[0].value == error

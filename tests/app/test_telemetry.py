"""Several machines: a job's telemetry (metrics, log tail, progress, final metrics) lives in the store,
copied there by its worker; readers never touch the run directory. Workers with different run
roots share one store; what a job loads from another job's run is checked where it runs and, with
a shared run root configured, when it is queued."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from app import telemetry
from app.services import compare, jobs, store
from app.services.auth import LOCAL
from db import jobs as job_queries
from db import telemetry as telemetry_q
from db.engine import session_scope
from tests.utils import wait_for
from tests.utils.apptest import open_page
from tests.utils.training import TINY
from tests.utils.workers import run_until_idle, start_worker, stop

LONG = {**TINY, "max_steps": 400}  # runs until cancelled


def _steps(job_id: int, url: str | None = None) -> list[int]:
    return [r["step"] for r in jobs.metrics(jobs.get(job_id, url=url), url=url)]


def test_a_finished_jobs_telemetry_is_read_from_the_store_with_its_run_directory_gone(demo_store, tmp_path):
    job_id = jobs.submit(jobs.train_config(TINY), name="tiny", actor=LOCAL)
    run_until_idle(demo_store, tmp_path)
    job = jobs.get(job_id)
    assert job.status == "succeeded", job.error
    shutil.rmtree(job.run_dir)  # another host's disk, as far as the reader is concerned

    assert _steps(job_id) == [1, 2, 3, 4]
    assert {"ntp", "margin", "node", "val_loss"} <= set(jobs.metrics(job)[0])
    assert jobs.final_metrics(job)["last_step"] == 4
    assert "step 4/4" in jobs.log_tail(job)
    assert jobs.reported(job, "progress")["step"] == 4
    assert jobs.attempt_span(job) == ([], None)
    [download] = jobs.downloads(job)  # the artifacts went with the directory; the metrics did not
    assert download.build().decode().splitlines()[0].startswith("step,")
    at = open_page("jobs", {"job": str(job_id)})
    assert len(at.get("plotly_chart")) == 3  # losses, throughput, validation accuracy
    assert "step 4/4" in at.code[-1].value  # the Log tab
    jobs.delete(job_id, actor=LOCAL)  # its telemetry goes with it
    with session_scope() as s:
        assert telemetry_q.metrics(s, job_id) == [] and telemetry_q.fields(s, job_id) == {}


def test_the_worker_copies_metrics_and_the_log_while_the_job_runs(demo_store, tmp_path):
    job_id = jobs.submit(jobs.train_config(LONG), actor=LOCAL)
    worker = start_worker(demo_store, tmp_path)
    try:
        wait_for(lambda: len(_steps(job_id)) >= 3, what="metrics in the store")
        running = jobs.get(job_id)
        assert running.status == "running"
        steps = _steps(job_id)
        assert steps == list(range(1, len(steps) + 1))  # appended in order, none twice
        assert "step" in jobs.log_tail(running)
        jobs.cancel(job_id, actor=LOCAL)
        wait_for(lambda: jobs.get(job_id).status == "cancelled", what="cancellation")
    finally:
        stop(worker)
    job = jobs.get(job_id)
    assert _steps(job_id)[-1] == job.step  # the last copy, when the job ended, took the rest


def test_two_workers_on_different_run_roots_and_the_jobs_page_shows_both_live_curves(db_url, tmp_path):
    store.load_demo_if_empty(db_url)
    first = jobs.submit(jobs.train_config(LONG, url=db_url), name="on a", actor=LOCAL, url=db_url)
    second = jobs.submit(jobs.train_config(LONG, url=db_url), name="on b", actor=LOCAL, url=db_url)
    for host in ("host-a", "host-b"):  # each worker has its own run root, <host>/runs
        (tmp_path / host).mkdir()
    workers = [start_worker(db_url, tmp_path / "host-a")]
    try:
        wait_for(lambda: jobs.get(first, url=db_url).status == "running", what="worker a to take a job")
        workers.append(start_worker(db_url, tmp_path / "host-b"))
        for job_id in (first, second):
            wait_for(
                lambda i=job_id: len(_steps(i, db_url)) >= 2, timeout=240, what=f"job {job_id}'s metrics"
            )
        a, b = jobs.get(first, url=db_url), jobs.get(second, url=db_url)
        assert a.run_dir.startswith(str(tmp_path / "host-a" / "runs"))
        assert b.run_dir.startswith(str(tmp_path / "host-b" / "runs"))
        assert a.worker != b.worker and (a.status, b.status) == ("running", "running")

        at = open_page("jobs", {"job": str(second)})
        at.multiselect(key="jobs_compare").set_value([first, second]).run()
        assert not at.exception, at.exception
        traces = [trace for chart in at.get("plotly_chart") for trace in json.loads(chart.proto.spec)["data"]]
        points = {t["name"]: len(t["x"]) for t in traces}
        assert points["loss"] >= 2  # job 2's own chart
        assert points[f"#{first} · loss"] >= 2 and points[f"#{second} · loss"] >= 2  # Compare runs
        for job_id in (first, second):
            jobs.cancel(job_id, actor=LOCAL, url=db_url)
        for job_id in (first, second):
            wait_for(lambda i=job_id: jobs.get(i, url=db_url).status == "cancelled", what="cancellation")
    finally:
        for worker in workers:
            stop(worker)


def test_the_copy_appends_complete_lines_and_starts_again_on_a_rewritten_file(sqlite_url, tmp_path):
    store.load_demo_if_empty(sqlite_url)
    job_id = jobs.submit(jobs.train_config(TINY), actor=LOCAL)
    reader, path = telemetry.Reader(tmp_path, tmp_path / "job.log"), tmp_path / "metrics.jsonl"

    def copy() -> list[int]:
        update = reader.pending()
        with session_scope(write=True) as s:
            telemetry.store(s, job_id, update)
        reader.stored(update)
        with session_scope() as s:
            return [r["step"] for r in telemetry_q.metrics(s, job_id)]

    path.write_text('{"step": 1}\n[2]\nnot json\n{"step": 2}\n{"step": 3')  # junk skipped; 3 unfinished
    assert copy() == [1, 2]
    with open(path, "a") as fh:
        fh.write(', "loss": 1.5}\n{"step": 4}\n')
    assert copy() == [1, 2, 3, 4]
    assert copy() == [1, 2, 3, 4]  # nothing new: nothing added
    rewritten = tmp_path / "metrics.tmp"  # a resumed attempt drops the records past its checkpoint
    rewritten.write_text('{"step": 1}\n{"step": 2}\n')
    rewritten.replace(path)
    assert copy() == [1, 2]
    (tmp_path / "job.log").write_text("".join(f"line {i}\n" for i in range(500)))
    copy()
    tail = jobs.log_tail(jobs.get(job_id), 100_000)
    assert tail.splitlines() == [f"line {i}" for i in range(300, 500)]  # the newest LOG_LINES


def _finished_training(url: str | None, run_dir: Path) -> int:
    """A train job that succeeded with its run at `run_dir` (a worker on another host made it)."""
    job_id = jobs.submit(jobs.train_config(TINY, url=url), name="elsewhere", actor=LOCAL, url=url)
    with session_scope(url, write=True) as s:
        job_queries.claim_next(s, worker="gpu-host:1")
        job_queries.update_job(s, job_id, run_dir=str(run_dir))
        job_queries.finish(s, job_id, "succeeded")
    return job_id


def test_work_on_a_run_this_worker_cannot_read_fails_with_where_it_is_and_what_to_mount(demo_store, tmp_path):
    run_dir = tmp_path / "not-mounted" / "job-1"  # another host's disk, not mounted here
    train_id = _finished_training(None, run_dir)
    config = compare.eval_job_config(run_job=train_id, dataset="ecqa", exclude_trained=False)
    eval_id = jobs.submit(config, kind="eval", actor=LOCAL)
    predict_id = jobs.submit({"train_job": train_id, "filter": {}}, kind="predict", actor=LOCAL)
    run_until_idle(demo_store, tmp_path)
    for job_id, what in ((eval_id, "adapter"), (predict_id, "node classifier")):
        job = jobs.get(job_id)
        assert job.status == "failed"
        assert job.error == (
            f"could not start: the {what} of job {train_id} is at {run_dir / 'distill_config.json'}, not "
            f"readable from this worker's run root {tmp_path / 'runs'}: mount the shared run root at the "
            "same path on every worker host"
        )


def test_with_a_shared_run_root_work_on_a_run_outside_it_is_refused_when_queued(
    demo_store, tmp_path, monkeypatch
):
    shared = tmp_path / "shared"
    monkeypatch.setattr(jobs, "SHARED_RUNS_DIR", shared)
    local = _finished_training(None, tmp_path / "runs" / "job-1")
    with pytest.raises(ValueError) as refused:
        compare.eval_job_config(run_job=local, dataset="ecqa", exclude_trained=False)
    assert str(refused.value) == (
        f"job {local}'s artifacts are at {tmp_path / 'runs' / 'job-1'}, outside the shared run root "
        f"{shared}: a worker on another host could not read them (run its workers with MAGDI_RUNS_DIR "
        "under the shared run root)"
    )
    on_shared = _finished_training(None, shared / "store" / "job-2")
    config = compare.eval_job_config(run_job=on_shared, dataset="ecqa", exclude_trained=False)
    assert config["model"] == {"run_job": on_shared}

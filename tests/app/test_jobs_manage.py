"""Archiving and deleting finished jobs with their runs, and downloading a run's artifacts, on a real
store and real run directories; the Jobs page's confirmation through AppTest."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from app.services import jobs
from app.services.auth import LOCAL
from app.worker import OWNER_NAME
from db import jobs as job_queries
from db.engine import session_scope
from db.models import EvalRun
from tests.utils import unescape
from tests.utils.apptest import open_page
from tests.utils.training import TINY
from tests.utils.workers import copy_telemetry


def _finished(
    tmp_path: Path, kind: str = "train", config: dict | None = None, files: dict | None = None
) -> int:
    """A job of `kind` that ran in a run directory of this store (owner.json as the worker writes it)."""
    with session_scope(write=True) as s:
        job = job_queries.create_job(s, kind=kind, config=config or jobs.train_config(TINY))
        job_id, store_id = job.id, job_queries.store_id(s)
    run_dir = tmp_path / "runs" / f"job-{job_id}"
    for name, content in {
        OWNER_NAME: json.dumps({"store_id": store_id, "job_id": job_id}),
        **(files or {}),
    }.items():
        (run_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (run_dir / name).write_text(content)
    with session_scope(write=True) as s:
        assert job_queries.claim_next(s, worker="test").id == job_id
        job_queries.update_job(s, job_id, run_dir=str(run_dir))
        job_queries.finish(s, job_id, "succeeded")
    copy_telemetry(None, job_id, run_dir)  # its metrics, as its worker copied them
    return job_id


TRAIN_FILES = {
    "adapter/adapter_config.json": "{}",
    "adapter/adapter_model.safetensors": "weights",
    "distill_config.json": "{}",
    "data.jsonl": '{"id": "a"}\n',
    "split.json": "{}",
    "metrics.jsonl": '{"step": 1, "loss": 2.5}\n{"step": 2, "loss": 2.0, "val_loss": 2.2}\n',
    "checkpoints/step-2.pt": "not in any download",
}


def test_delete_refuses_what_is_used_archive_hides_and_delete_takes_the_run(demo_store, tmp_path):
    train = _finished(tmp_path, files=TRAIN_FILES)
    evaluation = _finished(tmp_path, "eval", {"model": {"run_job": train}})
    with session_scope(write=True) as s:
        run = EvalRun(
            job_id=evaluation,
            run_dir="x",
            model="m",
            level="4",
            dataset="d",
            source="store",
            decoding="greedy",
            summary="{}",
        )
        s.add(run)
    plan = jobs.removal(train)
    assert plan.blockers == [f"job {evaluation} (eval) evaluates this run: delete that job first"]
    with pytest.raises(ValueError, match="cannot be deleted"):
        jobs.delete(train, actor=LOCAL)
    assert jobs.get(train) is not None and Path(plan.run_dir).is_dir()

    assert jobs.archive(train, actor=LOCAL) == [train]
    assert [j.id for j in jobs.list_all()] == [evaluation]
    assert [j.id for j in jobs.list_all(archived=True)] == [train]
    assert jobs.finished_training(train).trained  # what refers to it still works

    evaluation_plan = jobs.removal(evaluation)
    assert (evaluation_plan.blockers, evaluation_plan.evaluations) == ([], 1)
    assert jobs.delete(evaluation, actor=LOCAL) and jobs.get(evaluation) is None
    assert not Path(evaluation_plan.run_dir).exists()
    with session_scope() as s:
        assert job_queries.evaluations_of(s, [evaluation]) == []
    assert jobs.delete(train, actor=LOCAL) and jobs.get(train) is None and not Path(plan.run_dir).exists()


def test_active_jobs_are_neither_archived_nor_deleted_and_foreign_directories_stay(demo_store, tmp_path):
    other = _finished(tmp_path)
    queued = jobs.submit(jobs.train_config(TINY), actor=LOCAL)
    assert jobs.removal(queued).blockers == ["an attempt of it is queued or running: cancel it first"]
    for act in (jobs.archive, jobs.delete):
        with pytest.raises(ValueError, match="queued or running"):
            act(queued, actor=LOCAL)
    assert jobs.get(queued).status == "queued"
    owner = Path(jobs.get(other).run_dir) / OWNER_NAME
    owner.write_text(json.dumps({"store_id": "another store", "job_id": other}))
    assert jobs.delete(other, actor=LOCAL) is False and jobs.get(other) is None and owner.exists()


def test_delete_takes_every_attempt_even_one_resumed_before_it_started(demo_store, tmp_path):
    first = jobs.submit(jobs.train_config(TINY), actor=LOCAL)
    assert jobs.cancel(first, actor=LOCAL) == "cancelled"  # cancelled while queued: no run directory
    second = jobs.resume(first, actor=LOCAL)
    assert jobs.cancel(second, actor=LOCAL) == "cancelled"
    assert jobs.removal(first).jobs == jobs.removal(second).jobs == [second, first]
    jobs.delete(first, actor=LOCAL)
    assert jobs.get(first) is None and jobs.get(second) is None


def test_downloads_of_a_run(demo_store, tmp_path):
    job = jobs.get(_finished(tmp_path, files=TRAIN_FILES))
    found = {d.file_name: d for d in jobs.downloads(job)}
    assert sorted(found) == [f"job-{job.id}-{n}" for n in ("data.zip", "metrics.csv", "student.zip")]
    student = zipfile.ZipFile(io.BytesIO(found[f"job-{job.id}-student.zip"].build()))
    assert sorted(student.namelist()) == [
        "adapter/adapter_config.json",
        "adapter/adapter_model.safetensors",
        "distill_config.json",
    ]
    data = zipfile.ZipFile(io.BytesIO(found[f"job-{job.id}-data.zip"].build()))
    assert sorted(data.namelist()) == ["data.jsonl", "split.json"]
    rows = list(csv.DictReader(io.StringIO(found[f"job-{job.id}-metrics.csv"].build().decode())))
    assert rows == [
        {"step": "1", "loss": "2.5", "val_loss": ""},
        {"step": "2", "loss": "2.0", "val_loss": "2.2"},
    ]
    assert not any(jobs.too_large(d) for d in found.values())
    assert jobs.too_large(jobs.Download("x", "x", "x", jobs.MAX_DOWNLOAD_BYTES + 1, bytes))


def test_the_jobs_page_deletes_after_a_confirmation_that_says_what_goes(demo_store, tmp_path):
    job_id = _finished(tmp_path, files=TRAIN_FILES)
    at = open_page("jobs", {"job": str(job_id)})
    assert [b.label for b in at.get("download_button")] == [
        "student (adapter, heads, tokenizer, config)",
        "frozen data",
        "metrics (CSV)",
    ]
    at.button(key=f"jobs_delete_{job_id}").click().run()
    [warning] = [unescape(w.value) for w in at.warning]
    assert f"job(s) {job_id} (every attempt of the run)" in warning and "the run directory" in warning
    assert jobs.get(job_id) is not None  # nothing yet
    at.button(key=f"jobs_delete_yes_{job_id}").click().run()
    assert not at.exception and jobs.get(job_id) is None
    assert any(f"Deleted job(s) {job_id}" in unescape(s.value) for s in at.success)


def test_the_jobs_page_archives_and_restores(demo_store, tmp_path):
    job_id = _finished(tmp_path)
    at = open_page("jobs", {"job": str(job_id)})
    at.button(key=f"jobs_archive_{job_id}").click().run()
    assert jobs.get(job_id).archived_at is not None
    assert any("No jobs yet" in i.value for i in at.info)
    at.toggle(key="jobs_archived").set_value(True).run()
    at.button(key=f"jobs_restore_{job_id}").click().run()
    assert not at.exception and jobs.get(job_id).archived_at is None


def test_a_delete_confirmed_after_something_started_using_the_run_is_refused(demo_store, tmp_path):
    job_id = _finished(tmp_path)
    at = open_page("jobs", {"job": str(job_id)})
    at.button(key=f"jobs_delete_{job_id}").click().run()
    user = _finished(tmp_path, "eval", {"model": {"run_job": job_id}})  # meanwhile, in another session
    at.button(key=f"jobs_delete_yes_{job_id}").click().run()
    assert not at.exception and jobs.get(job_id) is not None
    [warning] = [unescape(w.value) for w in at.warning]  # the confirmation gave way to the reason
    assert f"job {user} (eval) evaluates this run" in warning and "cannot be deleted" in warning

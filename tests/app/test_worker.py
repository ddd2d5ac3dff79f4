"""Background jobs with real worker processes, real training runs and a real store."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pytest

from app.services import jobs, store
from app.services.auth import LOCAL
from db.engine import session_scope
from tests.utils import wait_for
from tests.utils.training import TINY
from tests.utils.workers import run_until_idle, start_worker, stop


def test_job_runs_to_success_with_frozen_data_and_metrics(demo_store, tmp_path):
    job_id = jobs.submit(jobs.train_config(TINY), name="tiny", actor=LOCAL)
    run_until_idle(demo_store, tmp_path)
    job = jobs.get(job_id)
    assert job.status == "succeeded", job.error
    assert (job.step, job.total_steps, job.progress) == (4, 4, 1.0)
    assert job.label_revision == store.revision(demo_store)
    frozen = Path(job.run_dir) / "data.jsonl"
    assert len(frozen.read_text().splitlines()) == 40
    import hashlib

    assert hashlib.sha256(frozen.read_bytes()).hexdigest() == job.data_hash
    steps = [m["step"] for m in jobs.metrics(job)]
    assert steps == [1, 2, 3, 4] and {"ntp", "margin", "node"} <= set(jobs.metrics(job)[0])
    # the default split 80/10/10 by question, frozen beside the data; training reads its train part
    split = json.loads((Path(job.run_dir) / "split.json").read_text())
    assert split["counts"] == {"train": 32, "validation": 4, "test": 4} == job.data_summary["split"]
    assert job.config["split"] == {"train": 0.8, "validation": 0.1, "test": 0.1, "seed": 0}
    for part in ("train", "validation", "test"):
        lines = [json.loads(line) for line in (Path(job.run_dir) / f"{part}.jsonl").read_text().splitlines()]
        assert sorted(f"{d['dataset']}/{d['id']}" for d in lines) == split[part]
    assert job.data_summary["graphs"] == 32
    # validated at every step of a 4-step run (ten times a run, at most every step)
    assert all("val_loss" in m and 0 <= m["val_accuracy"] <= 1 for m in jobs.metrics(job))
    final = jobs.final_metrics(job)
    assert final["last_step"] == 4 and final["best_step"] in steps and final["test_questions"] == 4
    names = {name for name, _ in jobs.artifacts(job)}
    assert {"adapter/adapter_model.safetensors", "heads.safetensors", "metrics.jsonl", "best.pt"} <= names
    assert "step 4/4" in jobs.log_tail(job)


def test_cancel_keeps_checkpoint_and_resume_continues(demo_store, tmp_path):
    long = {**TINY, "max_steps": 400, "save_every": 3}
    job_id = jobs.submit(jobs.train_config(long), actor=LOCAL)
    worker = start_worker(demo_store, tmp_path)
    try:
        wait_for(lambda: (jobs.get(job_id).step or 0) >= 4, what="a few steps")
        assert jobs.cancel(job_id, actor=LOCAL) == "cancelling"
        wait_for(lambda: jobs.get(job_id).status == "cancelled", what="cancellation")
        job = jobs.get(job_id)
        checkpoints = sorted((Path(job.run_dir) / "checkpoints").glob("step-*.pt"))
        assert checkpoints, "the cancelled job kept no checkpoint"
        stopped_at = int(checkpoints[-1].stem.split("-")[1])

        resumed = jobs.resume(job_id, actor=LOCAL)
        wait_for(
            lambda: jobs.get(resumed).status == "running" and jobs.get(resumed).step > 0,
            what="the resumed attempt to run",
        )
        again = jobs.get(resumed)
        assert (again.attempt, again.resume_of, again.run_dir) == (2, job_id, job.run_dir)
        assert again.step >= stopped_at  # it did not start from scratch
        assert "resum" in jobs.log_tail(again).lower()
        jobs.cancel(resumed, actor=LOCAL)
        wait_for(lambda: jobs.get(resumed).status == "cancelled", what="second cancellation")
    finally:
        stop(worker)
    with pytest.raises(ValueError, match="only failed or cancelled"):
        jobs.resume(jobs.submit(jobs.train_config(TINY), actor=LOCAL), actor=LOCAL)


def test_killed_worker_leaves_no_running_job(demo_store, tmp_path):
    job_id = jobs.submit(jobs.train_config({**TINY, "max_steps": 400}), actor=LOCAL)
    worker = start_worker(demo_store, tmp_path)
    try:
        wait_for(lambda: jobs.get(job_id).step >= 2, what="the job to start")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(10)
        pid = jobs.get(job_id).pid
        wait_for(lambda: not _alive(pid), timeout=60, what="the orphaned training process to end")
        follow_up = jobs.submit(jobs.train_config(TINY), actor=LOCAL)
        worker = start_worker(demo_store, tmp_path, "--stale-after", "3")
        wait_for(lambda: jobs.get(job_id).status == "failed", what="orphan recovery")
        assert "stopped while the job ran" in jobs.get(job_id).error
        wait_for(
            lambda: jobs.get(follow_up).status == "succeeded", timeout=240, what="the new worker to carry on"
        )
    finally:
        stop(worker)


def test_a_stopped_worker_stops_its_jobs_resumable_without_waiting_out_the_grace(demo_store, tmp_path):
    job_id = jobs.submit(jobs.train_config({**TINY, "max_steps": 400, "save_every": 1}), actor=LOCAL)
    worker = start_worker(demo_store, tmp_path, "--grace", "300")
    try:
        wait_for(lambda: jobs.get(job_id).step >= 2, what="the job to start")
        worker.terminate()
        assert worker.wait(120) == 0  # the job stopped at once on SIGTERM; no 300 s wait
    finally:
        stop(worker)
    job = jobs.get(job_id)
    assert (job.status, job.error) == ("failed", "the worker was stopped while the job ran")
    assert job.resumable and list((Path(job.run_dir) / "checkpoints").glob("step-*.pt"))


def _alive(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0); read its state
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def test_relabel_during_a_running_job_leaves_its_data_unchanged(demo_store, tmp_path):
    job_id = jobs.submit(jobs.train_config({**TINY, "max_steps": 400}), actor=LOCAL)
    worker = start_worker(demo_store, tmp_path)
    try:
        wait_for(lambda: jobs.get(job_id).step >= 1, what="the job to start")
        job = jobs.get(job_id)
        before = (Path(job.run_dir) / "data.jsonl").read_bytes()
        from sqlalchemy import select

        from db import labels
        from db.models import Turn

        with session_scope(demo_store, write=True) as s:
            for tid in s.execute(select(Turn.id).limit(5)).scalars().all():
                turn = s.get(Turn, tid)
                labels.set_label(s, tid, not turn.auto_label, who="test")
        assert store.revision(demo_store) > job.label_revision
        assert (Path(job.run_dir) / "data.jsonl").read_bytes() == before
        exported = [json.loads(line) for line in before.decode().splitlines()]
        assert all(t["label_source"] == "auto" for d in exported for t in d["turns"])
        jobs.cancel(job_id, actor=LOCAL)
        wait_for(lambda: jobs.get(job_id).status == "cancelled", what="cancellation")
    finally:
        stop(worker)


def test_a_job_that_dies_before_its_first_step_fails_and_the_worker_goes_on(
    demo_store, tmp_path, monkeypatch
):
    monkeypatch.setenv("MAGDI_MODELS_ROOT", str(tmp_path))  # the missing model lies inside the models root
    broken = jobs.submit(jobs.train_config({**TINY, "model": str(tmp_path / "no-such-model")}), actor=LOCAL)
    fine = jobs.submit(jobs.train_config(TINY), actor=LOCAL)
    run_until_idle(demo_store, tmp_path)
    failed = jobs.get(broken)
    assert failed.status == "failed" and failed.error.startswith("exit status")
    assert not (Path(failed.run_dir) / "progress.json").exists()
    assert jobs.get(fine).status == "succeeded"

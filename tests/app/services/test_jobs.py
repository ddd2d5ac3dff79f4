"""The jobs service on a real store, without a worker: queueing, cancelling a queued job, resuming
as a new attempt, refusals before anything is queued, and the Train page's command line."""

from pathlib import Path

import pytest

from app.services import jobs, store
from app.services.auth import LOCAL
from tests.utils.training import TINY
from tests.utils.workers import copy_telemetry


@pytest.fixture
def url(db_url) -> str:
    store.load_demo_if_empty(db_url)
    return db_url


def test_a_queued_job_cancels_at_once_and_resumes_as_a_new_attempt(url):
    first = jobs.submit(jobs.train_config(TINY, url=url), name="tiny", url=url, actor=LOCAL)
    job = jobs.get(first, url=url)
    assert (job.kind, job.name, job.status, job.attempt) == ("train", "tiny", "queued", 1)
    assert job.config["train"]["max_steps"] == 4 and job.active and not job.resumable
    with pytest.raises(ValueError, match=f"job {first} is queued; only failed or cancelled jobs resume"):
        jobs.resume(first, url=url, actor=LOCAL)

    assert jobs.cancel(first, url=url, actor=LOCAL) == "cancelled"
    cancelled = jobs.get(first, url=url)
    assert (cancelled.status, cancelled.cancel_requested, cancelled.resumable) == ("cancelled", True, True)
    assert cancelled.finished_at is not None

    second = jobs.resume(first, url=url, actor=LOCAL)
    again = jobs.get(second, url=url)
    assert (again.status, again.resume_of, again.attempt, again.name) == ("queued", first, 2, "tiny")
    assert again.config == cancelled.config
    assert sorted(j.id for j in jobs.list_all(kind="train", url=url)) == [first, second]
    assert jobs.list_all(kind="eval", url=url) == []
    with pytest.raises(LookupError, match="no job 999"):
        jobs.resume(999, url=url, actor=LOCAL)
    assert jobs.get(999, url=url) is None


def test_a_training_job_with_nothing_to_do_is_refused_when_queued(demo_store, capsys):
    from app import train_cli
    from app.services.filters import Filter

    gsm8k = Filter(datasets=("gsm8k",))
    with pytest.raises(ValueError, match="selection is empty"):
        jobs.submit(jobs.train_config(TINY, data=Filter(datasets=("gsm8k",), task="ecqa")), actor=LOCAL)
    with pytest.raises(ValueError, match="no question is left for training"):
        jobs.submit(jobs.train_config(TINY, data=gsm8k, split={"validation": 0.5, "test": 0.49}), actor=LOCAL)
    with pytest.raises(ValueError, match="nothing to train on: none of the 12 training question"):
        jobs.submit(
            jobs.train_config({**TINY, "level": "single-teacher", "teacher": "nobody"}, data=gsm8k),
            actor=LOCAL,
        )
    with pytest.raises(ValueError, match="nproc must be >= 1"):
        jobs.train_config(TINY, nproc=0)
    with pytest.raises(ValueError, match="add up to 1"):
        jobs.train_config(TINY, split={"train": 0.5})
    assert not jobs.list_all()  # nothing was queued
    args = ["--db", demo_store, "--dataset", "gsm8k", "--split", "validation=0.5", "test=0.49"]
    assert train_cli.main(args) == 2
    assert "error: cannot split 14 question(s)" in capsys.readouterr().err
    assert not jobs.list_all()


def test_preview_counts_what_the_worker_would_freeze(url):
    preview = jobs.preview_training(jobs.train_config({**TINY, "level": "4"}, url=url), url=url)
    assert sum(preview["split"].values()) == 40  # the demo set's questions, split three ways
    assert preview["split"]["train"] > preview["split"]["validation"] > 0


def test_the_command_line_names_only_what_differs_from_the_defaults(url):
    assert jobs.command_line(jobs.train_config({"max_steps": 7}, url=url)) == (
        "python -m app train --set max_steps=7"
    )
    config = jobs.train_config({"max_steps": 7}, nproc=2, split={"validation": 0.2}, url=url)
    assert (
        jobs.command_line(config) == "python -m app train --nproc 2 --split validation=0.2 --set max_steps=7"
    )


def test_each_attempt_shows_the_curve_it_wrote_in_the_shared_run_directory(url, tmp_path):
    """A cancelled attempt ends where the attempt that resumed it took over; the last attempt
    shows the whole run with the step it resumed at marked (issue 15, 7)."""
    from db import jobs as job_queries
    from db.engine import session_scope
    from magdi.train import train
    from tests.utils.training import make_cfg

    cfg = make_cfg(tmp_path, "run", max_steps=6, save_every=1)
    first = jobs.submit(jobs.train_config(TINY, url=url), name="tiny", url=url, actor=LOCAL)
    with session_scope(url, write=True) as s:
        job_queries.claim_next(s, worker="test")
        job_queries.update_job(s, first, run_dir=cfg.output_dir)
    train(cfg, callback=lambda p: p["step"] == 3)  # stopped after step 3, as a cancel stops it
    copy_telemetry(url, first, Path(cfg.output_dir))  # as the attempt's worker does
    assert jobs.cancel(first, url=url, actor=LOCAL) == "cancelling"
    with session_scope(url, write=True) as s:
        job_queries.finish(s, first, "cancelled")
    second = jobs.resume(first, url=url, actor=LOCAL)
    with session_scope(url, write=True) as s:
        job_queries.claim_next(s, worker="test")
        job_queries.update_job(s, second, run_dir=cfg.output_dir)
    train(cfg, resume=True)  # steps 4..6 in the same run directory
    copy_telemetry(url, second, Path(cfg.output_dir))

    cancelled, resumed = jobs.get(first, url=url), jobs.get(second, url=url)
    assert [r["step"] for r in jobs.metrics(cancelled, url=url)] == [1, 2, 3]
    assert [r["step"] for r in jobs.metrics(resumed, url=url)] == [1, 2, 3, 4, 5, 6]
    assert jobs.attempt_span(cancelled, url=url) == ([], 3)
    assert jobs.attempt_span(resumed, url=url) == ([3], None)

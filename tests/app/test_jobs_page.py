"""The Jobs page through AppTest on a real store: a failed job's headline, and the queue's table."""

from __future__ import annotations

import pytest

from app.services import jobs
from app.services.auth import LOCAL
from app.services.jobs import headline
from db import jobs as job_queries
from db.engine import session_scope
from tests.utils.apptest import open_page
from tests.utils.training import TINY

TRACEBACK = (
    "exit status 1: Traceback (most recent call last):\n"
    '  File "/srv/magdi/magdi/train.py", line 40, in main\n'
    '    raise ValueError("unknown LoRA target modules: foo")\n'
    "ValueError: unknown LoRA target modules: foo"
)


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (TRACEBACK, "ValueError: unknown LoRA target modules: foo (exit status 1)"),
        (
            "exit status 2: error: data.jsonl:3: round must be at most 1000",
            "error: data.jsonl:3: round must be at most 1000 (exit status 2)",
        ),
        (
            'exit status 1: Traceback (most recent call last):\n  File "x.py", line 1\nKeyboardInterrupt',
            "KeyboardInterrupt (exit status 1)",
        ),
        ("worker stopped", "worker stopped"),  # a reason of our own, kept as it is
        ("exit status 9: step 3/40 ▕██▏", "exit status 9: step 3/40 ▕██▏"),  # nothing names an exception
    ],
)
def test_headline_is_the_exception_message_then_the_exit_status(error, expected):
    assert headline(error) == expected


def _failed_job(error: str) -> int:
    job_id = jobs.submit(jobs.train_config(TINY), name="doomed", actor=LOCAL)
    with session_scope(write=True) as s:
        assert job_queries.claim_next(s, worker="test").id == job_id
        job_queries.finish(s, job_id, "failed", error)
    return job_id


def test_the_jobs_table_says_dash_for_a_job_without_a_label_revision(demo_store):
    _failed_job("worker stopped")  # never started, so no label revision was pinned
    at = open_page("jobs")
    table = at.dataframe[0].value  # the queue: the page's first table
    assert list(table["labels rev."]) == ["-"]
    assert list(table["step"]) == ["0/?"]


def test_resume_is_offered_only_where_a_new_attempt_could_end_otherwise(demo_store):
    bad_input = _failed_job("exit status 2: error: cfg.json: lora_target_modules: foo not in the student")
    crashed = _failed_job(TRACEBACK)
    assert not jobs.get(bad_input).resumable and jobs.get(crashed).resumable
    with pytest.raises(ValueError, match="failed on its own input or settings"):
        jobs.resume(bad_input, actor=LOCAL)
    for job_id, offered in ((bad_input, False), (crashed, True)):
        at = open_page("jobs", {"job": str(job_id)})
        assert (f"jobs_resume_{job_id}" in [b.key for b in at.button]) is offered


def test_the_training_cli_refuses_settings_that_cannot_work_with_exit_status_2(tmp_path):
    import subprocess
    import sys

    config = tmp_path / "cfg.json"
    config.write_text('{"data": "x.jsonl", "lora_target_modules": ["foo"]}')
    done = subprocess.run(
        [sys.executable, "-m", "magdi.train", str(config)], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        f"error: {config}: lora_target_modules: foo not in the student (its modules: down_proj, "
        "embed_tokens, gate_proj, input_layernorm, k_proj, lm_head, norm, o_proj, "
        "post_attention_layernorm, q_proj, up_proj, v_proj)"
    )


def test_the_train_page_refuses_unknown_lora_targets_before_queueing(demo_store):
    at = open_page("train")
    at.text_input(key="train_lora_targets").set_value("q_proj, foo").run()
    errors = [e.value.replace("\\", "") for e in at.error]  # markdown-escaped text
    assert any("lora_target_modules: foo not in the student" in e for e in errors), errors
    assert "train_start" not in [b.key for b in at.button] and not jobs.list_all()

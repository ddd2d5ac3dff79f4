"""The Jobs page through AppTest on a real store: a failed job's headline, and the queue's table."""

from __future__ import annotations

import pytest

from app.services import jobs
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
    job_id = jobs.submit(jobs.train_config(TINY), name="doomed")
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

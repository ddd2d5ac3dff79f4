"""A stored evaluation made directly in the store (what an eval job stores when it ends), for
tests of the pages that show and link evaluations."""

from __future__ import annotations

from db import evaluations
from db import jobs as job_queries
from db.engine import session_scope
from db.models import EvalQuestion, EvalRun, Prediction
from tests.utils.rows import disc_id


def stored_evaluation(
    url: str, *, dataset: str, key: str, answer: str, gold: str, job_id: int | None = None
) -> int:
    """An evaluation of one stored question (`key` of `dataset`) with one sample; returns its id."""
    run = EvalRun(
        job_id=job_id,
        run_dir=f"/nonexistent/eval-{dataset}-{key}-{job_id}",
        model="student",
        level="4",
        dataset=dataset,
        source="store",
        decoding="greedy",
        questions=1,
        correct=int(answer == gold),
        summary="{}",
    )
    question = EvalQuestion(
        key=key,
        dataset=dataset,
        discussion_id=disc_id(url, key),
        task="gsm8k",
        question="?",
        gold_answer=gold,
        answer=answer,
        correct=answer == gold,
    )
    sample = Prediction(
        question_key=key, sample=0, text=f"The answer is {answer}.", parsed=answer, correct=answer == gold
    )
    with session_scope(url, write=True) as s:
        return evaluations.replace_eval_run(s, run, [(question, [sample])])


def finished_job(url: str, kind: str, config: dict, run_dir: str | None = None) -> int:
    """A job of `kind` that ran and succeeded (claimed as a worker does), optionally in `run_dir`."""
    with session_scope(url, write=True) as s:
        job_id = job_queries.create_job(s, kind=kind, config=config).id
    with session_scope(url, write=True) as s:
        assert job_queries.claim_next(s, worker="test").id == job_id
        if run_dir is not None:
            job_queries.update_job(s, job_id, run_dir=run_dir)
        job_queries.finish(s, job_id, "succeeded")
    return job_id

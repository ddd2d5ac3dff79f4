"""Eval jobs: freeze the questions, evaluate in a child process, and store its predictions there.

Config (built and checked by `app.services.compare.eval_job_config`):

    {"model": {"run_job": 3} | {"base": "<HF id or path>"} | {} (the offline default),
     "student": {DistillConfig fields of a base or offline model, e.g. its offline_* shape},
     "source": {"split": "test" | "validation"} (a part of the trained run's own split)
             | {"dataset": "ecqa", "filter": {BrowseFilter fields}, "exclude_trained": true}
             | {"benchmark": "<question file>", "format": "auto"},
     "limit": 100, "decoding": {EvalConfig decoding fields: sampling, k, max_new_tokens, ...},
     "label": "shown on the Compare page"}

`prepare` freezes, from one snapshot of the store, the questions `compare.select_questions` chose
when the job was queued (a part of the run's split, or the dataset's discussions outside the run's
training part) into discussions.jsonl, or reads the benchmark file, and writes the questions as
questions.jsonl; evaluation reads only these files.

The child (`python -m app.jobkinds.evaluate RUN_DIR [--resume]`) runs `magdi.evaluate` (progress,
SIGTERM, resume) and, when it finishes, stores the predictions in one transaction (in the store
the worker names in MAGDI_DATABASE_URL), replacing an earlier result of the same run directory.
The child writes because a kind has no hook after its process ends; a failure to store
fails the job, and resuming it stores again without generating.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from app.jobkinds import parse_run_dir, require_readable, run_dir_command
from app.services import compare, jobs
from db import evaluations
from db.engine import session_scope
from db.models import EvalQuestion, EvalRun, Prediction
from magdi import evaluate as ev
from magdi import formats
from magdi.benchmarks import write_questions
from magdi.config import CONFIG_NAME, EvalConfig

DECODING = ("sampling", "k", "temperature", "top_p", "top_k", "max_new_tokens", "batch_size", "seed")


def prepare(job_id: int, config: dict, run_dir: Path, url: str | None) -> dict:
    """Freeze the questions and write the child's config; returns job fields."""
    model, label = _model(config, url)
    chosen = compare.select_questions(config, url)  # the same selection that was checked at queue time
    discussions = None
    if chosen.discussions is not None:
        discussions = run_dir / "discussions.jsonl"
        with open(discussions, "w", encoding="utf-8") as fh:
            formats.write_jsonl(chosen.discussions, fh)
    frozen = run_dir / "questions.jsonl"
    with open(frozen, "w", encoding="utf-8") as fh:
        write_questions(chosen.questions, fh)
    cfg = EvalConfig(
        questions=str(frozen),
        output_dir=str(run_dir),
        format="questions",
        discussions=str(discussions) if discussions else None,
        label=config.get("label") or label,
        **model,
        **{k: v for k, v in config.get("decoding", {}).items() if k in DECODING},
    )
    cfg.save(run_dir)
    kind = "benchmark" if "benchmark" in config["source"] else "store"
    datasets = {d.id: ds for d, ds in chosen.discussions or []}
    (run_dir / "eval_job.json").write_text(
        json.dumps(
            {
                "job_id": job_id,
                "dataset": chosen.dataset,
                "source": kind,
                "discussion_ids": chosen.ids,
                "datasets": datasets,
            },
            indent=1,
        )
    )
    values = {} if chosen.label_revision is None else {"label_revision": chosen.label_revision}
    return {**values, "data_hash": hashlib.sha256(frozen.read_bytes()).hexdigest()}


def command(config: dict, run_dir: Path, *, resume: bool) -> list[str]:
    return run_dir_command(__spec__.name, run_dir, resume=resume)


def _model(config: dict, url: str | None) -> tuple[dict, str]:
    """EvalConfig fields naming the student (a finished train job's run, a base model or neither)
    and its default label."""
    model = config.get("model", {})
    if "run_job" in model:
        job = jobs.finished_training(int(model["run_job"]), url=url)
        require_readable(job, "adapter", (CONFIG_NAME, "adapter"))
        return {"run_dir": job.run_dir}, f"job {job.id}" + (f" {job.name}" if job.name else "")
    return {"model": model.get("base"), "student": config.get("student", {})}, ""


# ---------------------------------------------------------------- the child process


def store_results(run_dir: Path) -> int:
    """Store summary.json and predictions.jsonl of a finished evaluation; returns the EvalRun id."""
    job = json.loads((run_dir / "eval_job.json").read_text())
    summary = json.loads((run_dir / "summary.json").read_text())
    results = ev.read_predictions(run_dir / "predictions.jsonl")
    run = EvalRun(
        job_id=job["job_id"],
        run_dir=str(run_dir),
        model=summary["model"],
        level=summary["level"],
        dataset=job["dataset"],
        source=job["source"],
        decoding=summary["decoding"],
        k=summary["k"],
        questions=summary["questions"],
        correct=summary["correct"],
        student_tokens=summary["student_tokens"],
        teacher_tokens=summary["teacher_tokens"],
        summary=json.dumps(summary),
    )
    datasets = job.get("datasets", {})  # per question, when the questions span datasets
    items = [
        (
            EvalQuestion(
                key=r.question.id,
                dataset=datasets.get(r.question.id, job["dataset"]),
                task=r.question.task,
                discussion_id=job["discussion_ids"].get(r.question.id),
                question=r.question.question,
                gold_answer=r.question.gold_answer,
                options=json.dumps(r.question.options) if r.question.options else None,
                answer=r.answer,
                correct=r.correct,
                tokens=sum(s.tokens for s in r.samples),
                teacher_tokens=r.teacher_tokens,
            ),
            [
                Prediction(
                    question_key=r.question.id,
                    sample=s.index,
                    text=s.text,
                    parsed=s.parsed,
                    correct=s.correct,
                    tokens=s.tokens,
                    latency_s=s.latency_s,
                )
                for s in r.samples
            ],
        )
        for r in results
    ]
    with session_scope(write=True) as s:  # the worker hands its store down in MAGDI_DATABASE_URL
        return evaluations.replace_eval_run(s, run, items)


def main(argv: list[str] | None = None) -> int:
    run_dir, resume = parse_run_dir(__spec__.name, "Run a prepared eval job and store its predictions.", argv)
    code = ev.main([str(run_dir / EvalConfig.config_name)] + (["--resume"] if resume else []))
    if code != 0:
        return code
    print(f"stored as evaluation {store_results(run_dir)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Eval jobs: freeze the questions, evaluate in a child process, and store its predictions there.

Config (built and checked by `app.services.compare.eval_job_config`):

    {"model": {"run_job": 3} | {"base": "<HF id or path>"} | {} (the offline default),
     "student": {DistillConfig fields of a base or offline model, e.g. its offline_* shape},
     "source": {"dataset": "ecqa", "filter": {BrowseFilter fields}, "exclude_trained": true}
             | {"benchmark": "<question file>", "format": "auto"},
     "limit": 100, "decoding": {EvalConfig decoding fields: sampling, k, max_new_tokens, ...},
     "label": "shown on the Compare page"}

`prepare` freezes, from one snapshot of the store, the dataset's held-out discussions (those the
trained run's frozen training data does not hold) into discussions.jsonl, or reads the benchmark
file, and writes the questions as questions.jsonl; evaluation reads only these files.

The child (`python -m app.jobkinds.evaluate RUN_DIR [--resume]`) runs `magdi.evaluate` (progress,
SIGTERM, resume) and, when it finishes, stores the predictions in one transaction (in the store
the worker names in MAGDI_DATABASE_URL), replacing an earlier result of the same run directory. The child writes because a kind has no hook after its
process ends; a failure to store fails the job, and resuming it stores again without generating.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sys
from pathlib import Path

from app.jobkinds import parse_run_dir, run_dir_command
from app.services import jobs
from db import browsing, evaluations, queries
from db.engine import session_scope, snapshot_scope
from db.models import EvalQuestion, EvalRun, Prediction
from magdi import evaluate as ev
from magdi.config import EvalConfig
from magdi import formats
from magdi.benchmarks import Question, read_questions, write_questions
from magdi.mag import Discussion

DECODING = ("sampling", "k", "temperature", "top_p", "top_k", "max_new_tokens", "batch_size", "seed")


def prepare(job_id: int, config: dict, run_dir: Path, url: str | None) -> dict:
    """Freeze the questions and write the child's config; returns job fields."""
    model, label = _model(config, url)
    source, limit = config["source"], config.get("limit")
    values: dict = {}
    ids: dict[str, int] = {}
    discussions = None
    if "benchmark" in source:
        path = Path(source["benchmark"])
        questions = read_questions(path, source.get("format", "auto"), limit)
        dataset = f"{path.parent.name}/{path.name}"
    else:
        dataset = source["dataset"]
        trained = _trained_keys(model.get("run_dir"), dataset) if source.get("exclude_trained", True) else set()
        held_out, ids, values["label_revision"] = _held_out(url, dataset, source.get("filter", {}),
                                                            trained, limit)
        discussions = run_dir / "discussions.jsonl"
        with open(discussions, "w", encoding="utf-8") as fh:
            formats.write_jsonl(((d, dataset) for d in held_out), fh)
        questions = [Question(d.id, d.task, d.question, d.options, d.gold_answer) for d in held_out]
    if not questions:
        raise ValueError(f"no questions to evaluate in {dataset!r}"
                         + (" (none matches the filter, or the student was trained on all of them)"
                            if discussions else ""))
    frozen = run_dir / "questions.jsonl"
    with open(frozen, "w", encoding="utf-8") as fh:
        write_questions(questions, fh)
    cfg = EvalConfig(questions=str(frozen), output_dir=str(run_dir), format="questions",
                        discussions=str(discussions) if discussions else None,
                        label=config.get("label") or label, **model,
                        **{k: v for k, v in config.get("decoding", {}).items() if k in DECODING})
    (run_dir / "eval_config.json").write_text(json.dumps(dataclasses.asdict(cfg), indent=1))
    kind = "benchmark" if "benchmark" in source else "store"
    (run_dir / "eval_job.json").write_text(json.dumps(
        {"job_id": job_id, "dataset": dataset, "source": kind, "discussion_ids": ids}, indent=1))
    return {**values, "data_hash": hashlib.sha256(frozen.read_bytes()).hexdigest()}


def command(config: dict, run_dir: Path, *, resume: bool) -> list[str]:
    return run_dir_command(__spec__.name, run_dir, resume=resume)


def _model(config: dict, url: str | None) -> tuple[dict, str]:
    """EvalConfig fields naming the student (a finished train job's run, a base model or neither)
    and its default label."""
    model = config.get("model", {})
    if "run_job" in model:
        job = jobs.finished_training(int(model["run_job"]), url=url)
        return {"run_dir": job.run_dir}, f"job {job.id}" + (f" {job.name}" if job.name else "")
    return {"model": model.get("base"), "student": config.get("student", {})}, ""


def _trained_keys(run_dir: str | None, dataset: str) -> set[str]:
    """Ids of the dataset's discussions in the training run's frozen data."""
    data = Path(run_dir) / "data.jsonl" if run_dir else None
    if data is None or not data.exists():
        return set()
    return {d.id for _, d, ds in formats.read_jsonl(data) if ds in (None, dataset)}


def _held_out(url: str | None, dataset: str, filter_fields: dict, trained: set[str], limit: int | None
              ) -> tuple[list[Discussion], dict[str, int], int]:
    """The dataset's discussions matching the filter and not trained on, their store ids and the
    label revision, all from one snapshot."""
    with snapshot_scope(url) as s:
        ds_id = queries.require_dataset(s, dataset)
        f = browsing.BrowseFilter(**{**filter_fields, "dataset_ids": [ds_id]})
        held_out = [d for d, _ in queries.iter_discussions(s, discussion_ids=browsing.matching_ids(s, f))
                    if d.id not in trained][:limit]
        ids = evaluations.discussion_ids(s, ds_id, [d.id for d in held_out])
        return held_out, ids, queries.label_revision(s)


# ---------------------------------------------------------------- the child process

def store_results(run_dir: Path) -> int:
    """Store summary.json and predictions.jsonl of a finished evaluation; returns the EvalRun id."""
    job = json.loads((run_dir / "eval_job.json").read_text())
    summary = json.loads((run_dir / "summary.json").read_text())
    results = ev.read_predictions(run_dir / "predictions.jsonl")
    run = EvalRun(job_id=job["job_id"], run_dir=str(run_dir), model=summary["model"], level=summary["level"],
                  dataset=job["dataset"], source=job["source"], decoding=summary["decoding"], k=summary["k"],
                  questions=summary["questions"], correct=summary["correct"],
                  student_tokens=summary["student_tokens"], teacher_tokens=summary["teacher_tokens"],
                  summary=json.dumps(summary))
    items = [(EvalQuestion(key=r.question.id, dataset=job["dataset"], task=r.question.task,
                           discussion_id=job["discussion_ids"].get(r.question.id),
                           question=r.question.question, gold_answer=r.question.gold_answer,
                           options=json.dumps(r.question.options) if r.question.options else None,
                           answer=r.answer, correct=r.correct, tokens=sum(s.tokens for s in r.samples),
                           teacher_tokens=r.teacher_tokens),
              [Prediction(question_key=r.question.id, sample=s.index, text=s.text, parsed=s.parsed,
                          correct=s.correct, tokens=s.tokens, latency_s=s.latency_s) for s in r.samples])
             for r in results]
    with session_scope(write=True) as s:  # the worker hands its store down in MAGDI_DATABASE_URL
        return evaluations.replace_eval_run(s, run, items)


def main(argv: list[str] | None = None) -> int:
    run_dir, resume = parse_run_dir(__spec__.name, "Run a prepared eval job and store its predictions.", argv)
    code = ev.main([str(run_dir / "eval_config.json")] + (["--resume"] if resume else []))
    if code != 0:
        return code
    print(f"stored as evaluation {store_results(run_dir)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Predict jobs: score stored nodes with the node classifier of a succeeded level-4 train job.

Config (built by `app.services.predictions.submit_predictions`):

    {"train_job": 3, "filter": {BrowseFilter fields}}  ({}: every stored discussion)

`prepare` freezes nothing: it checks the train job and writes predict_job.json (this job, the run,
the filter). The child (`python -m app.jobkinds.predict RUN_DIR [--resume]`) loads the run
(`magdi.node_predict`), exports the matching discussions from one snapshot of the store (effective
labels, excluded nodes dropped), predicts chunk by chunk, writing progress.json after each, and
finally replaces the job's predictions in one transaction (in the store the worker names in
MAGDI_DATABASE_URL). A resumed attempt predicts again and stores under its own id.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from app.jobkinds import parse_run_dir, require_readable, run_dir_command
from app.services import jobs
from app.services.predictions import QUALITY, trained_classifier
from db import browsing, predictions, queries
from db import jobs as job_queries
from db.engine import session_scope, snapshot_scope
from magdi.config import CONFIG_NAME
from magdi.node_predict import load_classifier, predict
from magdi.plumbing import write_json_atomic
from magdi.splits import SPLIT_NAME, question_key, read_split

CHUNK = 256  # discussions between progress updates


def prepare(job_id: int, config: dict, run_dir: Path, url: str | None) -> dict:
    trained = jobs.finished_training(int(config["train_job"]), url=url)
    require_readable(trained, "node classifier", (CONFIG_NAME, "adapter", "heads.safetensors"))
    train_job = trained_classifier(trained.id, url=url)
    (run_dir / "predict_job.json").write_text(
        json.dumps(
            {"job_id": job_id, "train_run": train_job.run_dir, "filter": config.get("filter", {})}, indent=1
        )
    )
    return {}


def command(config: dict, run_dir: Path, *, resume: bool) -> list[str]:
    return run_dir_command(__spec__.name, run_dir, resume=resume)


def _write_progress(run_dir: Path, done: int, total: int, elapsed: float) -> None:
    eta = elapsed / done * (total - done) if done else None
    status = "done" if done == total else "running"
    write_json_atomic(
        run_dir / "progress.json", {"step": done, "total_steps": total, "eta_s": eta, "status": status}
    )


def _held_out(train_run: str) -> set[str]:
    """The question keys the classifier never trained on (its run's validation and test parts)."""
    path = Path(train_run) / SPLIT_NAME
    if not path.exists():
        return set()
    split = read_split(Path(train_run))
    return set(split.get("validation", [])) | set(split.get("test", []))


def score_store(run_dir: Path, train_run: str, filter_fields: dict) -> list[tuple[int, float]]:
    """(turn id, P(correct)) of every non-excluded node of the matching discussions. Writes the
    classifier's quality too (QUALITY): its accuracy against the effective labels on the nodes
    of questions its run held out."""
    clf = load_classifier(train_run)
    held = _held_out(train_run)
    scores: list[tuple[int, float]] = []
    right = measured = 0
    started = time.monotonic()
    with snapshot_scope() as s:
        ids = browsing.matching_ids(s, browsing.BrowseFilter(**filter_fields))
        _write_progress(run_dir, 0, len(ids), 0.0)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]  # id order, as iter_discussions yields them
            found = list(queries.iter_discussions(s, discussion_ids=chunk, drop_excluded=True))
            discussions = [d for d, _ in found]
            turn_ids = predictions.turn_ids(s, chunk)
            for d_id, (d, dataset), p in zip(chunk, found, predict(clf, discussions), strict=True):
                scores.extend((turn_ids[d_id, agent, rnd], value) for (agent, rnd), value in p.items())
                if question_key(dataset, d.id) in held:
                    for t in d.turns:
                        measured += 1
                        right += (p[t.agent, t.round] >= predictions.THRESHOLD) == (t.label == "correct")
            _write_progress(run_dir, start + len(chunk), len(ids), time.monotonic() - started)
    write_json_atomic(
        run_dir / QUALITY, {"held_out_nodes": measured, "accuracy": right / measured if measured else None}
    )
    return scores


def _attempt(run_dir: Path) -> int:
    """A resumed attempt's id: the newest job of this run directory (set when it was queued)."""
    with session_scope() as s:
        return job_queries.newest_of_run_dir(s, str(run_dir))


def main(argv: list[str] | None = None) -> int:
    run_dir, resume = parse_run_dir(__spec__.name, "Score stored nodes with a trained node classifier.", argv)
    spec = json.loads((run_dir / "predict_job.json").read_text())
    job_id = _attempt(run_dir) if resume else spec["job_id"]
    scores = score_store(run_dir, spec["train_run"], spec["filter"])
    with session_scope(write=True) as s:  # the worker hands its store down in MAGDI_DATABASE_URL
        n = predictions.replace_predictions(s, job_id, scores)
    print(f"stored {n} node predictions for job {job_id}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

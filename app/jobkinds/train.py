"""Train jobs: freeze the selected discussions and their split, then run `python -m magdi.train`
(torchrun for N>1).

A frozen data directory holds data.jsonl (every selected discussion, effective labels, excluded
turns dropped), data.json (label revision, hash, counts) and split.json (`magdi.splits`). `freeze`
makes one; `prepare` makes one in the run directory, or, when the config names `"frozen": DIR`
(an experiment freezes once for all its cells), hard-links (else copies) DIR's files into it. Either
way the run directory then gets train.jsonl, validation.jsonl and test.jsonl, the parts of data.jsonl
that magdi.train reads.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from contextlib import ExitStack
from pathlib import Path

from app.services.jobs import RUNS_DIR
from db import browsing, queries
from db.engine import snapshot_scope
from magdi import formats
from magdi.splits import PARTS, SPLIT_NAME, make_split, part_of, question_key, read_split, write_split

FROZEN_FILES = ("data.jsonl", "data.json", SPLIT_NAME)


def freeze(filter_fields: dict, split: dict, directory: Path, url: str | None) -> dict:
    """Export the discussions matching the Browse filter, with current labels, and their seeded
    split into `directory`; returns {label_revision, data_hash, counts}.

    The export and the label revision come from one snapshot of the store, so they agree. An
    empty selection, or one the split cannot divide, is a ValueError and leaves no split file.
    """
    directory.mkdir(parents=True, exist_ok=True)
    data = directory / "data.jsonl"
    keys = []
    with snapshot_scope(url) as s:
        ids = browsing.matching_ids(s, browsing.BrowseFilter(**filter_fields))
        revision = queries.label_revision(s)
        with open(data, "w", encoding="utf-8") as fh:
            for d, dataset in queries.iter_discussions(s, discussion_ids=ids, drop_excluded=True):
                formats.write_jsonl([(d, dataset)], fh)
                keys.append(question_key(dataset, d.id))
    parts = make_split(keys, split)
    write_split(directory, parts)
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    (directory / "data.json").write_text(
        json.dumps(
            {
                "discussions": len(keys),
                "label_revision": revision,
                "sha256": digest,
                "split": parts["counts"],
            },
            indent=1,
        )
    )
    return {"label_revision": revision, "data_hash": digest, "counts": parts["counts"]}


def prepare(job_id: int, config: dict, run_dir: Path, url: str | None) -> dict:
    """Freeze (or link the experiment's frozen) data and split, write the parts; returns job fields."""
    if config.get("frozen"):
        source = Path(config["frozen"])
        for name in FROZEN_FILES:
            _link(source / name, run_dir / name)
        meta = json.loads((run_dir / "data.json").read_text())
        frozen = {
            "label_revision": meta["label_revision"],
            "data_hash": meta["sha256"],
            "counts": read_split(run_dir)["counts"],
        }
    else:
        frozen = freeze(config.get("filter", {}), config.get("split", {}), run_dir, url)
    write_parts(run_dir)
    return {
        "label_revision": frozen["label_revision"],
        "data_hash": frozen["data_hash"],
        "data_summary": json.dumps({"split": frozen["counts"]}),
    }


def write_parts(run_dir: Path) -> None:
    """train.jsonl, validation.jsonl and test.jsonl: data.jsonl's lines by split.json's parts."""
    where = part_of(read_split(run_dir))
    with ExitStack() as stack:
        out = {p: stack.enter_context(open(run_dir / f"{p}.jsonl", "w", encoding="utf-8")) for p in PARTS}
        for line in stack.enter_context(open(run_dir / "data.jsonl", encoding="utf-8")):
            if line.strip():
                record = json.loads(line)
                out[where[question_key(record.get("dataset"), record["id"])]].write(line)


def _link(source: Path, target: Path) -> None:
    if not source.is_file():
        raise FileNotFoundError(f"frozen data: {source} is missing")
    target.unlink(missing_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system
        shutil.copyfile(source, target)


def command(config: dict, run_dir: Path, *, resume: bool) -> list[str]:
    if (run_dir / "train.jsonl").exists():
        parts = {
            "data": str(run_dir / "train.jsonl"),
            "validation_data": str(run_dir / "validation.jsonl"),
            "test_data": str(run_dir / "test.jsonl"),
        }
    else:  # a resumed attempt of a job frozen before splits existed: all of its data, no validation
        parts = {"data": str(run_dir / "data.jsonl")}
    train = {**config.get("train", {}), **parts, "output_dir": str(run_dir)}
    # Frozen node features are keyed by model, data and pooling: share them between jobs (and the
    # stores that share a runs directory; their run directories are a level below).
    train["cache_dir"] = train.get("cache_dir") or str(RUNS_DIR / "feature_cache")
    path = run_dir / "train_config.json"
    path.write_text(json.dumps(train, indent=1))
    nproc = int(config.get("nproc", 1))
    if nproc > 1:
        cmd = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            f"--nproc_per_node={nproc}",
            "-m",
            "magdi.train",
            str(path),
        ]
    else:
        cmd = [sys.executable, "-m", "magdi.train", str(path)]
    return cmd + (["--resume"] if resume else [])

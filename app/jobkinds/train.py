"""Train jobs: freeze the selected discussions, then run `python -m magdi.train` (torchrun for N>1)."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from db import browsing, queries
from db.engine import snapshot_scope
from magdi import formats


def prepare(job_id: int, config: dict, run_dir: Path, url: str | None) -> dict:
    """Export the selected discussions with current labels into the run dir; returns job fields.

    The export and the label revision come from one snapshot of the store, so they agree.
    """
    data = run_dir / "data.jsonl"
    with snapshot_scope(url) as s:
        f = browsing.BrowseFilter(**config.get("filter", {}))
        ids = browsing.matching_ids(s, f)
        revision = queries.label_revision(s)
        with open(data, "w", encoding="utf-8") as fh:
            n = formats.write_jsonl(
                queries.iter_discussions(s, discussion_ids=ids, drop_excluded=True), fh)
    digest = hashlib.sha256(data.read_bytes()).hexdigest()
    (run_dir / "data.json").write_text(json.dumps(
        {"job": job_id, "discussions": n, "label_revision": revision, "sha256": digest}, indent=1))
    return {"label_revision": revision, "data_hash": digest}


def command(config: dict, run_dir: Path, *, resume: bool) -> list[str]:
    train = {**config.get("train", {}), "data": str(run_dir / "data.jsonl"),
             "output_dir": str(run_dir)}
    # Frozen node features are keyed by model, data and pooling: share them between jobs.
    train["cache_dir"] = train.get("cache_dir") or str(run_dir.parent / "feature_cache")
    path = run_dir / "train_config.json"
    path.write_text(json.dumps(train, indent=1))
    nproc = int(config.get("nproc", 1))
    if nproc > 1:
        cmd = [sys.executable, "-m", "torch.distributed.run", "--standalone",
               f"--nproc_per_node={nproc}", "-m", "magdi.train", str(path)]
    else:
        cmd = [sys.executable, "-m", "magdi.train", str(path)]
    return cmd + (["--resume"] if resume else [])

"""The smallest student and training settings the tests run, and a short training run's config."""

from __future__ import annotations

import json
from pathlib import Path

from magdi.config import DistillConfig
from tests.utils.toy_mags import demo_like, write_export

# the offline student at its smallest: seconds per step on a CPU
TINY_STUDENT = {
    "offline_hidden": 32,
    "offline_layers": 1,
    "offline_heads": 2,
    "offline_kv_heads": 1,
    "offline_intermediate": 64,
}
# the distilled model at its smallest: that student, a small LoRA and GCN, short chains
TINY_MODEL = {**TINY_STUDENT, "lora_r": 8, "gcn_hidden": 16, "max_length": 128}
# a job's training settings: a level-4 run of 4 steps on that model
TINY = {
    **TINY_MODEL,
    "max_steps": 4,
    "warmup_steps": 0,
    "lr": 1e-3,
    "batch_size": 2,
    "log_every": 1,
    "save_every": 2,
    "val_max_new_tokens": 16,
}


def make_cfg(tmp_path: Path, name: str = "run", **kw) -> DistillConfig:
    """A config on the tiny model over a demo-like export in tmp_path; `kw` overrides anything."""
    data = tmp_path / "export.jsonl"
    if not data.exists():
        write_export(data, demo_like())
    settings = (
        dict(
            data=str(data),
            output_dir=str(tmp_path / name),
            lr=1e-2,
            warmup_steps=0,
            batch_size=4,
            log_every=1,
            save_every=0,
            **TINY_MODEL,
        )
        | kw
    )
    return DistillConfig(**settings)


def metrics(run_dir: Path) -> list[dict]:
    """The rows of a run's metrics.jsonl."""
    return [json.loads(line) for line in (run_dir / "metrics.jsonl").read_text().splitlines()]

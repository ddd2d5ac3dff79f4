"""Two CPU processes on gloo under torchrun: the run completes and rank 0 alone writes one run dir."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import torch

from tests.utils.toy_mags import demo_like, write_export
from tests.utils.training import TINY_MODEL

ROOT = Path(__file__).resolve().parents[2]


def test_two_process_ddp_run(tmp_path):
    write_export(tmp_path / "export.jsonl", demo_like())
    config = tmp_path / "ddp.yaml"
    config.write_text(
        json.dumps(
            {
                "data": str(tmp_path / "export.jsonl"),
                "output_dir": str(tmp_path / "run"),
                "level": "4",
                "max_steps": 4,
                "batch_size": 2,
                "log_every": 1,
                "lr": 1e-2,
                "warmup_steps": 0,
                **TINY_MODEL,
            }
        )
    )
    env = os.environ | {"OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc_per_node",
            "2",
            "-m",
            "magdi.train",
            str(config),
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]

    assert sorted(p.name for p in tmp_path.iterdir()) == ["ddp.yaml", "export.jsonl", "run"]
    run = tmp_path / "run"
    assert proc.stdout.count("done: ") == 1 and proc.stdout.count("step 4/4") == 1
    assert "█" not in proc.stdout + proc.stderr  # no tqdm bar in a job's log (saving the base)
    rows = [json.loads(line) for line in (run / "metrics.jsonl").read_text().splitlines()]
    assert [r["step"] for r in rows] == [1, 2, 3, 4]
    assert rows[-1]["epoch"] == 2.0  # 8 questions, 2 per process and step: 2 steps per epoch
    assert json.loads((run / "progress.json").read_text())["status"] == "done"
    assert (run / "adapter" / "adapter_model.safetensors").is_file() and (run / "heads.safetensors").is_file()
    assert len(list((run / "feature_cache").glob("*.pt"))) == 1
    ckpt = torch.load(next((run / "checkpoints").glob("step-*.pt")), weights_only=False)
    assert len(ckpt["rng"]) == 2 and not torch.equal(ckpt["rng"][0]["torch"], ckpt["rng"][1]["torch"])

"""bench/train_step.py: the training-step benchmark runs on CPU with a tiny shape and prints every figure."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench" / "train_step.py"


def _bench():
    spec = importlib.util.spec_from_file_location("train_step", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    return bench


TINY = ["--hidden", "32", "--layers", "1", "--heads", "2", "--kv-heads", "1", "--intermediate", "64"]


@pytest.mark.parametrize(("forward", "merged"), [("merged", 7), ("peft", 0)])
def test_cpu_preset_times_either_lora_forward(capsys, forward, merged):
    """The offline student's preset: every linear layer of the one decoder layer has LoRA, and
    each trains through its merged weight unless PEFT's forward is asked for."""
    common = ["--vocab", "128", "--seq-len", "16", "--batch", "2", "--dtype", "fp32", "--level", "2"]
    run = ["--preset", "cpu", "--lora-r", "8", "--lora-forward", forward, "--steps", "1", "--warmup", "1"]
    _bench().main([*TINY, *common, *run, "--device", "cpu"])
    out = capsys.readouterr().out
    assert f"preset cpu, forward merged in {merged} layers" in out and "tokens/s:" in out


def test_bench_smoke(capsys):
    _bench().main(
        [
            "--hidden",
            "32",
            "--layers",
            "1",
            "--heads",
            "2",
            "--kv-heads",
            "1",
            "--intermediate",
            "64",
            "--vocab",
            "128",
            "--seq-len",
            "16",
            "--batch",
            "2",
            "--dtype",
            "fp32",
            "--grad-ckpt",
            "on",
            "--steps",
            "2",
            "--warmup",
            "1",
            "--device",
            "cpu",
            "--peak-tflops",
            "0.001",
        ]
    )
    out = capsys.readouterr().out
    for figure in ("pairs/s:", "tokens/s:", "step time: median", "peak GPU memory:", "MFU"):
        assert figure in out
    assert "2 questions x 6 chains = 12 sequences x 16 tokens; 192 tokens" in out
    achieved = float(out.split("achieved: ")[1].split(" TFLOP/s")[0])
    mfu = float(out.split("MFU ")[1].split("%")[0])
    assert achieved > 0 and mfu == pytest.approx(100 * achieved / 0.001, rel=0.01, abs=0.01)

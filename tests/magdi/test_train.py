"""Training runs on the offline student: learning, the run directory, the feature cache, resume, CLI."""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import signal
import threading
import zipfile
from pathlib import Path

import pytest
import torch
from safetensors.torch import load_file

from magdi.config import CONFIG_NAME, DistillConfig
from magdi.model import load_features
from magdi.train import CheckpointError, latest_checkpoint, lr_factor, main, train
from magdi.validation import BEST_NAME, Validator
from tests.utils.toy_mags import demo_like, write_export
from tests.utils.training import TINY_MODEL, make_cfg, metrics


def test_short_run_lowers_ntp_and_writes_the_run_dir(tmp_path):
    cfg = make_cfg(tmp_path, level="2", max_steps=30)
    events = []
    run_dir = train(cfg, callback=events.append)

    rows = metrics(run_dir)
    assert [r["step"] for r in rows] == list(range(1, 31))
    assert set(rows[0]) == {"step", "epoch", "loss", "ntp", "lr", "grad_norm", "tokens_per_s"}
    first = sum(r["ntp"] for r in rows[:3]) / 3
    last = sum(r["ntp"] for r in rows[-3:]) / 3
    assert last < first - 0.15, (first, last)
    assert all(r["tokens_per_s"] > 0 for r in rows)

    assert [e["step"] for e in events] == list(range(1, 31))
    assert events[-1]["eta_s"] == 0 and events[0]["total_steps"] == 30
    assert json.loads((run_dir / "progress.json").read_text()) | {"eta_s": 0} == {
        "step": 30,
        "total_steps": 30,
        "epoch": 15.0,
        "eta_s": 0,
        "status": "done",
    }
    assert DistillConfig.load(run_dir) == cfg
    summary = json.loads((run_dir / "data_summary.json").read_text())
    assert (summary["questions"], summary["chains"], summary["pairs"]) == (8, 40, 0)
    assert (run_dir / "adapter" / "adapter_model.safetensors").is_file()
    assert (run_dir / "base" / "config.json").is_file()
    assert (run_dir / "tokenizer" / "tokenizer_config.json").is_file()
    assert not (run_dir / "heads.safetensors").exists()  # level 2 has no scorer or GCN


def test_level_4_frozen_caches_features_and_saves_heads(tmp_path, capsys):
    cache = tmp_path / "cache"
    run_dir = train(make_cfg(tmp_path, level="4", max_steps=3, cache_dir=str(cache)))
    assert "computing frozen node features" in capsys.readouterr().out
    [cached] = list(cache.glob("node-features-*.pt"))
    features = torch.load(cached, weights_only=True)
    assert len(features) == 8 and features[0].shape == (6, 32)

    heads = load_file(run_dir / "heads.safetensors")
    assert {k.split(".")[0] for k in heads} == {"scorer", "gcn"}
    assert {"margin", "node"} <= set(metrics(run_dir)[0])

    train(make_cfg(tmp_path, "again", level="4", max_steps=1, cache_dir=str(cache)))
    assert "computing frozen node features" not in capsys.readouterr().out  # same model, data, pooling
    train(make_cfg(tmp_path, "other", level="4", max_steps=1, cache_dir=str(cache), pooling="mean"))
    assert len(list(cache.glob("node-features-*.pt"))) == 2


def test_resume_equals_uninterrupted(tmp_path):
    kw = dict(
        level="4",
        node_features="joint",
        max_steps=6,
        batch_size=2,
        grad_accum=2,
        warmup_steps=2,
        schedule="cosine",
        gcn_dropout=0.5,
        lora_dropout=0.1,
    )
    full = train(make_cfg(tmp_path, "full", **kw))

    cfg = make_cfg(tmp_path, "parted", **kw)
    parted = train(cfg, callback=lambda p: p["step"] == 3)
    assert json.loads((parted / "progress.json").read_text())["status"] == "stopped"
    assert not (parted / "adapter").exists()
    with pytest.raises(FileExistsError):
        train(cfg)
    train(cfg, resume=True)

    a = torch.load(latest_checkpoint(full), weights_only=False)
    b = torch.load(latest_checkpoint(parted), weights_only=False)
    assert a["step"] == b["step"] == 6
    assert a["trainable"].keys() == b["trainable"].keys()
    assert all(torch.equal(a["trainable"][k], b["trainable"][k]) for k in a["trainable"])

    def strip(rows: list[dict]) -> list[dict]:
        return [{k: v for k, v in r.items() if k != "tokens_per_s"} for r in rows]

    assert strip(metrics(full)) == strip(metrics(parted))
    assert [r["step"] for r in metrics(parted)] == list(range(1, 7))


def test_cli_with_yaml_and_overrides(tmp_path, capsys):
    write_export(tmp_path / "export.jsonl", demo_like(4))
    path = tmp_path / "distill.yaml"
    path.write_text(
        f"data: {tmp_path / 'export.jsonl'}\noutput_dir: {tmp_path / 'cli'}\nlevel: 1\n"
        "lr: 1e-3\nwarmup_steps: 0\n" + "".join(f"{k}: {v}\n" for k, v in TINY_MODEL.items())
    )
    assert main([str(path), "--set", "max_steps=2", "log_every=1", "--set", "batch_size=2"]) == 0
    out = capsys.readouterr().out
    assert "data: level 1: 4 questions used of 4" in out and "step 2/2" in out
    cfg = DistillConfig.load(tmp_path / "cli")
    assert (cfg.max_steps, cfg.batch_size, cfg.lr, cfg.level) == (2, 2, 1e-3, "1")
    assert (tmp_path / "cli" / CONFIG_NAME).is_file() and len(metrics(tmp_path / "cli")) == 2
    main(["--fields"])
    assert "node_features = 'frozen'" in capsys.readouterr().out


def test_sigterm_stops_the_cli_with_a_checkpoint(tmp_path, capsys):
    cfg = make_cfg(tmp_path, level="1", max_steps=5_000)
    cfg.save(tmp_path)
    progress = Path(cfg.output_dir) / "progress.json"

    returned = threading.Event()

    def terminate_after_two_steps() -> None:
        # never after main() has returned: the signal would then reach pytest itself
        while not returned.wait(0.05):
            if progress.exists() and json.loads(progress.read_text())["step"] >= 2:
                os.kill(os.getpid(), signal.SIGTERM)  # handled by main() in the main thread
                return

    handler = signal.getsignal(signal.SIGTERM)
    killer = threading.Thread(target=terminate_after_two_steps)
    killer.start()
    try:
        code = main([str(tmp_path / CONFIG_NAME)])
    finally:
        returned.set()
        killer.join()
    assert code == 128 + signal.SIGTERM
    assert signal.getsignal(signal.SIGTERM) is handler  # restored
    assert "stopped by SIGTERM" in capsys.readouterr().out
    state = json.loads(progress.read_text())
    assert state["status"] == "stopped" and 2 <= state["step"] < 5_000
    assert latest_checkpoint(Path(cfg.output_dir)).name == f"step-{state['step']:08d}.pt"


@pytest.mark.parametrize("schedule", ["linear", "cosine"])
@pytest.mark.parametrize("warmup, total", [(0, 10), (4, 20), (10, 10), (3, 7)])
def test_lr_schedule_matches_hugging_face(schedule, warmup, total):
    from transformers import get_cosine_schedule_with_warmup, get_linear_schedule_with_warmup

    make = get_linear_schedule_with_warmup if schedule == "linear" else get_cosine_schedule_with_warmup
    hf = make(torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=1.0), warmup, total)
    assert [lr_factor(s, warmup, total, schedule) for s in range(total)] == pytest.approx(
        [hf.lr_lambdas[0](s) for s in range(total)], abs=1e-12
    )


class _Planted:
    """What an attacker writes into a run directory: unpickling it runs `touch MARKER`."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


def test_resume_refuses_a_planted_pickle_without_running_it(tmp_path):
    cfg = make_cfg(tmp_path, level="2", max_steps=4, save_every=1)
    run_dir = train(cfg, callback=lambda p: p["step"] == 2)
    marker = tmp_path / "PWNED"
    checkpoints = sorted((run_dir / "checkpoints").glob("step-*.pt"))
    assert checkpoints
    for path in checkpoints:  # every checkpoint, with a matching checksum: the attacker writes both
        torch.save({"step": 2, "trainable": _Planted(marker)}, path)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        path.with_name(f"{path.name}.sha256").write_text(f"{digest}  {path.name}\n")
    with zipfile.ZipFile(checkpoints[-1]) as archive:  # a real payload: the pickle calls os.system
        [pkl] = [n for n in archive.namelist() if n.endswith("/data.pkl")]
        assert b"posix\nsystem" in archive.read(pkl)
    with pytest.raises(CheckpointError, match=r"no intact checkpoint to resume from: .*unreadable"):
        train(cfg, resume=True)
    assert not marker.exists()

    torch.save({"step": 1, "trainable": _Planted(marker)}, run_dir / BEST_NAME)  # the best step's file
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        Validator.restore(object.__new__(Validator), run_dir, 2)
    features = tmp_path / "feature_cache" / "node-features-x.pt"  # the shared frozen-feature cache
    features.parent.mkdir()
    torch.save([_Planted(marker)], features)
    with pytest.raises(pickle.UnpicklingError, match="Weights only load failed"):
        load_features(features)
    assert not marker.exists()

"""Validation during training: held-out loss, the best step chosen by validation, final metrics."""

from __future__ import annotations

import json

import torch
from safetensors.torch import load_file

from magdi.config import DistillConfig
from magdi.model import MAGDiStudent, add_lora, collate, load_base
from magdi.train import train
from magdi.validation import BEST_NAME, FINAL_NAME, Validator, _better, lm_only
from tests.utils.toy_mags import demo_like, write_export
from tests.utils.training import TINY_MODEL, metrics


def _student(cfg: DistillConfig):
    base, tokenizer, _ = load_base(cfg)
    return MAGDiStudent(add_lora(base, cfg), cfg), tokenizer


def _fit(student: MAGDiStudent, v: Validator, pad_id: int, steps: int = 30) -> None:
    """Train the LoRA weights on the validation chains themselves: their loss must fall."""
    opt = torch.optim.Adam([p for p in student.parameters() if p.requires_grad], lr=1e-2)
    batch = collate(v.validation, pad_id)
    with lm_only(student):
        for _ in range(steps):
            _, losses = student(batch)
            losses["ntp"].backward()
            opt.step()
            opt.zero_grad()


def test_the_best_step_of_a_controlled_sequence_is_kept_and_restored(tmp_path):
    cfg = DistillConfig(**TINY_MODEL, level="4", val_questions=0, output_dir=str(tmp_path))
    student, tokenizer = _student(cfg)
    held_out = demo_like(8)
    v = Validator(cfg, held_out[:4], held_out[4:], tokenizer, torch.device("cpu"))
    start = student.trainable_state_dict()
    _fit(student, v, tokenizer.pad_token_id)
    fitted = student.trainable_state_dict()
    scores = {}
    for step, weights in ((1, start), (2, fitted), (3, start)):
        student.load_trainable_state_dict(weights)
        rng = torch.get_rng_state()
        scores[step] = v(student, step, tmp_path)
        assert torch.equal(torch.get_rng_state(), rng)  # validation draws nothing
    assert set(scores[2]) == {"val_loss"} and scores[1] == scores[3]
    assert scores[2]["val_loss"] < scores[1]["val_loss"] - 0.1
    assert student.scorer is not None and student.gcn is not None  # the heads are back

    final = v.finish(student, tmp_path, last_step=3)
    assert (final["best_step"], final["criterion"], final["val_loss"]) == (
        2,
        "val_loss",
        scores[2]["val_loss"],
    )
    assert all(torch.equal(w, fitted[k]) for k, w in student.trainable_state_dict().items())  # step 2's
    assert final["test_loss"] == v.loss(student, v.test) and final["test_questions"] == 4
    assert json.loads((tmp_path / FINAL_NAME).read_text()) == final

    again = Validator(cfg, held_out[:4], held_out[4:], tokenizer, torch.device("cpu"))
    again.restore(tmp_path, 1)  # a resume from step 1 recomputes step 2
    assert again.best is None
    again.restore(tmp_path, 2)
    assert again.best["step"] == 2 and again.best["val_loss"] == scores[2]["val_loss"]


def test_accuracy_decides_before_loss_and_ties_go_to_the_later_step():
    old = {"val_accuracy": 0.5, "val_loss": 3.0}
    assert _better({"val_accuracy": 0.75, "val_loss": 9.0}, old)
    assert not _better({"val_accuracy": 0.25, "val_loss": 1.0}, old)
    assert _better({"val_accuracy": 0.5, "val_loss": 2.0}, old)
    assert not _better({"val_loss": 3.5}, {"val_loss": 3.0})
    assert _better({"val_loss": None}, {"val_loss": None})


def test_a_run_with_held_out_files_logs_validation_and_saves_the_best_step(tmp_path):
    toy = demo_like(12)
    files = {
        name: write_export(tmp_path / f"{name}.jsonl", part)
        for name, part in (("train", toy[:8]), ("validation", toy[8:10]), ("test", toy[10:]))
    }
    cfg = DistillConfig(
        **TINY_MODEL,
        level="2",
        data=str(files["train"]),
        validation_data=str(files["validation"]),
        test_data=str(files["test"]),
        output_dir=str(tmp_path / "run"),
        lr=5e-2,
        warmup_steps=0,
        batch_size=4,
        max_steps=8,
        log_every=1,
        save_every=0,
        eval_every=2,
        val_questions=2,
        val_max_new_tokens=8,
    )
    run_dir = train(cfg)
    rows = metrics(run_dir)
    validated = [r for r in rows if "val_loss" in r]
    assert [r["step"] for r in validated] == [2, 4, 6, 8]
    assert all(0 <= r["val_accuracy"] <= 1 for r in validated)
    final = json.loads((run_dir / FINAL_NAME).read_text())
    best = max(validated, key=lambda r: (r["val_accuracy"], -r["val_loss"], r["step"]))
    assert final["best_step"] == best["step"] and final["val_loss"] == best["val_loss"]
    assert final["test_loss"] is not None and final["validation_questions"] == 2
    assert json.loads((run_dir / "data_summary.json").read_text())["split"] == {
        "train": 8,
        "validation": 2,
        "test": 2,
    }
    kept = torch.load(run_dir / BEST_NAME, weights_only=True)["trainable"]
    saved = load_file(run_dir / "adapter" / "adapter_model.safetensors")
    assert len(saved) == len(kept)
    for name, value in kept.items():  # the adapter's names differ from the student's (prefix, ".default")
        assert any(torch.equal(w, value) for w in saved.values()), name

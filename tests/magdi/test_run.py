"""magdi.run.StudentRun: the run directory written by save_setup + save_pretrained reads back as the
same student (logits, heads, config); a base model alone loads without a run directory."""

from __future__ import annotations

import json

import torch
from peft import PeftModel

from magdi.config import DistillConfig
from magdi.model import MAGDiStudent, add_lora, load_base
from magdi.run import ADAPTER, BASE, HEADS, TOKENIZER, StudentRun
from tests.utils.training import TINY_MODEL


def test_save_setup_and_save_pretrained_read_back_as_the_same_student(tmp_path):
    cfg = DistillConfig(level="4", output_dir=str(tmp_path), **TINY_MODEL)
    base, tokenizer, _ = load_base(cfg)
    StudentRun(base, tokenizer, cfg, torch.device("cpu")).save_setup(tmp_path)
    assert {p.name for p in tmp_path.iterdir()} == {cfg.config_name, TOKENIZER, BASE}
    student = MAGDiStudent(add_lora(base, cfg), cfg).eval()
    with torch.no_grad():  # trained-looking weights: the LoRA B matrices start at zero
        for name, p in student.named_parameters():
            if "lora_B" in name or name.startswith("gcn."):
                p.add_(0.05)
    trained = StudentRun(student.lm, tokenizer, cfg, torch.device("cpu"), student.heads_state_dict())
    trained.save_pretrained(tmp_path)
    assert (tmp_path / ADAPTER / "adapter_config.json").is_file() and (tmp_path / HEADS).is_file()

    loaded = StudentRun.from_pretrained(tmp_path, device="cpu")
    assert isinstance(loaded.model, PeftModel) and loaded.config == cfg
    assert loaded.heads.keys() == trained.heads.keys()
    assert all(torch.equal(loaded.heads[k], v) for k, v in trained.heads.items())
    ids = torch.tensor([tokenizer.encode("What is 2 + 3?")])
    with torch.no_grad():
        expected = student.lm(input_ids=ids).logits
        assert torch.allclose(loaded.model(input_ids=ids).logits, expected, atol=1e-5)
        merged = StudentRun.from_pretrained(tmp_path, merge=True, device="cpu")
        assert not isinstance(merged.model, PeftModel)
        assert torch.allclose(merged.model(input_ids=ids).logits, expected, atol=1e-4)
    adapter = json.loads((tmp_path / ADAPTER / "adapter_config.json").read_text())
    assert adapter["base_model_name_or_path"] == str((tmp_path / BASE).resolve())


def test_a_level_2_run_has_no_heads_and_a_base_loads_alone(tmp_path):
    cfg = DistillConfig(level="2", output_dir=str(tmp_path), **TINY_MODEL)
    base, tokenizer, _ = load_base(cfg)
    StudentRun(base, tokenizer, cfg, torch.device("cpu")).save_setup(tmp_path)
    StudentRun(add_lora(base, cfg), tokenizer, cfg, torch.device("cpu")).save_pretrained(tmp_path)
    assert not (tmp_path / HEADS).exists() and StudentRun.from_pretrained(tmp_path, device="cpu").heads == {}
    alone = StudentRun.from_base(None, student=TINY_MODEL, device="cpu")
    assert alone.config.offline_hidden == TINY_MODEL["offline_hidden"] and not isinstance(
        alone.model, PeftModel
    )

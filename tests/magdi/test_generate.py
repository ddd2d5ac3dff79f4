"""Save -> load -> generate: the reloaded student is the trained one; batching changes nothing."""

from __future__ import annotations

import json

import pytest
import torch
from peft import PeftModel

from magdi.config import DistillConfig
from magdi.generate import generate, question_prompt
from magdi.model import quiet_peft
from magdi.offline import offline_model, offline_tokenizer
from magdi.run import StudentRun
from magdi.train import latest_checkpoint, train
from tests.utils.training import TINY_MODEL, make_cfg


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory):
    return train(make_cfg(tmp_path_factory.mktemp("gen"), level="2", max_steps=15))


@pytest.fixture(scope="module")
def run(run_dir) -> StudentRun:
    return StudentRun.from_pretrained(run_dir, device="cpu")


def _prompts(run: StudentRun) -> list[str]:
    return [
        question_prompt(run, "What is 2 + 3?"),
        question_prompt(run, "What is 17 + 25? Think it through."),
    ]


def test_reloaded_model_holds_the_trained_weights(run_dir, run):
    trained = torch.load(latest_checkpoint(run_dir), weights_only=False)["trainable"]
    loaded = dict(run.model.named_parameters())
    assert trained and all(torch.equal(v, loaded[k.removeprefix("lm.")]) for k, v in trained.items())
    fresh = offline_model(run.config, offline_tokenizer()).state_dict()
    base = run.model.get_base_model().state_dict()  # the saved random base under LoRA and the
    for name in ("model.embed_tokens", "lm_head"):  # copies the cpu preset trains in full
        assert torch.equal(base[f"{name}.original_module.weight"], fresh[f"{name}.weight"])
        assert not torch.equal(base[f"{name}.modules_to_save.default.weight"], fresh[f"{name}.weight"])
    q = "model.layers.0.self_attn.q_proj"
    assert torch.equal(base[f"{q}.base_layer.weight"], fresh[f"{q}.weight"])


def test_batched_left_padded_greedy_equals_one_by_one_and_merge(run_dir, run):
    prompts = _prompts(run)
    batched = generate(run, prompts, max_new_tokens=12)
    assert [len(x) for x in batched] == [1, 1]
    assert batched == [generate(run, [p], max_new_tokens=12)[0] for p in prompts]
    merged = StudentRun.from_pretrained(run_dir, merge=True, device="cpu")
    assert not isinstance(merged.model, PeftModel)
    assert generate(merged, prompts, max_new_tokens=12) == batched


def test_sampling_k_samples_is_seeded(run):
    prompts = _prompts(run)
    out = generate(run, prompts, do_sample=True, num_samples=3, seed=7, max_new_tokens=8)
    assert [len(x) for x in out] == [3, 3]
    assert out == generate(run, prompts, do_sample=True, num_samples=3, seed=7, max_new_tokens=8)
    assert len({s for x in out for s in x}) > 1
    # unseeded calls draw on from the global generator: a second call samples afresh
    unseeded = [generate(run, prompts, do_sample=True, num_samples=3, max_new_tokens=8) for _ in range(2)]
    assert unseeded[0] != unseeded[1]
    with pytest.raises(ValueError):
        generate(run, prompts, num_samples=2)


def test_unfinished_run_cannot_be_loaded(tmp_path):
    cfg = make_cfg(tmp_path, level="1", max_steps=4)
    run_dir = train(cfg, callback=lambda p: p["step"] == 1)
    with pytest.raises(FileNotFoundError, match="adapter"):
        StudentRun.from_pretrained(run_dir)


def _logits(model, ids: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        return model(input_ids=ids).logits


def test_the_adapter_names_its_base_so_plain_peft_loads_it(run_dir, run):
    from peft import AutoPeftModelForCausalLM

    recorded = json.loads((run_dir / "adapter" / "adapter_config.json").read_text())[
        "base_model_name_or_path"
    ]
    assert recorded == str((run_dir / "base").resolve())
    with quiet_peft():
        plain = AutoPeftModelForCausalLM.from_pretrained(run_dir / "adapter").eval()
    ids = torch.tensor([run.tokenizer.encode("What is 2 + 3?")])
    assert torch.equal(_logits(plain, ids), _logits(run.model, ids))


def test_a_relative_model_path_resolves_as_the_run_recorded_it(tmp_path, monkeypatch):
    """A run trained on `models/tiny` (relative to where training ran) loads from any directory."""
    from transformers import LlamaForCausalLM

    cfg = make_cfg(tmp_path, level="2", max_steps=2, model="models/tiny")  # the paper preset
    base_cfg = DistillConfig(**TINY_MODEL)
    offline_model(base_cfg, offline_tokenizer()).save_pretrained(tmp_path / "models" / "tiny")
    offline_tokenizer().save_pretrained(tmp_path / "models" / "tiny")
    monkeypatch.chdir(tmp_path)
    run_dir = train(cfg)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    loaded = StudentRun.from_pretrained(run_dir, device="cpu")
    assert DistillConfig.load(run_dir).model == "models/tiny"  # the config keeps what was asked
    base = LlamaForCausalLM.from_pretrained(tmp_path / "models" / "tiny")
    assert torch.equal(loaded.model.get_base_model().lm_head.weight, base.lm_head.weight)
    assert generate(loaded, [question_prompt(loaded, "What is 2 + 3?")], max_new_tokens=4)

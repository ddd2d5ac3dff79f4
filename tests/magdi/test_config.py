"""DistillConfig and EvalConfig: defaults documented, validation, YAML/JSON loading, save/load symmetry."""

from __future__ import annotations

import json
import warnings
from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from magdi.config import CONFIG_NAME, DistillConfig, EvalConfig


def test_every_field_has_a_default_and_help():
    for f in fields(DistillConfig):
        assert f.metadata.get("help"), f.name
    cfg = DistillConfig(model="some/model")  # a real model: the paper's settings
    assert cfg.preset == "paper"
    assert (cfg.lora_r, cfg.lora_alpha, cfg.lora_dropout) == (16, 32, 0.05)
    assert cfg.lora_target_modules == ["q_proj", "k_proj", "v_proj", "o_proj"] and cfg.modules_to_save == []
    assert (cfg.lr, cfg.warmup_steps, cfg.epochs) == (5e-6, 100, 10)
    assert (cfg.alpha, cfg.beta, cfg.gamma, cfg.margin) == (1.0, 1.0, 0.1, 1.0)
    assert (cfg.gcn_hidden, cfg.gcn_dropout, cfg.pooling, cfg.mask_prompt) == (512, 0.5, "position", True)


@settings(max_examples=25, deadline=None)
@given(
    level=st.sampled_from(["1", "2", "3", "4"]),
    lr=st.floats(1e-7, 1.0),
    r=st.integers(1, 64),
    steps=st.one_of(st.none(), st.integers(1, 10_000)),
    modules=st.lists(
        st.sampled_from(["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj"]),
        min_size=1,
        max_size=5,
        unique=True,
    ),
)
def test_save_load_round_trip(tmp_path_factory, level, lr, r, steps, modules):
    cfg = DistillConfig(level=level, lr=lr, lora_r=r, max_steps=steps, lora_target_modules=modules)
    folder = tmp_path_factory.mktemp("cfg")
    cfg.save(folder)
    assert DistillConfig.load(folder) == cfg


def test_yaml_file_and_overrides_are_coerced(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text(
        "data: x.jsonl\nlevel: 3\nlr: 5e-6\nmax_steps: null\nlora_target_modules: q_proj,v_proj\n"
    )
    cfg = DistillConfig.from_file(path, ["epochs=2", "mask_prompt=false", "max_steps=7", "gamma=0.5"])
    assert cfg.level == "3" and cfg.lr == 5e-6 and isinstance(cfg.lr, float)
    assert cfg.lora_target_modules == ["q_proj", "v_proj"]
    assert (cfg.epochs, cfg.mask_prompt, cfg.max_steps, cfg.gamma) == (2, False, 7, 0.5)
    (tmp_path / "c.json").write_text(json.dumps({"level": "single-teacher", "teacher": "gpt4"}))
    assert DistillConfig.from_file(tmp_path / "c.json").teacher == "gpt4"


@pytest.mark.parametrize(
    "bad",
    [
        {"level": "5"},
        {"level": "single-teacher"},
        {"pooling": "max"},
        {"lora_r": 0},
        {"lr": -1},
        {"gcn_dropout": 1.0},
        {"epochs": 1.5},
        {"mask_prompt": "maybe"},
        {"max_steps": 0},
        {"offline_hidden": 30, "offline_heads": 4},
        {"completion_template": "{reasoning}"},
        {"preset": "gpu"},
        {"epochs": 0},
        {"warmup_steps": -1},
    ],
)
def test_invalid_values_raise(bad):
    with pytest.raises(ValueError):
        DistillConfig(**bad)


def test_unknown_keys(tmp_path):
    path = tmp_path / "c.yaml"
    path.write_text("lerning_rate: 0.1\n")
    with pytest.raises(ValueError, match="lerning_rate"):
        DistillConfig.from_file(path)
    (tmp_path / "empty.yaml").write_text("")
    with pytest.raises(ValueError, match="nope"):
        DistillConfig.from_file(tmp_path / "empty.yaml", ["nope=1"])
    with pytest.raises(ValueError, match="key=value"):
        DistillConfig.from_file(tmp_path / "empty.yaml", ["lr"])
    saved = DistillConfig(level="2").to_dict() | {"from_the_future": 1}
    (tmp_path / CONFIG_NAME).write_text(json.dumps(saved))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert DistillConfig.load(tmp_path).level == "2"
    assert any("from_the_future" in str(w.message) for w in caught)


def test_the_offline_student_gets_the_cpu_preset_and_it_is_saved_resolved(tmp_path):
    cfg = DistillConfig()
    assert cfg.preset == "cpu" and cfg.lr == 2e-3 and cfg.lora_target_modules == ["all-linear"]
    assert (cfg.warmup_steps, cfg.warmup_ratio, cfg.epochs) == (None, 0.05, None)
    assert set(cfg.modules_to_save) == {"embed_tokens", "lm_head", "norm"}
    assert cfg.warmup_for(200) == 10 and cfg.warmup_for(7) == 1
    sized = cfg.sized_to(60)  # epochs for about 1200 steps
    assert sized.epochs == 20 and cfg.sized_to(5_000).epochs == 1 and cfg.sized_to(1).epochs == 50
    sized.save(tmp_path)
    saved = json.loads((tmp_path / CONFIG_NAME).read_text())
    assert (saved["preset"], saved["lr"], saved["epochs"], saved["warmup_ratio"]) == ("cpu", 2e-3, 20, 0.05)
    assert DistillConfig.load(tmp_path) == sized
    # what is given wins; one warm-up field given is the warm-up, the preset's stays out
    mine = DistillConfig(lr=1e-4, warmup_steps=7, epochs=3)
    assert (mine.lr, mine.warmup_steps, mine.warmup_ratio, mine.epochs) == (1e-4, 7, None, 3)
    assert DistillConfig(warmup_steps=0).warmup_for(100) == 0
    assert DistillConfig(model="m", warmup_ratio=0.1).warmup_for(100) == 10
    assert DistillConfig(model="m").warmup_ratio is None and DistillConfig(model="m").warmup_for(50) == 100
    assert DistillConfig(preset="paper").lr == 5e-6 and DistillConfig(model="m", preset="cpu").lr == 2e-3
    with pytest.raises(ValueError):
        DistillConfig(warmup_ratio=1.0)


@pytest.mark.parametrize(
    "cls, values",
    [
        (DistillConfig, {"data": "d.jsonl", "level": "3", "max_steps": 7}),
        (EvalConfig, {"questions": "q.jsonl", "sampling": True, "k": 3, "limit": 5}),
    ],
)
def test_both_configs_keep_one_contract(tmp_path, cls, values):
    """Help metadata, from_file (YAML or JSON, overrides, unknown keys refused), save/load of a
    directory (unknown keys dropped with a warning)."""
    assert all(help_text for _, help_text in cls.field_docs().values())
    (tmp_path / "c.yaml").write_text("".join(f"{k}: {v}\n" for k, v in values.items()))
    (tmp_path / "c.json").write_text(json.dumps(values))
    cfg = cls.from_file(tmp_path / "c.yaml", ["seed=3"])
    assert cfg == cls.from_file(tmp_path / "c.json", ["seed=3"]) == cls(**values, seed=3)
    assert cfg.save(tmp_path / "run") == tmp_path / "run" / cls.config_name
    assert cls.load(tmp_path / "run") == cfg
    with pytest.raises(ValueError, match=r"c\.yaml: unknown config keys: nope"):
        cls.from_file(tmp_path / "c.yaml", ["nope=1"])
    (tmp_path / "run" / cls.config_name).write_text(json.dumps(cfg.to_dict() | {"later": 1}))
    with pytest.warns(UserWarning, match="later"):
        assert cls.load(tmp_path / "run") == cfg


def test_eval_config_values_from_yaml_are_coerced(tmp_path):
    (tmp_path / "e.yaml").write_text("questions: q.jsonl\ntemperature: 1\nmax_new_tokens: '64'\n")
    cfg = EvalConfig.from_file(tmp_path / "e.yaml")
    assert (cfg.temperature, cfg.max_new_tokens) == (1.0, 64) and isinstance(cfg.temperature, float)
    with pytest.raises(ValueError, match="k must be a number"):
        EvalConfig(questions="q", k="many")


def test_modules_the_student_does_not_have_are_refused_before_any_job(tmp_path):
    """Unknown LoRA targets or modules to save fail when the config is made (the Train page, the
    CLI, a queued job), not once PEFT builds the model in the worker (issue 15, 6)."""
    from transformers import LlamaConfig, LlamaForCausalLM

    from magdi.config import OFFLINE_MODULES, module_names

    with pytest.raises(
        ValueError, match=r"lora_target_modules: foo not in the student \(its modules: down_proj"
    ):
        DistillConfig(data="x.jsonl", lora_target_modules=["q_proj", "foo"])
    with pytest.raises(ValueError, match="modules_to_save: wte not in the student"):
        DistillConfig(data="x.jsonl", modules_to_save=["wte"])
    assert module_names(None) == OFFLINE_MODULES
    # a local checkpoint: its modules come from the safetensors headers, without loading it
    tiny = LlamaForCausalLM(
        LlamaConfig(
            hidden_size=16,
            intermediate_size=32,
            num_hidden_layers=1,
            num_attention_heads=2,
            num_key_value_heads=2,
            vocab_size=64,
        )
    )
    tiny.save_pretrained(tmp_path / "tiny")
    assert module_names(str(tmp_path / "tiny")) == OFFLINE_MODULES  # a Llama has the same names
    assert {"q_proj", "down_proj", "embed_tokens", "norm"} <= module_names(str(tmp_path / "tiny"))
    with pytest.raises(ValueError, match="lora_target_modules: c_attn not in the student"):
        DistillConfig(data="x.jsonl", model=str(tmp_path / "tiny"), lora_target_modules=["c_attn"])
    # a hub id (nothing local to read): left to the worker, which now headlines PEFT's message
    assert module_names("some-org/some-model") is None
    DistillConfig(data="x.jsonl", model="some-org/some-model", lora_target_modules=["c_attn"])

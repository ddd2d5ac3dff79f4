"""The offline default student: its base is fixed by its own seed, and it learns."""

from __future__ import annotations

import torch

from magdi.config import DistillConfig
from magdi.offline import offline_key, offline_model, offline_tokenizer

SHAPE = dict(offline_hidden=32, offline_layers=1, offline_heads=2, offline_kv_heads=1, offline_intermediate=64)


def _weights(cfg: DistillConfig) -> dict[str, torch.Tensor]:
    return offline_model(cfg, offline_tokenizer()).state_dict()


def test_the_base_has_its_own_seed_so_a_training_seed_sweep_keeps_it():
    a, b = DistillConfig(seed=1, **SHAPE), DistillConfig(seed=2, **SHAPE)
    wa, wb = _weights(a), _weights(b)
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    assert offline_key(a) == offline_key(b)
    other = DistillConfig(seed=1, offline_seed=5, **SHAPE)
    assert not torch.equal(_weights(other)["lm_head.weight"], wa["lm_head.weight"])
    assert offline_key(other) != offline_key(a)

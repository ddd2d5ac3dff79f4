"""The offline default student: a small random-init Llama and a byte-level tokenizer.

Nothing is downloaded: the tokenizer is `ByT5Tokenizer` (bytes, EOS, no BOS, built in code) and the
model is `LlamaForCausalLM(LlamaConfig(...))` initialised from `cfg.seed` under a forked RNG, so the
same config gives the same weights without touching the caller's random state. A run saves this base
next to its adapter (`<run>/base`), since an adapter on a different random base means nothing.
"""

from __future__ import annotations

import hashlib
import json

import torch
from transformers import ByT5Tokenizer, LlamaConfig, LlamaForCausalLM

from magdi.config import DistillConfig


def offline_tokenizer() -> ByT5Tokenizer:
    return ByT5Tokenizer()


def offline_llama_config(cfg: DistillConfig, tokenizer: ByT5Tokenizer) -> LlamaConfig:
    return LlamaConfig(
        vocab_size=len(tokenizer),
        hidden_size=cfg.offline_hidden,
        intermediate_size=cfg.offline_intermediate,
        num_hidden_layers=cfg.offline_layers,
        num_attention_heads=cfg.offline_heads,
        num_key_value_heads=cfg.offline_kv_heads,
        max_position_embeddings=cfg.offline_max_positions,
        pad_token_id=tokenizer.pad_token_id,
        eos_token_id=tokenizer.eos_token_id,
        bos_token_id=None,
        tie_word_embeddings=False,
        use_cache=False,
    )


def offline_model(cfg: DistillConfig, tokenizer: ByT5Tokenizer) -> LlamaForCausalLM:
    """Random-init Llama of the cfg.offline_* shape; identical for identical (shape, seed)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(cfg.seed)
        return LlamaForCausalLM(offline_llama_config(cfg, tokenizer))


def offline_key(cfg: DistillConfig) -> str:
    """Identifies the offline base (shape and seed) in cache keys."""
    shape = {k: getattr(cfg, k) for k in ("offline_hidden", "offline_layers", "offline_heads",
                                          "offline_kv_heads", "offline_intermediate",
                                          "offline_max_positions", "seed")}
    return "offline-llama-" + hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]

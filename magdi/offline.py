"""The offline default student: a small random-init Llama and a tokenizer built here, no download.

Tokenizer: a byte-level BPE (every text encodes; digits stay single tokens, so numbers are
spelled digit by digit) of at most OFFLINE_VOCAB entries (629 on today's corpus, whose merges run
out first), trained in well under a second on text the project generates itself
(`offline_corpus`: synthetic questions of every kind and simulated teachers' reasoning, in the
default chain template). A synthetic chain is then about 0.4 tokens per byte: a step forwards
less than half the tokens a byte tokenizer would give it. It has EOS and padding, no BOS.

Model: `LlamaForCausalLM(LlamaConfig(...))` initialised from `cfg.offline_seed` (not the training
seed) under a forked RNG, so the same config gives the same weights without touching the caller's
random state. Being random, it learns through the `cpu` preset (`magdi.config.PRESETS`): LoRA on
every linear layer and its embeddings, norms and LM head trained in full. A run saves this base
next to its adapter (`<run>/base`), since an adapter on a different random base means nothing.
"""

from __future__ import annotations

import functools
import hashlib
import json

import torch
from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

from magdi.config import DistillConfig

OFFLINE_VOCAB = 1024
CORPUS_QUESTIONS = 100  # per synthetic kind
CORPUS_SEED = 7_000  # apart from the seeds data sets are drawn with (0 and up)
SPECIAL = {"pad_token": "<pad>", "eos_token": "</s>"}


def offline_corpus() -> list[str]:
    """The tokenizer's training text: synthetic questions and simulated discussions, as chains."""
    from magdi.simulated import simulate_discussions
    from magdi.synthetic import KINDS, make_questions

    cfg = DistillConfig()  # the default chain templates
    questions = [q for kind in KINDS for q in make_questions(kind, CORPUS_QUESTIONS, CORPUS_SEED)]
    texts = []
    for d in simulate_discussions(questions, seed=CORPUS_SEED):
        prompt = cfg.prompt_template.format(question=" ".join([d["question"], *(d.get("options") or [])]))
        texts += [
            prompt + cfg.completion_template.format(reasoning=t["reasoning"], answer=t["answer"])
            for t in d["turns"]
        ]
    return texts


@functools.cache
def _tokenizer_json() -> str:
    tk = Tokenizer(models.BPE())
    tk.pre_tokenizer = pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False)]
    )
    tk.decoder = decoders.ByteLevel()
    tk.train_from_iterator(
        offline_corpus(),
        trainers.BpeTrainer(
            vocab_size=OFFLINE_VOCAB,
            special_tokens=list(SPECIAL.values()),
            initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
            show_progress=False,
        ),
    )
    return tk.to_str()


def offline_tokenizer() -> PreTrainedTokenizerFast:
    """A fresh tokenizer object (callers may change it) over the one trained vocabulary."""
    return PreTrainedTokenizerFast(tokenizer_object=Tokenizer.from_str(_tokenizer_json()), **SPECIAL)


def offline_llama_config(cfg: DistillConfig, tokenizer: PreTrainedTokenizerFast) -> LlamaConfig:
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


def offline_model(cfg: DistillConfig, tokenizer: PreTrainedTokenizerFast) -> LlamaForCausalLM:
    """Random-init Llama of the cfg.offline_* shape; identical for identical (shape, offline_seed)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(cfg.offline_seed)
        return LlamaForCausalLM(offline_llama_config(cfg, tokenizer))


def offline_key(cfg: DistillConfig) -> str:
    """Identifies the offline base (shape, seed and vocabulary) in cache keys."""
    shape = {
        k: getattr(cfg, k)
        for k in (
            "offline_hidden",
            "offline_layers",
            "offline_heads",
            "offline_kv_heads",
            "offline_intermediate",
            "offline_max_positions",
            "offline_seed",
        )
    }
    shape["vocab"] = hashlib.sha256(_tokenizer_json().encode()).hexdigest()
    return "offline-llama-" + hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]

"""Batched generation from a student (`magdi.run.StudentRun`: a run directory's adapter on its base).

    run = StudentRun.from_pretrained("runs/magdi", merge=True)
    texts = generate(run, [question_prompt(run, "Is the sky blue?")], do_sample=True, num_samples=5)

Prompts are encoded exactly as training encoded them (BOS when the tokenizer has one, no EOS) and
left-padded, so a batch gives what each prompt would give alone. Sampling defaults follow the MAGDi
evaluation: temperature 0.7, top-p 0.9, top-k 50, up to 300 new tokens.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import Any

import torch
from torch import Tensor

from magdi.chains import encode_prompt, make_prompt
from magdi.run import StudentRun


def question_prompt(run: StudentRun, question: str, options: list[str] | None = None, task: str = "") -> str:
    """The training prompt of a question, ending where the student starts answering."""
    return make_prompt(run.config, question, options, task)


def pad_left(seqs: list[list[int]], pad_id: int) -> tuple[Tensor, Tensor]:
    """Left-pad to the longest. Returns ids (B, T), attention_mask (B, T)."""
    T = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), T), pad_id, dtype=torch.long)
    mask = torch.zeros((len(seqs), T), dtype=torch.long)
    for r, s in enumerate(seqs):
        ids[r, T - len(s) :] = torch.tensor(s, dtype=torch.long)
        mask[r, T - len(s) :] = 1
    return ids, mask


@torch.no_grad()
def generate(
    run: StudentRun,
    prompts: list[str],
    *,
    max_new_tokens: int = 300,
    do_sample: bool = False,
    temperature: float = 0.7,
    top_p: float = 0.9,
    top_k: int = 50,
    num_samples: int = 1,
    batch_size: int = 8,
    seed: int | None = None,
    streamer: Any = None,
) -> list[list[str]]:
    """`num_samples` completions per prompt (greedy allows one), in prompt order, special tokens removed.
    A `streamer` (one prompt, one sample) is handed to `model.generate`: it gets the prompt's ids, then
    each new token (`app.serve_model` streams replies and ends generation early through it)."""
    if num_samples > 1 and not do_sample:
        raise ValueError("several samples per prompt need do_sample=True")
    tok = run.tokenizer
    options: dict[str, Any] = {
        "max_new_tokens": max_new_tokens,
        "do_sample": do_sample,
        "num_return_sequences": num_samples,
        "pad_token_id": tok.pad_token_id,
        "eos_token_id": tok.eos_token_id,
        "use_cache": True,
        "streamer": streamer,
    }  # the offline base saves with use_cache=False
    if do_sample:
        options |= {"temperature": temperature, "top_p": top_p, "top_k": top_k}
    devices = [run.device] if run.device.type == "cuda" else []
    out: list[list[str]] = []
    # A seed draws from a private generator state; without one, calls draw on, so that two calls
    # sample differently.
    with torch.random.fork_rng(devices=devices) if seed is not None else nullcontext():
        if seed is not None:
            torch.manual_seed(seed)
        for start in range(0, len(prompts), batch_size):
            ids, mask = pad_left(
                [encode_prompt(tok, p) for p in prompts[start : start + batch_size]], tok.pad_token_id
            )
            generated = run.model.generate(
                input_ids=ids.to(run.device), attention_mask=mask.to(run.device), **options
            )  # (b * num_samples, T + new)
            texts = tok.batch_decode(generated[:, ids.shape[1] :], skip_special_tokens=True)
            out.extend(texts[i : i + num_samples] for i in range(0, len(texts), num_samples))
    return out

"""Benchmark one MAGDi training step of a random-init Llama of a given shape on synthetic MAGs.

    python bench/train_step.py --hidden 4096 --layers 32 --heads 32 --kv-heads 8 --intermediate 14336 \
        --vocab 32000 --seq-len 512 --batch 4 --dtype bf16 --grad-ckpt on          # 7B on a GPU
    python bench/train_step.py --hidden 64 --layers 2 --heads 4 --kv-heads 2 --intermediate 128 \
        --vocab 512 --seq-len 64 --batch 2 --dtype fp32 --grad-ckpt off            # CPU smoke test

A step is what `magdi.train` does per micro-batch: collate `--batch` questions (each a MAG of
`--agents` x `--rounds` chains of `--seq-len` tokens, a quarter of them prompt), one forward over
all chains, the level's losses (level 4: next-token + margin + node), backward, AdamW step on the
LoRA / scorer / GCN weights. Nothing is downloaded.

Printed: pairs/s (correct-incorrect pairs trained per second), tokens/s (all forwarded tokens),
step time median/min/max, peak GPU memory, and MFU. Model FLOPs per step, with N_frozen the
non-embedding base weights, N_lora the adapter weights, L layers, h hidden, T sequence length,
V vocabulary:

    4 * N_frozen * tokens      forward (2N) + input-gradient backward (2N); frozen weights get no
                               weight gradient, so not the 6N of full fine-tuning
  + 6 * N_lora * tokens        adapters: forward, input and weight gradients
  + 12 * L * h * T * tokens    attention scores and values, forward + backward (full, not causal-halved)
  + 4 * h * V * targets        LM head on the next-token targets only (forward + input gradient)

Recomputation under gradient checkpointing is not counted (model FLOPs, not hardware FLOPs).
Peak: 989.4 TFLOP/s dense bf16/fp16 (494.7 TF32 for fp32) on H100/H200; `--peak-tflops` overrides.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

import torch

from magdi.chains import EncodedExample, repeat_pairs
from magdi.config import DistillConfig
from magdi.model import (
    DTYPES,
    MAGDiStudent,
    add_lora,
    collate,
    enable_grad_checkpointing,
    merged_forward_layers,
)

HOPPER_PEAK_TFLOPS = {"bf16": 989.4, "fp16": 989.4, "fp32": 494.7}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--hidden", type=int, required=True)
    p.add_argument("--layers", type=int, required=True)
    p.add_argument("--heads", type=int, required=True)
    p.add_argument("--kv-heads", type=int, required=True)
    p.add_argument("--intermediate", type=int, required=True)
    p.add_argument("--vocab", type=int, required=True)
    p.add_argument("--seq-len", type=int, required=True, help="tokens per chain")
    p.add_argument("--batch", type=int, required=True, help="questions (MAGs) per step")
    p.add_argument("--dtype", choices=["bf16", "fp16", "fp32"], default="bf16")
    p.add_argument("--grad-ckpt", choices=["on", "off"], default="off")
    p.add_argument("--agents", type=int, default=3)
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--level", choices=["1", "2", "3", "4"], default="4")
    p.add_argument("--node-features", choices=["frozen", "joint"], default="frozen")
    p.add_argument("--lora-r", type=int, default=16)
    p.add_argument(
        "--preset",
        choices=["paper", "cpu"],
        default="paper",
        help="paper: LoRA on attention with dropout; cpu: the offline student's (every linear layer, "
        "no dropout, embeddings, norms and LM head in full)",
    )
    p.add_argument(
        "--lora-forward",
        choices=["merged", "peft"],
        default="merged",
        help="merged: as training does (small dropout-free layers multiply by W + sBA); peft: PEFT's own",
    )
    p.add_argument("--steps", type=int, default=10, help="timed steps")
    p.add_argument("--warmup", type=int, default=3, help="untimed steps first")
    p.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    p.add_argument("--peak-tflops", type=float, default=None, help="accelerator peak for MFU")
    p.add_argument("--profile", action="store_true", help="print the top operators of one step")
    p.add_argument("--seed", type=int, default=0)
    return p.parse_args(argv)


def synthetic_mags(args: argparse.Namespace, hidden: int) -> tuple[list[EncodedExample], list[torch.Tensor]]:
    """`--batch` MAGs: every agent answers every round; each round-r turn responds to all turns of
    round r - 1; labels random with at least one correct and one incorrect chain per question."""
    rng = random.Random(args.seed)
    n = args.agents * args.rounds
    items, feats = [], []
    for q in range(args.batch):
        labels = [rng.random() < 0.5 for _ in range(n)]
        labels[0], labels[-1] = True, False
        pos = [i for i in range(n) if labels[i]]
        ids = [[rng.randrange(args.vocab) for _ in range(args.seq_len)] for _ in range(n)]
        edges = [
            (r * args.agents + a, (r + 1) * args.agents + b)
            for r in range(args.rounds - 1)
            for a in range(args.agents)
            for b in range(args.agents)
        ]
        items.append(
            EncodedExample(
                ids=ids,
                prompt_lens=[args.seq_len // 4] * n,
                uids=[q * n + i for i in range(n)],
                positives=pos,
                pairs=repeat_pairs(pos, [i for i in range(n) if not labels[i]]),
                edges=edges if args.level == "4" else None,
                node_labels=[int(x) for x in labels],
            )
        )
        feats.append(torch.randn(n, hidden))
    return items, feats


def model_flops(n_frozen: int, n_lora: int, tokens: int, targets: int, args: argparse.Namespace) -> float:
    """Model FLOPs of one training step (see the module docstring)."""
    return (
        4 * n_frozen * tokens
        + 6 * n_lora * tokens
        + 12 * args.layers * args.hidden * args.seq_len * tokens
        + 4 * args.hidden * args.vocab * targets
    )


def peak_flops(args: argparse.Namespace, device: torch.device) -> float | None:
    if args.peak_tflops:
        return args.peak_tflops * 1e12
    if device.type == "cuda" and any(k in torch.cuda.get_device_name(device) for k in ("H100", "H200")):
        return HOPPER_PEAK_TFLOPS[args.dtype] * 1e12
    return None


def build_student(args: argparse.Namespace, device: torch.device) -> MAGDiStudent:
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = DistillConfig(
        level=args.level,
        node_features=args.node_features,
        lora_r=args.lora_r,  # a stand-in
        lora_alpha=2 * args.lora_r,
        precision=args.dtype,
        seed=args.seed,
        preset=args.preset,
    )
    config = LlamaConfig(
        vocab_size=args.vocab,
        hidden_size=args.hidden,
        intermediate_size=args.intermediate,
        num_hidden_layers=args.layers,
        num_attention_heads=args.heads,
        num_key_value_heads=args.kv_heads,
        max_position_embeddings=max(2048, args.seq_len),
        pad_token_id=0,
        eos_token_id=1,
        bos_token_id=None,
        tie_word_embeddings=False,
        use_cache=False,
    )
    torch.manual_seed(args.seed)
    with torch.device(device):
        base = LlamaForCausalLM._from_config(config, dtype=DTYPES[args.dtype])
    if args.grad_ckpt == "on":
        enable_grad_checkpointing(base)
    lm = add_lora(base, cfg, merged_forward=args.lora_forward == "merged")
    return MAGDiStudent(lm, cfg).to(device).train()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    device = torch.device(args.device)
    if device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
    student = build_student(args, device)
    items, feats = synthetic_mags(args, args.hidden)
    params = [p for p in student.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(params, lr=1e-5, fused=device.type == "cuda")
    autocast = torch.autocast(device.type, dtype=DTYPES[args.dtype], enabled=args.dtype != "fp32")
    scaler = torch.amp.GradScaler(device.type, enabled=args.dtype == "fp16")
    frozen = feats if args.level == "4" and args.node_features == "frozen" else None
    multiple_of = 8 if device.type == "cuda" else 1

    def step() -> tuple[int, int, int]:
        batch = collate(items, 0, True, frozen, multiple_of)
        counts = (
            int(batch.attention_mask.sum()),
            int((batch.labels[:, 1:] != -100).sum()),
            batch.pairs.shape[1],
        )
        batch = batch.to(device)
        with autocast:
            _, losses = student(batch)
        scaler.scale(losses["loss"]).backward()
        scaler.unscale_(optimizer)
        student.clip_gradients(1.0)
        scaler.step(optimizer)
        scaler.update()
        optimizer.zero_grad(set_to_none=True)
        return counts

    def sync() -> None:
        if device.type == "cuda":
            torch.cuda.synchronize(device)

    for _ in range(args.warmup):
        step()
    sync()
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        tokens, targets, pairs = step()
        sync()
        times.append(time.perf_counter() - t0)
    if args.profile:
        from torch.profiler import ProfilerActivity, profile

        activities = [ProfilerActivity.CPU] + ([ProfilerActivity.CUDA] if device.type == "cuda" else [])
        with profile(activities=activities) as prof:
            step()
            sync()
        key = "cuda_time_total" if device.type == "cuda" else "cpu_time_total"
        print(prof.key_averages().table(sort_by=key, row_limit=15))

    n_lora = sum(p.numel() for n, p in student.lm.named_parameters() if p.requires_grad)
    base = student.lm.get_base_model()
    n_frozen = sum(p.numel() for p in base.model.layers.parameters() if not p.requires_grad)
    median = statistics.median(times)
    flops = model_flops(n_frozen, n_lora, tokens, targets, args)
    peak = peak_flops(args, device)
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else "cpu"
    chains = args.batch * args.agents * args.rounds
    print(
        f"device {name} | dtype {args.dtype} | grad-ckpt {args.grad_ckpt} | level {args.level} "
        f"({args.node_features} node features) | LoRA r {args.lora_r}, preset {args.preset}, "
        f"forward merged in {len(merged_forward_layers(student))} layers"
    )
    print(
        f"model: hidden {args.hidden}, layers {args.layers}, heads {args.heads}/{args.kv_heads} kv, "
        f"intermediate {args.intermediate}, vocab {args.vocab}: {n_frozen / 1e6:.1f}M frozen non-embedding, "
        f"{n_lora / 1e6:.2f}M LoRA"
    )
    print(
        f"step: {args.batch} questions x {args.agents * args.rounds} chains = {chains} sequences x "
        f"{args.seq_len} tokens; {tokens} tokens, {targets} next-token targets, {pairs} pairs"
    )
    print(
        f"step time: median {median * 1e3:.1f} ms, min {min(times) * 1e3:.1f} ms,"
        f" max {max(times) * 1e3:.1f} ms"
        f" ({args.steps} steps after {args.warmup} warm-up)"
    )
    print(f"pairs/s: {pairs / median:.1f}")
    print(f"tokens/s: {tokens / median:.0f}")
    if device.type == "cuda":
        print(f"peak GPU memory: {torch.cuda.max_memory_allocated(device) / 2**30:.2f} GiB")
    else:
        print("peak GPU memory: n/a (cpu)")
    achieved = flops / median
    mfu = (
        f"{100 * achieved / peak:.2f}% of {peak / 1e12:g} TFLOP/s"
        if peak
        else "n/a (no known peak; pass --peak-tflops)"
    )
    print(f"model FLOPs/step: {flops:.4g} (4*N_frozen*tok + 6*N_lora*tok + 12*L*h*T*tok + 4*h*V*targets)")
    print(f"achieved: {achieved / 1e12:.4g} TFLOP/s; MFU {mfu}")


if __name__ == "__main__":
    main()

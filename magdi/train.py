"""Distil a MAG export into a student: `python -m magdi.train CONFIG [--resume] [--set key=value ...]`.

One nanoGPT-style loop. The same entry runs under `torchrun` / `accelerate launch` (DDP: NCCL on GPUs,
gloo on CPU); only rank 0 writes. The run directory holds (the student's part through
`magdi.run.StudentRun`):

    distill_config.json  resolved config          data_summary.json  chains/pairs/graphs per level
    tokenizer/           the student's tokenizer  base/              the offline base (no `model` given)
    adapter/             PEFT LoRA adapter        heads.safetensors  scorer and GCN weights
    metrics.jsonl        step, losses, lr, tokens/s; val_loss, val_accuracy where validated
    best.pt, final_metrics.json   the best validation step (its weights are the saved adapter and
                         heads) and the test loss: see magdi.validation
    progress.json        {step, total_steps, epoch, eta_s, status}, rewritten every step
    starts.jsonl         {step, time} of every start (the first and each resume)
    checkpoints/step-XXXXXXXX.pt   trainable weights, optimizer, scheduler, scaler, RNG of every rank
    feature_cache/       frozen node features (unless cache_dir is set)

`--resume` continues from the newest checkpoint (or starts, when there is none) and reaches the same
weights as an uninterrupted run: the data order is a function of (seed, epoch) and the RNG states are
restored (bit for bit on CPU; GPU scatter kernels are not deterministic). SIGTERM stops the CLI after
the current step with a checkpoint, status "stopped" and exit status 143.
"""

from __future__ import annotations

import argparse
import errno
import hashlib
import io
import json
import math
import os
import random
import signal
import sys
import time
import warnings
from collections.abc import Callable
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel as DDP

from magdi.chains import Example, build_examples, encode_examples
from magdi.config import CONFIG_NAME, STARTS_NAME, DistillConfig
from magdi.formats import read_jsonl
from magdi.mag import Discussion
from magdi.model import (
    DTYPES,
    Batch,
    MAGDiStudent,
    add_lora,
    check_lm_head,
    collate,
    enable_grad_checkpointing,
    feature_cache_key,
    load_base,
    load_features,
    node_features,
    save_features,
)
from magdi.plumbing import (
    file_sha256,
    no_progress_bars,
    stop_on_sigterm,
    write_json_atomic,
    write_text_atomic,
)
from magdi.run import StudentRun
from magdi.validation import Validator, read_discussions

Callback = Callable[[dict[str, Any]], "bool | None"]


# ---------------------------------------------------------------- distributed, RNG, schedule


def setup_distributed() -> tuple[int, int, torch.device]:
    """(rank, world size, device). Under torchrun / accelerate (RANK and WORLD_SIZE set) this joins
    the process group: NCCL with one GPU per process, else gloo on CPU."""
    cuda = torch.cuda.is_available()
    if int(os.environ.get("WORLD_SIZE", "1")) > 1:
        # rank 0 alone computes frozen node features while the others wait: allow it an hour
        dist.init_process_group("nccl" if cuda else "gloo", timeout=timedelta(hours=1))
        local = int(os.environ.get("LOCAL_RANK", "0"))
        device = torch.device(f"cuda:{local}") if cuda else torch.device("cpu")
        if cuda:
            torch.cuda.set_device(device)
        return dist.get_rank(), dist.get_world_size(), device
    return 0, 1, torch.device("cuda" if cuda else "cpu")


def seed_everything(seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed % 2**32)
    torch.manual_seed(seed)


def rng_state() -> dict[str, Any]:
    """Every RNG's state in types `torch.load(weights_only=True)` reads back (numpy's key array as
    a tensor), so a resume never unpickles arbitrary objects from a run directory."""
    kind, keys, pos, has_gauss, gauss = np.random.get_state()
    state = {
        "python": random.getstate(),
        "numpy": (kind, torch.from_numpy(keys.astype(np.int64)), pos, has_gauss, gauss),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state()
    return state


def set_rng_state(state: dict[str, Any]) -> None:
    random.setstate(state["python"])
    kind, keys, pos, has_gauss, gauss = state["numpy"]
    np.random.set_state((kind, keys.numpy().astype(np.uint32), pos, has_gauss, gauss))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state(state["cuda"])


def lr_factor(step: int, warmup: int, total: int, schedule: str) -> float:
    """Multiplier of the peak lr at 0-based `step`: linear warm-up (`step / warmup`, so the first
    step has lr 0), then linear or cosine decay to 0, as Hugging Face's schedules with warm-up."""
    if step < warmup:
        return step / warmup
    progress = min(1.0, (step - warmup) / max(1, total - warmup))
    return 1.0 - progress if schedule == "linear" else 0.5 * (1.0 + math.cos(math.pi * progress))


def epoch_order(n: int, seed: int, epoch: int, rank: int, world: int) -> list[int]:
    """This rank's questions for an epoch: a (seed, epoch) permutation, padded by wrapping so that
    every rank gets the same count, then strided by rank (as DistributedSampler does)."""
    perm = torch.randperm(n, generator=torch.Generator().manual_seed(seed * 100_003 + epoch)).tolist()
    per_rank = -(-n // world)
    perm = (perm * (1 + per_rank * world // n))[: per_rank * world]
    return perm[rank::world]


def step_micro_batches(
    order: list[int], step_in_epoch: int, batch_size: int, grad_accum: int
) -> list[list[int]]:
    """The micro-batches (lists of question indices) of one optimizer step."""
    start = step_in_epoch * batch_size * grad_accum
    return [
        order[s : s + batch_size]
        for s in range(start, min(start + batch_size * grad_accum, len(order)), batch_size)
    ]


# ---------------------------------------------------------------- run directory


def latest_checkpoint(run_dir: Path) -> Path | None:
    found = sorted((run_dir / "checkpoints").glob("step-*.pt"))
    return found[-1] if found else None


class CheckpointError(ValueError):
    """No checkpoint of the run can be resumed from (each named with what is wrong with it)."""


def _save_checkpoint(run_dir: Path, step: int, state: dict[str, Any], keep: int) -> None:
    """Write `step-N.pt` and its sha256 beside it (`step-N.pt.sha256`), each to a temporary file,
    fsynced, then renamed: a crash or a full disk leaves the previous checkpoints as they were."""
    folder = run_dir / "checkpoints"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"step-{step:08d}.pt"
    buffer = io.BytesIO()
    torch.save(state, buffer)
    data = buffer.getvalue()
    checksum = folder / f"{path.name}.sha256"
    try:  # the checksum first: a checkpoint never exists without one
        _write_durably(checksum, f"{hashlib.sha256(data).hexdigest()}  {path.name}\n".encode())
        _write_durably(path, data)
    except OSError as exc:
        if not path.exists():
            checksum.unlink(missing_ok=True)
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise OSError(
                exc.errno,
                f"disk full: checkpoint {path} ({len(data):,} bytes) could not be written; the previous "
                "checkpoints are intact (free some space, then resume)",
                str(path),
            ) from exc
        raise
    for old in sorted(folder.glob("step-*.pt"))[:-keep]:
        old.unlink()
        old.with_name(f"{old.name}.sha256").unlink(missing_ok=True)


def _write_durably(path: Path, data: bytes) -> None:
    """`data` into a temporary file beside `path`, fsynced, renamed over `path`, directory fsynced;
    on any error the temporary file is removed and `path` is untouched."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def _read_checkpoint(path: Path) -> dict[str, Any]:
    """The checkpoint at `path`, checked against its sha256 file (checkpoints written before
    checksums have none: they are only checked by loading)."""
    data = path.read_bytes()
    recorded = path.with_name(f"{path.name}.sha256")
    if recorded.exists():
        expected = (recorded.read_text(errors="replace").split() or [""])[0]
        if hashlib.sha256(data).hexdigest() != expected:
            raise CheckpointError(f"{path}: its contents do not match {recorded.name} (corrupt)")
    try:
        return torch.load(io.BytesIO(data), map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable file is a corrupt checkpoint
        raise CheckpointError(f"{path}: unreadable ({type(exc).__name__}: {str(exc)[:200]})") from None


def _record_start(run_dir: Path, step: int) -> None:
    """One line per start of training in this run directory (the first and every resume): the step
    it starts after and when, so a reader can tell which records of metrics.jsonl each start wrote."""
    with open(run_dir / STARTS_NAME, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"step": step, "time": time.time()}) + "\n")


def _truncate_metrics(path: Path, step: int) -> None:
    if path.exists():
        kept = []
        for n, ln in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not ln.strip():
                continue
            try:
                at = json.loads(ln)["step"]
                if not isinstance(at, int) or isinstance(at, bool):
                    raise TypeError(f"step {at!r} is not an integer")
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise ValueError(
                    f"{path}:{n}: not a metrics record ({exc}); cannot resume after it"
                ) from None
            if at <= step:
                kept.append(ln + "\n")
        write_text_atomic(path, "".join(kept))


def _format_eta(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    h, m = divmod(m, 60)
    return f"{h}h{m:02d}m" if h else f"{m}m{s:02d}s"


def _print_summary(summary: dict[str, Any]) -> None:
    print(
        f"data: level {summary['level']}: {summary['questions']} questions used of "
        f"{summary['questions_total']} ({summary['questions_dropped']} without a correct chain), "
        f"{summary['chains']} chains, {summary['pairs']} pairs, {summary['graphs']} graphs"
    )
    for level, c in summary["by_level"].items():
        print(f"  level {level:>14}: {c['chains']:6d} chains {c['pairs']:6d} pairs {c['graphs']:6d} graphs")


# ---------------------------------------------------------------- training


def train(cfg: DistillConfig, *, resume: bool = False, callback: Callback | None = None) -> Path:
    """Run (or resume) the distillation; returns the run directory.

    `callback(progress)` is called on rank 0 after every optimizer step with
    {step, total_steps, epoch, eta_s, status} and, on logging steps, "metrics" (the metrics.jsonl
    record); returning True stops the run after writing a checkpoint (status "stopped").
    """
    rank, world, device = setup_distributed()
    try:
        return _train(cfg, resume, callback, rank, world, device)
    finally:
        if world > 1:
            dist.destroy_process_group()


def _train(
    cfg: DistillConfig, resume: bool, callback: Callback | None, rank: int, world: int, device: torch.device
) -> Path:
    is_main = rank == 0
    run_dir, data_path = Path(cfg.output_dir), Path(cfg.data)
    resume = _check_start(cfg, resume, is_main)
    examples, held_out, summary = _read_data(cfg)
    seed_everything(cfg.seed)
    base, tokenizer, model_key = load_base(cfg)
    items, summary["chains_truncated"] = encode_examples(examples, tokenizer, cfg.max_length)
    per_rank = -(-len(items) // world)
    steps_per_epoch = -(-per_rank // (cfg.batch_size * cfg.grad_accum))
    if cfg.max_steps is None:
        cfg = cfg.sized_to(steps_per_epoch)  # epochs the preset leaves to the data, saved resolved
    total = cfg.max_steps or cfg.epochs * steps_per_epoch
    validator = Validator(cfg, held_out["validation"], held_out["test"], tokenizer, device)
    if is_main:
        _prepare_run_dir(run_dir, cfg, summary, tokenizer, base, resume)
        _print_summary(summary)
    student = _build_student(cfg, base, device)
    pad_id, dtype = tokenizer.pad_token_id, DTYPES[cfg.precision]
    features = None
    if cfg.level == "4" and cfg.node_features == "frozen":
        features = _frozen_features(
            cfg, student, items, pad_id, model_key, data_path, device, dtype, is_main, world
        )
    optimizer, scheduler, scaler = _optimizer(cfg, student, total, device)

    start = 0
    seed_everything(cfg.seed + rank)  # dropout differs across ranks; init was identical
    if resume:
        start = _load_checkpoint(run_dir, student, optimizer, scheduler, scaler, rank, world, data_path)
    if is_main:  # drop lines a crashed attempt logged after its last checkpoint
        _truncate_metrics(run_dir / "metrics.jsonl", start)
        _record_start(run_dir, start)
        validator.restore(run_dir, start)
    model = DDP(student) if world > 1 else student
    batches = _StepBatches(cfg, items, features, pad_id, rank, world, steps_per_epoch, device)
    step_once = _Stepper(cfg, student, model, optimizer, scheduler, scaler, device, world)

    t_start = t_log = time.time()
    tokens = 0
    status = "done" if start >= total else "running"
    for step in range(start, total):
        sums, lr, grad_norm, step_tokens = step_once(batches(step))
        tokens += step_tokens
        done, now = step + 1, time.time()
        progress = {
            "step": done,
            "total_steps": total,
            "epoch": done / steps_per_epoch,
            "eta_s": (now - t_start) / (done - start) * (total - done),  # from this attempt's pace
            "status": "done" if done == total else "running",
        }
        validating = validator.active and (done % (cfg.eval_every or -(-total // 10)) == 0 or done == total)
        if done % cfg.log_every == 0 or done == total or validating:
            scores = validator(student, done, run_dir) if validating and is_main else {}
            progress["metrics"] = _log(
                run_dir, sums, lr, grad_norm, tokens, now - t_log, progress, is_main, world, scores
            )
            t_log, tokens = now, 0
        stop = _stop_requested(callback, progress, is_main, world, device)
        if stop or done == total or (cfg.save_every and done % cfg.save_every == 0):
            _checkpoint(run_dir, done, student, optimizer, scheduler, scaler, cfg, is_main, world)
        status = "stopped" if stop else progress["status"]
        if is_main:
            write_json_atomic(
                run_dir / "progress.json",
                {k: v for k, v in progress.items() if k != "metrics"} | {"status": status},
            )
        if stop:
            break
    if is_main and status == "done":
        _finish(validator, student, tokenizer, cfg, device, run_dir, total)
    return run_dir


def _finish(
    validator: Validator,
    student: MAGDiStudent,
    tokenizer: Any,
    cfg: DistillConfig,
    device: torch.device,
    run_dir: Path,
    total: int,
) -> None:
    """Save the trained student: the best validated step's weights (the last step's without
    validation), with the test loss in final_metrics.json."""
    final = validator.finish(student, run_dir, total)  # loads the best step's weights
    print(f"best step {final['best_step']} by {final['criterion']}; test loss {final['test_loss']}")
    StudentRun(student.lm, tokenizer, cfg, device, student.heads_state_dict()).save_pretrained(run_dir)
    print(f"done: {run_dir}")


def _check_start(cfg: DistillConfig, resume: bool, is_main: bool) -> bool:
    """Refuse a missing data file or a run directory holding another run; whether to resume
    (`--resume` without a checkpoint starts at step 0)."""
    run_dir = Path(cfg.output_dir)
    if not Path(cfg.data).is_file():
        raise FileNotFoundError(f"data file not found: {cfg.data!r}")
    if is_main and not resume and (run_dir / CONFIG_NAME).exists():
        raise FileExistsError(f"{run_dir} already holds a run: pass --resume or choose another output_dir")
    if resume and latest_checkpoint(run_dir) is None:
        if is_main:
            print(f"--resume: no checkpoint under {run_dir}; starting at step 0")
        return False
    return resume


def _read_data(cfg: DistillConfig) -> tuple[list[Example], dict[str, list[Discussion]], dict[str, Any]]:
    """The training units of `cfg.level`, the held-out questions and the data summary; refuses
    data without a single correct chain at that level."""
    examples, summary = build_examples(cfg, (d for _, d, _ in read_jsonl(Path(cfg.data))))
    held_out = {"validation": read_discussions(cfg.validation_data), "test": read_discussions(cfg.test_data)}
    summary["split"] = {"train": summary["questions_total"], **{k: len(v) for k, v in held_out.items()}}
    if not examples:
        teacher = (
            f" for teacher {cfg.teacher!r} (agents: {', '.join(summary['agents'])})" if cfg.teacher else ""
        )
        raise ValueError(f"no question has a correct chain at level {cfg.level}{teacher}")
    return examples, held_out, summary


def _build_student(cfg: DistillConfig, base: Any, device: torch.device) -> MAGDiStudent:
    if cfg.grad_checkpointing:
        enable_grad_checkpointing(base)
    student = MAGDiStudent(add_lora(base, cfg), cfg).to(device)
    check_lm_head(student)  # refuses a model whose logits the loss would not reproduce
    return student


def _optimizer(
    cfg: DistillConfig, student: MAGDiStudent, total: int, device: torch.device
) -> tuple[torch.optim.Optimizer, Any, torch.amp.GradScaler]:
    """AdamW (weight decay on matrices only), the warm-up + decay schedule, the fp16 loss scaler."""
    params = [p for p in student.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(
        [
            {"params": [p for p in params if p.ndim >= 2], "weight_decay": cfg.weight_decay},
            {"params": [p for p in params if p.ndim < 2], "weight_decay": 0.0},
        ],
        lr=cfg.lr,
    )
    warmup = cfg.warmup_for(total)
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: lr_factor(s, warmup, total, cfg.schedule)
    )
    scaler = torch.amp.GradScaler(device.type, enabled=cfg.precision == "fp16")
    return optimizer, scheduler, scaler


@dataclass
class _StepBatches:
    """The micro-batches of each optimizer step: this rank's share of a (seed, epoch) order of the
    questions, collated (padded to a multiple of 8 on a GPU)."""

    cfg: DistillConfig
    items: list
    features: list[torch.Tensor] | None
    pad_id: int
    rank: int
    world: int
    steps_per_epoch: int
    device: torch.device
    orders: dict[int, list[int]] = field(default_factory=dict)  # epoch -> this rank's question order

    def __call__(self, step: int) -> list[Batch]:
        cfg = self.cfg
        epoch, k = divmod(step, self.steps_per_epoch)
        if epoch not in self.orders:
            self.orders[epoch] = epoch_order(len(self.items), cfg.seed, epoch, self.rank, self.world)
        multiple_of = 8 if self.device.type == "cuda" else 1
        return [
            collate(
                [self.items[i] for i in idx],
                self.pad_id,
                cfg.mask_prompt,
                [self.features[i] for i in idx] if self.features else None,
                multiple_of,
            )
            for idx in step_micro_batches(self.orders[epoch], k, cfg.batch_size, cfg.grad_accum)
        ]


@dataclass
class _Stepper:
    """One optimizer step over its micro-batches: forward and backward under autocast (DDP
    synchronises gradients on the last micro-batch only), the LM and heads clipped apart, update."""

    cfg: DistillConfig
    student: MAGDiStudent
    model: torch.nn.Module  # the student, or DDP around it
    optimizer: torch.optim.Optimizer
    scheduler: Any
    scaler: torch.amp.GradScaler
    device: torch.device
    world: int

    def __call__(self, micro: list[Batch]) -> tuple[dict[str, torch.Tensor], float, torch.Tensor, int]:
        """(losses averaged over the micro-batches, lr of the step, LM gradient norm, tokens)."""
        cfg = self.cfg
        autocast = torch.autocast(
            self.device.type, dtype=DTYPES[cfg.precision], enabled=cfg.precision != "fp32"
        )
        sums: dict[str, torch.Tensor] = {}
        tokens = 0
        lr = self.scheduler.get_last_lr()[0]
        for m, batch in enumerate(micro):
            tokens += int(batch.attention_mask.sum())  # counted on the CPU: no device sync
            batch = batch.to(self.device)
            sync = nullcontext() if self.world == 1 or m == len(micro) - 1 else self.model.no_sync()
            with sync:
                with autocast:
                    _, losses = self.model(batch)
                self.scaler.scale(losses["loss"] / len(micro)).backward()
            for name, value in losses.items():
                sums[name] = sums.get(name, 0.0) + value.detach() / len(micro)
        self.scaler.unscale_(self.optimizer)
        grad_norm = self.student.clip_gradients(cfg.grad_clip if cfg.grad_clip > 0 else math.inf)["lm"]
        self.scaler.step(self.optimizer)
        self.scaler.update()
        self.scheduler.step()
        self.optimizer.zero_grad(set_to_none=True)
        return sums, lr, grad_norm, tokens


def _stop_requested(
    callback: Callback | None, progress: dict, is_main: bool, world: int, device: torch.device
) -> bool:
    """Rank 0's callback decides; every rank learns it, so that all stop after the same step."""
    stop = bool(callback(progress)) if is_main and callback else False
    if world > 1:
        flag = torch.tensor(float(stop), device=device)
        dist.all_reduce(flag, op=dist.ReduceOp.MAX)
        stop = bool(flag.item())
    return stop


def _prepare_run_dir(
    run_dir: Path, cfg: DistillConfig, summary: dict, tokenizer: Any, base: Any, resume: bool
) -> None:
    run_dir.mkdir(parents=True, exist_ok=True)
    if resume and (run_dir / CONFIG_NAME).exists():
        before = DistillConfig.load(run_dir).to_dict()
        changed = sorted(k for k, v in cfg.to_dict().items() if before.get(k) != v)
        if changed:
            warnings.warn(f"resuming with changed settings: {', '.join(changed)}", stacklevel=3)
    StudentRun(base, tokenizer, cfg, base.device).save_setup(run_dir)
    write_json_atomic(run_dir / "data_summary.json", summary)


def _frozen_features(
    cfg: DistillConfig,
    student: MAGDiStudent,
    items: list,
    pad_id: int,
    model_key: str,
    data_path: Path,
    device: torch.device,
    dtype: torch.dtype,
    is_main: bool,
    world: int,
) -> list[torch.Tensor]:
    """Base-model node features, cached on disk; rank 0 computes and writes, the others read."""
    digest = hashlib.sha256(data_path.read_bytes()).hexdigest()
    cache_dir = Path(cfg.cache_dir) if cfg.cache_dir else Path(cfg.output_dir) / "feature_cache"
    path = cache_dir / f"node-features-{feature_cache_key(cfg, model_key, digest)}.pt"
    if is_main and not path.exists():
        print(f"computing frozen node features -> {path}")
        save_features(path, node_features(student, items, pad_id, cfg.feature_batch_size, device, dtype))
    if world > 1:
        dist.barrier()
    return load_features(path)


def _log(
    run_dir: Path,
    sums: dict[str, torch.Tensor],
    lr: float,
    grad_norm: torch.Tensor,
    tokens: int,
    seconds: float,
    progress: dict,
    is_main: bool,
    world: int,
    scores: dict[str, float] | None = None,
) -> dict[str, Any]:
    """Average the step's losses over processes, append a metrics line and print it (rank 0)."""
    present = sorted(sums, key=lambda name: name != "loss")  # the total first
    values = torch.stack(
        [sums[n] for n in present] + [torch.tensor(float(tokens), device=sums["loss"].device)]
    )
    if world > 1:
        dist.all_reduce(values)
        values[:-1] /= world
    record = {"step": progress["step"], "epoch": round(progress["epoch"], 4)}
    record |= {n: float(v) for n, v in zip(present, values[:-1].tolist())}
    record |= {
        "lr": lr,
        "grad_norm": float(grad_norm),
        "tokens_per_s": float(values[-1]) / max(seconds, 1e-9),
    }
    record |= scores or {}  # validation, on the lines where it ran
    if is_main:
        with open(run_dir / "metrics.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps(record) + "\n")
        parts = " | ".join(f"{n} {record[n]:.4f}" for n in present)
        print(
            f"step {record['step']}/{progress['total_steps']} | epoch {record['epoch']:.2f} | {parts} | "
            f"lr {lr:.2e} | {record['tokens_per_s']:.0f} tok/s | eta {_format_eta(progress['eta_s'])}",
            flush=True,
        )
    return record


def _checkpoint(
    run_dir: Path,
    step: int,
    student: MAGDiStudent,
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    scaler: torch.amp.GradScaler,
    cfg: DistillConfig,
    is_main: bool,
    world: int,
) -> None:
    states: list[Any] = [None] * world
    if world > 1:
        dist.all_gather_object(states, rng_state())
    else:
        states[0] = rng_state()
    if is_main:
        _save_checkpoint(
            run_dir,
            step,
            {
                "step": step,
                "trainable": student.trainable_state_dict(),
                "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(),
                "scaler": scaler.state_dict(),
                "rng": states,
                "config": cfg.to_dict(),
                "data_sha256": file_sha256(Path(cfg.data)),  # resume refuses other data
            },
            cfg.keep_checkpoints,
        )


def _load_checkpoint(
    run_dir: Path,
    student: MAGDiStudent,
    optimizer: torch.optim.Optimizer,
    scheduler: Any,
    scaler: torch.amp.GradScaler,
    rank: int,
    world: int,
    data: Path,
) -> int:
    """Restore the newest intact checkpoint; corrupt newer ones are named and passed over. One
    made on other training data than `data` is refused (CheckpointError)."""
    corrupt: list[str] = []
    for path in sorted((run_dir / "checkpoints").glob("step-*.pt"), reverse=True):
        try:
            state = _read_checkpoint(path)
            break
        except CheckpointError as exc:
            corrupt.append(str(exc))
    else:
        raise CheckpointError("no intact checkpoint to resume from: " + "; ".join(corrupt))
    if corrupt and rank == 0:
        print(f"skipped corrupt checkpoint(s): {'; '.join(corrupt)}", flush=True)
    if state.get("data_sha256") not in (None, found := file_sha256(data)):
        raise CheckpointError(
            f"{path} was made on other training data (sha256 {state['data_sha256'][:12]}…) than "
            f"{data} ({found[:12]}…): not resumed"
        )
    student.load_trainable_state_dict(state["trainable"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    scaler.load_state_dict(state["scaler"])
    if len(state["rng"]) == world:
        set_rng_state(state["rng"][rank])
    else:
        warnings.warn(
            f"checkpoint has {len(state['rng'])} RNG states for {world} processes; "
            "dropout will not replay exactly",
            stacklevel=2,
        )
    if rank == 0:
        print(f"resumed from {path} (step {state['step']})")
    return state["step"]


# ---------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m magdi.train", description=__doc__.splitlines()[0])
    parser.add_argument("config", nargs="?", help="YAML or JSON file of DistillConfig fields")
    parser.add_argument("--resume", action="store_true", help="continue from the newest checkpoint")
    parser.add_argument(
        "--set",
        dest="overrides",
        nargs="+",
        action="extend",
        default=[],
        metavar="KEY=VALUE",
        help="override config fields",
    )
    parser.add_argument("--fields", action="store_true", help="list every config field and exit")
    args = parser.parse_args(argv)
    if args.fields:
        for name, (default, text) in DistillConfig.field_docs().items():
            print(f"{name} = {default!r}\n    {text}")
        return 0
    if not args.config:
        parser.error("a config file is required")
    try:
        cfg = DistillConfig.from_file(args.config, args.overrides)
    except (OSError, ValueError) as exc:  # settings that cannot work: say so, exit 2 (not resumable)
        print(f"error: {args.config}: {exc}", file=sys.stderr)
        return 2
    no_progress_bars()
    with stop_on_sigterm() as stop:  # after the current step, with a checkpoint to resume from
        train(cfg, resume=args.resume, callback=lambda _: stop.is_set())
    if stop.is_set():
        print(f"stopped by SIGTERM; continue with: python -m magdi.train {args.config} --resume", flush=True)
        return 128 + signal.SIGTERM  # unfinished: the conventional status of a terminated process
    return 0


if __name__ == "__main__":
    sys.exit(main())

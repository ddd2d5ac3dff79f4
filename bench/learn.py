"""Does the offline default student learn? Time to held-out accuracy on synthetic arithmetic.

    python bench/learn.py --set max_steps=1992             # the README's figures (about 5 minutes)
    python bench/learn.py                                  # the preset's own ~1,000 steps here
    python bench/learn.py --questions 40 --minutes 0.2     # smoke run

From a cold start: `--questions` synthetic arithmetic word problems (`magdi.synthetic`), the first
ones discussed by the simulated teachers (`magdi.simulated`, 3 agents x rounds 0-2) and labelled
against the gold answer as the store labels them, the last `--held-out` kept out of training.
The offline default student (model None, so the `cpu` preset) is then trained at level 2 — every
correct chain of every round — with `magdi.train`, validated every `--eval-every` steps on the
held-out questions: greedy answers through `magdi.generate`, parsed as `magdi.evaluate` does
(`val_accuracy`). Training stops at the end of its schedule or after `--minutes` of training.
Finally the saved run is evaluated by `magdi.evaluate` on the held-out questions (accuracy and
the share of answers that parse): what a user of the run gets.

Printed: data and settings, the time-to-accuracy curve (training seconds from the cold start, the
step, held-out accuracy and loss), the final evaluation, and the time spent validating (not
counted as training). Written: bench/out/learn.html (the curve) and bench/out/learn.json.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import torch

from magdi.benchmarks import Question
from magdi.config import DistillConfig, EvalConfig
from magdi.evaluate import evaluate, summarize
from magdi.run import StudentRun
from magdi.simulated import auto_label, simulate_discussions
from magdi.synthetic import make_questions
from magdi.train import train

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--questions", type=int, default=2100, help="questions in all, held-out ones included")
    p.add_argument("--held-out", type=int, default=100, help="the last questions, never trained on")
    p.add_argument("--minutes", type=float, default=5.0, help="training budget from the cold start")
    p.add_argument("--eval-every", type=int, default=0, help="steps between validations; 0: 10 per run")
    p.add_argument(
        "--max-new-tokens",
        type=int,
        default=DistillConfig.val_max_new_tokens,
        help="per greedy answer (the product's default: a 3-operation chain needs up to ~240)",
    )
    p.add_argument("--seed", type=int, default=0, help="questions, teachers and training")
    p.add_argument("--threads", type=int, default=0, help="torch CPU threads; 0: torch's default")
    p.add_argument(
        "--set",
        dest="overrides",
        nargs="*",
        default=[],
        metavar="KEY=VALUE",
        help="DistillConfig fields (e.g. offline_layers=4 lr=1e-3)",
    )
    p.add_argument("--out", type=Path, default=OUT)
    return p.parse_args(argv)


def write(path: Path, discussions: list[dict]) -> str:
    path.write_text("".join(json.dumps(d) + "\n" for d in discussions), encoding="utf-8")
    return str(path)


def plot(curve: list[dict], path: Path) -> None:
    import plotly.graph_objects as go

    fig = go.Figure(
        go.Scatter(
            x=[c["train_s"] for c in curve],
            y=[c["val_accuracy"] for c in curve],
            mode="lines+markers",
            text=[f"step {c['step']}" for c in curve],
        )
    )
    fig.update_layout(
        title="Offline student, level 2, synthetic arithmetic: held-out greedy accuracy",
        xaxis_title="training seconds from a cold start",
        yaxis_title="accuracy",
        yaxis_range=[0, 1],
    )
    fig.write_html(path, include_plotlyjs=True)


def main(argv: list[str] | None = None) -> dict:
    args = parse_args(argv)
    if not 0 < args.held_out < args.questions:
        raise SystemExit("--held-out must be between 0 and --questions")
    if args.threads:
        torch.set_num_threads(args.threads)
    work = Path(tempfile.mkdtemp(prefix="magdi-learn-"))
    questions = make_questions("arithmetic", args.questions, args.seed)
    seen = {q.question for q in questions[: -args.held_out]}
    held = [q for q in questions[-args.held_out :] if q.question not in seen]  # never trained on
    data = write(
        work / "train.jsonl", auto_label(simulate_discussions(questions[: -args.held_out], seed=args.seed))
    )
    val = write(work / "held_out.jsonl", auto_label(simulate_discussions(held, seed=args.seed)))
    settings = dict(
        data=data,
        validation_data=val,
        output_dir=str(work / "run"),
        level="2",
        seed=args.seed,
        val_questions=len(held),
        val_max_new_tokens=args.max_new_tokens,
        eval_every=args.eval_every,
        log_every=50,
        save_every=0,
    )
    for item in args.overrides:
        key, _, value = item.partition("=")
        settings[key] = value
    cfg = DistillConfig(**settings)

    stamps: dict[int, float] = {}
    budget = args.minutes * 60
    start = time.monotonic()  # the cold start: tokenizer, base, encoding and training from here

    def on_step(progress: dict) -> bool:
        stamps[progress["step"]] = time.monotonic() - start
        return stamps[progress["step"]] - validating_s(stamps, metrics_of(cfg)) > budget

    run_dir = train(cfg, callback=on_step)
    metrics = metrics_of(cfg)
    spent = validating_s(stamps, metrics)
    curve = [
        {
            "step": m["step"],
            "train_s": round(stamps[m["step"]] - validating_s(stamps, metrics, m["step"]), 1),
            "val_accuracy": m["val_accuracy"],
            "val_loss": m["val_loss"],
        }
        for m in metrics
        if "val_accuracy" in m
    ]
    resolved = DistillConfig.load(run_dir)
    print(
        f"data: {args.questions - args.held_out} training questions, {len(held)} held out; "
        f"threads {torch.get_num_threads()}"
    )
    warmup = (
        f"{resolved.warmup_steps} steps"
        if resolved.warmup_steps is not None
        else f"{resolved.warmup_ratio:.0%}"
    )
    print(
        f"student: offline default, preset {resolved.preset}: hidden {resolved.offline_hidden}, layers "
        f"{resolved.offline_layers}, lr {resolved.lr:g}, warm-up {warmup}, epochs "
        f"{resolved.epochs}, batch {resolved.batch_size} questions, LoRA r {resolved.lora_r} on "
        f"{','.join(resolved.lora_target_modules)} + {','.join(resolved.modules_to_save)}"
    )
    print("time to accuracy (training seconds from the cold start, validation excluded):")
    for c in curve:
        print(
            f"  {c['train_s']:7.1f} s  step {c['step']:5d}  held-out accuracy {c['val_accuracy']:.3f}  "
            f"loss {c['val_loss']:.3f}"
        )
    last = max(stamps)
    print(f"trained {last} steps in {stamps[last] - spent:.1f} s (+ {spent:.1f} s validating)")
    final = None
    if (run_dir / "adapter").is_dir():  # a run stopped by the budget saves no adapter
        run = StudentRun.from_pretrained(run_dir, merge=True, device="cpu")
        qs = [Question(q.id, q.task, q.question, q.options, q.gold_answer) for q in held]
        final = summarize(evaluate(run, qs, EvalConfig(questions="", max_new_tokens=args.max_new_tokens)))
        print(
            f"final (magdi.evaluate, greedy, kept step): accuracy {final['accuracy']:.3f} "
            f"({final['correct']}/{final['questions']}), answers parsed "
            f"{1 - final['unparseable_samples'] / final['samples']:.3f}"
        )
    else:
        print("final: the budget stopped the run before the end of its schedule (no adapter saved)")
    args.out.mkdir(parents=True, exist_ok=True)
    report = {
        "curve": curve,
        "final": final,
        "steps": last,
        "validating_s": spent,
        "config": resolved.to_dict(),
    }
    (args.out / "learn.json").write_text(json.dumps(report, indent=1, default=str), encoding="utf-8")
    plot(curve, args.out / "learn.html")
    print(f"written: {args.out / 'learn.html'}, {args.out / 'learn.json'}")
    return report


def metrics_of(cfg: DistillConfig) -> list[dict]:
    path = Path(cfg.output_dir) / "metrics.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def validating_s(stamps: dict[int, float], metrics: list[dict], before: int | None = None) -> float:
    """Seconds spent validating up to step `before` (all: None): a validated step's time beyond
    the median step time. The step at `before` itself counts, as its stamp comes after it."""
    times = sorted(b - a for k, b in stamps.items() if (a := stamps.get(k - 1)) is not None)
    typical = times[len(times) // 2] if times else 0.0
    out = 0.0
    for m in metrics:
        k = m["step"]
        if "val_loss" in m and k in stamps and (before is None or k <= before):
            out += max(0.0, stamps[k] - stamps.get(k - 1, 0.0) - typical)
    return out


if __name__ == "__main__":
    main()

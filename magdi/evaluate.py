"""Evaluate a student on questions (the teachers' side of the same questions: `magdi.consensus`).

    python -m magdi.evaluate CONFIG [--resume]      (YAML or JSON of `EvalConfig` fields)

The student is a finished run (`run_dir`), a Hugging Face base model (`model`) or, with neither,
the offline default (a random-init Llama; `student` holds its DistillConfig shape). Prompts are the
training prompt template (`magdi.chains.make_prompt`), so an evaluation asks what training taught.
Decoding is greedy, or sampling (temperature 0.7, top-p 0.9, top-k 50, the MAGDi settings) with
k samples per question for self-consistency.

Scoring. Each sample's answer is extracted as `magdi.answers.extract_answer` reads a generation
("the answer is …" first, then the task's fallback). The question's answer is the majority over the
parsed samples: unparseable samples do not vote, equal answers (symbolically for MATH) pool, and a
tie goes to the answer that the earliest sample gave. A question whose samples are all unparseable
has no answer and counts as wrong; its texts stay in the predictions.

Measures. `tokens` of a sample: its decoded text re-encoded by the student's tokenizer (EOS and
padding not counted; `magdi.generate.generate` returns texts, not ids). `latency_s`: the wall time
of the batch that produced the sample divided by the sequences in it (batched samples run at once,
so this is the amortised cost). Teacher tokens: every turn's reasoning and answer, counted with the
student's tokenizer, so the token-efficiency ratio compares like with like; without a tokenizer,
about 4 characters per token (the usual rule of thumb for English BPE vocabularies).

Outputs in `output_dir`: predictions.jsonl (a line per question, written batch by batch, so that
`--resume` skips what is there), summary.json (accuracy with a Wilson 95% interval, tokens,
latency) and progress.json ({step, total_steps, eta_s}, for the job worker). SIGTERM stops after
the current batch with exit status 143.
"""

from __future__ import annotations

import argparse
import json
import math
import signal
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import torch

from magdi.answers import answers_equal, extract_answer, group_equal, normalize_answer, values_equal
from magdi.benchmarks import Question, read_questions
from magdi.config import EvalConfig
from magdi.consensus import wilson
from magdi.formats import read_jsonl
from magdi.generate import generate, question_prompt
from magdi.mag import Discussion
from magdi.plumbing import no_progress_bars, stop_on_sigterm, write_json_atomic
from magdi.run import StudentRun

CHARS_PER_TOKEN = 4


# ---------------------------------------------------------------- scoring


@dataclass
class Sample:
    index: int
    text: str
    parsed: str | None  # canonical answer; None: unparseable
    correct: bool
    tokens: int
    latency_s: float


@dataclass
class Scored:
    """One question's evaluation: its samples and their self-consistency answer."""

    question: Question
    samples: list[Sample]
    answer: str | None
    correct: bool
    teacher_tokens: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.question.to_dict(),
            "answer": self.answer,
            "correct": self.correct,
            "teacher_tokens": self.teacher_tokens,
            "samples": [asdict(s) for s in self.samples],
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Scored:
        q = Question(d["id"], d["task"], d["question"], d.get("options"), d["gold_answer"])
        return cls(q, [Sample(**s) for s in d["samples"]], d["answer"], d["correct"], d.get("teacher_tokens"))


def majority_vote(task: str, answers: Iterable[str | None]) -> str | None:
    """The most frequent parsed answer; None abstains; a tie goes to the earliest answer given."""
    groups = group_equal(task, answers, lambda a: a)
    return max(groups, key=lambda g: len(g[1]))[0] if groups else None  # max keeps the first of ties


def score(q: Question, texts: list[str], tokenizer: Any, latency_s: float) -> Scored:
    gold = normalize_answer(q.task, q.gold_answer, q.options)
    samples = []
    for i, text in enumerate(texts):
        parsed = extract_answer(q.task, text, q.options)
        samples.append(
            Sample(
                i,
                text,
                parsed.value,
                answers_equal(q.task, parsed, gold),
                len(tokenizer.encode(text, add_special_tokens=False)),
                latency_s,
            )
        )
    answer = majority_vote(q.task, (s.parsed for s in samples))
    correct = values_equal(q.task, answer, gold.value)
    return Scored(q, samples, answer, correct)


def summarize(results: list[Scored]) -> dict[str, Any]:
    n, right = len(results), sum(r.correct for r in results)
    low, high = wilson(right, n)
    samples = [s for r in results for s in r.samples]
    both = [r for r in results if r.teacher_tokens is not None]
    student_on_both = sum(s.tokens for r in both for s in r.samples)
    return {
        "questions": n,
        "correct": right,
        "accuracy": right / n if n else 0.0,
        "ci_low": low,
        "ci_high": high,
        "samples": len(samples),
        "unparseable_samples": sum(s.parsed is None for s in samples),
        "unanswered_questions": sum(r.answer is None for r in results),
        "student_tokens": sum(s.tokens for s in samples),
        "teacher_tokens": sum(r.teacher_tokens for r in both) if both else None,
        "token_ratio": (sum(r.teacher_tokens for r in both) / student_on_both) if student_on_both else None,
        "mean_latency_s": sum(s.latency_s for s in samples) / len(samples) if samples else 0.0,
    }


def teacher_tokens(d: Discussion, tokenizer: Any | None = None) -> int:
    """Tokens the teachers generated for the question: each turn's reasoning and answer, with the
    given tokenizer, else ceil(characters / 4) per turn."""
    texts = [f"{t.reasoning} {t.answer}" for t in d.turns]
    if tokenizer is None:
        return sum(math.ceil(len(s) / CHARS_PER_TOKEN) for s in texts)
    return sum(len(tokenizer.encode(s, add_special_tokens=False)) for s in texts)


# ---------------------------------------------------------------- the student


def load_student(cfg: EvalConfig) -> StudentRun:
    """The trained run, or a base model (the offline default without `model`) with no adapter."""
    if cfg.run_dir:
        return StudentRun.from_pretrained(cfg.run_dir, merge=True, device=cfg.device)
    return StudentRun.from_base(cfg.model, student=cfg.student, device=cfg.device)


def describe(cfg: EvalConfig, run: StudentRun) -> dict[str, str]:
    """Model label and level as the Compare page shows them."""
    if cfg.run_dir:
        return {"model": cfg.label or f"run {Path(cfg.run_dir).name}", "level": run.config.level}
    return {"model": cfg.label or cfg.model or "offline default", "level": "base"}


def auto_batch_size(run: StudentRun, k: int, seq_len: int) -> int:
    """Questions per generate call: 8 sequences on CPU; on a GPU, what half the free memory holds
    of key/value cache (2 x layers x kv heads x head size x length per sequence), at most 64."""
    if run.device.type != "cuda":
        return max(1, 8 // k)
    c = run.model.config
    layers = getattr(c, "num_hidden_layers", None) or getattr(c, "n_layer", 32)
    heads = getattr(c, "num_attention_heads", None) or getattr(c, "n_head", 32)
    hidden = getattr(c, "hidden_size", None) or getattr(c, "n_embd", 4096)
    kv = getattr(c, "num_key_value_heads", None) or heads
    head_dim = getattr(c, "head_dim", None) or hidden // heads
    per_seq = 2 * layers * kv * head_dim * seq_len * next(run.model.parameters()).element_size()
    free, _ = torch.cuda.mem_get_info(run.device)
    return max(1, min(64, int(free * 0.5 // (per_seq * k))))


Progress = Callable[[int, int, float | None], None]


def evaluate(
    run: StudentRun,
    questions: list[Question],
    cfg: EvalConfig,
    *,
    teacher: dict[str, int] | None = None,
    on_batch: Callable[[list[Scored]], None] | None = None,
    on_progress: Progress | None = None,
    should_stop: Callable[[], bool] | None = None,
) -> list[Scored]:
    """Generate and score in batches; `on_progress(done, total, eta_s)` after each batch.

    `teacher` maps question ids to teacher tokens. Stops early (returning what is done) when
    `should_stop()` turns true between batches.
    """
    max_new = cfg.max_new_tokens or (600 if any(q.task == "math" for q in questions) else 300)
    prompts = [question_prompt(run, q.question, q.options, q.task) for q in questions]
    if cfg.batch_size:
        size = cfg.batch_size
    else:
        longest = max((len(run.tokenizer.encode(p)) for p in prompts), default=0)
        size = auto_batch_size(run, cfg.k, longest + max_new)
    out: list[Scored] = []
    started = time.monotonic()
    for b, i in enumerate(range(0, len(questions), size)):
        if should_stop is not None and should_stop():
            break
        t0 = time.perf_counter()
        texts = generate(
            run,
            prompts[i : i + size],
            max_new_tokens=max_new,
            do_sample=cfg.sampling,
            temperature=cfg.temperature,
            top_p=cfg.top_p,
            top_k=cfg.top_k,
            num_samples=cfg.k,
            batch_size=size,
            seed=cfg.seed + b,
        )
        latency = (time.perf_counter() - t0) / (len(texts) * cfg.k)
        batch = [score(q, t, run.tokenizer, latency) for q, t in zip(questions[i : i + size], texts)]
        for s in batch:
            s.teacher_tokens = (teacher or {}).get(s.question.id)
        out.extend(batch)
        if on_batch is not None:
            on_batch(batch)
        if on_progress is not None:
            elapsed = time.monotonic() - started
            on_progress(len(out), len(questions), elapsed / len(out) * (len(questions) - len(out)))
    return out


# ---------------------------------------------------------------- CLI


def read_predictions(path: Path) -> list[Scored]:
    """Complete lines of a predictions file (a line cut by a kill is dropped)."""
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(Scored.from_dict(json.loads(line)))
        except (json.JSONDecodeError, KeyError):
            break
    return out


def run(
    cfg: EvalConfig, *, resume: bool = False, should_stop: Callable[[], bool] | None = None
) -> dict | None:
    """Evaluate into cfg.output_dir; returns the summary, or None when stopped before the end."""
    out = Path(cfg.output_dir)
    out.mkdir(parents=True, exist_ok=True)
    questions = read_questions(cfg.questions, cfg.format, cfg.limit)  # type: ignore[arg-type]
    predictions = out / "predictions.jsonl"
    done = {s.question.id: s for s in read_predictions(predictions)} if resume else {}
    predictions.write_text(
        "".join(json.dumps(s.to_dict(), ensure_ascii=False) + "\n" for s in done.values()), encoding="utf-8"
    )  # rewritten without a torn last line
    student = load_student(cfg)
    todo = [q for q in questions if q.id not in done]
    teacher = {}
    if cfg.discussions:  # only the questions still to do are counted
        wanted = {q.id for q in todo}
        teacher = {
            d.id: teacher_tokens(d, student.tokenizer)
            for _, d, _ in read_jsonl(cfg.discussions)
            if d.id in wanted
        }
    total = len(questions)
    print(f"evaluating {len(todo)} of {total} questions ({len(done)} done before)", flush=True)

    def write(batch: list[Scored]) -> None:
        with open(predictions, "a", encoding="utf-8") as fh:
            fh.writelines(json.dumps(s.to_dict(), ensure_ascii=False) + "\n" for s in batch)

    def progress(n: int, _: int, eta: float | None) -> None:
        step = len(done) + n
        write_json_atomic(out / "progress.json", {"step": step, "total_steps": total, "eta_s": eta})
        print(f"questions {step}/{total} | eta {eta:.0f}s", flush=True)

    write_json_atomic(out / "progress.json", {"step": len(done), "total_steps": total, "eta_s": None})
    t0 = time.monotonic()
    fresh = evaluate(
        student, todo, cfg, teacher=teacher, on_batch=write, on_progress=progress, should_stop=should_stop
    )
    if len(fresh) < len(todo):
        return None
    by_id = {**done, **{s.question.id: s for s in fresh}}
    results = [by_id[q.id] for q in questions]
    summary = {
        **summarize(results),
        **describe(cfg, student),
        "decoding": "sampling" if cfg.sampling else "greedy",
        "k": cfg.k,
        "wall_s": time.monotonic() - t0,
        "device": str(student.device),
        "config": asdict(cfg),
    }
    write_json_atomic(out / "summary.json", summary)
    print(
        f"accuracy {summary['accuracy']:.3f} ({summary['correct']}/{summary['questions']}, "
        f"95% CI {summary['ci_low']:.3f}-{summary['ci_high']:.3f})",
        flush=True,
    )
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m magdi.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("config", help="YAML or JSON file of EvalConfig fields")
    parser.add_argument("--resume", action="store_true", help="keep predictions.jsonl and do the rest")
    args = parser.parse_args(argv)
    cfg = EvalConfig.from_file(args.config)
    no_progress_bars()
    with stop_on_sigterm() as stop:
        summary = run(cfg, resume=args.resume, should_stop=stop.is_set)
    if summary is None:
        print(
            f"stopped by SIGTERM; continue with: python -m magdi.evaluate {args.config} --resume", flush=True
        )
        return 128 + signal.SIGTERM
    return 0


if __name__ == "__main__":
    sys.exit(main())

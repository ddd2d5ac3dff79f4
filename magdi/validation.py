"""Held-out scores during training: validation loss and accuracy, the best step, the test loss.

Held-out next-token loss is measured on every correct chain of the held-out questions (their level-2
chains, whatever level trains), token-weighted over the set, with dropout off and no gradient, so
runs at different levels are compared on the same text. Validation accuracy answers the first
`val_questions` validation questions greedily and parses each answer as `magdi.evaluate` does.

The best step has the lowest validation loss, or, when accuracy is measured, the highest accuracy
(ties: the lower loss). Its trainable weights are kept in memory and in `best.pt` (a resumed run
reads them back); at the end `finish` loads them into the student, which the run then saves as its
adapter and heads, and writes `final_metrics.json`:
{"best_step", "last_step", "criterion", "val_loss", "val_accuracy", "test_loss", "validation_questions",
"test_questions"}.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import torch

from magdi.benchmarks import Question
from magdi.chains import build_example, encode_examples
from magdi.config import DistillConfig
from magdi.evaluate import score
from magdi.formats import read_jsonl
from magdi.generate import generate, question_prompt
from magdi.losses import IGNORE
from magdi.mag import Discussion
from magdi.model import DTYPES, MAGDiStudent, collate
from magdi.plumbing import replace_atomically, write_json_atomic
from magdi.run import StudentRun

BEST_NAME = "best.pt"
FINAL_NAME = "final_metrics.json"


def read_discussions(path: str | None) -> list[Discussion]:
    """The discussions of a held-out file; none when no file is named."""
    if not path:
        return []
    if not Path(path).is_file():
        raise FileNotFoundError(f"held-out data file not found: {path!r}")
    return [d for _, d, _ in read_jsonl(path)]


@contextmanager
def lm_only(student: MAGDiStudent) -> Iterator[MAGDiStudent]:
    """The student with its scorer and GCN detached, so that its forward computes the next-token
    loss alone (held-out batches have no pairs or graphs); they are put back afterwards."""
    heads = student.scorer, student.gcn
    student.scorer = student.gcn = None
    try:
        yield student
    finally:
        student.scorer, student.gcn = heads


class Validator:
    """Scores a student on held-out questions and keeps the best step (rank 0 only)."""

    def __init__(
        self,
        cfg: DistillConfig,
        validation: list[Discussion],
        test: list[Discussion],
        tokenizer: Any,
        device: torch.device,
    ) -> None:
        self.cfg, self.tokenizer, self.device = cfg, tokenizer, device
        self.validation = self._encode(validation)
        self.test = self._encode(test)
        self.questions = [
            Question(d.id, d.task, d.question, d.options, d.gold_answer)
            for d in validation[: cfg.val_questions]
        ]
        self.counts = {"validation": len(validation), "test": len(test)}
        self.best: dict[str, Any] | None = None

    @property
    def active(self) -> bool:
        return bool(self.validation or self.questions)

    def _encode(self, discussions: list[Discussion]) -> list:
        examples = [e for d in discussions if (e := build_example(self.cfg, d, "2")) is not None]
        return encode_examples(examples, self.tokenizer, self.cfg.max_length)[0]

    @contextmanager
    def _evaluating(self, student: MAGDiStudent) -> Iterator[None]:
        """Dropout off, no gradient, and the RNG untouched (a resumed run replays it exactly)."""
        was_training = student.training
        devices = [self.device] if self.device.type == "cuda" else []
        with torch.random.fork_rng(devices=devices), torch.no_grad():
            student.eval()
            try:
                yield
            finally:
                student.train(was_training)

    def loss(self, student: MAGDiStudent, items: list) -> float | None:
        """Token-weighted mean next-token loss over the items' correct chains; None without items."""
        if not items:
            return None
        autocast = torch.autocast(
            self.device.type, dtype=DTYPES[self.cfg.precision], enabled=self.cfg.precision != "fp32"
        )
        total, tokens = 0.0, 0
        with self._evaluating(student), lm_only(student):
            for i in range(0, len(items), self.cfg.batch_size):
                batch = collate(
                    items[i : i + self.cfg.batch_size], self.tokenizer.pad_token_id, self.cfg.mask_prompt
                )
                n = int((batch.labels[:, 1:] != IGNORE).sum())
                with autocast:
                    _, losses = student(batch.to(self.device))
                total, tokens = total + float(losses["ntp"]) * n, tokens + n
        return total / tokens if tokens else None

    def accuracy(self, student: MAGDiStudent) -> float | None:
        """Greedy accuracy on the first val_questions validation questions; None when there are none."""
        if not self.questions:
            return None
        run = StudentRun(model=student.lm, tokenizer=self.tokenizer, config=self.cfg, device=self.device)
        with self._evaluating(student):
            texts = generate(
                run,
                [question_prompt(run, q.question, q.options, q.task) for q in self.questions],
                max_new_tokens=self.cfg.val_max_new_tokens,
                batch_size=len(self.questions),
            )
        return sum(score(q, t, self.tokenizer, 0.0).correct for q, t in zip(self.questions, texts)) / len(
            texts
        )

    def __call__(self, student: MAGDiStudent, step: int, run_dir: Path) -> dict[str, float]:
        """Validate at `step`: {"val_loss"[, "val_accuracy"]} for the metrics line; a better step
        becomes the best one (in memory and in best.pt)."""
        record = {"val_loss": self.loss(student, self.validation)}
        accuracy = self.accuracy(student)
        if accuracy is not None:
            record["val_accuracy"] = accuracy
        if self.best is None or _better(record, self.best):
            self.best = {
                "step": step,
                **record,
                "trainable": {k: v.cpu() for k, v in student.trainable_state_dict().items()},
            }
            replace_atomically(run_dir / BEST_NAME, lambda tmp: torch.save(self.best, tmp))
        return record

    def restore(self, run_dir: Path, step: int) -> None:
        """On resume: the best step so far, unless it came after the checkpoint resumed from."""
        path = run_dir / BEST_NAME
        if path.exists():
            best = torch.load(path, map_location="cpu", weights_only=True)
            self.best = best if best["step"] <= step else None

    def finish(self, student: MAGDiStudent, run_dir: Path, last_step: int) -> dict[str, Any]:
        """Load the best step's weights into the student, measure the test loss, write final_metrics.json."""
        if self.best is not None and self.best["step"] != last_step:
            student.load_trainable_state_dict(
                {k: v.to(self.device) for k, v in self.best["trainable"].items()}
            )
        best = self.best or {}
        final = {
            "best_step": best.get("step", last_step),
            "last_step": last_step,
            "criterion": ("val_accuracy, then val_loss" if "val_accuracy" in best else "val_loss")
            if best
            else "last step",
            "val_loss": best.get("val_loss"),
            "val_accuracy": best.get("val_accuracy"),
            "test_loss": self.loss(student, self.test),
            "validation_questions": self.counts["validation"],
            "test_questions": self.counts["test"],
        }
        write_json_atomic(run_dir / FINAL_NAME, final)
        return final


def _better(new: dict[str, float], old: dict[str, Any]) -> bool:
    """Higher accuracy, else lower loss; when nothing tells the steps apart, the later one."""
    if "val_accuracy" in new and new["val_accuracy"] != old.get("val_accuracy"):
        return new["val_accuracy"] > old["val_accuracy"]
    if new["val_loss"] is None or old["val_loss"] is None:
        return True
    return new["val_loss"] < old["val_loss"]

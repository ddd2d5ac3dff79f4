"""The teachers' side of a question and the statistics a comparison needs: every agent's answer,
the last round's majority and ReConcile-weighted vote, and Wilson intervals. No torch here: the
Compare page reads these without loading a model."""

from __future__ import annotations

import math
from dataclasses import dataclass

from magdi.answers import label_answers, normalize_answer, values_equal
from magdi.mag import Discussion
from magdi.reconcile import vote


@dataclass(frozen=True)
class TeacherAnswer:
    agent: str
    round: int
    answer: str  # as the agent wrote it
    value: str | None  # canonical; None: unparseable
    confidence: float | None
    correct: bool  # the effective label when the turn has one (human corrections win)
    matches_gold: bool  # the answer against the gold answer, as votes and students are scored


@dataclass(frozen=True)
class Consensus:
    round: int | None  # the round voted on: the discussion's last
    majority: str | None
    weighted: str | None  # ReConcile's vote weighted by recalibrated confidences
    majority_correct: bool
    weighted_correct: bool


def teacher_answers(d: Discussion) -> list[TeacherAnswer]:
    """Every agent's answer in every round, in round then agent order."""
    order = {agent: i for i, agent in enumerate(d.agents)}
    turns = sorted(d.turns, key=lambda t: (t.round, order[t.agent]))
    labels = label_answers(d.task, [t.answer for t in turns], d.gold_answer, d.options)
    return [
        TeacherAnswer(
            t.agent,
            t.round,
            t.answer,
            value,
            t.confidence,
            correct if t.label is None else t.label == "correct",
            correct,
        )
        for t, (correct, value) in zip(turns, labels)
    ]


def consensus(d: Discussion) -> Consensus:
    """Majority and confidence-weighted vote over the last round's turns, as ReConcile decides."""
    if not d.turns:
        return Consensus(None, None, None, False, False)
    last = max(t.round for t in d.turns)
    v = vote(d.task, [t for t in d.turns if t.round == last], d.options)
    gold = normalize_answer(d.task, d.gold_answer, d.options)

    return Consensus(
        last,
        v.majority,
        v.weighted,
        values_equal(d.task, v.majority, gold.value),
        values_equal(d.task, v.weighted, gold.value),
    )


def wilson(correct: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson score interval of a proportion (95% with z = 1.96); (0, 0) when n is 0."""
    if n == 0:
        return 0.0, 0.0
    p = correct / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)

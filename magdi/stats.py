"""Statistics of a level ablation: accuracy over questions and seeds, and paired tests.

An experiment's outcome for one variant is a 0/1 matrix `scores[seed][question]` (every seed
evaluated on the same test questions). Pure Python, no torch: the Experiments page reads these.
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass

Scores = Sequence[Sequence[bool]]  # [seed][question], the same questions in every row


def mean(scores: Scores) -> float:
    """Accuracy over every (seed, question) pair; 0.0 when there is none."""
    n = sum(len(row) for row in scores)
    return sum(sum(row) for row in scores) / n if n else 0.0


def bootstrap_interval(
    scores: Scores, *, reps: int = 2000, level: float = 0.95, seed: int = 0
) -> tuple[float, float]:
    """Percentile interval of the accuracy, resampling questions and seeds (two-way bootstrap).

    Each replicate draws the questions with replacement and, independently, the seeds with
    replacement, and takes the mean over the drawn (seed, question) cells. The interval thus
    covers both the sampling of test questions and the training seed's variance; with one seed
    it is the plain bootstrap over questions. Deterministic for a given `seed`.
    """
    rows = [list(map(bool, r)) for r in scores]
    if not rows or not rows[0]:
        return 0.0, 0.0
    n_q = len(rows[0])
    if any(len(r) != n_q for r in rows):
        raise ValueError("every seed must be scored on the same questions")
    rng = random.Random(seed)
    # per-question correct counts over a seed draw, then questions drawn: sum/len
    estimates = []
    for _ in range(reps):
        drawn = [rows[rng.randrange(len(rows))] for _ in rows]
        per_q = [sum(r[q] for r in drawn) for q in range(n_q)]
        total = sum(per_q[rng.randrange(n_q)] for _ in range(n_q))
        estimates.append(total / (n_q * len(drawn)))
    estimates.sort()
    tail = (1 - level) / 2
    return estimates[int(tail * (reps - 1))], estimates[math.ceil((1 - tail) * (reps - 1))]


@dataclass(frozen=True)
class Paired:
    """A paired comparison of variant B against variant A on the same (seed, question) cells."""

    pairs: int
    a_only: int  # A right, B wrong
    b_only: int  # B right, A wrong
    difference: float  # accuracy of B minus accuracy of A
    p_value: float  # McNemar's exact test (two-sided)
    ci_low: float  # paired bootstrap interval of the difference (resampling questions)
    ci_high: float


def mcnemar_exact(a_only: int, b_only: int) -> float:
    """Two-sided p-value of McNemar's exact test: the discordant pairs under H0 are
    Binomial(a_only + b_only, 1/2); the p-value is twice the smaller tail, at most 1."""
    n = a_only + b_only
    if n == 0:
        return 1.0
    k = min(a_only, b_only)
    tail = sum(math.comb(n, i) for i in range(k + 1)) / 2**n
    return min(1.0, 2 * tail)


def paired(a: Scores, b: Scores, *, reps: int = 2000, seed: int = 0) -> Paired:
    """Compare B with A, pairing each (seed, question) cell of A with the same cell of B.

    Seeds pair by position (the same training seed of both variants). McNemar's test counts
    every (seed, question) pair as one; the bootstrap resamples questions, keeping each
    question's seeds together, so its interval respects that a question's seeds are related.
    """
    if len(a) != len(b) or any(len(x) != len(y) for x, y in zip(a, b)):
        raise ValueError("paired variants need the same seeds and questions")
    cells = [(bool(x), bool(y)) for ra, rb in zip(a, b) for x, y in zip(ra, rb)]
    a_only = sum(x and not y for x, y in cells)
    b_only = sum(y and not x for x, y in cells)
    n_q = len(a[0]) if a else 0
    diff = (b_only - a_only) / len(cells) if cells else 0.0
    if not n_q:
        return Paired(0, 0, 0, 0.0, 1.0, 0.0, 0.0)
    per_q = [sum(int(rb[q]) - int(ra[q]) for ra, rb in zip(a, b)) for q in range(n_q)]
    rng = random.Random(seed)
    estimates = sorted(sum(per_q[rng.randrange(n_q)] for _ in range(n_q)) / len(cells) for _ in range(reps))
    return Paired(
        len(cells),
        a_only,
        b_only,
        diff,
        mcnemar_exact(a_only, b_only),
        estimates[int(0.025 * (reps - 1))],
        estimates[math.ceil(0.975 * (reps - 1))],
    )

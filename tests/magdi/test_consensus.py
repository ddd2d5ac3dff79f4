"""The teachers' side of a question: every agent's answer, the last round's votes, Wilson intervals."""

from __future__ import annotations

import numpy as np
import pytest

from magdi.consensus import Consensus, consensus, teacher_answers, wilson
from magdi.mag import Discussion, Turn
from tests.utils.toy_mags import penguins


def _wilson_by_roots(x: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The interval's ends are where (p̂ - p)² = z² p (1 - p) / n: a quadratic in p."""
    phat = x / n
    roots = np.roots([1 + z * z / n, -(2 * phat + z * z / n), phat * phat])
    return float(min(roots.real)), float(max(roots.real))


@pytest.mark.parametrize("x, n", [(8, 10), (1, 40), (37, 50), (5, 5)])
def test_wilson_interval(x, n):
    assert wilson(x, n) == pytest.approx(_wilson_by_roots(x, n), abs=1e-9)


def test_wilson_published_value():
    assert wilson(8, 10) == pytest.approx((0.4902, 0.9433), abs=5e-4)  # a textbook example
    assert wilson(0, 0) == (0.0, 0.0)


def test_teacher_answers_per_round():
    """Values are normalised (None: unparseable); a human label wins over the automatic one."""
    got = [(t.agent, t.round, t.value, t.correct) for t in teacher_answers(penguins())]
    assert got == [
        ("a", 0, "yes", False),
        ("b", 0, "no", False),
        ("c", 0, None, False),
        ("a", 1, "yes", False),
        ("b", 1, "yes", False),
        ("c", 1, "no", True),
    ]


def test_consensus_majority_and_confidence_weighted():
    c = consensus(penguins())  # last round: yes (0.6 -> 0.1, 0.5 -> 0.1) vs no (1.0 -> 1.0)
    assert (c.round, c.majority, c.weighted) == (1, "yes", "no")
    assert (c.majority_correct, c.weighted_correct) == (False, True)


def test_only_the_last_round_votes():
    """Round 0 was all wrong; the last round, where c no longer speaks, decides."""
    d = Discussion(
        "d2",
        "gsm8k",
        "What is 6 + 7?",
        "13",
        [
            Turn("a", 0, "", "12", 0.9),
            Turn("b", 0, "", "12", 0.9),
            Turn("c", 0, "", "12", 0.9),
            Turn("a", 1, "", "13", 0.8),
            Turn("b", 1, "", "$13.00", 0.6),
        ],
    )
    assert consensus(d) == Consensus(1, "13", "13", True, True)


def test_equal_math_answers_vote_together():
    d = Discussion(
        "d3",
        "math",
        "Half of 1?",
        "1/2",
        [Turn("a", 0, "", "2", 1.0), Turn("b", 0, "", "0.5", 0.5), Turn("c", 0, "", "\\frac{1}{2}", 0.5)],
    )
    c = consensus(d)
    assert c.majority == "0.5" and c.majority_correct  # 0.5 and 1/2 are one answer, given first as 0.5
    assert c.weighted == "2" and not c.weighted_correct  # confidence 1.0 outweighs two of 0.5


def test_a_discussion_without_turns_has_no_consensus():
    assert consensus(Discussion("d4", "gsm8k", "?", "1", [])) == Consensus(None, None, None, False, False)


def test_teacher_answers_come_in_round_then_agent_order():
    d = penguins()
    d.turns.reverse()  # c speaks first now, then b, then a
    assert [(t.agent, t.round) for t in teacher_answers(d)] == [
        ("c", 0),
        ("b", 0),
        ("a", 0),
        ("c", 1),
        ("b", 1),
        ("a", 1),
    ]

"""magdi.stats: McNemar's exact test against scipy's binomial test and a hand-worked case; the
bootstrap intervals on cases whose answer is known."""

from __future__ import annotations

import pytest

from magdi import stats


@pytest.mark.parametrize("a_only,b_only", [(0, 0), (1, 0), (3, 3), (2, 9), (12, 5), (0, 25)])
def test_mcnemar_exact_equals_scipys_binomial_test(a_only, b_only):
    binomtest = pytest.importorskip("scipy.stats").binomtest
    expected = 1.0 if a_only + b_only == 0 else binomtest(a_only, a_only + b_only, 0.5).pvalue
    assert stats.mcnemar_exact(a_only, b_only) == pytest.approx(expected, rel=1e-12)


def test_mcnemar_exact_by_hand():
    # 1 vs 5 discordant pairs: P(X <= 1) for X ~ Bin(6, 1/2) is (1 + 6) / 64, doubled
    assert stats.mcnemar_exact(1, 5) == pytest.approx(14 / 64)


def test_paired_counts_discordant_cells_per_seed_and_question():
    a = [[1, 1, 0, 0], [1, 0, 0, 1]]
    b = [[1, 0, 1, 1], [1, 1, 1, 1]]
    p = stats.paired(a, b)
    assert (p.pairs, p.a_only, p.b_only) == (8, 1, 4)
    assert p.difference == pytest.approx(3 / 8)
    assert p.p_value == pytest.approx(stats.mcnemar_exact(1, 4))
    assert p.ci_low <= p.difference <= p.ci_high


def test_paired_refuses_unmatched_cells():
    with pytest.raises(ValueError, match="same seeds and questions"):
        stats.paired([[1, 0]], [[1, 0, 1]])


def test_bootstrap_interval_brackets_the_mean_and_collapses_when_no_variance():
    scores = [[1, 0, 1, 1, 0, 1, 1, 0] * 5, [0, 0, 1, 1, 0, 1, 0, 0] * 5]
    low, high = stats.bootstrap_interval(scores)
    assert low < stats.mean(scores) < high and 0 < low and high < 1
    assert stats.bootstrap_interval(scores) == (low, high)  # deterministic for a seed
    assert stats.bootstrap_interval([[1] * 10, [1] * 10]) == (1.0, 1.0)
    # two seeds that disagree completely: the seed draw alone spans [0, 1]
    assert stats.bootstrap_interval([[1] * 10, [0] * 10]) == (0.0, 1.0)


def test_bootstrap_interval_refuses_ragged_scores():
    with pytest.raises(ValueError, match="same questions"):
        stats.bootstrap_interval([[1, 0], [1]])

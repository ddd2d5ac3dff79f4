"""Agreement coefficients against independent computations: NLTK's AnnotationTask and hand-worked
examples (the arithmetic is in the comments)."""

from __future__ import annotations

import random

import pytest
from nltk.metrics.agreement import AnnotationTask

from magdi.agreement import (
    Agreement,
    agreement_with,
    alpha,
    cohen_kappa,
    confusion,
    pairwise_kappa,
    ratings,
)

C, X = "correct", "incorrect"


def nltk_task(triples) -> AnnotationTask:
    return AnnotationTask(data=[(coder, unit, value) for unit, coder, value in triples])


def random_triples(seed: int, coders: int = 4, units: int = 30) -> list:
    rng = random.Random(seed)
    out = []
    for u in range(units):
        truth = rng.random() < 0.6
        for c in range(coders):
            if rng.random() < 0.7:  # a coder skips some units
                right = rng.random() < 0.8
                out.append((u, f"coder{c}", C if truth == right else X))
    return out


@pytest.mark.parametrize("seed", range(5))
def test_alpha_and_kappa_equal_nltk(seed):
    triples = random_triples(seed)
    assert alpha(triples) == pytest.approx(nltk_task(triples).alpha())
    pairs = pairwise_kappa(triples)
    assert len(pairs) == 6  # 4 coders: 4 * 3 / 2 pairs
    for p in pairs:
        # NLTK's kappa wants both coders on every unit: its task holds the pair's common units only
        a = {u: v for u, c, v in triples if c == p.a}
        b = {u: v for u, c, v in triples if c == p.b}
        common = [(u, k, v) for u, k, v in triples if k in (p.a, p.b) and u in a and u in b]
        assert p.agreement.n == len(common) // 2
        assert p.agreement.kappa == pytest.approx(nltk_task(common).kappa_pairwise(p.a, p.b))


def test_two_coders_by_hand():
    # A: c c i i; B: c i i i.
    # kappa: p_o = 3/4; marginals A (c 2, i 2), B (c 1, i 3): p_e = (2*1 + 2*3) / 4^2 = 1/2;
    #   kappa = (3/4 - 1/2) / (1 - 1/2) = 1/2.
    # alpha: coincidences (each unit holds 2 values: every ordered pair weighs 1/(2-1) = 1):
    #   o_cc = 2 (u1), o_ci = o_ic = 1 (u2), o_ii = 4 (u3, u4); n_c = 3, n_i = 5, n = 8;
    #   D_o = (o_ci + o_ic) / n = 2/8; D_e = 2 n_c n_i / (n (n - 1)) = 30/56;
    #   alpha = 1 - (2/8) / (30/56) = 1 - 112/240 = 8/15.
    t = [(1, "A", C), (2, "A", C), (3, "A", X), (4, "A", X)]
    t += [(1, "B", C), (2, "B", X), (3, "B", X), (4, "B", X)]
    assert alpha(t) == pytest.approx(8 / 15)
    [p] = pairwise_kappa(t)
    assert (p.a, p.b) == ("A", "B")
    assert p.agreement == Agreement(4, 0.75, pytest.approx(0.5))


def test_three_coders_with_gaps_by_hand():
    # u1: A c, B c, C c; u2: A c, B i; u3: A i, C i; u4: B c (alone: not pairable).
    # alpha: u1 has 3 values, its 6 ordered pairs weigh 1/(3-1): o_cc = 3; u2: o_ci = o_ic = 1;
    #   u3: o_ii = 2; pairable values n = 7, n_c = 4, n_i = 3;
    #   D_o = 2/7; D_e = 2 * 4 * 3 / (7 * 6) = 4/7; alpha = 1 - (2/7) / (4/7) = 1/2.
    # kappa A-B on u1, u2: p_o = 1/2; A (c 2), B (c 1, i 1): p_e = 2*1 / 4 = 1/2; kappa = 0.
    # kappa A-C on u1, u3: p_o = 1; p_e = (1*1 + 1*1) / 4 = 1/2; kappa = 1.
    # kappa B-C on u1 only: both c, p_e = 1: undefined (None), p_o = 1.
    t = [(1, "A", C), (1, "B", C), (1, "C", C), (2, "A", C), (2, "B", X), (3, "A", X), (3, "C", X)]
    t.append((4, "B", C))
    assert alpha(t) == pytest.approx(0.5)
    kappas = {(p.a, p.b): p.agreement for p in pairwise_kappa(t)}
    assert kappas == {
        ("A", "B"): Agreement(2, 0.5, 0.0),
        ("A", "C"): Agreement(2, 1.0, 1.0),
        ("B", "C"): Agreement(1, 1.0, None),
    }


def test_unsure_and_withdrawn_are_not_values():
    t = [(1, "A", C), (1, "B", X), (2, "A", X), (2, "B", X)]
    noisy = t + [(3, "A", "unsure"), (3, "B", C), (4, "A", "withdrawn"), (4, "B", X)]
    assert ratings(noisy) == t + [(3, "B", C), (4, "B", X)]
    assert alpha(noisy) == alpha(t)
    assert pairwise_kappa(noisy) == pairwise_kappa(t)


def test_a_coder_twice_on_a_unit_is_an_error():
    with pytest.raises(ValueError, match="twice"):
        alpha([(1, "A", C), (1, "A", X), (1, "B", C)])


def test_edge_cases():
    # One annotator: no unit has two values, nothing to compare: alpha None, no pairs.
    assert alpha([(1, "A", C), (2, "A", X)]) is None
    assert pairwise_kappa([(1, "A", C), (2, "A", X)]) == []
    # No overlap: two coders, never on the same unit: alpha None, their kappa on 0 units None.
    t = [(1, "A", C), (2, "B", X)]
    assert alpha(t) is None
    assert [p.agreement for p in pairwise_kappa(t)] == [Agreement(0, None, None)]
    # Perfect agreement over both values: alpha = 1 (D_o = 0), kappa = (1 - 1/2) / (1 - 1/2) = 1.
    t = [(1, "A", C), (1, "B", C), (2, "A", X), (2, "B", X)]
    assert alpha(t) == pytest.approx(1.0)
    assert pairwise_kappa(t)[0].agreement == Agreement(2, 1.0, 1.0)
    # Perfect agreement on one value only: chance agreement is total (D_e = 0, p_e = 1), so the
    # coefficients are undefined: None (NLTK says 1 by convention); the observed share says 100%.
    t = [(1, "A", C), (1, "B", C), (2, "A", C), (2, "B", C)]
    assert alpha(t) is None and nltk_task(t).alpha() == 1
    assert pairwise_kappa(t)[0].agreement == Agreement(2, 1.0, None)
    assert alpha([]) is None


def test_agreement_with_a_reference_and_confusion():
    # Reference (e.g. the consensus) u1 c, u2 i, u3 i. A on u1..u3: c c i -> p_o = 2/3;
    #   A (c 2, i 1), ref (c 1, i 2): p_e = (2*1 + 1*2) / 9 = 4/9; kappa = (2/3 - 4/9) / (5/9) = 2/5.
    # B only on u1 (c): p_o = 1, p_e = 1: kappa None.
    ref = {1: C, 2: X, 3: X}
    t = [(1, "A", C), (2, "A", C), (3, "A", X), (1, "B", C), (9, "B", X)]
    got = agreement_with(t, ref)
    assert got["A"] == Agreement(3, pytest.approx(2 / 3), pytest.approx(0.4))
    assert got["B"] == Agreement(1, 1.0, None)
    # Confusion automatic (rows) vs human: u1 c/c, u2 c/i, u3 i/i; u4 has no human label.
    m = confusion({1: C, 2: C, 3: X, 4: C}, ref)
    assert m.counts == {(C, C): 1, (C, X): 1, (X, C): 0, (X, X): 1}
    assert m.n == 3 and m.agreement == cohen_kappa({1: C, 2: C, 3: X}, ref)

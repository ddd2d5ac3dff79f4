import pytest

from magdi.mag import Discussion, MAGError, Turn


def _d(turns):
    return Discussion(id="x", task="t", question="q", gold_answer="g", turns=turns)


def test_default_edges_follow_reconcile_and_skip_absent_turns():
    d = _d(
        [
            Turn("a", 0, "", "1"),
            Turn("b", 0, "", "2"),
            Turn("c", 0, "", "3"),
            Turn("a", 1, "", "1"),
            Turn("b", 1, "", "1"),
            Turn("a", 2, "", "1"),
        ]
    )
    edges = set(d.edges())
    assert {(s, ("a", 1)) for s in [("a", 0), ("b", 0), ("c", 0)]} <= edges
    assert edges >= {(("a", 1), ("a", 2)), (("b", 1), ("a", 2))}
    assert len(edges) == 3 + 3 + 2  # no placeholder for the absent (c, 1)
    assert not any(dst[1] == 0 for _, dst in edges)


def test_explicit_responds_to_overrides_default():
    d = _d([Turn("a", 0, "", "1"), Turn("b", 0, "", "2"), Turn("a", 1, "", "1", responds_to=[("b", 0)])])
    assert d.edges() == [(("b", 0), ("a", 1))]
    g = d.graph()
    assert list(g.predecessors(("a", 1))) == [("b", 0)]


@pytest.mark.parametrize(
    "turns, message",
    [
        ([Turn("a", 0, "", "1"), Turn("a", 0, "", "2")], "duplicate turn"),
        ([Turn("a", 0, "", "1", responds_to=[("b", 0)])], "missing turn"),
        ([Turn("a", 0, "", "1"), Turn("b", 0, "", "1", responds_to=[("a", 0)])], "earlier round"),
        ([Turn("a", 1, "", "1"), Turn("b", 0, "", "1", responds_to=[("a", 1)])], "earlier round"),
    ],
)
def test_invalid_mags_are_rejected(turns, message):
    with pytest.raises(MAGError, match=message):
        _d(turns).validate()


def test_edge_indices_number_the_edges_and_order_each_targets_sources():
    d = _d(
        [
            Turn("a", 0, "", "1"),
            Turn("b", 0, "", "2"),
            Turn("c", 0, "", "3"),
            Turn("b", 1, "", "1", responds_to=[("c", 0), ("a", 0)]),
            Turn("a", 1, "", "1"),
            Turn("a", 2, "", "1"),
        ]
    )
    assert d.edge_indices() == [(3, 0, 2), (3, 1, 0), (4, 0, 0), (4, 1, 1), (4, 2, 2), (5, 0, 3), (5, 1, 4)]
    keys = [t.key for t in d.turns]
    assert d.edges() == [(keys[s], keys[t]) for t, _, s in d.edge_indices()]

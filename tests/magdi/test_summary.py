"""Summary columns and review flags that browse filters and the review queue rely on."""

from hypothesis import given
from hypothesis import strategies as st

from magdi.mag import Discussion, Turn
from magdi.summary import (
    CONFIDENT,
    DiscussionSummary,
    Node,
    auto_nodes,
    needs_review,
    prepare,
    review_reasons,
    summarize_discussion,
)


def _node(agent, rnd, answer, correct, confidence=None, human=None):
    return Node(agent, rnd, answer, confidence, correct, human)


def test_summary_of_a_discussion_that_converges_on_the_right_answer():
    nodes = [
        _node("a", 0, "18", True),
        _node("b", 0, "20", False),
        _node("c", 0, None, False),
        _node("a", 1, "18", True),
        _node("b", 1, "18", True),
        _node("c", 1, "18", True),
    ]
    summary, review = summarize_discussion(nodes)
    assert summary == DiscussionSummary(
        n_turns=6,
        n_agents=3,
        n_rounds=2,
        majority_correct=True,
        round0_disagree=True,
        consensus_round=1,
        flip_right_wrong=False,
        flip_wrong_right=True,
        n_human=0,
        n_review=1,
        n_correct=4,
    )
    assert review == [False, False, True, False, False, False]  # only the unparseable answer


def test_tied_final_round_has_no_majority_and_is_reviewed():
    nodes = [
        _node("a", 0, "1", True),
        _node("b", 0, "1", True),
        _node("a", 1, "1", True),
        _node("b", 1, "2", False),
    ]
    summary, review = summarize_discussion(nodes)
    assert summary.majority_correct is None and summary.consensus_round == 0
    assert summary.flip_right_wrong and not summary.flip_wrong_right
    assert review == [False, False, True, True]  # the last round is split


def test_human_labels_count_and_silence_review():
    nodes = [
        _node("a", 0, "7", False, confidence=0.95),
        _node("b", 0, "7", False, 0.95, human=True),
        _node("a", 1, "7", False),
        _node("b", 2, "7", False),
    ]  # b skipped round 1
    summary, review = summarize_discussion(nodes)
    assert review == [True, False, False, False]  # confident but wrong, unless a human said so
    assert summary.n_human == 1 and summary.n_correct == 1 and summary.n_rounds == 3
    assert summary.majority_correct is False and summary.flip_right_wrong


nodes_strategy = st.lists(
    st.builds(
        Node,
        agent=st.sampled_from("abc"),
        round=st.integers(0, 3),
        answer_norm=st.sampled_from(["1", "2", None]),
        confidence=st.none() | st.sampled_from([0.2, CONFIDENT, 1.0]),
        auto_label=st.booleans(),
        human_label=st.none() | st.booleans(),
    ),
    min_size=1,
    max_size=12,
    unique_by=lambda n: (n.agent, n.round),
)


@given(nodes_strategy)
def test_review_flags_follow_review_reasons(nodes):
    summary, review = summarize_discussion(nodes)
    last = max(n.round for n in nodes)
    last_split = len({n.answer_norm for n in nodes if n.round == last}) > 1
    for node, flagged in zip(nodes, review):
        reasons = review_reasons(node, node.round == last and last_split)
        assert flagged == needs_review(node, node.round == last and last_split)
        assert flagged == (node.human_label is None and bool(set(reasons) - {"human_disagrees"}))
    assert summary.n_review == sum(review)
    assert summary.n_correct == sum(n.label for n in nodes)
    assert summary.n_agents == len({n.agent for n in nodes})


def test_prepare_labels_turns_and_numbers_edges():
    d = Discussion(
        id="x",
        task="gsm8k",
        question="q",
        gold_answer="18",
        turns=[
            Turn("a", 0, "", "18.0"),
            Turn("b", 0, "", "$20", label="correct", label_source="human"),
            Turn("a", 1, "", "18 eggs"),
        ],
    )
    p = prepare(d)
    assert [(n.answer_norm, n.auto_label, n.human_label) for n in p.nodes] == [
        ("18", True, None),
        ("20", False, True),
        ("18", True, None),
    ]
    assert p.nodes == auto_nodes(d)
    assert p.edges == [(2, 0, 0), (2, 1, 1)]

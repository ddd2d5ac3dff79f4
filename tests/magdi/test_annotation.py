"""The consensus rule and the effective label's precedence, on hand-worked cases."""

import pytest

from magdi.annotation import consensus_min, effective_label, human_consensus, human_label


@pytest.mark.parametrize(
    ("values", "k", "expected"),
    [
        (["correct", "correct", "incorrect"], 1, True),  # 2-1 majority
        (["incorrect", "correct", "incorrect"], 3, False),  # 2-1 majority, exactly k responses
        (["correct", "incorrect"], 1, None),  # a tie waits for an adjudicator
        (["correct", "incorrect", "unsure", "unsure"], 1, None),  # unsure does not break it
        (["correct", "unsure", "unsure"], 1, True),  # unsure is not counted against
        (["correct", "unsure", "withdrawn"], 2, None),  # one counted response, k = 2
        (["correct", "correct"], 2, True),
        (["correct", "correct"], 3, None),  # too few for k = 3
        ([], 1, None),
        (["incorrect"], 1, False),  # one annotator decides when k = 1 (a store with one annotator)
    ],
)
def test_consensus_is_a_strict_majority_of_at_least_k_counted_responses(values, k, expected):
    assert human_consensus(values, k) is expected


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="min_responses must be >= 1"):
        human_consensus(["correct"], 0)
    with pytest.raises(ValueError, match="unknown response value"):
        human_consensus(["yes"], 1)


@pytest.mark.parametrize(
    ("adjudicated", "consensus", "auto", "expected"),
    [
        (False, True, True, False),  # the adjudication wins over both
        (True, False, False, True),
        (None, False, True, False),  # then the consensus
        (None, True, False, True),
        (None, None, True, True),  # then the automatic label
        (None, None, False, False),
    ],
)
def test_adjudication_then_consensus_then_automatic(adjudicated, consensus, auto, expected):
    assert effective_label(adjudicated, consensus, auto) is expected


def test_k_comes_from_the_environment():
    assert consensus_min({}) == 1
    assert consensus_min({"MAGDI_CONSENSUS_MIN": " 2 "}) == 2
    for bad in ("0", "two"):
        with pytest.raises(ValueError, match="MAGDI_CONSENSUS_MIN"):
            consensus_min({"MAGDI_CONSENSUS_MIN": bad})


@pytest.mark.parametrize(
    ("adjudicated", "consensus", "expected"),
    [(None, None, None), (None, True, True), (False, True, False), (True, None, True)],
)
def test_the_human_label_is_the_adjudication_else_the_consensus(adjudicated, consensus, expected):
    assert human_label(adjudicated, consensus) is expected

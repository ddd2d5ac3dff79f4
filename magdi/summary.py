"""Facts derived from a labelled MAG: automatic labels, review reasons and discussion summaries.

These are pure functions over plain node records so that the store can recompute them after a
label edit without rebuilding a `Discussion`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields
from operator import attrgetter

from magdi.answers import label_answers
from magdi.mag import Discussion

CONFIDENT = 0.9  # "high confidence but wrong" threshold of the review queue


@dataclass(slots=True)
class Node:
    agent: str
    round: int
    answer_norm: str | None
    confidence: float | None
    auto_label: bool
    human_label: bool | None = None

    @property
    def label(self) -> bool:
        return self.auto_label if self.human_label is None else self.human_label


def auto_nodes(d: Discussion) -> list[Node]:
    """Normalise every answer of `d` and label it against the gold answer."""
    labels = label_answers(d.task, [t.answer for t in d.turns], d.gold_answer, d.options)
    return [
        Node(
            t.agent,
            t.round,
            value,
            t.confidence,
            correct,
            t.label == "correct" if t.label_source == "human" and t.label is not None else None,
        )
        for t, (correct, value) in zip(d.turns, labels)
    ]


def _column(default: bool | int | None, text: str, indexed: bool = False):
    return field(default=default, metadata={"help": text, "indexed": indexed})


@dataclass(frozen=True, slots=True)
class DiscussionSummary:
    """The summary columns of a discussion, declared once: `db.models.SummaryColumns` and the bulk
    import derive their columns from these fields (`indexed`: browse filters compare it)."""

    n_turns: int = _column(0, "Turns (MAG nodes).")
    n_agents: int = _column(0, "Agents that answered.")
    n_rounds: int = _column(0, "Rounds.")
    majority_correct: bool | None = _column(
        None, "The last round's majority answer is right; None: no parsed answer, or a tie.", indexed=True
    )
    round0_disagree: bool = _column(False, "Round 0 gave more than one answer.", indexed=True)
    consensus_round: int | None = _column(
        None, "First round whose parsed answers all agree; None: never.", indexed=True
    )
    flip_right_wrong: bool = _column(False, "Some agent went from right to wrong.", indexed=True)
    flip_wrong_right: bool = _column(False, "Some agent went from wrong to right.", indexed=True)
    n_human: int = _column(0, "Turns with a human label.", indexed=True)
    n_review: int = _column(0, "Turns waiting for review.", indexed=True)
    n_correct: int = _column(0, "Turns whose effective label is correct.")

    def values(self) -> tuple:
        """The column values in `SUMMARY_COLUMNS` order."""
        return _summary_values(self)

    def to_dict(self) -> dict[str, bool | int | None]:
        return dict(zip(SUMMARY_COLUMNS, self.values()))


SUMMARY_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(DiscussionSummary))
_summary_values = attrgetter(*SUMMARY_COLUMNS)


@dataclass
class Prepared:
    """Everything the store derives from a discussion at import time."""

    nodes: list[Node]
    summary: DiscussionSummary
    review: list[bool]
    edges: list[tuple[int, int, int]]  # (target turn index, position, source turn index)


def prepare(d: Discussion) -> Prepared:
    nodes = auto_nodes(d)
    summary, review = summarize_discussion(nodes)
    return Prepared(nodes, summary, review, d.edge_indices())


def split_rounds(nodes: list[Node]) -> set[int]:
    """Rounds in which the agents gave more than one (parsed) answer."""
    answers: dict[int, set] = {}
    for n in nodes:
        answers.setdefault(n.round, set()).add(n.answer_norm)
    return {r for r, a in answers.items() if len(a) > 1}


def review_reasons(node: Node, last_round_split: bool) -> list[str]:
    reasons = []
    if node.answer_norm is None:
        reasons.append("unparseable")
    if node.human_label is not None and node.human_label != node.auto_label:
        reasons.append("human_disagrees")
    if node.confidence is not None and node.confidence >= CONFIDENT and not node.label:
        reasons.append("confident_wrong")
    if last_round_split:
        reasons.append("split_last_round")
    return reasons


def needs_review(node: Node, last_round_split: bool) -> bool:
    """A node waits for review when something looks off and no human has labelled it yet."""
    if node.human_label is not None:
        return False
    return any(r != "human_disagrees" for r in review_reasons(node, last_round_split))


def summarize_discussion(nodes: list[Node]) -> tuple[DiscussionSummary, list[bool]]:
    """The summary of a discussion, and the needs-review flag of each node."""
    by_round: dict[int, list[Node]] = {}
    for n in nodes:
        by_round.setdefault(n.round, []).append(n)
    rounds = sorted(by_round)
    split = split_rounds(nodes)
    last = rounds[-1]
    review = [needs_review(n, n.round == last and last in split) for n in nodes]

    final = [n for n in by_round[last] if n.answer_norm is not None]
    votes = Counter(n.answer_norm for n in final).most_common(2)
    majority_correct = None
    if votes and (len(votes) == 1 or votes[0][1] > votes[1][1]):
        group = [n.label for n in final if n.answer_norm == votes[0][0]]
        majority_correct = sum(group) * 2 > len(group)

    consensus = next(
        (r for r in rounds if r not in split and all(n.answer_norm is not None for n in by_round[r])), None
    )
    flips = set()
    previous: dict[str, bool] = {}  # agent -> label of its latest turn so far
    for r in rounds:
        for n in by_round[r]:
            label = n.label
            before = previous.get(n.agent)
            if before is not None and before != label:
                flips.add("right_wrong" if before else "wrong_right")
            previous[n.agent] = label
    summary = DiscussionSummary(
        n_turns=len(nodes),
        n_agents=len(previous),
        n_rounds=len(rounds),
        majority_correct=majority_correct,
        round0_disagree=0 in split,
        consensus_round=consensus,
        flip_right_wrong="right_wrong" in flips,
        flip_wrong_right="wrong_right" in flips,
        n_human=sum(n.human_label is not None for n in nodes),
        n_review=sum(review),
        n_correct=sum(n.label for n in nodes),
    )
    return summary, review

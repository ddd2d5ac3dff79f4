"""One MAG as the MAG page shows it: its nodes (with review reasons and answer flips) and edges.

No Streamlit here; the views are plain dataclasses, and their text is returned unescaped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from db import discussions, mag_view, predictions
from db.engine import session_scope
from magdi.summary import SUMMARY_COLUMNS, Node, review_reasons, split_rounds


@dataclass
class NodeView:
    id: int
    agent: str
    round: int
    reasoning: str
    answer: str
    answer_norm: str | None
    confidence: float | None
    auto_label: bool
    human_label: bool | None
    excluded: bool
    needs_review: bool  # waits for review: flagged by the rules or suggested by the classifier
    version: int
    reasons: list[str] = field(default_factory=list)
    flip: str | None = None  # "right_wrong" | "wrong_right" against the agent's previous round
    p_correct: float | None = None  # the newest classifier's, when it suggests reviewing the node

    @property
    def label(self) -> bool:
        return self.auto_label if self.human_label is None else self.human_label

    @property
    def human_corrected(self) -> bool:
        return self.human_label is not None and self.human_label != self.auto_label

    @property
    def title(self) -> str:
        return f"round {self.round} · {self.agent}"


@dataclass
class DiscussionView:
    id: int
    dataset: str
    external_id: str
    task: str
    question: str
    options: list[str] | None
    gold_answer: str
    version: int
    nodes: list[NodeView]
    edges: list[tuple[int, int]]  # (source node id, target node id): target responds to source
    summary: dict

    @property
    def agents(self) -> list[str]:
        return list(dict.fromkeys(n.agent for n in sorted(self.nodes, key=lambda n: n.round)))

    @property
    def rounds(self) -> list[int]:
        return sorted({n.round for n in self.nodes})

    def node(self, node_id: int | None) -> NodeView | None:
        return next((n for n in self.nodes if n.id == node_id), None)

    def review_nodes(self) -> list[NodeView]:
        return [n for n in self.nodes if n.needs_review]


def discussion(discussion_id: int, url: str | None = None) -> DiscussionView | None:
    """One discussion with its nodes (round, then agent order), edges and review reasons."""
    with session_scope(url) as s:
        rows = mag_view.mag_rows(s, discussion_id)
        if rows is None:
            return None
        d = rows.discussion
        view = DiscussionView(
            id=d.id,
            dataset=rows.dataset,
            external_id=d.external_id,
            task=d.task,
            question=d.question,
            options=json.loads(d.options) if d.options else None,
            gold_answer=d.gold_answer,
            version=d.version,
            edges=rows.edges,
            summary={k: getattr(d, k) for k in SUMMARY_COLUMNS},
            nodes=[
                NodeView(
                    t.id,
                    t.agent,
                    t.round,
                    t.reasoning,
                    t.answer,
                    t.answer_norm,
                    t.confidence,
                    t.auto_label,
                    t.human_label,
                    t.excluded,
                    t.needs_review,
                    t.version,
                )
                for t in rows.turns
            ],
        )
        suggested = predictions.suggested(s, [n.id for n in view.nodes])
    _annotate_nodes(view.nodes)
    for n in view.nodes:  # the classifier's suggestions wait for review too (marked as such)
        if n.id in suggested:
            n.needs_review, n.p_correct = True, suggested[n.id]
            n.reasons.append("classifier_disagrees")
    return view


def _annotate_nodes(nodes: list[NodeView]) -> None:
    """Review reasons and flips (a change of effective label from the agent's previous turn)."""
    if not nodes:
        return
    plain = [Node(n.agent, n.round, n.answer_norm, n.confidence, n.auto_label, n.human_label) for n in nodes]
    last = max(n.round for n in nodes)
    split_last = last in split_rounds(plain)
    previous: dict[str, NodeView] = {}
    for n, p in sorted(zip(nodes, plain), key=lambda x: x[0].round):
        n.reasons = review_reasons(p, n.round == last and split_last)
        before = previous.get(n.agent)
        if before is not None and before.label != n.label:
            n.flip = "right_wrong" if before.label else "wrong_right"
        previous[n.agent] = n


def find_discussion(dataset: str, external_id: str, url: str | None = None) -> int | None:
    with session_scope(url) as s:
        return discussions.find_discussion(s, dataset=dataset, external_id=external_id)

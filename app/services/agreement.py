"""Inter-annotator agreement per annotation task or dataset, and the adjudication queue.

Everything is computed from each annotator's current response (`db.agreement.current_responses`);
"unsure" and "withdrawn" are not values for agreement (`magdi.agreement`). A node's human label is
its latest adjudication, else the human consensus (`magdi.annotation.human_consensus`, k from
MAGDI_CONSENSUS_MIN).

The adjudication queue holds the nodes where humans disagree and no adjudication settled it (a tie,
or a split majority), and the nodes whose consensus contradicts a confident automatic label. The
automatic label is confident when the answer was parsed (the label compares a normalised answer
with the gold answer) and the newest predict job's node classifier, where it scored the node, backs
the label with P >= `CLASSIFIER_CONFIDENT`. Order: how contested a node is, most first
(`contest`): the share of the minority among its responses (0.5 for a tie), plus 0.5 when the
consensus contradicts a confident automatic label; then more responses first, then node id.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from app.services.auth import Actor, Role, require
from db import agreement as store
from db import browsing
from db.engine import session_scope
from magdi import agreement as metrics
from magdi.annotation import consensus_min, human_consensus

CLASSIFIER_CONFIDENT = 0.8  # P(correct) at or above (or P(incorrect) at or above) backs the label


@dataclass(frozen=True)
class NodeVotes:
    node_id: int
    discussion_id: int
    dataset: str
    discussion: str  # the discussion's external id
    question: str
    agent: str
    round: int
    answer: str
    auto_label: bool
    responses: dict[str, tuple[str, str | None]]  # annotator -> (value, note), current responses
    consensus: bool | None
    adjudicated: bool | None
    reason: str | None  # the adjudication's
    p_correct: float | None
    confident_auto: bool

    @property
    def human_label(self) -> bool | None:
        return self.consensus if self.adjudicated is None else self.adjudicated

    @property
    def counts(self) -> Counter:
        return Counter(v for v, _ in self.responses.values() if v in metrics.VALUES)

    @property
    def disagree(self) -> bool:
        """The humans' agreement values differ."""
        return len(self.counts) > 1

    @property
    def contradicts_auto(self) -> bool:
        return self.confident_auto and self.consensus is not None and self.consensus != self.auto_label

    @property
    def contest(self) -> float:
        c = self.counts
        n = sum(c.values())
        return (min(c.values()) / n if self.disagree else 0.0) + (0.5 if self.contradicts_auto else 0.0)

    @property
    def votes(self) -> str:
        """The responses in words, without names: e.g. "2 correct, 1 incorrect"."""
        c = Counter(v for v, _ in self.responses.values())
        return ", ".join(f"{c[v]} {v}" for v in ("correct", "incorrect", "unsure") if c[v])


@dataclass(frozen=True)
class AgreementReport:
    scope: str  # in words: the task or dataset
    nodes: int  # nodes with at least one current response that counts
    annotators: list[str]
    alpha: float | None
    pairs: list[metrics.PairAgreement]
    with_consensus: dict[str, metrics.Agreement]  # the consensus includes the annotator's own response
    with_automatic: dict[str, metrics.Agreement]
    confusion: metrics.Confusion  # automatic vs the human label (adjudicated, else consensus)
    disagreeing: list[NodeVotes] = field(default_factory=list)  # most contested first


def _scope(s, task_id: int | None, dataset: str | None) -> tuple[str, browsing.BrowseFilter]:
    if task_id is not None and dataset is not None:
        raise ValueError("pick a task or a dataset, not both")
    if task_id is not None:
        name, values = store.task_filter(s, task_id)
        return f"task {name}", browsing.BrowseFilter(**values)
    if dataset is not None:
        return f"dataset {dataset}", browsing.BrowseFilter(dataset_ids=browsing.dataset_scope(s, dataset))
    return "every dataset", browsing.BrowseFilter()


def _confident(auto: bool, answer_norm: str | None, p_correct: float | None) -> bool:
    if answer_norm is None:
        return False
    return p_correct is None or (p_correct if auto else 1 - p_correct) >= CLASSIFIER_CONFIDENT


def node_votes(
    *, task_id: int | None = None, dataset: str | None = None, url: str | None = None
) -> tuple[str, list[NodeVotes]]:
    """The scope in words and its nodes that hold a response or an adjudication."""
    k = consensus_min()
    with session_scope(url) as s:
        scope, f = _scope(s, task_id, dataset)
        responses: dict[int, dict] = {}
        for turn_id, who, value, note in store.current_responses(s, f):
            responses.setdefault(turn_id, {})[who] = (value, note)
        out = []
        for r in store.nodes(s, f):
            t = r["turn"]
            mine = responses.get(t.id, {})
            out.append(
                NodeVotes(
                    node_id=t.id,
                    discussion_id=t.discussion_id,
                    dataset=r["dataset"],
                    discussion=r["discussion"],
                    question=r["question"],
                    agent=t.agent,
                    round=t.round,
                    answer=t.answer,
                    auto_label=t.auto_label,
                    responses=mine,
                    consensus=human_consensus([v for v, _ in mine.values()], k),
                    adjudicated=r["adjudicated"],
                    reason=r["reason"],
                    p_correct=r["p_correct"],
                    confident_auto=_confident(t.auto_label, t.answer_norm, r["p_correct"]),
                )
            )
        return scope, out


def _contested(nodes: list[NodeVotes]) -> list[NodeVotes]:
    return sorted(nodes, key=lambda n: (-n.contest, -len(n.counts), n.node_id))


def agreement(
    *, actor: Actor, task_id: int | None = None, dataset: str | None = None, url: str | None = None
) -> AgreementReport:
    """Alpha, the kappa pairs, each annotator against the consensus and the automatic labels, the
    confusion view and the disagreeing nodes of a task's or a dataset's nodes (both None: all)."""
    require(actor, Role.VIEWER, "see the annotators' agreement")
    scope, nodes = node_votes(task_id=task_id, dataset=dataset, url=url)
    triples = [(n.node_id, who, v) for n in nodes for who, (v, _) in n.responses.items()]
    human = {n.node_id: metrics.value_of(n.human_label) for n in nodes if n.human_label is not None}
    auto = {n.node_id: metrics.value_of(n.auto_label) for n in nodes}
    coders = metrics.by_coder(triples)
    return AgreementReport(
        scope=scope,
        nodes=len({u for values in coders.values() for u in values}),
        annotators=sorted(coders),
        alpha=metrics.alpha(triples),
        pairs=metrics.pairwise_kappa(triples),
        with_consensus=metrics.agreement_with(triples, human),
        with_automatic=metrics.agreement_with(triples, auto),
        confusion=metrics.confusion(auto, human),
        disagreeing=_contested([n for n in nodes if n.disagree]),
    )


def adjudication_queue(
    *, actor: Actor, task_id: int | None = None, dataset: str | None = None, url: str | None = None
) -> list[NodeVotes]:
    """Nodes to adjudicate, most contested first (see the module's docstring): humans disagree, or
    their consensus contradicts a confident automatic label; never a node already adjudicated."""
    require(actor, Role.ADJUDICATOR, "adjudicate labels")
    _, nodes = node_votes(task_id=task_id, dataset=dataset, url=url)
    return _contested([n for n in nodes if n.adjudicated is None and (n.disagree or n.contradicts_auto)])


def task_choices(url: str | None = None) -> dict[int, str]:
    """The annotation tasks one can pick (not archived): id -> name."""
    with session_scope(url) as s:
        return store.task_names(s)

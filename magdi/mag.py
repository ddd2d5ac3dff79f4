"""The multi-agent interaction graph (MAG): a teacher discussion and its turns.

A turn is one agent's answer in one round; it is a node of the MAG. Edges point from the turns
a turn responds to (earlier rounds) to the turn itself. When a turn does not say what it
responds to, the ReConcile structure applies: a turn of round r > 0 responds to every turn of
round r - 1 that exists. Rounds and agents are arbitrary in number and turns may be missing, so
there is no fixed template and no placeholder node.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import networkx as nx

Label = Literal["correct", "incorrect"]
LabelSource = Literal["auto", "human"]
TurnKey = tuple[str, int]  # (agent, round)
# Rounds run from 0 to this. ReConcile's discussions end by round 3; the bound keeps a round a
# small integer in every store and refuses a typo such as 10**20 rather than storing it.
MAX_ROUND = 1000


def label_text(value: bool | None) -> Label | None:
    """A label as files and the history write it: True "correct", False "incorrect", None none."""
    return None if value is None else ("correct" if value else "incorrect")


class MAGError(ValueError):
    """A discussion that is not a valid MAG (duplicate turn, bad edge, bad value)."""


@dataclass(slots=True)
class Turn:
    agent: str
    round: int
    reasoning: str
    answer: str
    confidence: float | None = None
    # None: the ReConcile default (every turn of the previous round); [] : responds to nothing.
    responds_to: list[TurnKey] | None = None
    # Carried by exports so that a re-import keeps human corrections.
    label: Label | None = None
    label_source: LabelSource | None = None
    excluded: bool = False

    @property
    def key(self) -> TurnKey:
        return (self.agent, self.round)


@dataclass(slots=True)
class Discussion:
    id: str
    task: str
    question: str
    gold_answer: str
    turns: list[Turn]
    options: list[str] | None = None
    meta: dict = field(default_factory=dict)

    def turn(self, key: TurnKey) -> Turn:
        for t in self.turns:
            if t.key == key:
                return t
        raise KeyError(key)

    @property
    def agents(self) -> list[str]:
        """Agents in order of first appearance."""
        return list(dict.fromkeys(t.agent for t in self.turns))

    @property
    def rounds(self) -> list[int]:
        return sorted({t.round for t in self.turns})

    def edges(self) -> list[tuple[TurnKey, TurnKey]]:
        """(source, target) pairs: target responds to source. Explicit `responds_to` wins."""
        keys = [t.key for t in self.turns]
        return [(keys[src], keys[dst]) for dst, _, src in self.edge_indices()]

    def edge_indices(self) -> list[tuple[int, int, int]]:
        """The edges as (target, position, source) indices into `turns`; `position` orders a
        target's sources (its `responds_to` order, else the order of the previous round)."""
        by_round: dict[int, list[int]] = {}
        for i, t in enumerate(self.turns):
            by_round.setdefault(t.round, []).append(i)
        index: dict[TurnKey, int] = {}
        out: list[tuple[int, int, int]] = []
        for i, t in enumerate(self.turns):
            if t.responds_to is None:
                sources = by_round.get(t.round - 1, ())
            else:
                index = index or {u.key: j for j, u in enumerate(self.turns)}
                sources = [index[tuple(k)] for k in t.responds_to]  # type: ignore[index]
            out.extend([(i, pos, j) for pos, j in enumerate(sources)])
        return out

    def validate(self) -> None:
        """Raise MAGError unless agents are named, rounds are in 0..MAX_ROUND, turns are unique and
        every edge goes to a later round."""
        seen: set[TurnKey] = set()
        for t in self.turns:
            if not t.agent.strip():
                raise MAGError(f"agent name {t.agent!r} is empty or only whitespace")
            if not 0 <= t.round <= MAX_ROUND:
                raise MAGError(f"turn ({t.agent!r}, {t.round}): round must be from 0 to {MAX_ROUND}")
            if t.key in seen:
                raise MAGError(f"duplicate turn: agent {t.agent!r} round {t.round}")
            seen.add(t.key)
        for t in self.turns:
            for src in t.responds_to or []:
                src = tuple(src)
                if src not in seen:
                    raise MAGError(
                        f"turn ({t.agent!r}, {t.round}) responds to missing turn ({src[0]!r}, {src[1]})"
                    )
                if src[1] >= t.round:
                    raise MAGError(
                        f"turn ({t.agent!r}, {t.round}) responds to ({src[0]!r}, {src[1]}),"
                        " which is not in an earlier round"
                    )

    def graph(self) -> nx.DiGraph:
        """The MAG as a networkx DAG; node attributes are the turn fields."""
        g = nx.DiGraph()
        for t in self.turns:
            g.add_node(
                t.key, agent=t.agent, round=t.round, answer=t.answer, confidence=t.confidence, label=t.label
            )
        g.add_edges_from(self.edges())
        return g

"""The Overview page: counts per dataset, recent changes, accuracy per agent and round."""

from __future__ import annotations

from dataclasses import dataclass

from db import browsing, labels, queries
from db.engine import session_scope


@dataclass
class Overview:
    """The cheap, always fresh part of the Overview page."""

    datasets: list[dict]  # dataset, discussions, turns, correct, incorrect, human, auto_/human_…
    waiting_for_review: int
    recent: list[dict]
    revision: int


def overview(*, recent: int = 20, url: str | None = None) -> Overview:
    with session_scope(url) as s:
        datasets = queries.dataset_summary(s)
        waiting = browsing.waiting_by_dataset(s)  # the classifier's suggestions included
        for d in datasets:
            d["needs_review"] = waiting.get(d["dataset"], 0)
        return Overview(
            datasets=datasets,
            waiting_for_review=sum(waiting.values()),
            recent=labels.recent_events(s, limit=recent),
            revision=queries.label_revision(s),
        )


def accuracy(dataset: str | None = None, url: str | None = None) -> list[dict]:
    """Accuracy per agent per round (one scan of all nodes: the page caches it a while)."""
    with session_scope(url) as s:
        return queries.accuracy_by_agent_round(s, dataset_ids=browsing.dataset_scope(s, dataset))

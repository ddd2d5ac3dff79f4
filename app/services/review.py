"""The review queue: ranked nodes that deserve a human look, with the reasons why."""

from __future__ import annotations

from dataclasses import dataclass

from db import browsing, predictions
from db.engine import session_scope
from magdi.summary import Node, review_reasons

REASONS = {
    "unparseable": "answer could not be normalised",
    "human_disagrees": "human label disagrees with the automatic one",
    "confident_wrong": "confident but wrong",
    "split_last_round": "agents still split at the last round",
    "classifier_disagrees": "the trained node classifier disagrees with the label",
}


@dataclass
class ReviewItem:
    node_id: int
    discussion_id: int
    dataset: str
    discussion: str
    question: str
    agent: str
    round: int
    answer: str
    answer_norm: str | None
    confidence: float | None
    label: bool
    human_label: bool | None
    score: int
    reasons: list[str]
    p_correct: float | None = None  # the node classifier's, when a predict job scored the node


def review_queue(
    *, dataset: str | None = None, page: int = 1, page_size: int = 50, url: str | None = None
) -> tuple[list[ReviewItem], int]:
    """Ranked nodes that deserve a human look (see `db.browsing.review_queue`; 1-based `page`,
    clamped to the last page), and their total.
    The node classifier's signal comes from the newest predict job, when there is one."""
    with session_scope(url) as s:
        ds_ids = browsing.dataset_scope(s, dataset)
        job = predictions.latest_job(s)
        offset = max(0, page - 1) * page_size
        rows, total = browsing.review_queue(
            s, dataset_ids=ds_ids, offset=offset, limit=page_size, prediction_job=job
        )
        if not rows and total and offset >= total:  # past the end (e.g. after labels were saved)
            offset = (-(-total // page_size) - 1) * page_size
            rows, total = browsing.review_queue(
                s, dataset_ids=ds_ids, offset=offset, limit=page_size, prediction_job=job
            )
        split = browsing.split_last_round(s, sorted({r["turn"].discussion_id for r in rows}))
        items = []
        for r in rows:
            t = r["turn"]
            node = Node(t.agent, t.round, t.answer_norm, t.confidence, t.auto_label, t.human_label)
            reasons = review_reasons(node, t.round == split.get(t.discussion_id))
            reasons += ["classifier_disagrees"] if r["classifier_disagrees"] else []
            items.append(
                ReviewItem(
                    t.id,
                    t.discussion_id,
                    r["dataset"],
                    r["discussion"],
                    r["question"],
                    t.agent,
                    t.round,
                    t.answer,
                    t.answer_norm,
                    t.confidence,
                    node.label,
                    t.human_label,
                    r["score"],
                    reasons,
                    r["p_correct"],
                )
            )
    return items, total

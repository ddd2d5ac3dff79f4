"""Read side of the explorer pages: filters, browse pages, one MAG, overview, review queue.

No Streamlit here: every function opens its own session and returns plain dataclasses and dicts
(never live ORM rows), so the pages, the CLI and tests can share it. Text from the data is
returned as is; escaping is the job of whoever draws it (`app.ui`, `app.graph_view`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from db import browsing, labels, predictions, queries
from db.engine import session_scope
from db.models import Dataset, Discussion, Edge, Turn
from magdi.summary import Node, review_reasons, split_rounds

PAGE_SIZES = (25, 50, 100)
SORTS = {
    "id": "import order",
    "question": "question",
    "review": "nodes to review",
    "consensus": "consensus round",
    "turns": "turns",
}
REASONS = {
    "unparseable": "answer could not be normalised",
    "human_disagrees": "human label disagrees with the automatic one",
    "confident_wrong": "confident but wrong",
    "split_last_round": "agents still split at the last round",
    "classifier_disagrees": "the trained node classifier disagrees with the label",
}
UNPARSEABLE = browsing.UNPARSEABLE


# ---------------------------------------------------------------- the filter

_BOOL = {"1": True, "0": False, "yes": True, "no": False, "true": True, "false": False}


def _tri(value: str | None) -> bool | None:
    return None if value is None else _BOOL.get(value.strip().lower())


def _yn(value: bool | None) -> str | None:
    return None if value is None else ("1" if value else "0")


@dataclass(frozen=True)
class Filter:
    """The Browse filter as the user sees it (dataset names, not ids); hashable for caching.

    It round-trips through URL query parameters (`to_query` / `from_query`) so that a refresh or
    a shared link keeps it. Unknown or malformed values are ignored, never an error.
    """

    datasets: tuple[str, ...] = ()
    task: str | None = None
    agent: str | None = None
    majority_correct: bool | None = None
    round0_disagree: bool | None = None
    consensus_round: int | None = None  # -1: never reached
    flip: str | None = None  # "right_wrong" | "wrong_right"
    has_human: bool | None = None
    needs_review: bool | None = None
    search: str = ""

    QUERY_KEYS = ("ds", "task", "agent", "maj", "r0", "cons", "flip", "human", "review", "q")

    def to_query(self) -> dict[str, str | list[str]]:
        q: dict[str, str | list[str]] = {}
        if self.datasets:
            q["ds"] = list(self.datasets)
        for key, value in (
            ("task", self.task),
            ("agent", self.agent),
            ("maj", _yn(self.majority_correct)),
            ("r0", _yn(self.round0_disagree)),
            ("cons", None if self.consensus_round is None else str(self.consensus_round)),
            ("flip", self.flip),
            ("human", _yn(self.has_human)),
            ("review", _yn(self.needs_review)),
            ("q", self.search or None),
        ):
            if value is not None:
                q[key] = value
        return q

    @classmethod
    def from_query(cls, q: Mapping[str, str | list[str]]) -> Filter:
        def one(key: str) -> str | None:
            v = q.get(key)
            if isinstance(v, list):
                v = v[-1] if v else None
            return v if v else None

        ds = q.get("ds") or []
        ds = [ds] if isinstance(ds, str) else list(ds)
        cons = one("cons")
        try:
            consensus = int(cons) if cons is not None else None
        except ValueError:
            consensus = None
        flip = one("flip")
        return cls(
            datasets=tuple(d for d in ds if d),
            task=one("task"),
            agent=one("agent"),
            majority_correct=_tri(one("maj")),
            round0_disagree=_tri(one("r0")),
            consensus_round=consensus if consensus is None or consensus >= -1 else None,
            flip=flip if flip in ("right_wrong", "wrong_right") else None,
            has_human=_tri(one("human")),
            needs_review=_tri(one("review")),
            search=(one("q") or "").strip(),
        )

    def is_empty(self) -> bool:
        return self == Filter()

    def describe(self) -> str:
        """A one-line plain-text summary (contains data text: escape it before markdown)."""
        parts = []
        if self.datasets:
            parts.append("dataset " + " or ".join(self.datasets))
        if self.task:
            parts.append(f"task {self.task}")
        if self.agent:
            parts.append(f"agent {self.agent}")
        if self.majority_correct is not None:
            parts.append("majority " + ("right" if self.majority_correct else "wrong"))
        if self.round0_disagree is not None:
            parts.append(("" if self.round0_disagree else "no ") + "round-0 disagreement")
        if self.consensus_round is not None:
            parts.append(
                "never agree" if self.consensus_round < 0 else f"consensus at round {self.consensus_round}"
            )
        if self.flip:
            parts.append("flip " + self.flip.replace("_", "→"))
        if self.has_human is not None:
            parts.append(("" if self.has_human else "no ") + "human corrections")
        if self.needs_review is not None:
            parts.append(("" if self.needs_review else "nothing ") + "waiting for review")
        if self.search:
            parts.append(f"text “{self.search}”")
        return ", ".join(parts) or "everything"


def to_browse_filter(session, f: Filter) -> browsing.BrowseFilter:
    ids = None
    if f.datasets:
        names = dict(session.execute(select(Dataset.name, Dataset.id)).all())
        ids = [names[n] for n in f.datasets if n in names] or [-1]  # unknown name: no match
    same = {k: v for k, v in asdict(f).items() if k != "datasets"}  # every other field is shared
    return browsing.BrowseFilter(**{**same, "dataset_ids": ids, "search": f.search or None})


@dataclass
class FilterOptions:
    datasets: list[str]
    tasks: list[str]
    agents: list[str]
    max_round: int


def store_stamp(url: str | None = None) -> tuple[int, int]:
    """(discussions, highest id): changes with imports, not with label edits."""
    with session_scope(url) as s:
        n = s.execute(select(func.count()).select_from(Discussion)).scalar_one()
        top = s.execute(select(func.max(Discussion.id))).scalar()
    return n, top or 0


def filter_options(url: str | None = None) -> FilterOptions:
    with session_scope(url) as s:
        datasets = queries.dataset_names(s)
        tasks = sorted(s.execute(select(Discussion.task).distinct()).scalars())
        # sorted here: ORDER BY makes SQLite sort all nodes before DISTINCT (3× slower)
        agents = sorted(s.execute(select(Turn.agent).distinct()).scalars())
        max_round = s.execute(select(func.max(Discussion.n_rounds))).scalar() or 1
    return FilterOptions(datasets, tasks, agents, max(0, max_round - 1))


# ---------------------------------------------------------------- browse


@dataclass
class BrowsePage:
    rows: list[dict]  # one plain dict per discussion, ready for a table
    total: int
    offset: int
    limit: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.limit))


def browse(
    f: Filter,
    *,
    sort: str = "id",
    descending: bool = False,
    page: int = 1,
    page_size: int = 50,
    url: str | None = None,
) -> BrowsePage:
    """One page of matching discussions (1-based `page`, clamped to the last page)."""
    sort = sort if sort in browsing.SORTS else "id"
    page_size = max(1, min(page_size, 500))
    with session_scope(url) as s:
        bf = to_browse_filter(s, f)
        offset = max(0, page - 1) * page_size
        rows, total = browsing.browse(s, bf, sort=sort, descending=descending, offset=offset, limit=page_size)
        if not rows and total and offset >= total:  # past the end (e.g. after a narrower filter)
            offset = (max(1, -(-total // page_size)) - 1) * page_size
            rows, total = browsing.browse(
                s, bf, sort=sort, descending=descending, offset=offset, limit=page_size
            )
        names = dict(s.execute(select(Dataset.id, Dataset.name)).all())
        out = [
            dict(
                id=r.id,
                dataset=names.get(r.dataset_id, "?"),
                discussion=r.external_id,
                task=r.task,
                question=r.question if len(r.question) <= 160 else r.question[:157] + "…",
                gold=r.gold_answer,
                agents=r.n_agents,
                rounds=r.n_rounds,
                turns=r.n_turns,
                majority=_majority(r.majority_correct),
                round0_disagree=r.round0_disagree,
                consensus=r.consensus_round,
                flips=_flips(r),
                human=r.n_human,
                review=r.n_review,
                correct=r.n_correct,
            )
            for r in rows
        ]
    return BrowsePage(out, total, offset, page_size)


def _majority(value: bool | None) -> str:
    return "—" if value is None else ("right" if value else "wrong")


def _flips(r) -> str:
    return " ".join(x for x, on in (("R→W", r.flip_right_wrong), ("W→R", r.flip_wrong_right)) if on)


def ordered_ids(
    f: Filter, *, sort: str = "id", descending: bool = False, url: str | None = None
) -> list[int]:
    """All matching discussion ids in the Browse order (cache it: prev/next walks it)."""
    with session_scope(url) as s:
        return browsing.ordered_ids(
            s, to_browse_filter(s, f), sort=sort if sort in browsing.SORTS else "id", descending=descending
        )


def neighbours(ids: list[int], current: int) -> tuple[int | None, int | None, int | None]:
    """(previous, next, 1-based position) of `current` in `ids`; position None if absent."""
    try:
        i = ids.index(current)
    except ValueError:
        return (None, ids[0] if ids else None, None)
    return (ids[i - 1] if i > 0 else None, ids[i + 1] if i + 1 < len(ids) else None, i + 1)


# ---------------------------------------------------------------- one MAG


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
    needs_review: bool
    version: int
    reasons: list[str] = field(default_factory=list)
    flip: str | None = None  # "right_wrong" | "wrong_right" against the agent's previous round

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
        d = s.get(Discussion, discussion_id)
        if d is None:
            return None
        ds = s.get(Dataset, d.dataset_id)
        turns = list(
            s.execute(
                select(Turn).where(Turn.discussion_id == discussion_id).order_by(Turn.round, Turn.id)
            ).scalars()
        )
        edges = [
            (a, b)
            for a, b in s.execute(select(Edge.src_id, Edge.dst_id).where(Edge.discussion_id == discussion_id))
        ]
        summary = {
            k: getattr(d, k)
            for k in (
                "n_turns",
                "n_agents",
                "n_rounds",
                "majority_correct",
                "round0_disagree",
                "consensus_round",
                "flip_right_wrong",
                "flip_wrong_right",
                "n_human",
                "n_review",
                "n_correct",
            )
        }
        view = DiscussionView(
            id=d.id,
            dataset=ds.name if ds else "?",
            external_id=d.external_id,
            task=d.task,
            question=d.question,
            options=json.loads(d.options) if d.options else None,
            gold_answer=d.gold_answer,
            version=d.version,
            edges=edges,
            summary=summary,
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
                for t in turns
            ],
        )
    _annotate_nodes(view.nodes)
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
        return s.execute(
            select(Discussion.id)
            .join(Dataset)
            .where(Dataset.name == dataset, Discussion.external_id == external_id)
        ).scalar()


# ---------------------------------------------------------------- history


@dataclass
class EventView:
    id: int
    at: datetime
    who: str
    field: str
    old: str | None
    new: str | None
    note: str | None
    revision: int
    undoes: int | None
    turn_id: int | None
    discussion_id: int
    undone: bool = False
    where: str = ""  # "round 1 · gpt4" or "gold answer"

    @property
    def undoable(self) -> bool:
        return self.field in ("label", "excluded", "gold") and not self.undone

    def summary(self) -> str:
        old = "—" if self.old is None else self.old
        new = "—" if self.new is None else self.new
        what = {
            "label": "human label",
            "excluded": "excluded",
            "gold": "gold answer",
            "auto_label": "automatic label",
        }.get(self.field, self.field)
        return f"#{self.id} {what}: {old} → {new}"


def history(
    *, turn_id: int | None = None, discussion_id: int | None = None, limit: int = 50, url: str | None = None
) -> list[EventView]:
    """History entries, newest first, with whether each was undone since."""
    with session_scope(url) as s:
        events = labels.history(s, turn_id=turn_id, discussion_id=discussion_id, limit=limit)
        undone = labels.undone_event_ids(s, [e.id for e in events])
        where = {}
        turn_ids = {e.turn_id for e in events if e.turn_id is not None}
        if turn_ids:
            where = {
                i: f"round {r} · {a}"
                for i, a, r in s.execute(select(Turn.id, Turn.agent, Turn.round).where(Turn.id.in_(turn_ids)))
            }
        return [
            EventView(
                e.id,
                e.at,
                e.who,
                e.field,
                e.old,
                e.new,
                e.note,
                e.revision,
                e.undoes,
                e.turn_id,
                e.discussion_id,
                e.id in undone,
                where.get(e.turn_id, "gold answer" if e.turn_id is None else ""),
            )
            for e in events
        ]


# ---------------------------------------------------------------- overview


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
        return Overview(
            datasets=datasets,
            waiting_for_review=sum(d["needs_review"] for d in datasets),
            recent=labels.recent_events(s, limit=recent),
            revision=queries.label_revision(s),
        )


def accuracy(dataset: str | None = None, url: str | None = None) -> list[dict]:
    """Accuracy per agent per round (one scan of all nodes: the page caches it a while)."""
    with session_scope(url) as s:
        ds_ids = None
        if dataset:
            found = queries.find_dataset(s, dataset)
            ds_ids = [found if found is not None else -1]
        return queries.accuracy_by_agent_round(s, dataset_ids=ds_ids)


# ---------------------------------------------------------------- review queue


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
        ds_ids = None
        if dataset:
            found = queries.find_dataset(s, dataset)
            ds_ids = [found if found is not None else -1]
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

"""Browse filters, page order and the review queue, as plain indexed queries over the summary
columns that `magdi.summary` derives for every discussion.

A Browse filter is a set of named conditions (`CONDITIONS`); each field of the app's filter
(`app.services.filters.Filter`) names its condition here. A condition returns None when its value
restricts nothing (an empty list or text).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import ColumnElement, false, func, select, text
from sqlmodel import Session

from db import predictions
from db.engine import is_sqlite
from db.models import Dataset, Discussion, NodePrediction, Turn
from magdi.summary import CONFIDENT

Condition = Callable[[Session, Any], "ColumnElement[bool] | None"]
CONDITIONS: dict[str, Condition] = {}  # name -> SQL condition on Discussion, in filter order


def condition(name: str) -> Callable[[Condition], Condition]:
    """Register the condition of the Browse filter field whose `db` name is `name`."""

    def register(fn: Condition) -> Condition:
        CONDITIONS[name] = fn
        return fn

    return register


@condition("dataset_ids")
def _dataset_ids(session: Session, ids: list[int]) -> ColumnElement[bool] | None:
    return Discussion.dataset_id.in_(ids) if ids else None


@condition("task")
def _task(session: Session, task: str) -> ColumnElement[bool] | None:
    return Discussion.task == task if task else None


@condition("agent")
def _agent(session: Session, agent: str) -> ColumnElement[bool] | None:
    # EXISTS probes the (discussion_id, agent, round) key per discussion: a page in id or
    # review order stops after a few probes, where IN (…) first read every turn of the agent.
    if not agent:
        return None
    return select(Turn.id).where(Turn.discussion_id == Discussion.id, Turn.agent == agent).exists()


@condition("majority_correct")
def _majority_correct(session: Session, value: bool) -> ColumnElement[bool]:
    return Discussion.majority_correct == value


@condition("round0_disagree")
def _round0_disagree(session: Session, value: bool) -> ColumnElement[bool]:
    return Discussion.round0_disagree == value


@condition("consensus_round")
def _consensus_round(session: Session, value: int) -> ColumnElement[bool]:
    # -1: never reached
    return Discussion.consensus_round.is_(None) if value < 0 else Discussion.consensus_round == value


@condition("flip")
def _flip(session: Session, flip: str) -> ColumnElement[bool] | None:
    column = {"right_wrong": Discussion.flip_right_wrong, "wrong_right": Discussion.flip_wrong_right}.get(
        flip
    )
    return None if column is None else column.is_(True)


@condition("has_human")
def _has_human(session: Session, value: bool) -> ColumnElement[bool]:
    return Discussion.n_human > 0 if value else Discussion.n_human == 0


@condition("needs_review")
def _needs_review(session: Session, value: bool) -> ColumnElement[bool]:
    """A discussion with a node that waits for review (`predictions.waits_for_review`)."""
    job = predictions.latest_job(session)
    waiting = Discussion.n_review > 0
    if job is not None:
        waiting = waiting | Discussion.id.in_(select(Turn.discussion_id).where(predictions.suggests(job)))
    return waiting if value else ~waiting


# NUL and lone surrogates (say from a command line's undecodable bytes): no stored text holds one
# (imports refuse them), and FTS5 and the drivers would raise on them.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@condition("search")
def _search(session: Session, search: str) -> ColumnElement[bool] | None:
    if not (search and search.strip()):
        return None
    if is_sqlite(session.get_bind()):
        return Discussion.id.in_(
            text("SELECT rowid FROM discussion_fts WHERE discussion_fts MATCH :fts").bindparams(
                fts=fts_query(search)
            )
        )
    return Discussion.id.in_(
        text(
            "SELECT discussion_id FROM discussion_search WHERE tsv @@ plainto_tsquery('english', :fts)"
        ).bindparams(fts=search)
    )


class BrowseFilter:
    """Values of the Browse conditions by name (`CONDITIONS`); a missing or None value means "any".

    Job configs store `values` (a dict of JSON values) and read it back as
    `BrowseFilter(**config["filter"])`, so an unknown name is an error, never ignored.
    """

    def __init__(self, **values: Any) -> None:
        unknown = sorted(set(values) - set(CONDITIONS))
        if unknown:
            raise TypeError(f"unknown Browse filter {unknown[0]!r} (known: {', '.join(CONDITIONS)})")
        self.values = {k: v for k, v in values.items() if v is not None}

    def __repr__(self) -> str:
        return f"BrowseFilter({', '.join(f'{k}={v!r}' for k, v in self.values.items())})"


SORTS = {
    "id": Discussion.id,
    "question": Discussion.question,
    "review": Discussion.n_review,
    "consensus": Discussion.consensus_round,
    "turns": Discussion.n_turns,
}


def fts_query(text_in: str) -> str:
    """User text -> an FTS5 query of quoted terms (all must match); no syntax errors possible."""
    terms = [t.replace('"', '""') for t in text_in.split()]
    return " ".join(f'"{t}"' for t in terms)


def discussion_conditions(session: Session, f: BrowseFilter) -> list:
    """Conditions on Discussion: it matches `f`."""
    if any(isinstance(v, str) and _UNSTORABLE.search(v) for v in f.values.values()):
        return [false()]  # text no stored row holds matches nothing
    found = (CONDITIONS[name](session, f.values[name]) for name in CONDITIONS if name in f.values)
    return [c for c in found if c is not None]


def browse(
    session: Session,
    f: BrowseFilter,
    *,
    sort: str = "id",
    descending: bool = False,
    offset: int = 0,
    limit: int = 50,
) -> tuple[list[Discussion], int]:
    """One page of discussions matching `f`, and the total number of matches."""
    cond = discussion_conditions(session, f)
    total = session.execute(select(func.count()).select_from(Discussion).where(*cond)).scalar_one()
    rows = (
        session.execute(
            select(Discussion).where(*cond).order_by(*_order(sort, descending)).offset(offset).limit(limit)
        )
        .scalars()
        .all()
    )
    return list(rows), total


def _order(sort: str, descending: bool) -> list:
    """A NULL (a consensus never reached) counts as the largest value, on SQLite as on PostgreSQL
    (their defaults differ)."""
    col = SORTS[sort]
    return [col.desc().nulls_first() if descending else col.asc().nulls_last(), Discussion.id]


def ordered_ids(
    session: Session, f: BrowseFilter, *, sort: str = "id", descending: bool = False
) -> list[int]:
    """Every matching discussion id in the Browse order (for previous / next navigation)."""
    return list(
        session.execute(
            select(Discussion.id)
            .where(*discussion_conditions(session, f))
            .order_by(*_order(sort, descending))
        ).scalars()
    )


def matching_ids(session: Session, f: BrowseFilter) -> list[int]:
    """Every discussion id matching `f` (not only one page), in id order."""
    return ordered_ids(session, f)


UNPARSEABLE = "\x00unparseable"  # answer value of the nodes whose answer could not be read


def node_scope(
    session: Session,
    f: BrowseFilter,
    *,
    answer: str | None = None,
    agent: str | None = None,
    round_: int | None = None,
) -> list:
    """Conditions on Turn: in a discussion matching `f`, with this answer / agent / round."""
    cond = discussion_conditions(session, f)
    c = []
    if cond:
        c.append(Turn.discussion_id.in_(select(Discussion.id).where(*cond)))
    if answer == UNPARSEABLE:
        c.append(Turn.answer_norm.is_(None))
    elif answer is not None:
        c.append(Turn.answer_norm == answer)
    if agent is not None:
        c.append(Turn.agent == agent)
    if round_ is not None:
        c.append(Turn.round == round_)
    return c


def answer_values(session: Session, f: BrowseFilter, *, limit: int = 200) -> list[tuple[str, int]]:
    """The most frequent normalised answers of the nodes in discussions matching `f` (UNPARSEABLE
    for the unparseable ones: named here, as PostgreSQL text cannot hold its NUL)."""
    q = (
        select(Turn.answer_norm, func.count(Turn.id))
        .where(*node_scope(session, f))
        .group_by(Turn.answer_norm)
        .order_by(func.count(Turn.id).desc(), Turn.answer_norm)
        .limit(limit)
    )
    return [(UNPARSEABLE if v is None else v, n) for v, n in session.execute(q)]


def waiting_by_dataset(session: Session) -> dict[str, int]:
    """How many nodes wait for review in each dataset (`predictions.waits_for_review`, with the
    newest predict job's classifier)."""
    waiting = predictions.waits_for_review(predictions.latest_job(session))
    q = (
        select(Dataset.name, func.count(Turn.id))
        .join(Discussion, Discussion.dataset_id == Dataset.id)
        .join(Turn, Turn.discussion_id == Discussion.id)
        .where(waiting)
        .group_by(Dataset.name)
    )
    return dict(session.execute(q).all())


def review_score() -> ColumnElement[int]:
    """A node's review rank (see `review_queue`); 0 for a node no rule flags and not confidently wrong."""
    as_int = Turn.round.type
    effective = func.coalesce(Turn.human_label, Turn.auto_label)
    return (
        func.cast(Turn.answer_norm.is_(None) & Turn.needs_review, type_=as_int) * 8
        + func.cast((func.coalesce(Turn.confidence, 0.0) >= CONFIDENT) & (effective.is_(False)), type_=as_int)
        * 2
        + func.cast(Turn.needs_review, type_=as_int)
    )


def review_queue(
    session: Session,
    *,
    dataset_ids: list[int] | None = None,
    offset: int = 0,
    limit: int = 50,
    prediction_job: int | None = None,
) -> tuple[list[dict], int]:
    """Nodes that most deserve a human look, best first, and how many there are.

    The nodes are those that wait for review (`predictions.waits_for_review`: flagged by the rules,
    or suggested by the node classifier of `prediction_job`), as every count of them is. Rank:
    unparseable answer (8) + confident but wrong (2) + flagged by the rules (1: e.g. agents split
    at the last round); then, at equal score, a classifier suggestion first. The page shows the
    exact reasons (`magdi.summary.review_reasons`) of the nodes it lists.
    """
    score = review_score()
    cond = [predictions.waits_for_review(prediction_job)]
    if dataset_ids:
        cond.append(
            Turn.discussion_id.in_(select(Discussion.id).where(Discussion.dataset_id.in_(dataset_ids)))
        )
    count = select(func.count(Turn.id)).select_from(Turn)
    q = (
        select(Turn, score.label("score"), Discussion.external_id, Discussion.question, Dataset.name)
        .join(Discussion, Discussion.id == Turn.discussion_id)
        .join(Dataset, Dataset.id == Discussion.dataset_id)
    )
    order = [score.desc(), Turn.confidence.desc(), Turn.id]
    if prediction_job is not None:
        classifier = Turn.human_label.is_(None) & predictions.disagreement()
        count = predictions.join_job(count, prediction_job)
        q = predictions.join_job(q.add_columns(NodePrediction.p_correct, classifier), prediction_job)
        order.insert(1, classifier.desc())
    total = session.execute(count.where(*cond)).scalar_one()
    rows = []
    for t, s, ext, question, ds, *prediction in session.execute(
        q.where(*cond).order_by(*order).offset(offset).limit(limit)
    ):
        p, classifier_disagrees = prediction or (None, False)
        rows.append(
            dict(
                turn=t,
                score=s,
                discussion=ext,
                question=question,
                dataset=ds,
                p_correct=p,
                classifier_disagrees=bool(classifier_disagrees),
            )
        )
    return rows, total


def split_last_round(session: Session, discussion_ids: list[int]) -> dict[int, int]:
    """The last round of each discussion whose agents gave different answers in it."""
    if not discussion_ids:
        return {}
    by_disc: dict[int, list] = {}
    for d, r, a in session.execute(
        select(Turn.discussion_id, Turn.round, Turn.answer_norm).where(Turn.discussion_id.in_(discussion_ids))
    ):
        by_disc.setdefault(d, []).append((r, a))
    out = {}
    for d, rows in by_disc.items():
        last = max(r for r, _ in rows)
        if len({a for r, a in rows if r == last}) > 1:
            out[d] = last
    return out


def store_stamp(session: Session) -> tuple[int, int]:
    """(discussions, highest id): changes with imports, not with label edits."""
    n = session.execute(select(func.count()).select_from(Discussion)).scalar_one()
    top = session.execute(select(func.max(Discussion.id))).scalar()
    return n, top or 0


def tasks(session: Session) -> list[str]:
    return sorted(session.execute(select(Discussion.task).distinct()).scalars())


def agents(session: Session) -> list[str]:
    # sorted here: ORDER BY makes SQLite sort all nodes before DISTINCT (3× slower)
    return sorted(session.execute(select(Turn.agent).distinct()).scalars())


def max_rounds(session: Session) -> int:
    """The most rounds of any discussion (0 for an empty store)."""
    return session.execute(select(func.max(Discussion.n_rounds))).scalar() or 0


def dataset_ids(session: Session, names: Iterable[str]) -> list[int]:
    """Ids of the datasets named `names` that exist, in the order given."""
    found = dict(session.execute(select(Dataset.name, Dataset.id)).all())
    return [found[n] for n in names if n in found]


def dataset_names_by_id(session: Session) -> dict[int, str]:
    return dict(session.execute(select(Dataset.id, Dataset.name)).all())


def dataset_scope(session: Session, name: str | None) -> list[int] | None:
    """The dataset ids a per-dataset view reads: None for all, [-1] (none) for an unknown name."""
    if not name:
        return None
    return dataset_ids(session, [name]) or [-1]

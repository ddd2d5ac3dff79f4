"""Queries of the store: datasets, the label revision, export with effective labels, statistics.

Bulk import lives in `db.bulk`, label edits in `db.labels`, browse filters and the review queue
in `db.browsing`. Functions are keyword-only after the session; the caller owns the transaction
(`db.engine.session_scope`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from sqlalchemy import func, select, update
from sqlmodel import Session

from db.models import Dataset, Discussion, Edge, StoreMeta, Turn
from magdi import mag

CHUNK = 2000


def bump_revision(session: Session) -> int:
    """Increase and return the label revision (every label change gets a new one)."""
    session.execute(
        update(StoreMeta).where(StoreMeta.key == "label_revision").values(value=StoreMeta.value + 1)
    )
    return label_revision(session)


def label_revision(session: Session) -> int:
    return session.execute(select(StoreMeta.value).where(StoreMeta.key == "label_revision")).scalar_one()


def find_dataset(session: Session, name: str) -> int | None:
    return session.execute(select(Dataset.id).where(Dataset.name == name)).scalar()


def require_dataset(session: Session, name: str) -> int:
    """The dataset's id; LookupError when there is none of that name."""
    found = find_dataset(session, name)
    if found is None:
        raise LookupError(f"no dataset named {name!r}")
    return found


def dataset_names(session: Session) -> list[str]:
    return list(session.execute(select(Dataset.name).order_by(Dataset.name)).scalars())


def get_or_create_dataset(session: Session, name: str) -> int:
    found = find_dataset(session, name)
    if found is not None:
        return found
    ds = Dataset(name=name)
    session.add(ds)
    session.flush()
    return ds.id


def iter_discussions(
    session: Session,
    *,
    discussion_ids: Iterable[int] | None = None,
    dataset_ids: Iterable[int] | None = None,
    drop_excluded: bool = False,
) -> Iterator[tuple[mag.Discussion, str]]:
    """Discussions with effective labels (human ones marked), in id order, streamed in chunks."""
    names = dict(session.execute(select(Dataset.id, Dataset.name)).all())
    q = select(Discussion).order_by(Discussion.id)
    if dataset_ids is not None:
        q = q.where(Discussion.dataset_id.in_(list(dataset_ids)))
    wanted = None if discussion_ids is None else sorted(set(discussion_ids))
    last = 0
    while True:
        page = q.where(Discussion.id > last)
        if wanted is not None:
            chunk_ids = [i for i in wanted if i > last][:CHUNK]
            if not chunk_ids:
                return
            page = page.where(Discussion.id.in_(chunk_ids))
        rows = session.execute(page.limit(CHUNK)).scalars().all()
        if not rows:
            return
        yield from _build(session, rows, names, drop_excluded)
        last = rows[-1].id


def _build(
    session: Session, rows: list[Discussion], names: dict[int, str], drop_excluded: bool
) -> Iterator[tuple[mag.Discussion, str]]:
    ids = [r.id for r in rows]
    turns: dict[int, list[Turn]] = {}
    for t in session.execute(
        select(Turn).where(Turn.discussion_id.in_(ids)).order_by(Turn.discussion_id, Turn.id)
    ).scalars():
        turns.setdefault(t.discussion_id, []).append(t)
    sources: dict[int, list[int]] = {}
    for src, dst in session.execute(
        select(Edge.src_id, Edge.dst_id)
        .where(Edge.discussion_id.in_(ids))
        .order_by(Edge.discussion_id, Edge.dst_id, Edge.position)
    ):
        sources.setdefault(dst, []).append(src)
    for r in rows:
        key_of = {t.id: (t.agent, t.round) for t in turns.get(r.id, [])}
        out = []
        for t in turns.get(r.id, []):
            if drop_excluded and t.excluded:
                continue
            label = t.auto_label if t.human_label is None else t.human_label
            responds = None
            if t.explicit_edges:
                responds = [
                    key_of[s]
                    for s in sources.get(t.id, [])
                    if not (drop_excluded and _excluded(turns[r.id], s))
                ]
            out.append(
                mag.Turn(
                    agent=t.agent,
                    round=t.round,
                    reasoning=t.reasoning,
                    answer=t.answer,
                    confidence=t.confidence,
                    responds_to=responds,
                    label=mag.label_text(label),
                    label_source="auto" if t.human_label is None else "human",
                    excluded=t.excluded,
                )
            )
        yield (
            mag.Discussion(
                id=r.external_id,
                task=r.task,
                question=r.question,
                gold_answer=r.gold_answer,
                turns=out,
                options=None if r.options is None else json.loads(r.options),
                meta=json.loads(r.meta) if r.meta else {},
            ),
            names[r.dataset_id],
        )


def _excluded(turns: list[Turn], turn_id: int) -> bool:
    return any(t.id == turn_id and t.excluded for t in turns)


def dataset_stats(session: Session) -> list[dict]:
    """Per dataset: discussions, turns, effective correct/incorrect, human labels, review."""
    label = func.coalesce(Turn.human_label, Turn.auto_label)
    q = (
        select(
            Dataset.name,
            func.count(func.distinct(Discussion.id)),
            func.count(Turn.id),
            func.sum(func.cast(label, type_=Turn.round.type)),
            func.sum(func.cast(Turn.human_label.is_not(None), type_=Turn.round.type)),
            func.sum(func.cast(Turn.needs_review, type_=Turn.round.type)),
            func.sum(func.cast(Turn.answer_norm.is_(None), type_=Turn.round.type)),
        )
        .join(Discussion, Discussion.dataset_id == Dataset.id)
        .join(Turn, Turn.discussion_id == Discussion.id)
        .group_by(Dataset.name)
        .order_by(Dataset.name)
    )
    out = []
    for name, n_disc, n_turns, n_correct, n_human, n_review, n_unparsed in session.execute(q):
        out.append(
            dict(
                dataset=name,
                discussions=n_disc,
                turns=n_turns,
                correct=n_correct or 0,
                incorrect=n_turns - (n_correct or 0),
                human=n_human or 0,
                needs_review=n_review or 0,
                unparseable=n_unparsed or 0,
            )
        )
    return out


def accuracy_by_agent_round(session: Session, *, dataset_ids: list[int] | None = None) -> list[dict]:
    """Effective accuracy of every (agent, round): does the discussion help each agent?

    Also counts excluded and unparseable nodes. One scan of the turn table (about 1 s per
    million nodes on SQLite): cache it.
    """
    as_int = Turn.round.type
    label = func.coalesce(Turn.human_label, Turn.auto_label)
    q = (
        select(
            Turn.agent,
            Turn.round,
            func.count(Turn.id),
            func.sum(func.cast(label, type_=as_int)),
            func.sum(func.cast(Turn.excluded, type_=as_int)),
            func.sum(func.cast(Turn.answer_norm.is_(None), type_=as_int)),
        )
        .group_by(Turn.agent, Turn.round)
        .order_by(Turn.agent, Turn.round)
    )
    if dataset_ids:
        q = q.where(
            Turn.discussion_id.in_(select(Discussion.id).where(Discussion.dataset_id.in_(dataset_ids)))
        )
    return [
        dict(
            agent=a,
            round=r,
            nodes=n,
            correct=c or 0,
            accuracy=(c or 0) / n,
            excluded=x or 0,
            unparseable=u or 0,
        )
        for a, r, n, c, x, u in session.execute(q)
    ]


def dataset_summary(session: Session) -> list[dict]:
    """Per dataset, without scanning the turn table: discussions, nodes, effective correct /
    incorrect, human labels split by value, human overrides of the automatic label, nodes
    waiting for review (the discussions' summary columns, and the nodes of the discussions
    that have human labels)."""
    rows = session.execute(
        select(
            Dataset.id,
            Dataset.name,
            func.count(Discussion.id),
            func.sum(Discussion.n_turns),
            func.sum(Discussion.n_correct),
            func.sum(Discussion.n_human),
            func.sum(Discussion.n_review),
        )
        .join(Discussion, Discussion.dataset_id == Dataset.id)
        .group_by(Dataset.id, Dataset.name)
        .order_by(Dataset.name)
    ).all()
    owner = dict(
        session.execute(select(Discussion.id, Discussion.dataset_id).where(Discussion.n_human > 0)).all()
    )
    human: dict[int, list[int]] = {}
    ids = sorted(owner)
    for i in range(0, len(ids), CHUNK):
        for d_id, h, a in session.execute(
            select(Turn.discussion_id, Turn.human_label, Turn.auto_label).where(
                Turn.discussion_id.in_(ids[i : i + CHUNK]), Turn.human_label.is_not(None)
            )
        ):
            c = human.setdefault(owner[d_id], [0, 0, 0])
            c[0 if h else 1] += 1
            c[2] += h != a
    out = []
    for ds_id, name, n_disc, n_turns, n_correct, n_human, n_review in rows:
        n_turns, n_correct, n_human = n_turns or 0, n_correct or 0, n_human or 0
        hc, hi, ov = human.get(ds_id, (0, 0, 0))
        out.append(
            dict(
                dataset=name,
                discussions=n_disc,
                turns=n_turns,
                correct=n_correct,
                incorrect=n_turns - n_correct,
                human=n_human,
                needs_review=n_review or 0,
                auto_correct=n_correct - hc,
                auto_incorrect=n_turns - n_human - (n_correct - hc),
                human_correct=hc,
                human_incorrect=hi,
                overridden=ov,
            )
        )
    return out

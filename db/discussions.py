"""Discussions written turn by turn, as a discussion job receives them.

A generated discussion is an ordinary MAG of the store: its turns carry the normalised answer and
the automatic label against the gold answer, its edges keep the `responds_to` order, its summary
columns and full-text index follow every new turn. Functions are keyword-only after the session;
the caller owns the transaction (`db.engine.session_scope(url, write=True)`).
"""

from __future__ import annotations

import json

from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from db.engine import is_sqlite
from db.labels import refresh_summary
from db.models import Dataset, Discussion, Edge, Turn
from db.queries import bump_revision, find_dataset, require_dataset
from magdi import mag
from magdi.answers import label_answer
from magdi.benchmarks import Question


class BeingImported(RuntimeError):
    """The discussion (or its dataset) is held by an import that has not published it yet."""


def find_discussion(session: Session, *, dataset: str, external_id: str) -> int | None:
    """Id of the discussion `external_id` of dataset `dataset`, or None."""
    return session.execute(
        select(Discussion.id)
        .join(Dataset, Dataset.id == Discussion.dataset_id)
        .where(Dataset.name == dataset, Discussion.external_id == external_id)
    ).scalar()


def create_discussion(
    session: Session,
    *,
    dataset: str,
    external_id: str,
    task: str,
    question: str,
    options: list[str] | None,
    gold_answer: str,
) -> int:
    """The discussion's id; created (without turns, and with its dataset if need be) unless
    the dataset already holds it. BeingImported when an import not yet published holds that
    discussion or dataset (`db.visibility`): it is neither shown nor written to until then."""
    found = find_discussion(session, dataset=dataset, external_id=external_id)
    if found is not None:
        return found
    if find_dataset(session, dataset) is None:
        _insert_once(session, Dataset(name=dataset))
    row = Discussion(
        dataset_id=find_dataset(session, dataset),
        external_id=external_id,
        task=task,
        question=question,
        gold_answer=gold_answer,
        options=None if options is None else json.dumps(options, ensure_ascii=False),
    )
    if not _insert_once(session, row):
        found = find_discussion(session, dataset=dataset, external_id=external_id)
        if found is None:
            raise BeingImported(
                f"discussion {external_id!r} of dataset {dataset!r} is being imported; try again when "
                "that import is done"
            )
        return found
    _index(session, row)
    return row.id


def _insert_once(session: Session, row: SQLModel) -> bool:
    """Insert `row`; False when a row with its unique key exists, a concurrent writer's included
    (PostgreSQL: two jobs, or two questions of one job, creating the same dataset at once)."""
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def append_turn(session: Session, *, discussion_id: int, turn: mag.Turn) -> bool:
    """Store a new turn with its automatic label and edges; False if (agent, round) is stored.

    Edges follow `turn.responds_to` in order; without it (the ReConcile default) the turn responds
    to every stored turn of the previous round, as an import would record it.
    """
    d = session.get(Discussion, discussion_id)
    if d is None:
        raise KeyError(f"no discussion with id {discussion_id}")
    ids = {
        (a, r): i
        for a, r, i in session.execute(
            select(Turn.agent, Turn.round, Turn.id).where(Turn.discussion_id == discussion_id)
        )
    }
    if turn.key in ids:
        return False
    if turn.responds_to is None:
        sources = [k for k in ids if k[1] == turn.round - 1]
    else:
        sources = [tuple(k) for k in turn.responds_to]
    for src in sources:
        if src not in ids or src[1] >= turn.round:
            raise mag.MAGError(
                f"turn ({turn.agent!r}, {turn.round}) responds to ({src[0]!r}, "
                f"{src[1]}), which is not a stored turn of an earlier round"
            )
    options = json.loads(d.options) if d.options else None
    correct, norm = label_answer(d.task, turn.answer, d.gold_answer, options)
    row = Turn(
        discussion_id=discussion_id,
        agent=turn.agent,
        round=turn.round,
        reasoning=turn.reasoning,
        answer=turn.answer,
        answer_norm=norm.value,
        confidence=turn.confidence,
        explicit_edges=turn.responds_to is not None,
        auto_label=correct,
    )
    _unindex(session, d)
    inserted = _insert_once(session, row)
    if inserted:
        session.add_all(
            Edge(discussion_id=discussion_id, dst_id=row.id, position=i, src_id=ids[src])
            for i, src in enumerate(sources)
        )
        session.flush()
        refresh_summary(session, discussion_id)
        bump_revision(session)  # cached page reads are keyed by the revision
    _index(session, d)
    return inserted


def _unindex(session: Session, d: Discussion) -> None:
    """SQLite: drop the discussion's search row while its turns are still the indexed ones (the
    index reads the text to remove from the `discussion_text` view)."""
    if is_sqlite(session.get_bind()):
        session.execute(text("DELETE FROM discussion_fts WHERE rowid = :id"), {"id": d.id})


def _index(session: Session, d: Discussion) -> None:
    """Write the discussion's full-text search row (question and every turn's reasoning)."""
    if is_sqlite(session.get_bind()):
        session.execute(
            text(
                "INSERT INTO discussion_fts (rowid, question, reasoning) SELECT "
                "id, question, reasoning FROM discussion_text WHERE id = :id"
            ),
            {"id": d.id},
        )
    else:
        session.execute(
            text(
                "INSERT INTO discussion_search (discussion_id, tsv) SELECT id, to_tsvector('english', "
                "question || ' ' || coalesce(reasoning, '')) FROM discussion_text WHERE id = :id "
                "ON CONFLICT (discussion_id) DO UPDATE SET tsv = EXCLUDED.tsv"
            ),
            {"id": d.id},
        )


def load_turns(session: Session, *, discussion_id: int) -> list[mag.Turn]:
    """The stored turns in insertion order, with `responds_to` rebuilt from the edges."""
    rows = list(
        session.execute(select(Turn).where(Turn.discussion_id == discussion_id).order_by(Turn.id)).scalars()
    )
    key_of = {t.id: (t.agent, t.round) for t in rows}
    sources: dict[int, list[mag.TurnKey]] = {}
    for dst, src in session.execute(
        select(Edge.dst_id, Edge.src_id)
        .where(Edge.discussion_id == discussion_id)
        .order_by(Edge.dst_id, Edge.position)
    ):
        sources.setdefault(dst, []).append(key_of[src])
    return [
        mag.Turn(
            agent=t.agent,
            round=t.round,
            reasoning=t.reasoning,
            answer=t.answer,
            confidence=t.confidence,
            responds_to=sources.get(t.id, []) if t.explicit_edges else None,
        )
        for t in rows
    ]


def set_discussion_meta(session: Session, *, discussion_id: int, meta: dict) -> None:
    """Replace the discussion's meta object (kept in exports)."""
    d = session.get(Discussion, discussion_id)
    if d is None:
        raise KeyError(f"no discussion with id {discussion_id}")
    d.meta = json.dumps(meta, ensure_ascii=False) if meta else None
    session.add(d)
    session.flush()


def dataset_questions(session: Session, *, dataset: str) -> list[Question]:
    """The questions (with options and gold answers) of a stored dataset, in id order."""
    ds = require_dataset(session, dataset)
    rows = session.execute(
        select(
            Discussion.external_id,
            Discussion.task,
            Discussion.question,
            Discussion.gold_answer,
            Discussion.options,
        )
        .where(Discussion.dataset_id == ds)
        .order_by(Discussion.id)
    )
    return [
        Question(
            id=ext,
            task=task,
            question=question,
            gold_answer=gold,
            options=json.loads(options) if options else None,
        )
        for ext, task, question, gold, options in rows
    ]

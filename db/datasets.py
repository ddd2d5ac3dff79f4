"""Datasets as a whole: list with counts, details, rename, delete, merge, copy with labels.

Functions are keyword-only after the session; the caller owns the transaction
(`db.engine.session_scope(url, write=True)`; delete and copy want `bulk_load=True` on SQLite, see
`delete_dataset`). Every change that alters what pages show bumps the label revision, which keys
their cached reads.
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Select, delete, func, insert, literal, select, text, union, update
from sqlmodel import Session

from db.engine import is_sqlite
from db.jobs import ACTIVE
from db.models import (
    Adjudication,
    Dataset,
    Discussion,
    Edge,
    EvalQuestion,
    Job,
    LabelEvent,
    NodePrediction,
    Response,
    StoreMeta,
    Turn,
)
from db.queries import bump_revision, label_revision
from db.visibility import ALL_ROWS

# Keys of a job's config (at any depth) that name datasets: one name, a list (or a dict's values)
# of names, or a list of dataset ids (a stored Browse filter).
_NAME_KEYS = ("dataset", "target_dataset")
_NAMES_KEYS = ("ds", "datasets")
_IDS_KEY = "dataset_ids"


def get_dataset(session: Session, name: str) -> Dataset | None:
    return session.execute(select(Dataset).where(Dataset.name == name)).scalar()


def listing(session: Session) -> list[dict]:
    """Every dataset (empty ones too) with its details, discussions, nodes and human labels,
    from the discussions' summary columns (no scan of the turn table)."""
    rows = session.execute(
        select(
            Dataset.name,
            Dataset.description,
            Dataset.source,
            Dataset.created_at,
            func.count(Discussion.id),
            func.coalesce(func.sum(Discussion.n_turns), 0),
            func.coalesce(func.sum(Discussion.n_human), 0),
        )
        .outerjoin(Discussion, Discussion.dataset_id == Dataset.id)
        .group_by(Dataset.id, Dataset.name, Dataset.description, Dataset.source, Dataset.created_at)
        .order_by(Dataset.name)
    ).all()
    keys = ("name", "description", "source", "created_at", "discussions", "turns", "human")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def set_details(session: Session, *, dataset_id: int, description: str | None, source: str | None) -> None:
    session.execute(
        update(Dataset).where(Dataset.id == dataset_id).values(description=description, source=source)
    )


def rename(session: Session, *, dataset_id: int, name: str) -> None:
    session.execute(update(Dataset).where(Dataset.id == dataset_id).values(name=name))
    bump_revision(session)


def _discussion_ids(dataset_id: int) -> Select:
    return select(Discussion.id).where(Discussion.dataset_id == dataset_id)


def _turn_ids(dataset_id: int) -> Select:
    return select(Turn.id).where(Turn.discussion_id.in_(_discussion_ids(dataset_id)))


def contents(session: Session, *, dataset_id: int) -> dict[str, int]:
    """What deleting the dataset removes (discussions, nodes, human labels, history entries,
    node predictions) and how many evaluation questions point at its discussions."""
    ids = _discussion_ids(dataset_id)

    def count(q) -> int:
        return session.execute(q).scalar() or 0

    return dict(
        discussions=count(select(func.count()).select_from(ids.subquery())),
        turns=count(select(func.count()).where(Turn.discussion_id.in_(ids))),
        human=count(select(func.count()).where(Turn.discussion_id.in_(ids), Turn.human_label.is_not(None))),
        history=count(select(func.count()).where(LabelEvent.discussion_id.in_(ids))),
        predictions=count(select(func.count()).where(NodePrediction.turn_id.in_(_turn_ids(dataset_id)))),
        eval_questions=count(select(func.count()).where(EvalQuestion.discussion_id.in_(ids))),
    )


def _mentions(value: Any, name: str, dataset_id: int) -> bool:
    if isinstance(value, list):
        return any(_mentions(v, name, dataset_id) for v in value)
    if not isinstance(value, dict):
        return False
    for key, v in value.items():
        if key in _NAME_KEYS and v == name:
            return True
        if key in _NAMES_KEYS and name in (
            v.values() if isinstance(v, dict) else v if isinstance(v, list) else ()
        ):
            return True
        if key == _IDS_KEY and isinstance(v, list) and dataset_id in v:
            return True
        if _mentions(v, name, dataset_id):
            return True
    return False


def referring_jobs(session: Session, *, dataset_id: int, name: str, active_only: bool = False) -> list[Job]:
    """Jobs whose config names the dataset (by name, or by id in a stored Browse filter), newest
    first. A job that selects every dataset (no dataset filter) names none."""
    q = select(Job).order_by(Job.id.desc())
    if active_only:
        q = q.where(Job.status.in_(ACTIVE))
    return [j for j in session.execute(q).scalars() if _mentions(json.loads(j.config), name, dataset_id)]


def clashes(session: Session, *, source_id: int, target_id: int, limit: int = 5) -> tuple[int, list[str]]:
    """Discussion ids held by both datasets: how many, and the first few in id order."""
    both = select(Discussion.external_id).where(
        Discussion.dataset_id == source_id,
        Discussion.external_id.in_(select(Discussion.external_id).where(Discussion.dataset_id == target_id)),
    )
    n = session.execute(select(func.count()).select_from(both.subquery())).scalar() or 0
    first = list(session.execute(both.order_by(Discussion.id).limit(limit)).scalars())
    return n, first


def delete_dataset(session: Session, *, dataset_id: int) -> None:
    """Remove the dataset with its discussions, nodes, edges, history and node predictions;
    evaluation questions keep their text and lose their link.

    Children go first, explicitly. A deleted node makes the database look for edges that name it,
    and the edge table has no index on its node columns (imports would pay for one), so each of
    those looks is a scan of the table: on SQLite the transaction is a `bulk_load` one (no
    foreign-key checks), on PostgreSQL the edge table's two keys to the node table are dropped for
    the transaction and added again (checked, in one pass) before it commits.
    """
    ids = _discussion_ids(dataset_id)
    sqlite = is_sqlite(session.get_bind())
    keys = [] if sqlite else _drop_edge_keys(session)
    search = "DELETE FROM {} WHERE {} IN (SELECT id FROM discussion WHERE dataset_id = :ds)"
    # SQLite's index reads the text it removes from discussion_text: before the rows go.
    session.execute(
        text(
            search.format(
                *(("discussion_fts", "rowid") if sqlite else ("discussion_search", "discussion_id"))
            )
        ),
        {"ds": dataset_id},
    )
    session.execute(delete(NodePrediction).where(NodePrediction.turn_id.in_(_turn_ids(dataset_id))))
    session.execute(delete(Adjudication).where(Adjudication.turn_id.in_(_turn_ids(dataset_id))))
    session.execute(delete(Response).where(Response.discussion_id.in_(ids)))
    session.execute(delete(Edge).where(Edge.discussion_id.in_(ids)))
    session.execute(delete(LabelEvent).where(LabelEvent.discussion_id.in_(ids)))
    session.execute(
        update(EvalQuestion).where(EvalQuestion.discussion_id.in_(ids)).values(discussion_id=None)
    )
    session.execute(delete(Turn).where(Turn.discussion_id.in_(ids)))
    session.execute(delete(Discussion).where(Discussion.dataset_id == dataset_id))
    session.execute(delete(Dataset).where(Dataset.id == dataset_id))
    for name, definition in keys:
        session.execute(text(f'ALTER TABLE edge ADD CONSTRAINT "{name}" {definition}'))
    bump_revision(session)


def _drop_edge_keys(session: Session) -> list[tuple[str, str]]:
    """PostgreSQL: drop the edge table's foreign keys to turn; their names and definitions. The
    tables are locked first in the order imports lock them (discussion, turn, then edge)."""
    session.execute(text("LOCK TABLE discussion, turn IN EXCLUSIVE MODE"))
    keys = session.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = 'edge'::regclass AND confrelid = 'turn'::regclass ORDER BY conname"
        )
    ).all()
    for name, _ in keys:
        session.execute(text(f'ALTER TABLE edge DROP CONSTRAINT "{name}"'))
    return [tuple(k) for k in keys]


def merge(session: Session, *, source_id: int, target_id: int) -> int:
    """Move every discussion of `source` (with its nodes and history) into `target` and remove
    `source`; returns how many moved. The caller refuses clashing discussion ids first (the
    unique constraint would stop the move anyway)."""
    moved = session.execute(
        update(Discussion)
        .where(Discussion.dataset_id == source_id)
        .values(dataset_id=target_id)
        .execution_options(synchronize_session=False)
    ).rowcount
    session.execute(delete(Dataset).where(Dataset.id == source_id))
    bump_revision(session)
    return moved


def _offset(session: Session, model, source_ids: Select) -> int:
    """What to add to the copied rows' ids so that they follow every id in use."""
    top = session.execute(select(func.max(model.id)), execution_options={ALL_ROWS: True}).scalar() or 0
    low = session.execute(select(func.min(source_ids.subquery().c[0]))).scalar() or 0
    return top + 1 - low


def _copy(session: Session, model, changed: dict[str, Any], where, *, join: tuple | None = None) -> None:
    """INSERT INTO model SELECT its columns (some `changed`) FROM model [LEFT JOIN ...] WHERE ..."""
    cols = [c.name for c in model.__table__.columns]
    source = select(*(changed.get(c, model.__table__.c[c]) for c in cols)).select_from(model.__table__)
    if join is not None:
        source = source.outerjoin(*join)
    session.execute(insert(model).from_select(cols, source.where(where)))


def _revision_map(d_ids: Select, base: int):
    """(old revision, its copy's) for every label revision of the discussions' history and
    responses: the copy gets revisions of its own, in the same order, after `base`."""
    revs = union(
        select(LabelEvent.revision.label("old")).where(LabelEvent.discussion_id.in_(d_ids)),
        select(Response.revision).where(Response.discussion_id.in_(d_ids), Response.revision.is_not(None)),
    ).subquery()
    return select(revs.c.old, (base + func.dense_rank().over(order_by=revs.c.old)).label("new")).subquery()


def copy_dataset(session: Session, *, source_id: int, name: str) -> dict[str, int]:
    """A new dataset `name` holding copies of the source's discussions, nodes (human labels,
    exclusions, versions, response counts), edges, history (who, when, notes, undo links), every
    response (withdrawals included) and adjudication, with its description and source. The copied
    history and responses get revisions of their own, one per revision they had, so undoing a bulk
    action in one dataset never touches the other. Node predictions stay with the original (they
    belong to the job that scored it). Returns the counts copied."""
    postgres = not is_sqlite(session.get_bind())
    if postgres:  # the ids we hand out stay ours (SQLite: the write lock is ours already)
        session.execute(
            text("LOCK TABLE discussion, turn, labelevent, response, adjudication IN EXCLUSIVE MODE")
        )
    src = session.get(Dataset, source_id)
    new = Dataset(name=name, description=src.description, source=src.source)
    session.add(new)
    session.flush()
    d_ids, t_ids = _discussion_ids(source_id), _turn_ids(source_id)
    e_ids = select(LabelEvent.id).where(LabelEvent.discussion_id.in_(d_ids))
    r_ids = select(Response.id).where(Response.discussion_id.in_(d_ids))
    a_ids = select(Adjudication.id).where(Adjudication.turn_id.in_(t_ids))
    d_off, t_off, e_off, r_off, a_off = (
        _offset(session, m, q)
        for m, q in (
            (Discussion, d_ids),
            (Turn, t_ids),
            (LabelEvent, e_ids),
            (Response, r_ids),
            (Adjudication, a_ids),
        )
    )
    base = label_revision(session)
    _copy(
        session,
        Discussion,
        {"id": Discussion.id + d_off, "dataset_id": literal(new.id)},
        Discussion.dataset_id == source_id,
    )
    _copy(
        session,
        Turn,
        {"id": Turn.id + t_off, "discussion_id": Turn.discussion_id + d_off},
        Turn.discussion_id.in_(d_ids),
    )
    _copy(
        session,
        Edge,
        {
            "discussion_id": Edge.discussion_id + d_off,
            "dst_id": Edge.dst_id + t_off,
            "src_id": Edge.src_id + t_off,
        },
        Edge.discussion_id.in_(d_ids),
    )
    revs = _revision_map(d_ids, base)
    revisions = session.execute(select(func.count()).select_from(revs)).scalar()
    _copy(
        session,
        LabelEvent,
        {
            "id": LabelEvent.id + e_off,
            "discussion_id": LabelEvent.discussion_id + d_off,
            "turn_id": LabelEvent.turn_id + t_off,
            "undoes": LabelEvent.undoes + e_off,
            "revision": revs.c.new,
        },
        LabelEvent.discussion_id.in_(d_ids),
        join=(revs, revs.c.old == LabelEvent.revision),
    )
    _copy(
        session,
        Response,
        {
            "id": Response.id + r_off,
            "turn_id": Response.turn_id + t_off,
            "discussion_id": Response.discussion_id + d_off,
            "revision": revs.c.new,
        },
        Response.discussion_id.in_(d_ids),
        join=(revs, revs.c.old == Response.revision),
    )
    _copy(
        session,
        Adjudication,
        {"id": Adjudication.id + a_off, "turn_id": Adjudication.turn_id + t_off},
        Adjudication.turn_id.in_(t_ids),
    )
    session.execute(
        update(StoreMeta).where(StoreMeta.key == "label_revision").values(value=base + max(revisions, 1))
    )
    if postgres:
        session.execute(
            text(
                "INSERT INTO discussion_search (discussion_id, tsv) SELECT discussion_id + :off, tsv "
                "FROM discussion_search WHERE discussion_id IN "
                "(SELECT id FROM discussion WHERE dataset_id = :src)"
            ),
            {"off": d_off, "src": source_id},
        )
        for table in ("discussion", "turn", "labelevent", "response", "adjudication"):
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"GREATEST((SELECT MAX(id) FROM {table}), 1))"
                )
            )
    else:
        session.execute(
            text(
                "INSERT INTO discussion_fts (rowid, question, reasoning) SELECT id, question, reasoning "
                "FROM discussion_text WHERE id IN (SELECT id FROM discussion WHERE dataset_id = :ds)"
            ),
            {"ds": new.id},
        )
    copied = _discussion_ids(new.id)
    n_edges = session.execute(select(func.count()).where(Edge.discussion_id.in_(copied)))
    n_responses = session.execute(select(func.count()).where(Response.discussion_id.in_(copied)))
    n_adjudications = session.execute(select(func.count()).where(Adjudication.turn_id.in_(_turn_ids(new.id))))
    return {
        **contents(session, dataset_id=new.id),
        "edges": n_edges.scalar(),
        "responses": n_responses.scalar(),
        "adjudications": n_adjudications.scalar(),
    }


def external_ids(session: Session, *, name: str) -> set[str]:
    """The discussion ids the dataset holds (none for a dataset not stored)."""
    return set(
        session.execute(
            select(Discussion.external_id)
            .join(Dataset, Dataset.id == Discussion.dataset_id)
            .where(Dataset.name == name)
        ).scalars()
    )

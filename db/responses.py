"""Annotators' responses to nodes and adjudications (append-only tables; migrations 0008, 0009).

An annotator's current response to a node is their newest row; "withdrawn" means they have none.
`Response.is_current` marks it and `Turn.n_responses` counts a node's current responses: every
write of responses calls `refresh_counts` in its transaction (the annotation queue and task
progress read them). An adjudication's newest row per node wins. `human_labels` derives the node's
human label from them (`magdi.annotation`); `db.labels` materialises it in `Turn.human_label`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import Select, func, insert, select, update
from sqlmodel import Session

from db.models import Adjudication, Dataset, Discussion, LabelEvent, Response, Turn, utcnow
from db.queries import CHUNK
from magdi.annotation import VALUES, consensus_min, human_consensus, human_label

WITHDRAWN = "withdrawn"
CurrentResponses = dict[
    int, dict[str, tuple[str, str | None, datetime]]
]  # turn: annotator: (value, note, at)


def add_response(
    session: Session,
    turn_id: int,
    annotator: str,
    value: str,
    *,
    note: str | None = None,
    revision: int | None = None,
    at: datetime | None = None,
) -> Response:
    if value not in VALUES:
        raise ValueError(f"unknown response {value!r}; expected one of {VALUES}")
    turn = session.get(Turn, turn_id)
    if turn is None:
        raise KeyError(f"no node with id {turn_id}")
    row = Response(
        turn_id=turn_id,
        discussion_id=turn.discussion_id,
        annotator=annotator,
        value=value,
        note=note,
        revision=revision,
        created_at=at or utcnow(),
    )
    session.add(row)
    session.flush()
    refresh_counts(session, [turn_id])
    session.expire(row, ["is_current"])  # set by refresh_counts in the database
    return row


def refresh_counts(session: Session, turn_ids: Iterable[int]) -> None:
    """Re-derive `Response.is_current` and `Turn.n_responses` of these nodes from their response
    rows (a few per node: each write calls it for the nodes it wrote to)."""
    ids = sorted(set(turn_ids))
    older = Response.__table__.alias("older")
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        newest = select(func.max(older.c.id)).where(older.c.turn_id.in_(part))
        live = Response.id.in_(newest.group_by(older.c.turn_id, older.c.annotator)) & (
            Response.value != WITHDRAWN
        )
        session.execute(
            update(Response)
            .where(Response.turn_id.in_(part), Response.is_current != live)
            .values(is_current=live)
            .execution_options(synchronize_session=False)
        )
        n = (
            select(func.count(Response.id))
            .where(Response.turn_id == Turn.id, Response.is_current)
            .correlate(Turn)
            .scalar_subquery()
        )
        session.execute(
            update(Turn)
            .where(Turn.id.in_(part), Turn.n_responses != n)
            .values(n_responses=n)
            .execution_options(synchronize_session=False)
        )


def current_responses(
    session: Session, turn_ids: Iterable[int], *, annotator: str | None = None
) -> CurrentResponses:
    """Every annotator's current response to these nodes (only `annotator`'s, if given); withdrawn
    responses are left out (the annotator has none)."""
    ids, out = sorted(set(turn_ids)), {}
    for i in range(0, len(ids), CHUNK):
        q = select(Response.turn_id, Response.annotator, Response.value, Response.note, Response.created_at)
        q = q.where(Response.turn_id.in_(ids[i : i + CHUNK]), Response.is_current)
        if annotator is not None:
            q = q.where(Response.annotator == annotator)
        for turn_id, who, value, note, at in session.execute(q):
            out.setdefault(turn_id, {})[who] = (value, note, at)
    return out


def response_history(session: Session, turn_id: int) -> list[Response]:
    """Every response ever given to the node, oldest first (withdrawals included)."""
    q = select(Response).where(Response.turn_id == turn_id).order_by(Response.id)
    return list(session.execute(q).scalars())


def add_adjudication(
    session: Session, turn_id: int, label: bool, *, reason: str, adjudicator: str, at: datetime | None = None
) -> Adjudication:
    if session.get(Turn, turn_id) is None:
        raise KeyError(f"no node with id {turn_id}")
    row = Adjudication(
        turn_id=turn_id, label=label, reason=reason, adjudicator=adjudicator, created_at=at or utcnow()
    )
    session.add(row)
    session.flush()
    return row


def newest_adjudication_ids() -> Select:
    """The ids of each node's newest adjudication, the one that counts (a subquery to narrow)."""
    return select(func.max(Adjudication.id)).group_by(Adjudication.turn_id)


def current_adjudications(session: Session, turn_ids: Iterable[int]) -> dict[int, Adjudication]:
    """The newest adjudication of each of these nodes that has one."""
    ids, out = sorted(set(turn_ids)), {}
    for i in range(0, len(ids), CHUNK):
        newest = newest_adjudication_ids().where(Adjudication.turn_id.in_(ids[i : i + CHUNK]))
        for row in session.execute(select(Adjudication).where(Adjudication.id.in_(newest))).scalars():
            out[row.turn_id] = row
    return out


def current_adjudication(session: Session, turn_id: int) -> Adjudication | None:
    return current_adjudications(session, [turn_id]).get(turn_id)


def human_labels(
    session: Session, turn_ids: Iterable[int], *, overlay: dict[int, tuple[str, str]] | None = None
) -> dict[int, bool | None]:
    """Each node's human label: its adjudicated label, else the consensus of its current responses
    (k = MAGDI_CONSENSUS_MIN), else None. `overlay` {turn: (annotator, value)} counts a response
    as if it were already written (a bulk label computes what it would change)."""
    ids = sorted(set(turn_ids))
    responses, adjudicated, k = (
        current_responses(session, ids),
        current_adjudications(session, ids),
        consensus_min(),
    )
    out = {}
    for t in ids:
        values = {who: v for who, (v, _, _) in responses.get(t, {}).items()}
        if overlay and t in overlay:
            values[overlay[t][0]] = overlay[t][1]
        adjudication = adjudicated.get(t)
        out[t] = human_label(adjudication and adjudication.label, human_consensus(values.values(), k))
    return out


def restore_value(session: Session, turn_id: int, annotator: str, revision: int | None) -> str | None:
    """The value `annotator`'s response to the node had before the one they gave in `revision`
    (their current one when that revision wrote none): "withdrawn" when there was none, None when
    they have no response to take back."""
    q = select(Response.value, Response.revision).where(
        Response.turn_id == turn_id, Response.annotator == annotator
    )
    rows = list(session.execute(q.order_by(Response.id)).all())
    if not rows:
        return None
    found = [i for i, (_, r) in enumerate(rows) if revision is not None and r == revision]
    cut = found[-1] if found else len(rows) - 1
    return rows[cut - 1][0] if cut else "withdrawn"


def seeds(session: Session, turn_ids: Iterable[int]) -> dict[int, tuple[int, str, str]]:
    """The response `seed_responses` would give each of these nodes that needs one: turn ->
    (discussion, annotator, value)."""
    ids, out = sorted(set(turn_ids)), {}
    for i in range(0, len(ids), CHUNK):
        part = ids[i : i + CHUNK]
        answered = select(Response.turn_id).where(Response.turn_id.in_(part))
        bare = session.execute(
            select(Turn.id, Turn.discussion_id, Turn.human_label).where(
                Turn.id.in_(part), Turn.human_label.is_not(None), Turn.id.not_in(answered)
            )
        ).all()
        if not bare:
            continue
        newest = (
            select(func.max(LabelEvent.id))
            .where(LabelEvent.turn_id.in_([b[0] for b in bare]), LabelEvent.field == "label")
            .group_by(LabelEvent.turn_id)
        )
        who = dict(
            session.execute(select(LabelEvent.turn_id, LabelEvent.who).where(LabelEvent.id.in_(newest))).all()
        )
        out.update({t: (d, who.get(t, "local"), "correct" if h else "incorrect") for t, d, h in bare})
    return out


def seed_responses(session: Session, turn_ids: Iterable[int]) -> None:
    """A node whose human label came without responses (imported with the file, or set before
    responses existed) gets one for it before anyone responds, so the label is not lost: from the
    annotator of its newest label edit, or "local" (as migration 0008 did)."""
    found = seeds(session, turn_ids)
    rows = [
        dict(turn_id=t, discussion_id=d, annotator=who, value=value, created_at=utcnow())
        for t, (d, who, value) in found.items()
    ]
    for i in range(0, len(rows), CHUNK):
        session.execute(insert(Response), rows[i : i + CHUNK])
    refresh_counts(session, found)


def exported_responses(
    session: Session, keys: Iterable[tuple[str | None, str]]
) -> dict[tuple[str | None, str, str, int], list[dict]]:
    """Every annotator's current response to the nodes of these discussions ((dataset name,
    external id) pairs), by (dataset, discussion, agent, round), oldest first, as an export writes
    them."""
    wanted = set(keys)
    if not wanted:
        return {}
    q = (
        select(Dataset.name, Discussion.external_id, Turn.agent, Turn.round, Turn.id)
        .join(Discussion, Discussion.id == Turn.discussion_id)
        .join(Dataset, Dataset.id == Discussion.dataset_id)
        .where(Discussion.external_id.in_(sorted({e for _, e in wanted})))
    )
    key_of = {
        t: (ds, ext, agent, rnd) for ds, ext, agent, rnd, t in session.execute(q) if (ds, ext) in wanted
    }
    out = {}
    for turn_id, by in current_responses(session, key_of).items():
        rows = sorted(by.items(), key=lambda r: r[1][2])
        out[key_of[turn_id]] = [
            dict(annotator=who, value=value, note=note, at=at.isoformat()) for who, (value, note, at) in rows
        ]
    return out

"""Label edits with history: node labels, exclusion, gold corrections, bulk labels and undo.

A node label is an annotator's response (`db.responses`); the node's human label is derived from
every current response and adjudication of it (`responses.human_labels`) and materialised in
`Turn.human_label`, with a history entry (and a new label revision) whenever it changes.

Every edit is checked against the version the editor loaded (`StaleEdit` otherwise), recorded in
the append-only history with a new label revision, and followed by the derived columns
(automatic labels, summaries, review flags from `magdi.summary`). The caller owns the
transaction (`db.engine.session_scope(write=True)`).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from typing import TypeVar

from sqlalchemy import bindparam, case, func, insert, select, text, update
from sqlmodel import Session

from db import responses
from db.browsing import BrowseFilter, node_scope
from db.engine import is_sqlite
from db.models import Adjudication, Dataset, Discussion, LabelEvent, Response, Turn, utcnow
from db.queries import CHUNK, bump_revision
from magdi.annotation import consensus_min, effective_label, human_consensus, human_label
from magdi.answers import label_answer
from magdi.mag import label_text
from magdi.summary import Node, summarize_discussion

R = TypeVar("R")
_POSTGRES_EDIT_LOCK = 7238412  # advisory lock key of label edits


def _takes_turns(edit: Callable[..., R]) -> Callable[..., R]:
    """A label edit reads what it changes, so edits take turns: on PostgreSQL through a
    transaction-level advisory lock (SQLite writers already do, with BEGIN IMMEDIATE). No edit
    then overwrites one committed between its read and its write."""

    @functools.wraps(edit)
    def in_turn(session: Session, *args, **kwargs) -> R:
        if not is_sqlite(session.get_bind()):
            session.execute(text(f"SELECT pg_advisory_xact_lock({_POSTGRES_EDIT_LOCK})"))
        return edit(session, *args, **kwargs)

    return in_turn


class StaleEdit(RuntimeError):
    """The row changed since the editor loaded it (optimistic version check)."""


def _nodes(session: Session, discussion_id: int) -> list[Turn]:
    q = select(Turn).where(Turn.discussion_id == discussion_id).order_by(Turn.id)
    return list(session.execute(q.execution_options(populate_existing=True)).scalars())


def refresh_summary(session: Session, discussion_id: int) -> None:
    """Recompute the discussion's summary columns and its nodes' review flags."""
    refresh_summaries(session, [discussion_id])


def refresh_summaries(session: Session, discussion_ids: list[int]) -> None:
    """`refresh_summary` for many discussions, reading their nodes in chunks."""
    for i in range(0, len(discussion_ids), CHUNK):
        ids = discussion_ids[i : i + CHUNK]
        by_disc: dict[int, list] = {}
        for row in session.execute(
            select(
                Turn.id,
                Turn.discussion_id,
                Turn.agent,
                Turn.round,
                Turn.answer_norm,
                Turn.confidence,
                Turn.auto_label,
                Turn.human_label,
                Turn.needs_review,
            )
            .where(Turn.discussion_id.in_(ids))
            .order_by(Turn.discussion_id, Turn.id)
        ):
            by_disc.setdefault(row[1], []).append(row)
        d_rows, flag_rows = [], []
        for d_id, turns in by_disc.items():
            summary, review = summarize_discussion([Node(t[2], t[3], t[4], t[5], t[6], t[7]) for t in turns])
            d_rows.append(dict(b_id=d_id, **summary.to_dict()))
            flag_rows.extend(dict(b_id=t[0], flag=flag) for t, flag in zip(turns, review) if t[8] != flag)
        if d_rows:
            session.connection().execute(
                update(Discussion.__table__)
                .where(Discussion.__table__.c.id == bindparam("b_id"))
                .values({k: bindparam(k) for k in d_rows[0] if k != "b_id"}),
                d_rows,
            )
        if flag_rows:
            session.connection().execute(
                update(Turn.__table__)
                .where(Turn.__table__.c.id == bindparam("b_id"))
                .values(needs_review=bindparam("flag")),
                flag_rows,
            )


def _record(
    session: Session,
    *,
    discussion_id: int,
    turn_id: int | None,
    field_name: str,
    old: str | None,
    new: str | None,
    who: str,
    note: str | None,
    revision: int,
    undoes: int | None = None,
) -> LabelEvent:
    event = LabelEvent(
        discussion_id=discussion_id,
        turn_id=turn_id,
        field=field_name,
        old=old,
        new=new,
        who=who,
        note=note,
        revision=revision,
        undoes=undoes,
        at=utcnow(),
    )
    session.add(event)
    session.flush()
    return event


def _excluded_text(value: bool) -> str:
    return str(value).lower()


# a node's editable columns: history field name -> (column, how the history writes a value)
_NODE_FIELDS = {"label": ("human_label", label_text), "excluded": ("excluded", _excluded_text)}


def _stale(turn: Turn, expected_version: int | None) -> StaleEdit:
    return StaleEdit(
        f"node {turn.agent} round {turn.round} was changed by someone else "
        f"since you loaded it (version {expected_version} → {turn.version}); "
        "reload it and apply your change again"
    )


def _edit_node(
    session: Session,
    turn_id: int,
    field_name: str,
    value: bool | None,
    *,
    who: str,
    note: str | None,
    expected_version: int | None,
    undoes: int | None,
) -> tuple[Turn, LabelEvent]:
    """Change one editable column of a node if its version is still `expected_version`; one
    history entry with a new label revision."""
    column, text = _NODE_FIELDS[field_name]
    before = session.get(Turn, turn_id)
    if before is None:
        raise KeyError(f"no node with id {turn_id}")
    old = text(getattr(before, column))
    q = update(Turn).where(Turn.id == turn_id)
    if expected_version is not None:
        q = q.where(Turn.version == expected_version)
    if session.execute(q.values({column: value, "version": Turn.version + 1})).rowcount == 0:
        raise _stale(before, expected_version)
    session.refresh(before)
    event = _record(
        session,
        discussion_id=before.discussion_id,
        turn_id=turn_id,
        field_name=field_name,
        old=old,
        new=text(value),
        who=who,
        note=note,
        revision=bump_revision(session),
        undoes=undoes,
    )
    return before, event


def _apply_human_label(
    session: Session, turn_id: int, *, who: str, note: str | None, undoes: int | None = None
) -> LabelEvent | None:
    """Materialise the node's human label (`responses.human_labels`) in `Turn.human_label`: one
    history entry with a new label revision when it changed (an undo always gets one, so that it
    counts as done); None when it did not."""
    new = responses.human_labels(session, [turn_id])[turn_id]
    turn = session.get(Turn, turn_id, populate_existing=True)
    if new == turn.human_label and undoes is None:
        return None
    turn, event = _edit_node(
        session, turn_id, "label", new, who=who, note=note, expected_version=None, undoes=undoes
    )
    refresh_summary(session, turn.discussion_id)
    return event


def _respond(
    session: Session,
    turn_id: int,
    value: str,
    *,
    who: str,
    note: str | None,
    expected_version: int | None,
    undoes: int | None = None,
) -> tuple[Response, LabelEvent | None]:
    turn = session.get(Turn, turn_id, populate_existing=True)
    if turn is None:
        raise KeyError(f"no node with id {turn_id}")
    if expected_version is not None and turn.version != expected_version:
        raise _stale(turn, expected_version)
    responses.seed_responses(session, [turn_id])
    response = responses.add_response(session, turn_id, who, value, note=note)
    event = _apply_human_label(session, turn_id, who=who, note=note, undoes=undoes)
    if event is not None:
        response.revision = event.revision
        session.flush()
    return response, event


@_takes_turns
def respond(
    session: Session,
    turn_id: int,
    value: str,
    *,
    who: str,
    note: str | None = None,
    expected_version: int | None = None,
) -> tuple[Response, LabelEvent | None]:
    """Record `who`'s response ("correct" | "incorrect" | "unsure" | "withdrawn") to a node and
    re-derive its human label; the history gets an entry only when that label changed.

    `expected_version` is the node's version the annotator loaded: it changes with the node's human
    label (and exclusion), not with responses that leave the label as it was."""
    return _respond(session, turn_id, value, who=who, note=note, expected_version=expected_version)


@_takes_turns
def set_label(
    session: Session,
    turn_id: int,
    label: bool | None,
    *,
    who: str,
    note: str | None = None,
    expected_version: int | None = None,
) -> LabelEvent | None:
    """`who` labels the node correct / incorrect (a response), or with None withdraws their
    response; the history entry when its human label changed, else None."""
    value = label_text(label) or "withdrawn"
    return _respond(session, turn_id, value, who=who, note=note, expected_version=expected_version)[1]


@_takes_turns
def adjudicate(
    session: Session, turn_id: int, label: bool, *, who: str, reason: str
) -> tuple[Adjudication, LabelEvent | None]:
    """The node's final label, whatever its responses say; the newest adjudication wins."""
    adjudication = responses.add_adjudication(session, turn_id, label, reason=reason, adjudicator=who)
    return adjudication, _apply_human_label(session, turn_id, who=who, note=f"adjudicated: {reason}")


@_takes_turns
def set_excluded(
    session: Session,
    turn_id: int,
    excluded: bool,
    *,
    who: str,
    note: str | None = None,
    expected_version: int | None = None,
    undoes: int | None = None,
) -> LabelEvent:
    return _edit_node(
        session,
        turn_id,
        "excluded",
        excluded,
        who=who,
        note=note,
        expected_version=expected_version,
        undoes=undoes,
    )[1]


def preview_gold(session: Session, discussion_id: int, gold: str) -> list[tuple[Turn, bool, bool]]:
    """(turn, old automatic label, new automatic label) for every node whose label would change."""
    d = session.get(Discussion, discussion_id)
    options = json.loads(d.options) if d.options else None
    changes = []
    for t in _nodes(session, discussion_id):
        new, _ = label_answer(d.task, t.answer, gold, options)
        if new != t.auto_label:
            changes.append((t, t.auto_label, new))
    return changes


@_takes_turns
def set_gold(
    session: Session,
    discussion_id: int,
    gold: str,
    *,
    who: str,
    note: str | None = None,
    expected_version: int | None = None,
    undoes: int | None = None,
) -> LabelEvent:
    """Correct the gold answer, recompute automatic labels; history for the gold and each node."""
    d = session.get(Discussion, discussion_id)
    if d is None:
        raise KeyError(f"no discussion with id {discussion_id}")
    q = update(Discussion).where(Discussion.id == discussion_id)
    if expected_version is not None:
        q = q.where(Discussion.version == expected_version)
    old_gold = d.gold_answer
    changes = preview_gold(session, discussion_id, gold)
    if session.execute(q.values(gold_answer=gold, version=Discussion.version + 1)).rowcount == 0:
        raise StaleEdit(
            "the discussion's gold answer was changed by someone else since you "
            "loaded it; reload it and apply your change again"
        )
    revision = bump_revision(session)
    event = _record(
        session,
        discussion_id=discussion_id,
        turn_id=None,
        field_name="gold",
        old=old_gold,
        new=gold,
        who=who,
        note=note,
        revision=revision,
        undoes=undoes,
    )
    for turn, old, new in changes:
        session.execute(
            update(Turn).where(Turn.id == turn.id).values(auto_label=new, version=Turn.version + 1)
        )
        _record(
            session,
            discussion_id=discussion_id,
            turn_id=turn.id,
            field_name="auto_label",
            old=label_text(old),
            new=label_text(new),
            who=who,
            note=f"gold answer → {gold}",
            revision=revision,
        )
    refresh_summary(session, discussion_id)
    session.refresh(d)
    return event


def recomputed_labels(session: Session, revision: int) -> int:
    """How many automatic labels the gold correction of this revision recomputed."""
    return session.execute(
        select(func.count()).where(LabelEvent.revision == revision, LabelEvent.field == "auto_label")
    ).scalar()


@_takes_turns
def undo(session: Session, event_id: int, *, who: str) -> LabelEvent:
    """Revert one history entry by applying its inverse as a new entry.

    Refuses (StaleEdit) when the value changed again after that entry, so that undoing an old
    edit never silently overwrites a newer one.
    """
    event = session.get(LabelEvent, event_id)
    if event is None:
        raise KeyError(f"no history entry {event_id}")
    note = f"undo of #{event.id}"
    if event.field == "gold":
        d = session.get(Discussion, event.discussion_id)
        if d.gold_answer != event.new:
            raise StaleEdit("the gold answer changed again after this edit; undo the later edit first")
        return set_gold(session, event.discussion_id, event.old, who=who, note=note, undoes=event.id)
    turn = session.get(Turn, event.turn_id)
    if event.field == "label":
        if label_text(turn.human_label) != event.new:
            raise StaleEdit("this node's label changed again after this edit; undo the later edit first")
        if undone_event_ids(session, [event.id]):
            raise StaleEdit("this edit was already undone")
        if responses.current_adjudication(session, turn.id) is not None:
            raise ValueError(
                "this node's label was adjudicated; an adjudicator changes it by adjudicating again"
            )
        # the edit's author takes back the response that made it: theirs before it is current again
        value = responses.restore_value(session, turn.id, event.who, event.revision)
        restored = (
            None if value is None else responses.add_response(session, turn.id, event.who, value, note=note)
        )
        undo_event = _apply_human_label(session, turn.id, who=who, note=note, undoes=event.id)
        if restored is not None:
            restored.revision = undo_event.revision
            session.flush()
        return undo_event
    if event.field == "excluded":
        if str(turn.excluded).lower() != event.new:
            raise StaleEdit("this node's exclusion changed again after this edit")
        return set_excluded(session, turn.id, event.old == "true", who=who, note=note, undoes=event.id)
    raise ValueError(f"history entries of kind {event.field!r} are undone with their gold edit")


@_takes_turns
def undo_revision(session: Session, revision: int, *, who: str) -> int:
    """Undo every label entry of one revision (a bulk action) that is still current; returns how
    many were undone. Entries whose node changed again since are left alone (never overwritten).
    The responses the revision wrote are taken back (their authors' earlier ones are current
    again), also on nodes whose label they did not change, while still their authors' current ones."""
    events = list(
        session.execute(
            select(LabelEvent).where(
                LabelEvent.revision == revision, LabelEvent.field == "label", LabelEvent.undoes.is_(None)
            )
        ).scalars()
    )
    done = undone_event_ids(session, [e.id for e in events])
    pending = [e for e in events if e.id not in done]
    current = dict(
        session.execute(
            select(Turn.id, Turn.human_label).where(Turn.id.in_([e.turn_id for e in pending]))
        ).all()
    )
    todo = {e.turn_id: e for e in pending if label_text(current.get(e.turn_id)) == e.new}
    evented = {e.turn_id for e in events}
    written = list(
        session.execute(
            select(Response.turn_id, Response.annotator, Response.id, Response.discussion_id).where(
                Response.revision == revision
            )
        ).all()
    )
    discussion_of = {t: d for t, _, _, d in written}
    newest = _newest_response_ids(session, [(t, a) for t, a, _, _ in written])
    back = [
        (t, a) for t, a, rid, _ in written if t in todo or (t not in evented and newest.get((t, a)) == rid)
    ]
    if not todo and not back:
        return 0
    new_rev, now = bump_revision(session), utcnow()
    restore = {(t, a): responses.restore_value(session, t, a, revision) for t, a in back}
    rows = [(t, a, v) for (t, a), v in restore.items() if v is not None]
    for i in range(0, len(rows), CHUNK):
        session.execute(
            insert(Response),
            [
                dict(
                    turn_id=t,
                    discussion_id=discussion_of[t],
                    annotator=a,
                    value=v,
                    revision=new_rev,
                    created_at=now,
                )
                for t, a, v in rows[i : i + CHUNK]
            ],
        )
    responses.refresh_counts(session, [t for t, _, _ in rows])
    turn_ids = sorted(set(todo) | {t for t, _ in back})
    _write_labels(
        session,
        turn_ids,
        who=who,
        note=f"undo of revision {revision}",
        revision=new_rev,
        at=now,
        undoes={t: e.id for t, e in todo.items()},
    )
    return len(todo)


def _newest_response_ids(session: Session, pairs: list[tuple[int, str]]) -> dict[tuple[int, str], int]:
    turn_ids = sorted({t for t, _ in pairs})
    out: dict[tuple[int, str], int] = {}
    for i in range(0, len(turn_ids), CHUNK):
        q = (
            select(Response.turn_id, Response.annotator, func.max(Response.id))
            .where(Response.turn_id.in_(turn_ids[i : i + CHUNK]))
            .group_by(Response.turn_id, Response.annotator)
        )
        out.update({(t, a): rid for t, a, rid in session.execute(q)})
    return out


def _write_labels(
    session: Session,
    turn_ids: list[int],
    *,
    who: str,
    note: str | None,
    revision: int,
    at,
    undoes: dict[int, int] | None = None,
    known: dict[int, bool | None] | None = None,
) -> list[int]:
    """Materialise the human labels of many nodes (`known`: already computed); one history entry
    per changed node, and one per node in `undoes` (turn: the entry it undoes) changed or not.
    Returns the discussions touched."""
    undoes = undoes or {}
    new = known if known is not None else responses.human_labels(session, turn_ids)
    old: dict[int, tuple[int, bool | None]] = {}
    for i in range(0, len(turn_ids), CHUNK):
        q = select(Turn.id, Turn.discussion_id, Turn.human_label).where(Turn.id.in_(turn_ids[i : i + CHUNK]))
        old.update({t: (d, h) for t, d, h in session.execute(q)})
    changed = [t for t in turn_ids if new[t] != old[t][1] or t in undoes]
    for i in range(0, len(changed), CHUNK):
        part = changed[i : i + CHUNK]
        for value in {new[t] for t in part}:
            session.execute(
                update(Turn)
                .where(Turn.id.in_([t for t in part if new[t] == value]))
                .values(human_label=value, version=Turn.version + 1)
                .execution_options(synchronize_session=False)
            )
        session.execute(
            insert(LabelEvent),
            [
                dict(
                    discussion_id=old[t][0],
                    turn_id=t,
                    field="label",
                    old=label_text(old[t][1]),
                    new=label_text(new[t]),
                    who=who,
                    at=at,
                    note=note,
                    revision=revision,
                    undoes=undoes.get(t),
                )
                for t in part
            ],
        )
    touched = sorted({old[t][0] for t in changed})
    refresh_summaries(session, touched)
    return touched


def history(
    session: Session, *, turn_id: int | None = None, discussion_id: int | None = None, limit: int = 50
) -> list[LabelEvent]:
    q = select(LabelEvent).order_by(LabelEvent.id.desc()).limit(limit)
    if turn_id is not None:
        q = q.where(LabelEvent.turn_id == turn_id)
    if discussion_id is not None:
        q = q.where(LabelEvent.discussion_id == discussion_id)
    return list(session.execute(q).scalars())


def undone_event_ids(session: Session, event_ids: Iterable[int]) -> set[int]:
    """Which of these history entries have already been undone."""
    ids = list(event_ids)
    if not ids:
        return set()
    return set(session.execute(select(LabelEvent.undoes).where(LabelEvent.undoes.in_(ids))).scalars())


def recent_events(session: Session, *, limit: int = 20) -> list[dict]:
    """The latest history entries with where they happened (dataset, discussion, node)."""
    q = (
        select(LabelEvent, Dataset.name, Discussion.external_id, Turn.agent, Turn.round)
        .join(Discussion, Discussion.id == LabelEvent.discussion_id)
        .join(Dataset, Dataset.id == Discussion.dataset_id)
        .outerjoin(Turn, Turn.id == LabelEvent.turn_id)
        .order_by(LabelEvent.id.desc())
        .limit(limit)
    )
    out = []
    for ev, ds, ext, agent, rnd in session.execute(q):
        out.append(
            dict(
                id=ev.id,
                at=ev.at,
                who=ev.who,
                dataset=ds,
                discussion=ext,
                discussion_id=ev.discussion_id,
                turn_id=ev.turn_id,
                agent=agent,
                round=rnd,
                field=ev.field,
                old=ev.old,
                new=ev.new,
                note=ev.note,
                undoes=ev.undoes,
                revision=ev.revision,
            )
        )
    return out


def recent_bulk_actions(session: Session, *, limit: int = 10) -> list[dict]:
    """The latest revisions that labelled several nodes at once (a bulk action; undo entries are
    not one), newest first, with how many of their entries have been undone since."""
    e, u = LabelEvent, LabelEvent.__table__.alias("u")
    rows = session.execute(
        select(
            e.revision,
            func.min(e.who),
            func.min(e.at),
            func.count(),
            func.count(func.distinct(e.discussion_id)),
            func.min(e.new),
            func.max(e.new),
            func.min(e.note),
        )
        .where(e.field == "label", e.undoes.is_(None))
        .group_by(e.revision)
        .having(func.count() > 1)
        .order_by(e.revision.desc())
        .limit(limit)
    ).all()
    revisions = [r[0] for r in rows]
    undone = (
        dict(
            session.execute(
                select(e.revision, func.count())
                .join(u, u.c.undoes == e.id)
                .where(e.revision.in_(revisions), e.field == "label")
                .group_by(e.revision)
            ).all()
        )
        if revisions
        else {}
    )
    return [
        dict(
            revision=rev,
            who=who,
            at=at,
            nodes=nodes,
            discussions=discussions,
            label=low if low == high else "mixed",
            note=note,
            undone=undone.get(rev, 0),
        )
        for rev, who, at, nodes, discussions, low, high, note in rows
    ]


def bulk_preview(
    session: Session,
    f: BrowseFilter,
    label: bool,
    *,
    who: str,
    answer: str | None = None,
    agent: str | None = None,
    round_: int | None = None,
) -> dict:
    """What a bulk label by `who` would do to every matching node (all matches, not one page), given
    the other annotators' responses, adjudications and the consensus rule, as `bulk_set_label`
    would apply it: `responses` written (nodes whose response by `who` says otherwise), `changing`
    human labels that change, `to_label` of them to `label`, `undecided` nodes left without a human
    label (a tie or too few responses: the automatic label applies), `effective_flips` effective
    labels that change. Counted per kind of node in SQL; only nodes with a label imported without
    responses (which get one first) are looked at one by one."""
    scope, value, k = (
        node_scope(session, f, answer=answer, agent=agent, round_=round_),
        label_text(label),
        consensus_min(),
    )
    nodes, discussions = session.execute(
        select(func.count(Turn.id), func.count(func.distinct(Turn.discussion_id))).where(*scope)
    ).one()
    out = dict(
        nodes=nodes,
        discussions=discussions,
        responses=0,
        changing=0,
        to_label=0,
        undecided=0,
        effective_flips=0,
    )

    def tally(
        n: int, before: bool | None, auto: bool, others: list[str], mine: str | None, adjudicated
    ) -> None:
        writes = mine != value
        after = before if not writes else human_label(adjudicated, human_consensus([*others, value], k))
        out["responses"] += n * writes
        out["changing"] += n * (after != before)
        out["to_label"] += n * (after == label and before != label)
        out["undecided"] += n * (after is None)
        # before and after are human labels, adjudications included: the automatic one fills a None
        out["effective_flips"] += n * (
            effective_label(None, after, auto) != effective_label(None, before, auto)
        )

    r = Response

    def others(v: str):
        return func.sum(case(((r.value == v) & (r.annotator != who), 1), else_=0))

    per_node = (
        select(
            r.turn_id,
            others("correct").label("c"),
            others("incorrect").label("i"),
            func.max(case((r.annotator == who, r.value))).label("mine"),
        )
        .where(r.is_current, r.turn_id.in_(select(Turn.id).where(*scope)))
        .group_by(r.turn_id)
    ).subquery()
    newest = responses.newest_adjudication_ids()
    adj = select(Adjudication.turn_id, Adjudication.label).where(Adjudication.id.in_(newest)).subquery()
    seeded = (  # a label imported without responses, not adjudicated: it gets a response first
        Turn.human_label.is_not(None)
        & Turn.id.not_in(select(r.turn_id))
        & Turn.id.not_in(select(Adjudication.turn_id))
    )
    cols = (Turn.human_label, Turn.auto_label, per_node.c.c, per_node.c.i, per_node.c.mine, adj.c.label)
    q = (
        select(*cols, func.count())
        .select_from(Turn)
        .outerjoin(per_node, per_node.c.turn_id == Turn.id)
        .outerjoin(adj, adj.c.turn_id == Turn.id)
        .where(*scope, ~seeded)
        .group_by(*cols)
    )
    for before, auto, c, i, mine, adjudicated, n in session.execute(q):
        tally(n, before, auto, ["correct"] * (c or 0) + ["incorrect"] * (i or 0), mine, adjudicated)
    bare = session.execute(select(Turn.id, Turn.human_label, Turn.auto_label).where(*scope, seeded)).all()
    seeds = responses.seeds(session, [t for t, _, _ in bare])
    for t, before, auto in bare:
        _, seeder, seed = seeds[t]
        tally(1, before, auto, [] if seeder == who else [seed], seed if seeder == who else None, None)
    return out


@_takes_turns
def bulk_set_label(
    session: Session,
    f: BrowseFilter,
    label: bool,
    *,
    who: str,
    answer: str | None = None,
    agent: str | None = None,
    round_: int | None = None,
    note: str | None = None,
) -> dict:
    """`who` responds `label` to every matching node in the caller's transaction.

    Nodes whose current response by `who` already says so are left alone. Each node whose human
    label changed gets one history entry; entries and responses share one label revision (so the
    batch can be found and undone together). `responses`: how many responses were written.
    """
    scope = node_scope(session, f, answer=answer, agent=agent, round_=round_)
    rows = session.execute(select(Turn.id, Turn.discussion_id).where(*scope).order_by(Turn.id)).all()
    value = label_text(label)
    ids = [r[0] for r in rows]
    responses.seed_responses(session, ids)
    mine = responses.current_responses(session, ids, annotator=who)
    todo = [(t, d) for t, d in rows if mine.get(t, {}).get(who, (None,))[0] != value]
    if not todo:
        return dict(changed=0, discussions=0, revision=None, responses=0)
    todo_ids = [t for t, _ in todo]
    new = responses.human_labels(session, todo_ids, overlay={t: (who, value) for t in todo_ids})
    before = _human(session, todo_ids)
    changed = [t for t in todo_ids if new[t] != before[t]]
    revision, now = (bump_revision(session) if changed else None), utcnow()
    for i in range(0, len(todo), CHUNK):
        session.execute(
            insert(Response),
            [
                dict(
                    turn_id=t,
                    discussion_id=d,
                    annotator=who,
                    value=value,
                    note=note,
                    revision=revision,
                    created_at=now,
                )
                for t, d in todo[i : i + CHUNK]
            ],
        )
    responses.refresh_counts(session, todo_ids)
    if not changed:
        return dict(changed=0, discussions=0, revision=None, responses=len(todo))
    touched = _write_labels(
        session, changed, who=who, note=note, revision=revision, at=now, known={t: new[t] for t in changed}
    )
    return dict(changed=len(changed), discussions=len(touched), revision=revision, responses=len(todo))


@_takes_turns
def recompute_labels(session: Session, *, who: str, note: str) -> dict:
    """Derive every node's human label again under the current consensus rule (after a change of
    MAGDI_CONSENSUS_MIN), in the caller's transaction: the nodes with responses or an adjudication
    (a label imported without responses is not the rule's, so it stays). Each changed node gets
    one history entry, all in one new label revision. (Undo does not revert it: undo derives labels
    under the current rule too; set the old rule back and recompute.)"""
    answered = select(Response.turn_id).union(select(Adjudication.turn_id)).subquery()
    ids = list(session.execute(select(answered.c[0]).order_by(answered.c[0])).scalars())
    new, before = responses.human_labels(session, ids), _human(session, ids)
    changed = [t for t in ids if new[t] != before[t]]
    if not changed:
        return dict(nodes=len(ids), changed=0, discussions=0, revision=None)
    revision = bump_revision(session)
    touched = _write_labels(
        session,
        changed,
        who=who,
        note=note,
        revision=revision,
        at=utcnow(),
        known={t: new[t] for t in changed},
    )
    return dict(nodes=len(ids), changed=len(changed), discussions=len(touched), revision=revision)


def _human(session: Session, turn_ids: list[int]) -> dict[int, bool | None]:
    out: dict[int, bool | None] = {}
    for i in range(0, len(turn_ids), CHUNK):
        q = select(Turn.id, Turn.human_label).where(Turn.id.in_(turn_ids[i : i + CHUNK]))
        out.update(dict(session.execute(q).all()))
    return out

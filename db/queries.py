"""Queries of the store: export with effective labels, label edits with history, browsing.

Bulk import lives in `db.bulk`.

Functions are keyword-only after the session; the caller owns the transaction
(`db.engine.session_scope`). Derived columns (automatic labels, summaries, review flags) come
from `magdi.summary` and are rewritten whenever labels or the gold answer change.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from sqlalchemy import func, select, text, update
from sqlmodel import Session

from db import predictions
from db.models import Dataset, Discussion, Edge, LabelEvent, NodePrediction, StoreMeta, Turn, utcnow
from magdi import mag
from magdi.answers import label_answer
from magdi.summary import Node, summarize

CHUNK = 2000


class StaleEdit(RuntimeError):
    """The row changed since the editor loaded it (optimistic version check)."""


def label_text(value: bool | None) -> str | None:
    return None if value is None else ("correct" if value else "incorrect")


def _bool(label: str | None) -> bool | None:
    return None if label is None else label == "correct"


# ---------------------------------------------------------------- revision and datasets

def bump_revision(session: Session) -> int:
    """Increase and return the label revision (every label change gets a new one)."""
    session.execute(update(StoreMeta).where(StoreMeta.key == "label_revision")
                    .values(value=StoreMeta.value + 1))
    return label_revision(session)


def label_revision(session: Session) -> int:
    return session.execute(select(StoreMeta.value).where(StoreMeta.key == "label_revision")).scalar_one()


def find_dataset(session: Session, name: str) -> int | None:
    return session.execute(select(Dataset.id).where(Dataset.name == name)).scalar()


def get_or_create_dataset(session: Session, name: str) -> int:
    found = find_dataset(session, name)
    if found is not None:
        return found
    ds = Dataset(name=name)
    session.add(ds)
    session.flush()
    return ds.id


# ---------------------------------------------------------------- export

def iter_discussions(session: Session, *, discussion_ids: Iterable[int] | None = None,
                     dataset_ids: Iterable[int] | None = None, drop_excluded: bool = False
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


def _build(session: Session, rows: list[Discussion], names: dict[int, str],
           drop_excluded: bool) -> Iterator[tuple[mag.Discussion, str]]:
    ids = [r.id for r in rows]
    turns: dict[int, list[Turn]] = {}
    for t in session.execute(select(Turn).where(Turn.discussion_id.in_(ids))
                             .order_by(Turn.discussion_id, Turn.id)).scalars():
        turns.setdefault(t.discussion_id, []).append(t)
    sources: dict[int, list[int]] = {}
    for src, dst in session.execute(select(Edge.src_id, Edge.dst_id)
                                    .where(Edge.discussion_id.in_(ids))
                                    .order_by(Edge.discussion_id, Edge.dst_id, Edge.position)):
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
                responds = [key_of[s] for s in sources.get(t.id, [])
                            if not (drop_excluded and _excluded(turns[r.id], s))]
            out.append(mag.Turn(
                agent=t.agent, round=t.round, reasoning=t.reasoning, answer=t.answer,
                confidence=t.confidence, responds_to=responds, label=label_text(label),
                label_source="auto" if t.human_label is None else "human",
                excluded=t.excluded))
        yield mag.Discussion(
            id=r.external_id, task=r.task, question=r.question, gold_answer=r.gold_answer,
            turns=out, options=None if r.options is None else json.loads(r.options),
            meta=json.loads(r.meta) if r.meta else {}), names[r.dataset_id]


def _excluded(turns: list[Turn], turn_id: int) -> bool:
    return any(t.id == turn_id and t.excluded for t in turns)


# ---------------------------------------------------------------- stats

def dataset_stats(session: Session) -> list[dict]:
    """Per dataset: discussions, turns, effective correct/incorrect, human labels, review."""
    label = func.coalesce(Turn.human_label, Turn.auto_label)
    q = (select(Dataset.name,
                func.count(func.distinct(Discussion.id)),
                func.count(Turn.id),
                func.sum(func.cast(label, type_=Turn.round.type)),
                func.sum(func.cast(Turn.human_label.is_not(None), type_=Turn.round.type)),
                func.sum(func.cast(Turn.needs_review, type_=Turn.round.type)),
                func.sum(func.cast(Turn.answer_norm.is_(None), type_=Turn.round.type)))
         .join(Discussion, Discussion.dataset_id == Dataset.id)
         .join(Turn, Turn.discussion_id == Discussion.id)
         .group_by(Dataset.name).order_by(Dataset.name))
    out = []
    for name, n_disc, n_turns, n_correct, n_human, n_review, n_unparsed in session.execute(q):
        out.append(dict(dataset=name, discussions=n_disc, turns=n_turns, correct=n_correct or 0,
                        incorrect=n_turns - (n_correct or 0), human=n_human or 0,
                        needs_review=n_review or 0, unparseable=n_unparsed or 0))
    return out


# ---------------------------------------------------------------- label edits

def _nodes(session: Session, discussion_id: int) -> list[Turn]:
    q = select(Turn).where(Turn.discussion_id == discussion_id).order_by(Turn.id)
    return list(session.execute(q.execution_options(populate_existing=True)).scalars())


def refresh_summary(session: Session, discussion_id: int) -> None:
    """Recompute the discussion's summary columns and its nodes' review flags."""
    turns = _nodes(session, discussion_id)
    nodes = [Node(t.agent, t.round, t.answer_norm, t.confidence, t.auto_label, t.human_label)
             for t in turns]
    summary, review = summarize(nodes)
    session.execute(update(Discussion).where(Discussion.id == discussion_id).values(**summary))
    for t, flag in zip(turns, review):
        if t.needs_review != flag:
            session.execute(update(Turn).where(Turn.id == t.id).values(needs_review=flag))


def _record(session: Session, *, discussion_id: int, turn_id: int | None, field_name: str,
            old: str | None, new: str | None, who: str, note: str | None, revision: int,
            undoes: int | None = None) -> LabelEvent:
    event = LabelEvent(discussion_id=discussion_id, turn_id=turn_id, field=field_name, old=old,
                       new=new, who=who, note=note, revision=revision, undoes=undoes, at=utcnow())
    session.add(event)
    session.flush()
    return event


def _edit_turn(session: Session, turn_id: int, expected_version: int | None, **values) -> Turn:
    q = update(Turn).where(Turn.id == turn_id)
    if expected_version is not None:
        q = q.where(Turn.version == expected_version)
    if session.execute(q.values(version=Turn.version + 1, **values)).rowcount == 0:
        turn = session.get(Turn, turn_id)
        if turn is None:
            raise KeyError(f"no node with id {turn_id}")
        raise StaleEdit(f"node {turn.agent} round {turn.round} was changed by someone else since "
                        f"you loaded it (version {expected_version} → {turn.version}); reload it "
                        "and apply your change again")
    turn = session.get(Turn, turn_id)
    session.refresh(turn)
    return turn


def set_label(session: Session, turn_id: int, label: bool | None, *, who: str,
              note: str | None = None, expected_version: int | None = None,
              undoes: int | None = None) -> LabelEvent:
    """Set (or with None, clear) a node's human label; one history entry."""
    before = session.get(Turn, turn_id)
    if before is None:
        raise KeyError(f"no node with id {turn_id}")
    old = label_text(before.human_label)
    turn = _edit_turn(session, turn_id, expected_version, human_label=label)
    event = _record(session, discussion_id=turn.discussion_id, turn_id=turn_id, field_name="label",
                    old=old, new=label_text(label), who=who, note=note,
                    revision=bump_revision(session), undoes=undoes)
    refresh_summary(session, turn.discussion_id)
    return event


def set_excluded(session: Session, turn_id: int, excluded: bool, *, who: str,
                 note: str | None = None, expected_version: int | None = None,
                 undoes: int | None = None) -> LabelEvent:
    before = session.get(Turn, turn_id)
    if before is None:
        raise KeyError(f"no node with id {turn_id}")
    old = str(before.excluded).lower()
    turn = _edit_turn(session, turn_id, expected_version, excluded=excluded)
    return _record(session, discussion_id=turn.discussion_id, turn_id=turn_id,
                   field_name="excluded", old=old, new=str(excluded).lower(), who=who, note=note,
                   revision=bump_revision(session), undoes=undoes)


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


def set_gold(session: Session, discussion_id: int, gold: str, *, who: str,
             note: str | None = None, expected_version: int | None = None,
             undoes: int | None = None) -> LabelEvent:
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
        raise StaleEdit("the discussion's gold answer was changed by someone else since you "
                        "loaded it; reload it and apply your change again")
    revision = bump_revision(session)
    event = _record(session, discussion_id=discussion_id, turn_id=None, field_name="gold",
                    old=old_gold, new=gold, who=who, note=note, revision=revision, undoes=undoes)
    for turn, old, new in changes:
        session.execute(update(Turn).where(Turn.id == turn.id)
                        .values(auto_label=new, version=Turn.version + 1))
        _record(session, discussion_id=discussion_id, turn_id=turn.id, field_name="auto_label",
                old=label_text(old), new=label_text(new), who=who, note=f"gold answer → {gold}",
                revision=revision)
    refresh_summary(session, discussion_id)
    session.refresh(d)
    return event


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
        return set_label(session, turn.id, _bool(event.old), who=who, note=note, undoes=event.id)
    if event.field == "excluded":
        if str(turn.excluded).lower() != event.new:
            raise StaleEdit("this node's exclusion changed again after this edit")
        return set_excluded(session, turn.id, event.old == "true", who=who, note=note,
                            undoes=event.id)
    raise ValueError(f"history entries of kind {event.field!r} are undone with their gold edit")


def history(session: Session, *, turn_id: int | None = None, discussion_id: int | None = None,
            limit: int = 50) -> list[LabelEvent]:
    q = select(LabelEvent).order_by(LabelEvent.id.desc()).limit(limit)
    if turn_id is not None:
        q = q.where(LabelEvent.turn_id == turn_id)
    if discussion_id is not None:
        q = q.where(LabelEvent.discussion_id == discussion_id)
    return list(session.execute(q).scalars())


# ---------------------------------------------------------------- browse

@dataclass
class BrowseFilter:
    """Discussion filters of the Browse page; None means "any"."""
    dataset_ids: list[int] | None = None
    task: str | None = None
    agent: str | None = None
    majority_correct: bool | None = None
    round0_disagree: bool | None = None
    consensus_round: int | None = None  # -1: never reached
    flip: str | None = None  # "right_wrong" | "wrong_right"
    has_human: bool | None = None
    needs_review: bool | None = None
    search: str | None = None


SORTS = {
    "id": Discussion.id, "question": Discussion.question, "review": Discussion.n_review,
    "consensus": Discussion.consensus_round, "turns": Discussion.n_turns,
}


def fts_query(text_in: str) -> str:
    """User text -> an FTS5 query of quoted terms (all must match); no syntax errors possible."""
    terms = [t.replace('"', '""') for t in text_in.split()]
    return " ".join(f'"{t}"' for t in terms)


def _conditions(session: Session, f: BrowseFilter) -> list:
    c = []
    if f.dataset_ids:
        c.append(Discussion.dataset_id.in_(f.dataset_ids))
    if f.task:
        c.append(Discussion.task == f.task)
    if f.agent:
        # EXISTS probes the (discussion_id, agent, round) key per discussion: a page in id or
        # review order stops after a few probes, where IN (…) first read every turn of the agent.
        c.append(select(Turn.id).where(Turn.discussion_id == Discussion.id,
                                       Turn.agent == f.agent).exists())
    if f.majority_correct is not None:
        c.append(Discussion.majority_correct == f.majority_correct)
    if f.round0_disagree is not None:
        c.append(Discussion.round0_disagree == f.round0_disagree)
    if f.consensus_round is not None:
        c.append(Discussion.consensus_round.is_(None) if f.consensus_round < 0
                 else Discussion.consensus_round == f.consensus_round)
    if f.flip == "right_wrong":
        c.append(Discussion.flip_right_wrong.is_(True))
    elif f.flip == "wrong_right":
        c.append(Discussion.flip_wrong_right.is_(True))
    if f.has_human is not None:
        c.append(Discussion.n_human > 0 if f.has_human else Discussion.n_human == 0)
    if f.needs_review is not None:
        c.append(Discussion.n_review > 0 if f.needs_review else Discussion.n_review == 0)
    if f.search and f.search.strip():
        if session.get_bind().dialect.name == "sqlite":
            c.append(Discussion.id.in_(text(
                "SELECT rowid FROM discussion_fts WHERE discussion_fts MATCH :fts"
            ).bindparams(fts=fts_query(f.search))))
        else:
            c.append(Discussion.id.in_(text(
                "SELECT discussion_id FROM discussion_search "
                "WHERE tsv @@ plainto_tsquery('english', :fts)").bindparams(fts=f.search)))
    return c


def browse(session: Session, f: BrowseFilter, *, sort: str = "id", descending: bool = False,
           offset: int = 0, limit: int = 50) -> tuple[list[Discussion], int]:
    """One page of discussions matching `f`, and the total number of matches."""
    cond = _conditions(session, f)
    total = session.execute(select(func.count()).select_from(Discussion).where(*cond)).scalar_one()
    col = SORTS[sort]
    order = [col.desc() if descending else col.asc(), Discussion.id]
    rows = session.execute(select(Discussion).where(*cond).order_by(*order)
                           .offset(offset).limit(limit)).scalars().all()
    return list(rows), total


def matching_ids(session: Session, f: BrowseFilter) -> list[int]:
    """Every discussion id matching `f` (not only one page), in id order."""
    return list(session.execute(select(Discussion.id).where(*_conditions(session, f))
                                .order_by(Discussion.id)).scalars())


# ---------------------------------------------------------------- explorer and annotation pages

from sqlalchemy import bindparam, insert  # noqa: E402  (used by the page queries below)

from magdi.summary import CONFIDENT  # noqa: E402

def accuracy_by_agent_round(session: Session, *, dataset_ids: list[int] | None = None
                            ) -> list[dict]:
    """Effective accuracy of every (agent, round): does the discussion help each agent?

    Also counts excluded and unparseable nodes. One scan of the turn table (about 1 s per
    million nodes on SQLite): cache it.
    """
    as_int = Turn.round.type
    label = func.coalesce(Turn.human_label, Turn.auto_label)
    q = (select(Turn.agent, Turn.round, func.count(Turn.id), func.sum(func.cast(label, type_=as_int)),
                func.sum(func.cast(Turn.excluded, type_=as_int)),
                func.sum(func.cast(Turn.answer_norm.is_(None), type_=as_int)))
         .group_by(Turn.agent, Turn.round).order_by(Turn.agent, Turn.round))
    if dataset_ids:
        q = q.where(Turn.discussion_id.in_(
            select(Discussion.id).where(Discussion.dataset_id.in_(dataset_ids))))
    return [dict(agent=a, round=r, nodes=n, correct=c or 0, accuracy=(c or 0) / n,
                 excluded=x or 0, unparseable=u or 0)
            for a, r, n, c, x, u in session.execute(q)]


def dataset_summary(session: Session) -> list[dict]:
    """Per dataset, without scanning the turn table: discussions, nodes, effective correct /
    incorrect, human labels split by value, human overrides of the automatic label, nodes
    waiting for review (the discussions' summary columns, and the nodes of the discussions
    that have human labels)."""
    rows = session.execute(
        select(Dataset.id, Dataset.name, func.count(Discussion.id), func.sum(Discussion.n_turns),
               func.sum(Discussion.n_correct), func.sum(Discussion.n_human),
               func.sum(Discussion.n_review))
        .join(Discussion, Discussion.dataset_id == Dataset.id)
        .group_by(Dataset.id, Dataset.name).order_by(Dataset.name)).all()
    owner = dict(session.execute(select(Discussion.id, Discussion.dataset_id)
                                 .where(Discussion.n_human > 0)).all())
    human: dict[int, list[int]] = {}
    ids = sorted(owner)
    for i in range(0, len(ids), CHUNK):
        for d_id, h, a in session.execute(
                select(Turn.discussion_id, Turn.human_label, Turn.auto_label)
                .where(Turn.discussion_id.in_(ids[i:i + CHUNK]), Turn.human_label.is_not(None))):
            c = human.setdefault(owner[d_id], [0, 0, 0])
            c[0 if h else 1] += 1
            c[2] += h != a
    out = []
    for ds_id, name, n_disc, n_turns, n_correct, n_human, n_review in rows:
        n_turns, n_correct, n_human = n_turns or 0, n_correct or 0, n_human or 0
        hc, hi, ov = human.get(ds_id, (0, 0, 0))
        out.append(dict(
            dataset=name, discussions=n_disc, turns=n_turns, correct=n_correct,
            incorrect=n_turns - n_correct, human=n_human, needs_review=n_review or 0,
            auto_correct=n_correct - hc, auto_incorrect=n_turns - n_human - (n_correct - hc),
            human_correct=hc, human_incorrect=hi, overridden=ov))
    return out


def recent_events(session: Session, *, limit: int = 20) -> list[dict]:
    """The latest history entries with where they happened (dataset, discussion, node)."""
    q = (select(LabelEvent, Dataset.name, Discussion.external_id, Turn.agent, Turn.round)
         .join(Discussion, Discussion.id == LabelEvent.discussion_id)
         .join(Dataset, Dataset.id == Discussion.dataset_id)
         .outerjoin(Turn, Turn.id == LabelEvent.turn_id)
         .order_by(LabelEvent.id.desc()).limit(limit))
    out = []
    for ev, ds, ext, agent, rnd in session.execute(q):
        out.append(dict(id=ev.id, at=ev.at, who=ev.who, dataset=ds, discussion=ext,
                        discussion_id=ev.discussion_id, agent=agent, round=rnd, field=ev.field,
                        old=ev.old, new=ev.new, note=ev.note, undoes=ev.undoes,
                        revision=ev.revision))
    return out


def undone_event_ids(session: Session, event_ids: Iterable[int]) -> set[int]:
    """Which of these history entries have already been undone."""
    ids = list(event_ids)
    if not ids:
        return set()
    return set(session.execute(select(LabelEvent.undoes).where(LabelEvent.undoes.in_(ids)))
               .scalars())


def ordered_ids(session: Session, f: BrowseFilter, *, sort: str = "id",
                descending: bool = False) -> list[int]:
    """Every matching discussion id in the Browse order (for previous / next navigation)."""
    col = SORTS[sort]
    order = [col.desc() if descending else col.asc(), Discussion.id]
    return list(session.execute(select(Discussion.id).where(*_conditions(session, f))
                                .order_by(*order)).scalars())


UNPARSEABLE = "\x00unparseable"  # answer value of the nodes whose answer could not be read


def _node_scope(session: Session, f: BrowseFilter, *, answer: str | None = None,
                agent: str | None = None, round_: int | None = None) -> list:
    """Conditions on Turn: in a discussion matching `f`, with this answer / agent / round."""
    cond = _conditions(session, f)
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
    """The most frequent normalised answers of the nodes in discussions matching `f`."""
    q = (select(func.coalesce(Turn.answer_norm, UNPARSEABLE), func.count(Turn.id))
         .where(*_node_scope(session, f)).group_by(Turn.answer_norm)
         .order_by(func.count(Turn.id).desc(), Turn.answer_norm).limit(limit))
    return [(v, n) for v, n in session.execute(q)]


def bulk_preview(session: Session, f: BrowseFilter, label: bool, *, answer: str | None = None,
                 agent: str | None = None, round_: int | None = None) -> dict:
    """How many nodes a bulk label would reach (all matches, not one page) and how many change."""
    scope = _node_scope(session, f, answer=answer, agent=agent, round_=round_)
    effective = func.coalesce(Turn.human_label, Turn.auto_label)
    q = select(func.count(Turn.id),
               func.count(func.distinct(Turn.discussion_id)),
               func.sum(func.cast((Turn.human_label.is_(None)) | (Turn.human_label != label),
                                  type_=Turn.round.type)),
               func.sum(func.cast(effective != label, type_=Turn.round.type))).where(*scope)
    nodes, discussions, changing, flips = session.execute(q).one()
    return dict(nodes=nodes, discussions=discussions, changing=changing or 0,
                effective_flips=flips or 0)


def bulk_set_label(session: Session, f: BrowseFilter, label: bool, *, who: str,
                   answer: str | None = None, agent: str | None = None,
                   round_: int | None = None, note: str | None = None) -> dict:
    """Set the human label of every matching node in the caller's transaction.

    Nodes that already carry this human label are left alone. Each changed node gets one history
    entry; all entries share one label revision (so the batch can be found and undone together).
    """
    scope = _node_scope(session, f, answer=answer, agent=agent, round_=round_)
    rows = session.execute(select(Turn.id, Turn.discussion_id, Turn.human_label).where(
        *scope, (Turn.human_label.is_(None)) | (Turn.human_label != label))
        .order_by(Turn.id)).all()
    if not rows:
        return dict(changed=0, discussions=0, revision=None)
    revision = bump_revision(session)
    now, new = utcnow(), label_text(label)
    for i in range(0, len(rows), CHUNK):
        part = rows[i:i + CHUNK]
        session.execute(update(Turn).where(Turn.id.in_([r[0] for r in part]))
                        .values(human_label=label, version=Turn.version + 1)
                        .execution_options(synchronize_session=False))
        session.execute(insert(LabelEvent), [
            dict(discussion_id=d, turn_id=t, field="label", old=label_text(h), new=new, who=who,
                 at=now, note=note, revision=revision, undoes=None) for t, d, h in part])
    touched = sorted({r[1] for r in rows})
    refresh_summaries(session, touched)
    return dict(changed=len(rows), discussions=len(touched), revision=revision)


def refresh_summaries(session: Session, discussion_ids: list[int]) -> None:
    """`refresh_summary` for many discussions, reading their nodes in chunks."""
    for i in range(0, len(discussion_ids), CHUNK):
        ids = discussion_ids[i:i + CHUNK]
        by_disc: dict[int, list] = {}
        for row in session.execute(
                select(Turn.id, Turn.discussion_id, Turn.agent, Turn.round, Turn.answer_norm,
                       Turn.confidence, Turn.auto_label, Turn.human_label, Turn.needs_review)
                .where(Turn.discussion_id.in_(ids)).order_by(Turn.discussion_id, Turn.id)):
            by_disc.setdefault(row[1], []).append(row)
        d_rows, flag_rows = [], []
        for d_id, turns in by_disc.items():
            summary, review = summarize([Node(t[2], t[3], t[4], t[5], t[6], t[7]) for t in turns])
            d_rows.append(dict(b_id=d_id, **summary))
            flag_rows.extend(dict(b_id=t[0], flag=flag) for t, flag in zip(turns, review)
                             if t[8] != flag)
        if d_rows:
            session.connection().execute(
                update(Discussion.__table__).where(Discussion.__table__.c.id == bindparam("b_id"))
                .values({k: bindparam(k) for k in d_rows[0] if k != "b_id"}), d_rows)
        if flag_rows:
            session.connection().execute(
                update(Turn.__table__).where(Turn.__table__.c.id == bindparam("b_id"))
                .values(needs_review=bindparam("flag")), flag_rows)


def undo_revision(session: Session, revision: int, *, who: str) -> int:
    """Undo every label entry of one revision (a bulk action) that is still current; returns how
    many were undone. Entries whose node changed again since are left alone (never overwritten)."""
    events = list(session.execute(select(LabelEvent).where(
        LabelEvent.revision == revision, LabelEvent.field == "label",
        LabelEvent.undoes.is_(None))).scalars())
    done = undone_event_ids(session, [e.id for e in events])
    todo = [e for e in events if e.id not in done]
    if not todo:
        return 0
    current = dict(session.execute(select(Turn.id, Turn.human_label).where(
        Turn.id.in_([e.turn_id for e in todo]))).all())
    todo = [e for e in todo if label_text(current.get(e.turn_id)) == e.new]
    if not todo:
        return 0
    new_rev = bump_revision(session)
    now = utcnow()
    for i in range(0, len(todo), CHUNK):
        part = todo[i:i + CHUNK]
        for old in {e.old for e in part}:
            ids = [e.turn_id for e in part if e.old == old]
            session.execute(update(Turn).where(Turn.id.in_(ids))
                            .values(human_label=_bool(old), version=Turn.version + 1)
                            .execution_options(synchronize_session=False))
        session.execute(insert(LabelEvent), [
            dict(discussion_id=e.discussion_id, turn_id=e.turn_id, field="label", old=e.new,
                 new=e.old, who=who, at=now, note=f"undo of revision {revision}",
                 revision=new_rev, undoes=e.id) for e in part])
    refresh_summaries(session, sorted({e.discussion_id for e in todo}))
    return len(todo)


def review_queue(session: Session, *, dataset_ids: list[int] | None = None, offset: int = 0,
                 limit: int = 50, prediction_job: int | None = None) -> tuple[list[dict], int]:
    """Nodes that most deserve a human look, best first, and how many there are.

    Rank: unparseable answer (8) + human label disagrees with the automatic one (4) + confident
    but wrong (2) + still waiting for review (1: e.g. agents split at the last round); then, at
    equal score, the node classifier of `prediction_job` disagreeing with the label of a node no
    human has labelled (`db.predictions`), which also brings in nodes nothing else flags (score
    0). The page shows the exact reasons (`magdi.summary.review_reasons`) of the nodes it lists.
    """
    as_int = Turn.round.type
    effective = func.coalesce(Turn.human_label, Turn.auto_label)
    disagrees = Turn.human_label.is_not(None) & (Turn.human_label != Turn.auto_label)
    score = (func.cast(Turn.answer_norm.is_(None) & Turn.needs_review, type_=as_int) * 8
             + func.cast(disagrees, type_=as_int) * 4
             + func.cast((func.coalesce(Turn.confidence, 0.0) >= CONFIDENT)
                         & (effective.is_(False)), type_=as_int) * 2
             + func.cast(Turn.needs_review, type_=as_int))
    flagged = Turn.needs_review.is_(True) | disagrees
    cond = [flagged]
    if dataset_ids:
        cond.append(Turn.discussion_id.in_(
            select(Discussion.id).where(Discussion.dataset_id.in_(dataset_ids))))
    count = select(func.count(Turn.id)).select_from(Turn)
    q = (select(Turn, score.label("score"), Discussion.external_id, Discussion.question,
                Dataset.name)
         .join(Discussion, Discussion.id == Turn.discussion_id)
         .join(Dataset, Dataset.id == Discussion.dataset_id))
    order = [score.desc(), Turn.confidence.desc(), Turn.id]
    if prediction_job is not None:
        classifier = Turn.human_label.is_(None) & predictions.disagreement()
        cond[0] = flagged | classifier
        count = predictions.join_job(count, prediction_job)
        q = predictions.join_job(q.add_columns(NodePrediction.p_correct, classifier), prediction_job)
        order.insert(1, classifier.desc())
    total = session.execute(count.where(*cond)).scalar_one()
    rows = []
    for t, s, ext, question, ds, *prediction in session.execute(
            q.where(*cond).order_by(*order).offset(offset).limit(limit)):
        p, classifier_disagrees = prediction or (None, False)
        rows.append(dict(turn=t, score=s, discussion=ext, question=question, dataset=ds,
                         p_correct=p, classifier_disagrees=bool(classifier_disagrees)))
    return rows, total


def split_last_round(session: Session, discussion_ids: list[int]) -> dict[int, bool]:
    """Whether the agents gave different answers in the last round of each discussion."""
    if not discussion_ids:
        return {}
    by_disc: dict[int, list] = {}
    for d, r, a in session.execute(select(Turn.discussion_id, Turn.round, Turn.answer_norm)
                                   .where(Turn.discussion_id.in_(discussion_ids))):
        by_disc.setdefault(d, []).append((r, a))
    out = {}
    for d, rows in by_disc.items():
        last = max(r for r, _ in rows)
        out[d] = len({a for r, a in rows if r == last}) > 1
    return out

"""Write side of the annotation pages: node labels, exclusion, gold corrections, undo, bulk.

Every edit is one transaction and leaves one history entry per changed node with the annotator's
identity (annotators and above; bulk labels and their undo are audited too). Single-node edits carry
the version the annotator saw: when someone else changed the node since, nothing is written and the
result says so (`stale`), so the page can show the current value and offer to apply the same change
again: no edit is silently lost.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import datetime

from app.services import audit
from app.services.auth import Actor, Role, require
from app.services.filters import Filter, to_browse_filter
from db import browsing, labels
from db.engine import StoreBusy, session_scope

MAX_NOTE = 2000
UNPARSEABLE = browsing.UNPARSEABLE  # the answer value of the nodes whose answer could not be read


@dataclass
class EditResult:
    ok: bool
    message: str
    stale: bool = False
    event_id: int | None = None
    changed: int = 0  # nodes whose label changed (bulk, gold)
    revision: int | None = None


def _who(actor: Actor, action: str) -> str:
    """The identity the history records, once the actor may annotate."""
    return require(actor, Role.ANNOTATOR, action).identity


def clean_note(note: str | None) -> str | None:
    note = (note or "").strip()
    return note[:MAX_NOTE] or None


def run_edit(action, success: str) -> EditResult:
    try:
        event = action()
    except labels.StaleEdit as exc:
        return EditResult(False, str(exc), stale=True)
    except KeyError as exc:
        return EditResult(False, str(exc.args[0]) if exc.args else "not found")
    except StoreBusy as exc:  # the edit was not written: the page says so, the annotator retries
        return EditResult(False, str(exc))
    if event is None:  # a response that left the node's human label as it was
        return EditResult(True, success)
    return EditResult(True, success, event_id=event.id, revision=event.revision)


def set_label(
    turn_id: int,
    label: bool | None,
    *,
    actor: Actor,
    note: str | None = None,
    expected_version: int | None = None,
    url: str | None = None,
) -> EditResult:
    """The actor's response to a node: correct (True) / incorrect (False), or None to withdraw it;
    the node's human label follows from every annotator's response (`app.services.responses`). A
    node's id is its turn's id. `event_id` is the history entry when the human label changed."""
    who, note = _who(actor, "label nodes"), clean_note(note)

    def act():
        with session_scope(url, write=True) as s:
            return labels.set_label(s, turn_id, label, who=who, note=note, expected_version=expected_version)

    text = {True: "correct", False: "incorrect", None: "automatic (human label cleared)"}[label]
    return run_edit(act, f"label set to {text}")


def set_excluded(
    turn_id: int,
    excluded: bool,
    *,
    actor: Actor,
    note: str | None = None,
    expected_version: int | None = None,
    url: str | None = None,
) -> EditResult:
    who, note = _who(actor, "exclude nodes"), clean_note(note)

    def act():
        with session_scope(url, write=True) as s:
            return labels.set_excluded(
                s, turn_id, excluded, who=who, note=note, expected_version=expected_version
            )

    return run_edit(act, "excluded from training" if excluded else "included in training again")


@dataclass
class GoldChange:
    node_id: int
    agent: str
    round: int
    answer: str
    old: bool
    new: bool
    human_label: bool | None  # a human label keeps the effective label as it is


def preview_gold(discussion_id: int, gold: str, url: str | None = None) -> list[GoldChange]:
    """Nodes whose automatic label would change if the gold answer became `gold`."""
    with session_scope(url) as s:
        return [
            GoldChange(t.id, t.agent, t.round, t.answer, old, new, t.human_label)
            for t, old, new in labels.preview_gold(s, discussion_id, gold)
        ]


def set_gold(
    discussion_id: int,
    gold: str,
    *,
    actor: Actor,
    note: str | None = None,
    expected_version: int | None = None,
    url: str | None = None,
) -> EditResult:
    who, note, gold = _who(actor, "correct gold answers"), clean_note(note), (gold or "").strip()
    if not gold:
        return EditResult(False, "the gold answer cannot be empty")
    recomputed = 0

    def act():
        nonlocal recomputed
        with session_scope(url, write=True) as s:
            event = labels.set_gold(
                s, discussion_id, gold, who=who, note=note, expected_version=expected_version
            )
            recomputed = labels.recomputed_labels(s, event.revision)
            return event

    result = run_edit(act, "")
    if result.ok:  # counted in the transaction that wrote them
        result.message = f"gold answer set to {gold}; {recomputed} automatic label(s) recomputed"
        result.changed = recomputed
    return result


def undo(event_id: int, *, actor: Actor, url: str | None = None) -> EditResult:
    """Revert one history entry (as a new entry); refused if the value changed again since."""
    who = _who(actor, "undo label edits")

    def act():
        with session_scope(url, write=True) as s:
            return labels.undo(s, event_id, who=who)

    try:
        return run_edit(act, f"undid #{event_id}")
    except ValueError as exc:
        return EditResult(False, str(exc))


# ---------------------------------------------------------------- bulk


@dataclass
class BulkScope:
    """Nodes of every discussion matching `filter` (all of them, not one page) that have this
    normalised answer (`UNPARSEABLE` for unparseable ones), optionally one agent/round."""

    filter: Filter = field(default_factory=Filter)
    answer: str | None = None
    agent: str | None = None
    round: int | None = None


def answer_values(f: Filter, url: str | None = None) -> list[tuple[str, int]]:
    with session_scope(url) as s:
        return browsing.answer_values(s, to_browse_filter(s, f))


def bulk_preview(scope: BulkScope, label: bool, *, actor: Actor | None, url: str | None = None) -> dict:
    """What the actor's bulk label would do, given everyone else's responses and the consensus
    rule (`db.labels.bulk_preview`): nodes, discussions, responses (written), changing (human labels
    that change), to_label (of them, to `label`), undecided (left without a human label),
    effective_flips. Without an actor (nobody signed in) it is counted as a new annotator's."""
    with session_scope(url) as s:
        return labels.bulk_preview(
            s,
            to_browse_filter(s, scope.filter),
            label,
            who="" if actor is None else actor.identity,
            answer=scope.answer,
            agent=scope.agent,
            round_=scope.round,
        )


def _busy_as_result(fn):
    """A bulk write that could not get the store's lock is a result the page shows (nothing was
    written), not a traceback."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs) -> EditResult:
        try:
            return fn(*args, **kwargs)
        except StoreBusy as exc:
            return EditResult(False, str(exc))

    return wrapper


@_busy_as_result
def bulk_label(
    scope: BulkScope, label: bool, *, actor: Actor, note: str | None = None, url: str | None = None
) -> EditResult:
    """The actor responds `label` to every node in scope in one transaction; one history entry per
    node whose human label changed, and an audit entry for the whole."""
    who, note = _who(actor, "bulk-label nodes"), clean_note(note)
    with session_scope(url, write=True) as s:
        out = labels.bulk_set_label(
            s,
            to_browse_filter(s, scope.filter),
            label,
            who=who,
            note=note,
            answer=scope.answer,
            agent=scope.agent,
            round_=scope.round,
        )
        if out["changed"]:
            detail = {
                "label": label,
                "nodes": out["changed"],
                "discussions": out["discussions"],
                "filter": scope.filter.describe(),
                "answer": scope.answer,
                "agent": scope.agent,
                "round": scope.round,
            }
            audit.record(actor, "bulk.applied", f"revision {out['revision']}", detail, session=s)
    word = "correct" if label else "incorrect"
    if not out["responses"]:
        return EditResult(True, f"nothing to change: every node in scope is already {word}")
    if not out["changed"]:
        return EditResult(True, f"recorded {out['responses']} response(s) {word}; no node's label changed")
    return EditResult(
        True,
        f"labelled {out['changed']} node(s) in {out['discussions']} "
        f"discussion(s) {word} (revision {out['revision']})",
        changed=out["changed"],
        revision=out["revision"],
    )


@dataclass(frozen=True)
class BulkAction:
    """A recent bulk label, from the history: it outlives the session that applied it."""

    revision: int
    who: str
    at: datetime
    nodes: int
    discussions: int
    label: str  # "correct", "incorrect", or "mixed"
    note: str | None
    undone: int  # entries undone since (all of them: nothing left to undo)

    @property
    def undoable(self) -> bool:
        return self.undone < self.nodes


def recent_bulk_actions(limit: int = 10, url: str | None = None) -> list[BulkAction]:
    with session_scope(url) as s:
        return [BulkAction(**a) for a in labels.recent_bulk_actions(s, limit=limit)]


@_busy_as_result
def undo_bulk(revision: int, *, actor: Actor, url: str | None = None) -> EditResult:
    who = _who(actor, "undo bulk labels")
    with session_scope(url, write=True) as s:
        n = labels.undo_revision(s, revision, who=who)
        audit.record(actor, "bulk.undone", f"revision {revision}", {"nodes": n}, session=s)
    return EditResult(True, f"undid {n} label(s) of revision {revision}", changed=n)

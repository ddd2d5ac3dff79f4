"""Several annotators per node: each one's response, and an adjudicator's final label.

A response is "correct", "incorrect" or "unsure" with an optional note; withdrawing takes it back.
The node's human label (what training, the label revision, job data pinning, Browse and exports
read) follows: the adjudicated label if there is one, else the consensus of the responses
(`magdi.annotation`, k = MAGDI_CONSENSUS_MIN), else none (the automatic label applies). Every change
of it is one history entry naming the responder, so undo keeps working per annotator. After a
change of MAGDI_CONSENSUS_MIN, `recompute_labels` applies the new rule to every node at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.services import audit
from app.services.annotate import EditResult, clean_note, run_edit
from app.services.auth import Actor, Role, require
from db import labels
from db import responses as queries
from db.engine import session_scope
from magdi.annotation import consensus_min

ANSWERS = ("correct", "incorrect", "unsure")
MAX_REASON = 2000


@dataclass(frozen=True)
class ResponseInfo:
    annotator: str
    value: str
    note: str | None
    at: datetime


@dataclass(frozen=True)
class Recomputed:
    consensus_min: int  # k of the rule applied
    nodes: int  # nodes with responses or an adjudication, derived again
    changed: int  # of them, those whose label changed
    revision: int | None  # the label revision of the changes (None: nothing changed)


@dataclass(frozen=True)
class AdjudicationInfo:
    label: bool
    reason: str
    adjudicator: str
    at: datetime


def _respond(turn_id: int, value: str, who: str, note: str | None, expected_version: int | None, url):
    def act():
        with session_scope(url, write=True) as s:
            return labels.respond(s, turn_id, value, who=who, note=note, expected_version=expected_version)[1]

    return act


def respond(
    turn_id: int,
    value: str,
    *,
    actor: Actor,
    note: str | None = None,
    expected_version: int | None = None,
    url: str | None = None,
) -> EditResult:
    """The actor's response to a node (annotators and above). With `expected_version` (the node's
    version the annotator loaded), a node whose label changed since gets nothing written and the
    result says so (`stale`). `event_id` is the history entry when the node's label changed."""
    who = require(actor, Role.ANNOTATOR, "respond to nodes").identity
    if value not in ANSWERS:
        return EditResult(False, f"a response is one of {', '.join(ANSWERS)}, not {value!r}")
    return run_edit(
        _respond(turn_id, value, who, clean_note(note), expected_version, url), f"your response: {value}"
    )


def withdraw(turn_id: int, *, actor: Actor, url: str | None = None) -> EditResult:
    """Take back the actor's response to a node (the node then counts as not answered by them)."""
    who = require(actor, Role.ANNOTATOR, "withdraw responses").identity
    with session_scope(url) as s:
        if not queries.current_responses(s, [turn_id], annotator=who):
            return EditResult(False, "you have no response to this node to withdraw")
    return run_edit(_respond(turn_id, "withdrawn", who, None, None, url), "your response was withdrawn")


def responses(turn_id: int, *, actor: Actor, url: str | None = None) -> list[ResponseInfo]:
    """Every annotator's current response to a node, oldest first (viewers and above)."""
    require(actor, Role.VIEWER, "see responses")
    with session_scope(url) as s:
        found = queries.current_responses(s, [turn_id]).get(turn_id, {})
    return sorted((ResponseInfo(who, *r) for who, r in found.items()), key=lambda r: r.at)


def response_history(turn_id: int, *, actor: Actor, url: str | None = None) -> list[ResponseInfo]:
    """Every response ever given to a node, withdrawals included, oldest first."""
    require(actor, Role.VIEWER, "see responses")
    with session_scope(url) as s:
        return [
            ResponseInfo(r.annotator, r.value, r.note, r.created_at)
            for r in queries.response_history(s, turn_id)
        ]


def adjudication(turn_id: int, *, actor: Actor, url: str | None = None) -> AdjudicationInfo | None:
    require(actor, Role.VIEWER, "see adjudications")
    with session_scope(url) as s:
        row = queries.current_adjudication(s, turn_id)
        return (
            None if row is None else AdjudicationInfo(row.label, row.reason, row.adjudicator, row.created_at)
        )


def adjudicate(turn_id: int, label: bool, *, reason: str, actor: Actor, url: str | None = None) -> EditResult:
    """Set a node's final label whatever its responses say (adjudicators and above), with a reason;
    audited ("label.adjudicated"). A later adjudication replaces it."""
    who = require(actor, Role.ADJUDICATOR, "adjudicate labels").identity
    reason = (reason or "").strip()[:MAX_REASON]
    if not reason:
        return EditResult(False, "an adjudication needs a reason")

    def act():
        with session_scope(url, write=True) as s:
            _, event = labels.adjudicate(s, turn_id, bool(label), who=who, reason=reason)
            detail = {"label": bool(label), "reason": reason}
            audit.record(actor, "label.adjudicated", f"node {turn_id}", detail, session=s)
            return event

    return run_edit(act, f"adjudicated {'correct' if label else 'incorrect'}")


def recompute_labels(*, actor: Actor, url: str | None = None) -> Recomputed:
    """Apply the current consensus rule (MAGDI_CONSENSUS_MIN) to every node with responses or an
    adjudication, in one transaction (admins: it changes labels across the store). The history
    entries name the actor and the rule; audited ("labels.recomputed"). Without it a changed rule
    reaches a node only at its next response."""
    who = require(actor, Role.ADMIN, "recompute every label").identity
    k = consensus_min()
    note = f"consensus rule: a strict majority of at least {k} responses (MAGDI_CONSENSUS_MIN={k})"
    with session_scope(url, write=True) as s:
        done = labels.recompute_labels(s, who=who, note=note)
        audit.record(actor, "labels.recomputed", "store", dict(consensus_min=k, **done), session=s)
    return Recomputed(k, done["nodes"], done["changed"], done["revision"])

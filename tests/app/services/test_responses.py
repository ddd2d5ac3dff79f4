"""The responses service: respond, withdraw, the version check, adjudication and its role."""

import io
import json

import pytest
from sqlalchemy import select

from app.services import annotate, responses, store
from app.services.auth import LOCAL, Actor, Forbidden, Role
from db.engine import session_scope
from db.models import AuditEntry
from tests.utils import discussion, exported, write_jsonl
from tests.utils.rows import node_id

ANN, BOB = Actor("ann", Role.ANNOTATOR), Actor("bob", Role.ANNOTATOR)


@pytest.fixture
def url(db_url, tmp_path) -> str:
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url, actor=LOCAL)
    return db_url


def _b0(url: str) -> dict:
    [d] = exported(url)
    return next(t for t in d["turns"] if (t["agent"], t["round"]) == ("b", 0))


def test_respond_withdraw_and_a_stale_response(url):
    b0 = node_id(url, "q1", "b", 0)
    first = responses.respond(b0, "correct", actor=ANN, note=" units ", expected_version=0, url=url)
    assert (first.ok, first.message) == (True, "your response: correct") and first.event_id
    assert (_b0(url)["label"], _b0(url)["label_source"]) == ("correct", "human")
    stale = responses.respond(b0, "incorrect", actor=BOB, expected_version=0, url=url)
    assert (stale.ok, stale.stale) == (False, True) and "changed by someone else" in stale.message
    unsure = responses.respond(b0, "unsure", actor=BOB, expected_version=1, url=url)
    assert unsure.ok and unsure.event_id is None  # the label stays: no history entry
    found = responses.responses(b0, actor=Actor("vic", Role.VIEWER), url=url)
    assert [(r.annotator, r.value, r.note) for r in found] == [
        ("ann", "correct", "units"),
        ("bob", "unsure", None),
    ]
    assert responses.withdraw(b0, actor=ANN, url=url).message == "your response was withdrawn"
    assert _b0(url)["label_source"] == "auto"
    nothing = responses.withdraw(b0, actor=ANN, url=url)
    assert (nothing.ok, nothing.message) == (False, "you have no response to this node to withdraw")
    history = responses.response_history(b0, actor=ANN, url=url)
    assert [(r.annotator, r.value) for r in history] == [
        ("ann", "correct"),
        ("bob", "unsure"),
        ("ann", "withdrawn"),
    ]
    bad = responses.respond(b0, "maybe", actor=ANN, url=url)
    assert (bad.ok, bad.message) == (False, "a response is one of correct, incorrect, unsure, not 'maybe'")
    assert not responses.respond(10_000, "correct", actor=ANN, url=url).ok


def test_set_label_is_the_actors_response(url):
    b0 = node_id(url, "q1", "b", 0)
    assert annotate.set_label(b0, True, actor=ANN, url=url).ok
    assert annotate.set_label(b0, False, actor=BOB, url=url).ok  # a tie: no human label
    assert _b0(url)["label_source"] == "auto"
    assert {(r.annotator, r.value) for r in responses.responses(b0, actor=ANN, url=url)} == {
        ("ann", "correct"),
        ("bob", "incorrect"),
    }


def test_an_adjudicator_settles_a_tie_with_a_reason_audited(url):
    b0 = node_id(url, "q1", "b", 0)
    responses.respond(b0, "correct", actor=ANN, url=url)
    responses.respond(b0, "incorrect", actor=BOB, url=url)
    with pytest.raises(Forbidden, match="needs the adjudicator role"):
        responses.adjudicate(b0, False, reason="r", actor=ANN, url=url)
    judge = Actor("judge", Role.ADJUDICATOR)
    assert responses.adjudicate(b0, False, reason="  ", actor=judge, url=url).message == (
        "an adjudication needs a reason"
    )
    done = responses.adjudicate(b0, False, reason="$20 is wrong", actor=judge, url=url)
    assert (done.ok, done.message) == (True, "adjudicated incorrect") and done.event_id
    assert (_b0(url)["label"], _b0(url)["label_source"]) == ("incorrect", "human")
    info = responses.adjudication(b0, actor=ANN, url=url)
    assert (info.label, info.reason, info.adjudicator) == (False, "$20 is wrong", "judge")
    with session_scope(url) as s:
        entries = s.execute(select(AuditEntry.actor, AuditEntry.action, AuditEntry.target)).all()
    assert [tuple(e) for e in entries if e[1] == "label.adjudicated"] == [
        ("judge", "label.adjudicated", f"node {b0}")
    ]
    assert Role.ANNOTATOR < Role.ADJUDICATOR < Role.TRAINER  # trainers and admins may adjudicate too


def test_an_export_can_list_every_response_and_reimports_as_before(url, tmp_path):
    b0 = node_id(url, "q1", "b", 0)
    responses.respond(b0, "correct", actor=ANN, note="units", url=url)
    responses.respond(b0, "unsure", actor=BOB, url=url)
    path = tmp_path / "with.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        assert store.export_discussions(fh, responses=True, actor=LOCAL, url=url) == 1
    [record] = [json.loads(line) for line in path.read_text().splitlines()]
    turns = {(t["agent"], t["round"]): t for t in record["turns"]}
    assert [(r["annotator"], r["value"], r["note"]) for r in turns[("b", 0)]["responses"]] == [
        ("ann", "correct", "units"),
        ("bob", "unsure", None),
    ]
    assert turns[("c", 0)]["responses"] == []
    assert "responses" not in exported(url)[0]["turns"][0]  # only when asked for
    with pytest.raises(ValueError, match="JSONL"):
        store.export_discussions(io.StringIO(), fmt="magdi", responses=True, actor=LOCAL, url=url)
    # Re-imported: the labels come back as the file says; the responses are not imported.
    other = f"sqlite:///{tmp_path / 'other.db'}"
    store.import_file(path, url=other, actor=LOCAL)
    again = exported(other)[0]
    assert [(t["label"], t["label_source"]) for t in again["turns"]] == [
        (t["label"], t["label_source"]) for t in record["turns"]
    ]
    assert responses.responses(node_id(other, "q1", "b", 0), actor=ANN, url=other) == []


def test_the_cli_exports_responses_on_request(url, tmp_path, capsys):
    from app import cli

    responses.respond(node_id(url, "q1", "a", 0), "incorrect", actor=ANN, url=url)
    out = tmp_path / "r.jsonl"
    assert cli.main(["export", str(out), "--responses", "--db", url]) == 0
    [a0] = [t for t in json.loads(out.read_text())["turns"] if (t["agent"], t["round"]) == ("a", 0)]
    assert [(r["annotator"], r["value"]) for r in a0["responses"]] == [("ann", "incorrect")]
    assert cli.main(["export", str(out), "--responses", "--format", "magdi", "--db", url]) == 2


def test_recompute_applies_a_changed_consensus_rule_to_every_node(url, monkeypatch, capsys):
    """Under k = 1 ann's lone response decides a0; b0 has two agreeing responses. Raising k to 2
    leaves a0 without a consensus only after `labels recompute`, which records the rule's change
    in the history and the audit log as the local user's, and prints how many changed."""
    from app import cli
    from db import labels

    a0, b0 = node_id(url, "q1", "a", 0), node_id(url, "q1", "b", 0)
    responses.respond(a0, "incorrect", actor=ANN, url=url)
    responses.respond(b0, "correct", actor=ANN, url=url)
    responses.respond(b0, "correct", actor=BOB, url=url)
    monkeypatch.setenv("MAGDI_CONSENSUS_MIN", "2")
    assert _b0(url)["label_source"] == "human"
    with pytest.raises(Forbidden):
        responses.recompute_labels(actor=Actor("tess", Role.TRAINER), url=url)
    assert cli.main(["labels", "recompute", "--db", url]) == 0
    assert (
        "recomputed 2 answered nodes under MAGDI_CONSENSUS_MIN=2: 1 labels changed" in capsys.readouterr().out
    )
    with session_scope(url) as s:
        [entry] = labels.history(s, turn_id=a0, limit=1)
        audited = (
            s.execute(select(AuditEntry).where(AuditEntry.action == "labels.recomputed")).scalars().all()
        )
    assert (entry.old, entry.new, entry.who) == ("incorrect", None, "local") and "at least 2" in entry.note
    assert [(e.actor, json.loads(e.detail)["changed"]) for e in audited] == [("local", 1)]
    again = responses.recompute_labels(actor=LOCAL, url=url)  # nothing left to change
    assert (again.nodes, again.changed, again.revision) == (2, 0, None)
    monkeypatch.setenv("MAGDI_CONSENSUS_MIN", "1")
    assert responses.recompute_labels(actor=LOCAL, url=url).changed == 1

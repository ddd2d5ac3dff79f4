"""Annotation tasks through the services: overlap across annotators, hidden responses, progress,
who may do what (SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.services import audit, responses, store, tasks
from app.services.auth import LOCAL, Actor, Forbidden, Role
from app.services.filters import Filter
from db.engine import session_scope
from db.models import Response, Turn
from tests.utils import discussion, write_jsonl

ANN, BEA, CID = (Actor(f"{n}@example.org", Role.ANNOTATOR) for n in ("ann", "bea", "cid"))
TRAINER = Actor("tess@example.org", Role.TRAINER)


@pytest.fixture
def url(db_url, tmp_path):
    rows = [discussion("q1"), discussion("q2", question="How many pears?")]
    store.import_file(write_jsonl(tmp_path / "s.jsonl", rows), url=db_url, actor=LOCAL)
    return db_url


def _nodes(url) -> list[int]:
    with session_scope(url) as s:
        return list(s.execute(select(Turn.id).order_by(Turn.id)).scalars())


def _work(url, task_id, actor, value="correct") -> int | None:
    """The actor answers their next node; its id (None: their queue is empty)."""
    queue = tasks.next_items(task_id, actor=actor, url=url)
    if not queue:
        return None
    res = responses.respond(queue[0].node_id, value, actor=actor, expected_version=queue[0].version, url=url)
    assert res.ok, res.message
    return queue[0].node_id


def test_overlap_two_across_three_annotators(url):
    task = tasks.create_task("pairs", Filter(), overlap=2, actor=TRAINER, url=url)
    nodes = _nodes(url)
    answered = {a.identity: [] for a in (ANN, BEA, CID)}
    for _ in range(3 * len(nodes)):  # round-robin until every queue is empty
        done = [(a, _work(url, task.id, a)) for a in (ANN, BEA)]
        for a, n in done:
            if n is not None:
                answered[a.identity].append(n)
        if all(n is None for _, n in done):
            break
    # ann and bea took everything between them: cid's queue is empty, as every node has 2
    assert tasks.next_items(task.id, actor=CID, url=url) == []
    assert sorted(answered[ANN.identity] + answered[BEA.identity]) == sorted(nodes * 2)
    # with a third annotator from the start, every node still ends with exactly 2, nobody answers twice
    task3 = tasks.create_task("three", Filter(), overlap=2, actor=TRAINER, url=url)
    responses.withdraw(nodes[0], actor=ANN, url=url)
    responses.withdraw(nodes[1], actor=BEA, url=url)
    assert sorted(q.node_id for q in tasks.next_items(task3.id, actor=CID, limit=10, url=url)) == nodes[:2]
    assert sorted([_work(url, task3.id, CID), _work(url, task3.id, CID)]) == nodes[:2]
    assert _work(url, task3.id, CID) is None and _work(url, task3.id, ANN) is None
    with session_scope(url) as s:
        rows = s.execute(
            select(Response.turn_id, Response.annotator, Response.value).order_by(Response.id)
        ).all()
    current = {}
    for turn, who, value in rows:
        current[(turn, who)] = value
    per_node = {n: sum(1 for (t, _), v in current.items() if t == n and v != "withdrawn") for n in nodes}
    assert set(per_node.values()) == {2}
    given = [(t, who) for t, who, v in rows if v != "withdrawn"]
    assert len(given) == len(set(given))  # nobody answered a node twice
    p = tasks.progress(task3.id, actor=CID, url=url)
    assert (p.nodes, p.needed, p.answered, p.fraction) == (len(nodes), 2 * len(nodes), 2 * len(nodes), 1.0)
    assert p.by_annotator == {
        ANN.identity: len(answered[ANN.identity]) - 1,
        BEA.identity: len(answered[BEA.identity]) - 1,
        CID.identity: 2,
    }


def test_others_responses_stay_hidden_until_one_has_answered(url):
    hidden = tasks.create_task("blind", Filter(), overlap=3, actor=TRAINER, url=url)
    open_ = tasks.create_task("open", Filter(), overlap=3, actor=TRAINER, hide_others=False, url=url)
    node = _work(url, hidden.id, ANN, "incorrect")
    assert tasks.visible_responses(hidden.id, node, actor=BEA, url=url) == ([], 1)
    shown, n_hidden = tasks.visible_responses(open_.id, node, actor=BEA, url=url)
    assert [(r.annotator, r.value) for r in shown] == [(ANN.identity, "incorrect")] and n_hidden == 0
    assert _work(url, hidden.id, BEA) == node  # the same node: the queue order is shared
    shown, n_hidden = tasks.visible_responses(hidden.id, node, actor=BEA, url=url)
    assert sorted((r.annotator, r.value) for r in shown) == [
        (ANN.identity, "incorrect"),
        (BEA.identity, "correct"),
    ]
    assert n_hidden == 0
    responses.withdraw(node, actor=BEA, url=url)  # taken back: hidden again
    assert tasks.visible_responses(hidden.id, node, actor=BEA, url=url) == ([], 1)


def test_tasks_are_checked_listed_archived_and_audited(url):
    with pytest.raises(ValueError, match="overlap"):
        tasks.create_task("x", Filter(), overlap=0, actor=TRAINER, url=url)
    with pytest.raises(ValueError, match="name"):
        tasks.create_task("  ", Filter(), overlap=1, actor=TRAINER, url=url)
    t = tasks.create_task("mine", Filter(), overlap=1, participants=[ANN.identity], actor=TRAINER, url=url)
    with pytest.raises(ValueError, match="exists already"):
        tasks.create_task("mine", Filter(), overlap=1, actor=TRAINER, url=url)
    assert [x.name for x in tasks.list_tasks(actor=ANN, url=url)] == ["mine"]
    assert tasks.next_items(t.id, actor=ANN, url=url)
    with pytest.raises(Forbidden, match="does not take part"):
        tasks.next_items(t.id, actor=BEA, url=url)
    with pytest.raises(Forbidden, match="trainer"):
        tasks.create_task("no", Filter(), overlap=1, actor=ANN, url=url)
    with pytest.raises(Forbidden, match="trainer"):
        tasks.archive_task(t.id, actor=ANN, url=url)
    with pytest.raises(Forbidden, match="annotator"):
        tasks.list_tasks(actor=Actor("v@example.org", Role.VIEWER), url=url)
    tasks.archive_task(t.id, actor=TRAINER, url=url)
    assert tasks.list_tasks(actor=ANN, url=url) == []
    assert [x.name for x in tasks.list_tasks(actor=ANN, archived=True, url=url)] == ["mine"]
    with pytest.raises(Forbidden, match="archived"):
        tasks.next_items(t.id, actor=ANN, url=url)
    actions = [
        (e.actor, e.action) for e in audit.entries(actor=LOCAL, url=url) if e.action.startswith("task.")
    ]
    assert sorted(actions) == [(TRAINER.identity, "task.archived"), (TRAINER.identity, "task.created")]
    with session_scope(url) as s:
        assert s.execute(select(func.count(Response.id))).scalar_one() == 0

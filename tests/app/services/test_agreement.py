"""Agreement and the adjudication queue on a store with three annotators' responses."""

from __future__ import annotations

import json

import pytest
from nltk.metrics.agreement import AnnotationTask

from app.services import agreement, responses
from app.services.auth import Actor, Forbidden, Role
from db.engine import session_scope
from db.models import AnnotationTask as Task
from db.models import Turn
from magdi.agreement import Agreement
from tests.utils.responses import RESPONSES, C, X, add_responses
from tests.utils.rows import node_id

VIEWER = Actor("viewer", Role.VIEWER)
ADJUDICATOR = Actor("adj", Role.ADJUDICATOR)


@pytest.fixture
def url(db_url, tmp_path) -> str:
    add_responses(db_url, tmp_path)
    return db_url


def values(key) -> dict:
    return {who: v for who, v in RESPONSES[key].items() if v in (C, X)}


def test_the_report_equals_independent_computations(url):
    r = agreement.agreement(actor=VIEWER, url=url)
    triples = [(key, who, v) for key in RESPONSES for who, v in values(key).items()]
    nltk = AnnotationTask(data=[(who, str(key), v) for key, who, v in triples])
    assert r.scope == "every dataset" and r.annotators == ["ann1", "ann2", "ann3"]
    assert r.nodes == 6  # the withdrawn-only node holds no value
    assert r.alpha == pytest.approx(nltk.alpha())
    pairs = {(p.a, p.b): p.agreement for p in r.pairs}
    # ann1 and ann2 both answered agree/a/0 (c c), agree/b/0 (c i), flip/b/0 (i i): 2 of 3 equal;
    # ann1 (c 2, i 1), ann2 (c 1, i 2): p_e = (2*1 + 1*2) / 9 = 4/9; kappa = (2/3 - 4/9) / (5/9) = 2/5
    assert pairs[("ann1", "ann2")].n == 3
    assert pairs[("ann1", "ann2")].observed == pytest.approx(2 / 3)
    assert pairs[("ann1", "ann2")].kappa == pytest.approx(0.4)
    # human labels (k = 1): agree/a/0 c, flip/b/0 i, flip/a/1 c, never/y/0 c, never/x/1 i; the tie none.
    # automatic: c, i, i, i, i -> (c, c) 1, (i, i) 2, (i, c) 2
    assert r.confusion.counts == {(C, C): 1, (C, X): 0, (X, C): 2, (X, X): 2}
    # ann3 against the automatic labels: agree/a/0 c=c, flip/b/0 c!=i, flip/a/1 c!=i, never/y/0 c!=i
    assert r.with_automatic["ann3"].n == 4 and r.with_automatic["ann3"].observed == pytest.approx(0.25)
    # ann2 against the consensus: agree/a/0, flip/b/0, never/y/0, never/x/1 equal; the tie has none
    assert r.with_consensus["ann2"].n == 4 and r.with_consensus["ann2"].observed == 1.0
    assert [(n.discussion, n.agent, n.round) for n in r.disagreeing] == [
        ("agree", "b", 0),  # a tie: the minority holds 1/2
        ("flip", "b", 0),  # 2 to 1: the minority holds 1/3
    ]
    assert r.disagreeing[0].votes == "1 correct, 1 incorrect"


def test_a_dataset_scopes_the_report(url):
    r = agreement.agreement(actor=VIEWER, dataset="b", url=url)
    assert r.scope == "dataset b" and r.nodes == 6
    assert agreement.agreement(actor=VIEWER, dataset="no such set", url=url).nodes == 0
    with pytest.raises(ValueError, match="not both"):
        agreement.agreement(actor=VIEWER, dataset="b", task_id=1, url=url)


def test_a_task_scopes_the_report_by_its_filter(url):
    with session_scope(url, write=True) as s:
        task = Task(name="strategy", filter=json.dumps({"task": "strategyqa"}), overlap=2)
        s.add(task)
        s.flush()
        task_id = task.id
    assert agreement.task_choices(url) == {task_id: "strategy"}
    r = agreement.agreement(actor=VIEWER, task_id=task_id, url=url)
    # only "never": y/0 (ann2 c, ann3 c) and x/1 (ann2 i; ann1 unsure): the one unit two people
    # answered holds one value, so alpha is undefined; ann2 and ann3 agree on it, kappa undefined too;
    # ann1 answered only "unsure" here: not an annotator of these figures
    assert (r.scope, r.nodes, r.alpha, r.disagreeing) == ("task strategy", 2, None, [])
    assert r.annotators == ["ann2", "ann3"]
    assert [(p.a, p.b, p.agreement) for p in r.pairs] == [("ann2", "ann3", Agreement(1, 1.0, None))]
    with pytest.raises(LookupError, match="no annotation task"):
        agreement.agreement(actor=VIEWER, task_id=task_id + 1, url=url)


def test_the_queue_holds_contested_nodes_most_contested_first(url):
    queue = agreement.adjudication_queue(actor=ADJUDICATOR, url=url)
    assert [(n.discussion, n.agent, n.round, round(n.contest, 3)) for n in queue] == [
        ("agree", "b", 0, 0.5),  # a tie
        ("flip", "a", 1, 0.5),  # the consensus (correct) contradicts a parsed automatic "incorrect"
        ("flip", "b", 0, 0.333),  # a split majority
    ]  # never/y/0 contradicts its automatic label too, but that label is not confident (unparseable)


def test_an_adjudication_settles_a_node_and_an_annotator_is_refused(url):
    tie = node_id(url, "agree", "b", 0)
    with pytest.raises(Forbidden, match="needs the adjudicator role"):
        responses.adjudicate(tie, False, reason="no", actor=Actor("ann1", Role.ANNOTATOR), url=url)
    with pytest.raises(Forbidden, match="needs the adjudicator role"):
        agreement.adjudication_queue(actor=Actor("ann1", Role.ANNOTATOR), url=url)
    assert responses.adjudicate(tie, False, reason="counted again", actor=ADJUDICATOR, url=url).ok
    with session_scope(url) as s:
        assert s.get(Turn, tie).human_label is False  # the effective label is the adjudicated one
    queue = agreement.adjudication_queue(actor=ADJUDICATOR, url=url)
    assert tie not in {n.node_id for n in queue} and len(queue) == 2
    r = agreement.agreement(actor=VIEWER, url=url)
    # the adjudicated label joins the human labels: automatic correct, human incorrect
    assert r.confusion.counts[(C, X)] == 1 and r.confusion.n == 6
    [settled] = [n for n in r.disagreeing if n.node_id == tie]  # humans still disagree on it
    assert (settled.adjudicated, settled.reason) == (False, "counted again")

"""Predict jobs through a real worker: a tiny level-4 train job scores the demo store, and the
Review queue (service and page) then lists exactly the nodes its classifier disagrees with."""

from __future__ import annotations

import sqlite3

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from app.jobkinds import predict as predict_kind
from app.services import annotate, jobs, predictions, review, store
from app.services.auth import LOCAL, Actor, Role
from db import browsing, queries
from db import jobs as job_queries
from db.engine import session_scope
from db.models import NodePrediction, Turn
from magdi.node_predict import load_classifier, predict
from tests.conftest import ROOT
from tests.utils.training import TINY
from tests.utils.workers import run_until_idle


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> tuple:
    """The demo store after a tiny level-4 train job and a predict job: (store file, train job
    id, predict job id)."""
    tmp = tmp_path_factory.mktemp("scored")
    url = f"sqlite:///{tmp / 'store.db'}"
    store.load_demo_if_empty(url)
    train_id = jobs.submit(jobs.train_config(TINY, url=url), name="tiny", url=url, actor=LOCAL)
    with pytest.raises(ValueError, match="not a succeeded level-4"):
        predictions.submit_predictions(train_id, url=url, actor=LOCAL)  # still queued
    run_until_idle(url, tmp)
    predict_id = predictions.submit_predictions(train_id, url=url, actor=LOCAL)
    run_until_idle(url, tmp)
    return tmp / "store.db", train_id, predict_id


@pytest.fixture
def url(scored, tmp_path, monkeypatch) -> str:
    """A private copy of the scored store, so a test may edit it."""
    with sqlite3.connect(scored[0]) as src, sqlite3.connect(tmp_path / "store.db") as dst:
        src.backup(dst)
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("MAGDI_DATABASE_URL", url)
    return url


def stored(url: str, job_id: int) -> dict[int, float]:
    with session_scope(url) as s:
        return dict(
            s.execute(
                select(NodePrediction.turn_id, NodePrediction.p_correct).where(
                    NodePrediction.job_id == job_id
                )
            ).all()
        )


def expected_disagreements(url: str, job_id: int) -> set[int]:
    """Nodes no human labelled whose effective label differs from P(correct) >= 0.5."""
    p = stored(url, job_id)
    with session_scope(url) as s:
        turns = s.execute(select(Turn)).scalars().all()
    return {
        t.id
        for t in turns
        if t.id in p
        and not t.excluded
        and t.human_label is None
        and (t.auto_label if t.human_label is None else t.human_label) != (p[t.id] >= 0.5)
    }


def queue(url: str) -> list[review.ReviewItem]:
    items, total = review.review_queue(page=1, page_size=10_000, url=url)
    assert len(items) == total
    return items


def test_predict_job_stores_the_run_classifier_for_every_node(scored, url):
    _, train_id, predict_id = scored
    job = jobs.get(predict_id)
    assert job.status == "succeeded", job.error
    assert (job.kind, job.step, job.total_steps, job.progress) == ("predict", 40, 40, 1.0)
    p = stored(url, predict_id)
    with session_scope(url) as s:
        assert set(p) == set(s.execute(select(Turn.id).where(Turn.excluded.is_(False))).scalars())
        ids = browsing.matching_ids(s, browsing.BrowseFilter())
        discussions = [d for d, _ in queries.iter_discussions(s, discussion_ids=ids, drop_excluded=True)]
        turn_ids = [
            list(
                s.execute(
                    select(Turn.id).where(Turn.discussion_id == i, Turn.excluded.is_(False)).order_by(Turn.id)
                ).scalars()
            )
            for i in ids
        ]
    assert all(0.0 <= v <= 1.0 for v in p.values())
    direct = predict(load_classifier(jobs.get(train_id).run_dir), discussions)  # in this process
    for d, ids_of_d, scores in zip(discussions, turn_ids, direct):
        assert [p[t] for t in ids_of_d] == pytest.approx(list(scores.values()), abs=1e-6), d.id
    assert f"stored {len(p)} node predictions for job {predict_id}" in jobs.log_tail(job)


def test_review_queue_adds_exactly_the_classifier_disagreements(scored, url):
    predict_id = scored[2]
    expected = expected_disagreements(url, predict_id)
    items = queue(url)
    assert {i.node_id for i in items if "classifier_disagrees" in i.reasons} == expected != set()
    p = stored(url, predict_id)
    assert all(i.p_correct == p[i.node_id] for i in items)
    only = [n for n, i in enumerate(items) if i.reasons == ["classifier_disagrees"]]
    assert only and only == list(range(len(items) - len(only), len(items)))  # ranked after the rest
    assert {i.node_id for i in items} == expected | flagged_otherwise(url)

    rows, total = predictions.disagreements(page_size=1000, url=url)  # the same set, by confidence
    assert {r.node_id for r in rows} == expected and total == len(expected)
    margins = [abs(r.p_correct - 0.5) for r in rows]
    assert margins == sorted(margins, reverse=True)

    node = next(iter(expected))  # a human confirming the label takes the node out of the queue
    with session_scope(url) as s:
        auto = s.get(Turn, node).auto_label
    annotate.set_label(node, auto, actor=Actor("ann", Role.ANNOTATOR), url=url)
    assert node not in {i.node_id for i in queue(url)}
    assert node in {r.node_id for r in predictions.disagreements(page_size=1000, url=url)[0]}


def flagged_otherwise(url: str) -> set[int]:
    """The queue's nodes without a node classifier."""
    with session_scope(url) as s:
        return {r["turn"].id for r in browsing.review_queue(s, limit=10_000)[0]}


def test_review_page_shows_the_reason_and_queues_a_predict_job(scored, url):
    _, train_id, predict_id = scored
    expected = expected_disagreements(url, predict_id)
    at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=60)
    at.run()
    at.switch_page("../pages/review.py").run()
    at.selectbox(key="review_size").set_value(100).run()
    at.number_input(key="review_page").set_value(at.number_input(key="review_page").max).run()
    assert not at.exception, [e.message for e in at.exception]
    table = at.dataframe[0].value
    shown = table[table["why"].str.contains("the trained node classifier disagrees with the label")]
    assert len(shown) and set(shown["node"]) <= expected
    p = stored(url, predict_id)
    assert list(shown["classifier"]) == [p[n] for n in shown["node"]]
    assert f"node predictions of job {predict_id}" in " ".join(c.value for c in at.caption)

    assert at.selectbox(key="review_classifier").value == train_id
    at.checkbox(key="review_same_data").check()
    at.button(key="review_score").click().run()
    [queued] = [j for j in jobs.list_all(kind="predict", url=url) if j.status == "queued"]
    assert queued.config == {"train_job": train_id, "filter": jobs.get(train_id).config["filter"]}
    assert f"Queued predict job {queued.id}" in at.success[0].value.replace("\\", "")


def test_a_resumed_predict_job_stores_under_its_own_id(scored, url):
    predict_id = scored[2]
    with session_scope(url, write=True) as s:  # as if its worker had died after storing
        job_queries.finish(s, predict_id, "failed", "worker died")
    resumed = jobs.resume(predict_id, url=url, actor=LOCAL)
    run_dir = jobs.get(resumed).run_dir
    assert predict_kind.main([run_dir, "--resume"]) == 0  # what the worker runs, in this process
    assert predictions.latest_job(url=url) == resumed
    assert stored(url, resumed) == pytest.approx(stored(url, predict_id), abs=1e-6)


def test_every_count_of_waiting_nodes_agrees_after_scoring(scored, url):
    """One definition of "waits for review" (issue 15, 4): the queue, the Overview count, the
    Browse filter, the MAG page's ⚑ nodes and the classifier's quality beside its suggestions."""
    from app.services import browse, mag_view, overview
    from app.services.filters import Filter

    _, train_id, predict_id = scored
    items = queue(url)
    suggested = {i.node_id for i in items if "classifier_disagrees" in i.reasons}
    assert suggested and all(i.human_label is None for i in items)  # a labelled node waits no more
    assert overview.overview(url=url).waiting_for_review == len(items)
    waiting_discussions = {i.discussion_id for i in items}
    assert set(browse.ordered_ids(Filter(needs_review=True), url=url)) == waiting_discussions
    not_waiting = set(browse.ordered_ids(Filter(needs_review=False), url=url))
    assert not_waiting.isdisjoint(waiting_discussions) and not_waiting | waiting_discussions == set(
        browse.ordered_ids(Filter(), url=url)
    )
    flagged = {
        n.id
        for d in waiting_discussions
        for n in mag_view.discussion(d, url).nodes
        if n.needs_review  # what ⚑ and J follow on the MAG page
    }
    assert flagged == {i.node_id for i in items}
    some = mag_view.discussion(next(i.discussion_id for i in items if i.node_id in suggested), url)
    node = next(n for n in some.nodes if n.id in suggested)
    assert "classifier_disagrees" in node.reasons and node.p_correct == stored(url, predict_id)[node.id]

    clf = predictions.current_classifier(url=url)
    assert (clf.job_id, clf.train_job) == (predict_id, train_id)
    assert clf.held_out_nodes > 0 and 0.0 <= clf.accuracy <= 1.0  # the run held out test questions
    assert clf.quality.startswith("held-out accuracy ")

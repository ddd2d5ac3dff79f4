"""The node-classifier services on a real store, with a predict job's scores written as the job
writes them: where the classifier disagrees with the labels, newest job, refusals."""

import pytest

from app.services import annotate, jobs, predictions, store
from app.services.auth import LOCAL, Actor, Role
from db import jobs as job_queries
from db import predictions as prediction_queries
from db.engine import session_scope
from tests.utils import discussion, write_jsonl
from tests.utils.rows import node_id
from tests.utils.training import TINY


@pytest.fixture
def url(db_url, tmp_path) -> str:
    """q1 (gold 18: b's round-0 "$20" is the one wrong answer), not yet scored by any job."""
    store.import_file(write_jsonl(tmp_path / "s.jsonl", [discussion()]), url=db_url, actor=LOCAL)
    return db_url


def _scored(url: str, scores: dict[tuple[str, int], float]) -> int:
    """A predict job and its stored scores, as app.jobkinds.predict stores them."""
    with session_scope(url, write=True) as s:
        job_id = job_queries.create_job(s, kind="predict", config={"train_job": 0, "filter": {}}).id
        rows = [(node_id(url, "q1", agent, rnd), p) for (agent, rnd), p in scores.items()]
        prediction_queries.replace_predictions(s, job_id, rows)
    return job_id


def test_disagreements_most_confident_first_until_a_human_agrees(url):
    assert predictions.latest_job(url=url) is None and predictions.disagreements(url=url) == ([], 0)
    job_id = _scored(url, {("a", 0): 0.1, ("b", 0): 0.2, ("c", 0): 0.95, ("b", 1): 0.4})
    assert predictions.latest_job(url=url) == job_id
    items, total = predictions.disagreements(url=url)
    assert total == 2  # a0 and b1 are right by their answers; the classifier says wrong
    assert [(i.agent, i.round, i.label, i.p_correct) for i in items] == [
        ("a", 0, True, 0.1),
        ("b", 1, True, 0.4),
    ]
    assert predictions.disagreements(dataset="no such set", url=url) == ([], 0)

    assert annotate.set_label(
        node_id(url, "q1", "a", 0), False, actor=Actor("ann", Role.ANNOTATOR), url=url
    ).ok  # the human agrees
    items, total = predictions.disagreements(job_id=job_id, url=url)
    assert (total, [(i.agent, i.round) for i in items]) == (1, [("b", 1)])


def test_only_a_succeeded_level_4_run_can_score_nodes(url):
    queued = jobs.submit(jobs.train_config({**TINY, "level": "4"}, url=url), url=url, actor=LOCAL)
    with pytest.raises(ValueError, match=f"job {queued} is not a succeeded level-4 training job"):
        predictions.submit_predictions(queued, url=url, actor=LOCAL)
    with pytest.raises(ValueError, match="job 999 is not a succeeded level-4 training job"):
        predictions.trained_classifier(999, url=url)
    assert predictions.classifier_jobs(url=url) == []

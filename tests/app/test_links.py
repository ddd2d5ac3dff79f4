"""Links between pages through AppTest on a real store: each page_link names the page and the URL
parameters that the target page reads (the browser test follows them: tests/e2e/test_links_browser.py)."""

from __future__ import annotations

from app.services import annotate, jobs
from app.services.auth import Actor, Role
from tests.utils.apptest import open_page
from tests.utils.evaluations import finished_job, stored_evaluation
from tests.utils.rows import disc_id, node_id
from tests.utils.training import TINY


def links(at) -> dict[str, tuple[str, str]]:
    """label -> (target page, query string) of the page links on the page."""
    return {
        e.proto.label: (e.proto.page.rsplit("/", 1)[-1], e.proto.query_string) for e in at.get("page_link")
    }


def test_a_train_job_links_its_data_and_its_evaluations_and_a_discussion_job_its_dataset(demo_store):
    url = demo_store
    train = finished_job(url, "train", jobs.train_config(TINY, data=None) | {"data": {"ds": ["gsm8k"]}})
    evaluation = finished_job(url, "eval", {"model": {"run_job": train}})
    run = stored_evaluation(
        url, dataset="gsm8k", key="gsm8k-001", answer="255", gold="255", job_id=evaluation
    )
    found = links(open_page("jobs", {"job": str(train)}))
    assert found["Its data on Browse (the filter it froze; what matches now)"] == ("browse", "ds=gsm8k")
    assert found["Its evaluations on Compare (1)"] == ("compare", f"run={run}")
    assert links(open_page("jobs", {"job": str(evaluation)}))["Its evaluations on Compare (1)"] == (
        "compare",
        f"run={run}",
    )
    discuss = finished_job(url, "discuss", {"target_dataset": "ecqa"})
    assert links(open_page("jobs", {"job": str(discuss)}))["Its new dataset ecqa on Browse"] == (
        "browse",
        "ds=ecqa",
    )


def test_compare_mag_and_overview_link_each_other(demo_store):
    url = demo_store
    other = stored_evaluation(url, dataset="gsm8k", key="gsm8k-002", answer="9", gold="450")
    run = stored_evaluation(url, dataset="gsm8k", key="gsm8k-003", answer="22", gold="22")
    d = disc_id(url, "gsm8k-003")

    at = open_page("mag", {"d": str(d)})
    label = "The students' answers to this question (1 evaluation(s))"
    assert links(at)[label] == ("compare", f"run={run}&qds=gsm8k&qkey=gsm8k-003")

    # the link's URL chooses the evaluation and the question on Compare, which links the MAG back
    for key in ("gsm8k-002", "gsm8k-003"):  # both evaluations: the link's question is chosen, whichever
        at = open_page("compare", {"run": [str(other), str(run)], "qds": "gsm8k", "qkey": key})
        assert at.multiselect(key="compare_runs").value == [other, run]
        picked = at.selectbox(key="compare_question")
        assert f"gsm8k · {key} ·" in picked.options[picked.value]
        assert links(at)["Its teachers' discussion (MAG)"] == ("mag", f"d={disc_id(url, key)}")

    turn = node_id(url, "gsm8k-003", "claude", 1)
    assert annotate.set_label(turn, False, actor=Actor("t", Role.ANNOTATOR), url=url).ok
    at = open_page("overview")
    assert links(at)["Open its node on the MAG page"] == ("mag", f"d={d}&n={turn}")

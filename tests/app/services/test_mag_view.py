"""The MAG view service: one discussion as the MAG page draws it (nodes in round order, edges,
review reasons, answer flips, effective labels), found by dataset and id."""

import pytest

from app.services import annotate, mag_view, store
from app.services.auth import LOCAL, Actor, Role
from tests.utils import agree_flip_never, write_jsonl
from tests.utils.rows import disc_id, node_id


@pytest.fixture
def url(db_url, tmp_path) -> str:
    store.import_file(write_jsonl(tmp_path / "b.jsonl", agree_flip_never()), url=db_url, actor=LOCAL)
    return db_url


def test_a_discussion_as_the_mag_page_draws_it(url):
    view = mag_view.discussion(disc_id(url, "never"), url=url)
    assert (view.dataset, view.external_id, view.task, view.gold_answer) == (
        "b",
        "never",
        "strategyqa",
        "yes",
    )
    assert (view.agents, view.rounds) == (["x", "y"], [0, 1])
    assert [n.title for n in view.nodes] == ["round 0 · x", "round 0 · y", "round 1 · x", "round 1 · y"]
    x0, y0, x1, y1 = view.nodes
    assert sorted(view.edges) == sorted(
        (a.id, b.id) for a in (x0, y0) for b in (x1, y1)
    )  # round 1 saw round 0
    assert (y0.reasons, x1.reasons, x0.reasons) == (["unparseable"], ["split_last_round"], [])
    assert (x1.flip, y1.flip, x0.flip) == ("right_wrong", "wrong_right", None)  # "maybe" read as wrong
    assert [n.id for n in view.review_nodes()] == [y0.id, x1.id, y1.id]
    assert view.summary["n_review"] == 3 and view.node(y1.id) is y1 and view.node(None) is None


def test_a_human_label_is_the_effective_one_and_moves_the_flips(url):
    b0 = node_id(url, "flip", "b", 0)
    assert annotate.set_label(
        b0, True, actor=Actor("ann", Role.ANNOTATOR), url=url
    ).ok  # b's "3" in round 0 called right
    view = mag_view.discussion(disc_id(url, "flip"), url=url)
    node = view.node(b0)
    assert (node.label, node.human_corrected, node.version) == (True, True, 1)
    b1 = next(n for n in view.nodes if (n.agent, n.round) == ("b", 1))
    assert b1.flip == "right_wrong"  # from the corrected round 0 to the (automatic) wrong round 1


def test_finding_a_discussion_by_dataset_and_id(url):
    assert mag_view.find_discussion("b", "flip", url=url) == disc_id(url, "flip")
    assert mag_view.find_discussion("b", "no such id", url=url) is None
    assert mag_view.find_discussion("no such set", "flip", url=url) is None
    assert mag_view.discussion(10_000, url=url) is None

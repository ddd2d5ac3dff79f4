"""The review queue service: ranked nodes with the reasons the page shows, pages, datasets."""

import pytest

from app.services import review, store
from app.services.auth import LOCAL, Actor, Role
from tests.utils import agree_flip_never, write_jsonl


@pytest.fixture
def url(db_url, tmp_path) -> str:
    store.import_file(write_jsonl(tmp_path / "b.jsonl", agree_flip_never()), url=db_url, actor=LOCAL)
    return db_url


def test_the_queue_ranks_unparseable_first_and_says_why(url):
    items, total = review.review_queue(url=url)
    assert total == 3
    assert [(i.discussion, i.agent, i.round, i.reasons) for i in items] == [
        ("never", "y", 0, ["unparseable"]),
        ("never", "x", 1, ["split_last_round"]),
        ("never", "y", 1, ["split_last_round"]),
    ]
    assert items[0].score > items[1].score and set(review.REASONS) >= {r for i in items for r in i.reasons}


def test_pages_clamp_and_datasets_scope_the_queue(url):
    items, total = review.review_queue(page=7, page_size=2, url=url)
    assert (total, [(i.agent, i.round) for i in items]) == (3, [("y", 1)])  # the last page
    assert review.review_queue(dataset="no such set", url=url) == ([], 0)
    assert review.review_queue(dataset="b", url=url)[1] == 3


def test_a_node_a_human_labelled_waits_no_more(url):
    """One definition of waiting (issue 15, 4): a human label, agreeing or not, ends the wait, and
    a human label that disagrees with the automatic one does not bring a node into the queue."""
    from app.services import annotate
    from tests.utils.rows import node_id

    before = {i.node_id for i in review.review_queue(url=url)[0]}
    a0 = node_id(url, "agree", "a", 0)  # right by its answer; a human says it is not
    assert annotate.set_label(a0, False, actor=Actor("ann", Role.ANNOTATOR), url=url).ok
    y1 = node_id(url, "never", "y", 1)  # waiting: agents split at the last round
    assert y1 in before and annotate.set_label(y1, True, actor=Actor("ann", Role.ANNOTATOR), url=url).ok
    items, total = review.review_queue(url=url)
    assert {i.node_id for i in items} == before - {y1} and total == len(before) - 1

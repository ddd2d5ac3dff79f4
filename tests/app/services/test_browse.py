"""The Browse service: plain rows for the table, the page clamped to the last one, an unknown sort
read as import order, and previous / next through the Browse order."""

import pytest

from app.services import browse, store
from app.services.auth import LOCAL
from app.services.filters import Filter
from tests.utils import agree_flip_never, write_jsonl
from tests.utils.rows import disc_id


@pytest.fixture
def url(db_url, tmp_path) -> str:
    store.import_file(write_jsonl(tmp_path / "b.jsonl", agree_flip_never()), url=db_url, actor=LOCAL)
    return db_url


def test_rows_are_plain_values_for_the_table(url):
    page = browse.browse(Filter(), url=url)
    assert (page.total, page.offset, page.pages) == (3, 0, 1)
    by_name = {r["discussion"]: r for r in page.rows}
    assert {
        k: by_name["flip"][k] for k in ("dataset", "task", "turns", "majority", "consensus", "flips")
    } == {
        "dataset": "b",
        "task": "gsm8k",
        "turns": 4,
        "majority": "wrong",
        "consensus": 1,
        "flips": "R→W",
    }
    assert (by_name["agree"]["majority"], by_name["agree"]["flips"]) == ("right", "")
    assert (by_name["never"]["majority"], by_name["never"]["flips"]) == ("—", "R→W W→R")  # a tie: no majority
    assert by_name["never"]["review"] == 3


def test_a_page_past_the_end_is_the_last_page_and_an_unknown_sort_is_import_order(url):
    page = browse.browse(Filter(), sort="no such column", page=9, page_size=2, url=url)
    assert (page.offset, page.pages, [r["discussion"] for r in page.rows]) == (2, 2, ["never"])
    assert browse.browse(Filter(task="ecqa"), url=url).rows == []


def test_previous_and_next_walk_the_browse_order(url):
    ids = browse.ordered_ids(Filter(), sort="turns", descending=True, url=url)
    flip, never, agree = (disc_id(url, x) for x in ("flip", "never", "agree"))
    assert ids == [flip, never, agree]
    assert browse.neighbours(ids, never) == (flip, agree, 2)
    assert browse.neighbours(ids, flip) == (None, never, 1)
    assert browse.neighbours(ids, 10_000) == (None, flip, None)  # not in the filter: start at the first
    assert browse.neighbours([], 1) == (None, None, None)

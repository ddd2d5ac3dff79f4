"""Every URL parameter a page reads is validated: hostile values give the page's defaults, never a
traceback (AppTest on a real store with the demo set)."""

from __future__ import annotations

import pytest

from app.ui.state import to_int
from tests.utils.apptest import open_page

HUGE = "99999999999999999999"  # past 64 bits: SQLite raised OverflowError on it


@pytest.mark.parametrize(
    ("page", "query"),
    [
        ("browse", {"page": HUGE}),
        ("browse", {"page": "9223372036854775807", "size": "100"}),  # in 64 bits, its offset is not
        ("browse", {"page": "-5", "size": "abc", "sort": "'; drop table turn; --", "desc": "x"}),
        ("browse", {"cons": HUGE, "ds": "no such dataset", "flip": "sideways"}),
        ("browse", {"page": "1" * 5000}),  # past Python's digit limit for int()
        ("mag", {"d": HUGE, "n": HUGE}),
        ("mag", {"d": "-1", "n": "x"}),
        ("jobs", {"job": HUGE}),
        ("review", {"page": HUGE}),
    ],
)
def test_a_hostile_url_parameter_gives_no_error(demo_store, page, query):
    at = open_page(page, query)  # fails on any exception the page raises
    assert not at.error, [e.value for e in at.error]


def test_to_int_takes_only_what_a_store_column_holds():
    assert to_int("42") == 42 and to_int("-1") == -1
    assert to_int(str(2**63 - 1)) == 2**63 - 1
    assert to_int(str(2**63), default=7) == 7
    assert to_int(HUGE) is None and to_int("1" * 5000) is None and to_int("4x") is None

"""Data text on the page: Markdown made inert by `esc`, plotly text escaped and shortened."""

import pytest

from app.ui.text import esc, plot_text
from tests.utils import unescape


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "[link](https://example.com) ![img](x.png)",
        ":red[alarm] **bold** _it_ `code` $x^2$",
        "# heading\n- item\n> quote",
        "a | b &amp; c = 1 ~ 2 @ 3 % 4",
    ],
)
def test_esc_leaves_no_markdown_nor_html_and_keeps_the_words(text):
    out = esc(text)
    assert "\n" not in out
    for ch in "<>[]()*_`$#|&:~":
        assert ch not in out.replace("\\" + ch, "")  # every special character is escaped
    assert unescape(out) == " ".join(text.split())  # what the reader sees: the text, one line


def test_plot_text_escapes_tags_and_shortens():
    assert plot_text("a < b & c > d") == "a &lt; b &amp; c &gt; d"
    assert plot_text("x" * 50, n=10) == "x" * 9 + "…"
    assert plot_text(42) == "42"

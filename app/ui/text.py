"""Text on the page: escaping of data text, messages (also across a rerun), small captions.

Every text that comes from data is untrusted. Show long text with `st.text` (no Markdown, no
HTML); put short data text into Markdown only through `esc`.
"""

from __future__ import annotations

import html
import re
from typing import Protocol

import plotly.colors
import streamlit as st

from app.services.filters import Filter
from magdi.mag import label_text

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:&=^\"'@%])")


def esc(text: object) -> str:
    """Text made inert for Streamlit Markdown: every punctuation character backslash-escaped, so
    no HTML, link, image, emphasis, directive (`:red[…]`) or LaTeX can come out of it."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def plot_text(text: object, n: int = 40) -> str:
    """Data text for plotly, which reads a few HTML tags: & < > escaped, shortened."""
    text = str(text)
    return html.escape(text if len(text) <= n else text[: n - 1] + "…", quote=False)


# 24 colours that stay apart (plotly's Dark24), then the same colours dashed, then dotted: a chart
# of many agents never gives two of them the same look (plotly's default cycles through 10).
SERIES_COLOURS = tuple(plotly.colors.qualitative.Dark24)
SERIES_DASHES = ("solid", "dash", "dot")


def series_style(index: int) -> tuple[str, str]:
    """(colour, dash) of the index-th line of a chart: distinct for 72 lines."""
    colours = len(SERIES_COLOURS)
    return SERIES_COLOURS[index % colours], SERIES_DASHES[(index // colours) % len(SERIES_DASHES)]


def notice(kind: str, text: str) -> None:
    """st.success / info / warning / error with escaped text."""
    getattr(st, kind)(esc(text))


def flash(kind: str, text: str) -> None:
    """A message shown once on the next run (callbacks run before the page draws)."""
    st.session_state.setdefault("flash", []).append((kind, text))


class Outcome(Protocol):
    ok: bool
    message: str


def flash_result(res: Outcome, refused: str) -> None:
    """Flash an edit's outcome (`res.ok`, `res.message`): its message, or `refused` and why."""
    flash("success" if res.ok else "warning", res.message if res.ok else f"{refused} — {res.message}")


def show_flash() -> None:
    # One container whether or not there is a message, so that what follows keeps its place in
    # the page: otherwise the next rerun briefly shows old elements beside their new copies.
    with st.container():
        for kind, text in st.session_state.pop("flash", []):
            notice(kind, text)


def label_shown(value: bool | None) -> str:
    """A label on the page: its text (`magdi.mag.label_text`), or a dash for none."""
    return label_text(value) or "—"


def filter_caption(f: Filter, total: int | None = None) -> None:
    count = "" if total is None else f" — {total:,} discussion(s)"
    st.caption(esc(f"Filter: {f.describe()}{count}"))

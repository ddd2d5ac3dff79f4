"""The MAG graph as a bidirectional Streamlit component (app/templates/mag_graph/): app.graph_view
lays the MAG out, vis-network draws it in the browser, and a click on a turn comes back as its id.
Zoom, fit and full screen are the component's own buttons."""

from __future__ import annotations

import shutil
import tempfile
from functools import cache
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from app import graph_view
from app.services.mag_view import DiscussionView

SOURCE = Path(__file__).resolve().parents[1] / "templates" / "mag_graph"


@cache
def _component():
    """Declared once per process, from a private folder with our two files and vis-network as
    pyvis ships it (Streamlit serves the folder; nothing is fetched from a CDN)."""
    folder = Path(tempfile.mkdtemp(prefix="magdi-graph-"))
    for part in SOURCE.iterdir():
        shutil.copy(part, folder / part.name)
    shutil.copy(graph_view.VIS_DIR / "vis-network.min.js", folder)
    return components.declare_component("mag_graph", path=str(folder))


def mag_graph(view: DiscussionView, selected: int | None, key: str) -> int | None:
    """Draw the MAG; the id of a turn clicked since the last run, else None."""
    clicked = _component()(**graph_view.graph_data(view, selected), key=key, default=None)
    if not clicked or clicked.get("t") == st.session_state.get(f"{key}_applied"):
        return None
    st.session_state[f"{key}_applied"] = clicked.get("t")
    return clicked.get("node")

"""Pages of the app through Streamlit's AppTest (the store is whatever MAGDI_DATABASE_URL names)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

MAIN = str(ROOT / "app" / "main.py")


def open_page(name: str, query: dict | None = None, annotator: str | None = None) -> AppTest:
    """The app run once, switched to pages/<name>.py with `query` in its URL; fails on any exception."""
    at = AppTest.from_file(MAIN, default_timeout=60)
    if annotator:
        at.session_state["annotator"] = annotator
    at.run()
    assert not at.exception, at.exception
    if name != "overview":
        at.switch_page(f"../pages/{name}.py")
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at

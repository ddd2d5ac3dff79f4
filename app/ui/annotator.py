"""The annotator's name: asked once in the sidebar, kept in a session cookie, recorded with every
edit."""

from __future__ import annotations

import json
from urllib.parse import quote, unquote

import streamlit as st

from app.ui.text import esc

COOKIE = "magdi_annotator"


def _clean_name(name: str | None) -> str:
    return " ".join((name or "").split())[:100]


def name() -> str | None:
    """The annotator's name: asked once per browser session (a session cookie keeps it across
    reloads and tabs until the browser closes)."""
    if "annotator" not in st.session_state:
        st.session_state["annotator"] = _clean_name(unquote(st.context.cookies.get(COOKIE, "")))
    return st.session_state["annotator"] or None


def _write_cookie(name: str) -> None:
    # json.dumps + escaping < > & keeps any name a JS string literal inside the script tag.
    literal = (
        json.dumps(quote(name, safe=""))
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    expire = "; max-age=0" if not name else ""
    st.html(
        f"<script>document.cookie = '{COOKIE}=' + {literal} + '; path=/; SameSite=Strict{expire}';</script>",
        unsafe_allow_javascript=True,
    )


def _set_name() -> None:
    st.session_state["annotator"] = _clean_name(st.session_state.get("annotator_input"))


def _change_name() -> None:
    st.session_state["annotator"] = ""
    st.session_state["annotator_input"] = ""


def sidebar() -> None:
    """The name (or the form that asks for it) in the sidebar; the cookie follows it."""
    current = name()
    with st.sidebar:
        if current:
            st.caption("Annotating as")
            st.markdown(f"**{esc(current)}**")
            st.button("Change name", key="annotator_change", on_click=_change_name, type="tertiary")
        else:
            with st.form("annotator_form", border=False, enter_to_submit=True):
                st.text_input(
                    "Your name", key="annotator_input", max_chars=100, placeholder="recorded with every edit"
                )
                st.form_submit_button("Start annotating", on_click=_set_name)
            st.caption("Browsing needs no name; every edit is recorded with it.")
        cookie = _clean_name(unquote(st.context.cookies.get(COOKIE, "")))
        if (current or "") != cookie:
            _write_cookie(current or "")


def require() -> str | None:
    """The name, or None after telling the user where to enter it."""
    current = name()
    if not current:
        st.info("Enter your name in the sidebar to edit labels (it goes into the history).")
    return current

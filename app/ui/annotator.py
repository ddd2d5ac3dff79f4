"""The name recorded with every edit: the signed-in user's identity (`app.ui.identity`), never a
name typed on the page."""

from __future__ import annotations

import streamlit as st

from app.ui import identity


def name() -> str | None:
    """The acting user's identity, or None when nobody is signed in."""
    actor = identity.current_actor()
    return actor.identity if actor else None


def require() -> str | None:
    """The identity, or None after saying that editing needs sign-in."""
    current = name()
    if not current:
        st.info("Sign in to edit labels (your identity goes into the history).")
    return current

"""The acting user of this browser session, for the pages to pass to the services.

Three modes (README, "Deploying for a team"): local (the default: loopback, no sign-in, one local
user holding every role), OIDC (Streamlit's `st.login`, configured by an [auth] secrets section) and
a trusted reverse proxy (MAGDI_PROXY_HEADER, believed only from MAGDI_PROXY_ADDRESSES).
"""

from __future__ import annotations

import os
import time

import streamlit as st

from app import signin
from app.services import auth
from app.services.auth import LOCAL, Actor, Role
from app.ui import cache
from app.ui.text import esc

ACTOR_TTL_S = 5.0


def _oidc_configured() -> bool:
    return bool(st.secrets.load_if_toml_exists() and st.secrets.get("auth"))


def mode() -> str:
    """The sign-in mode, "local", "oidc" or "proxy"; SignInError when the setup is wrong (the app
    then shows only that)."""
    proxy = signin.Proxy.from_env(os.environ)
    oidc = _oidc_configured()
    if proxy and oidc:
        raise signin.SignInError("both OIDC and proxy sign-in are configured: keep one")
    if proxy:
        if os.environ.get("FORWARDED_ALLOW_IPS") != "":  # see serve_cli: else X-Forwarded-For fakes a peer
            raise signin.SignInError(
                "proxy sign-in needs the app started by `python -m app serve` (or FORWARDED_ALLOW_IPS set "
                "empty), so that no X-Forwarded-For header can stand in for the proxy's address"
            )
        return "proxy"
    if oidc:
        return "oidc"
    address = str(st.get_option("server.address") or "")
    if not signin.is_loopback(address):
        raise signin.SignInError(signin.loopback_refusal(address))
    return "local"


def _peer() -> str:
    # Streamlit reports a loopback peer (127.0.0.1, ::1) as None.
    return st.context.ip_address or "127.0.0.1"


def _actor_for(identity: str, display: str) -> Actor:
    """`auth.actor_for` (a write: it makes the user at their first sign-in), at most every few
    seconds per browser session; a role changed by an admin applies within that time."""
    memo = st.session_state.get("identity_actor")
    now = time.monotonic()
    if memo and memo[0] == (identity, display) and now - memo[2] < ACTOR_TTL_S:
        return memo[1]
    actor = auth.actor_for(identity, display, cache.db_url())
    st.session_state["identity_actor"] = ((identity, display), actor, now)
    return actor


def current_actor() -> Actor | None:
    """The signed-in user (their role from the store), LOCAL in local mode, or None when nobody is
    signed in. SignInError when the setup is wrong or a proxied request cannot be believed."""
    kind = mode()
    if kind == "local":
        return LOCAL
    if kind == "proxy":
        proxy = signin.Proxy.from_env(os.environ)
        identity = proxy.identity(st.context.headers.get_all(proxy.header), _peer())
        return _actor_for(identity, "")
    if not st.user.is_logged_in:
        return None
    return _actor_for(signin.oidc_identity(st.user), str(st.user.get("name") or ""))


def gate() -> Actor:
    """The acting user; otherwise the page shows the sign-in button (or why nobody can sign in)
    and nothing else."""
    try:
        actor = current_actor()
    except (signin.SignInError, ValueError) as exc:  # actor_for: an identity it cannot take
        st.error(f"Cannot sign in: {exc}")
        st.stop()
    if actor is None:
        st.title("MAGDi Studio")
        st.write("Sign in to browse, annotate and distil.")
        st.button("Sign in", key="identity_sign_in", type="primary", on_click=st.login)
        st.stop()
    return actor


def sidebar(actor: Actor) -> None:
    """Who is signed in, their role, and sign-out (OIDC; the proxy signs out on its own)."""
    with st.sidebar:
        if actor is LOCAL:
            st.caption("Local mode: one user with every role")
            return
        st.caption("Signed in as")
        st.markdown(f"**{esc(actor.shown)}** · {actor.role.label}")
        if actor.display and actor.display != actor.identity:
            st.caption(esc(actor.identity))
        if mode() == "oidc":
            st.button("Sign out", key="identity_sign_out", on_click=st.logout, type="tertiary")


def page_for(role: Role, why: str) -> Actor:
    """The acting user, when their role may use this page; otherwise `why` and the page stops
    (the services refuse them anyway: this only spares them controls they cannot use)."""
    actor = current_actor()
    if actor is None or not actor.may(role):
        st.info(why)
        st.stop()
    return actor

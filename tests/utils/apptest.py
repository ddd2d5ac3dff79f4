"""Pages of the app through Streamlit's AppTest (the store is whatever MAGDI_DATABASE_URL names)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app.services import auth
from app.services.auth import LOCAL, Role
from tests.conftest import ROOT

MAIN = str(ROOT / "app" / "main.py")


# OIDC configured for AppTest (st.login itself is not called: `at.user` is the signed-in user).
TEST_AUTH = {
    "redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    "cookie_secret": "apptest-cookie-secret",
    "client_id": "magdi",
    "client_secret": "apptest",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def sign_in(at: AppTest, identity: str, role: Role) -> None:
    """OIDC sign-in as `identity`, who holds `role` in the store (MAGDI_DATABASE_URL)."""
    auth.actor_for(identity)
    auth.set_role(LOCAL, identity, role)
    at.secrets = {"auth": dict(TEST_AUTH)}
    at.user = {"is_logged_in": True, "email": identity}


def open_page(
    name: str, query: dict | None = None, annotator: str | None = None, role: Role = Role.ANNOTATOR
) -> AppTest:
    """The app run once, switched to pages/<name>.py with `query` in its URL; fails on any exception.
    With `annotator`, that identity is signed in with `role` (the annotator role unless said); else
    local mode."""
    at = AppTest.from_file(MAIN, default_timeout=60)
    if annotator:
        sign_in(at, annotator, role)
    at.run()
    assert not at.exception, at.exception
    if name != "overview":
        at.switch_page(f"../pages/{name}.py")
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def open_as(name: str, identity: str, role: Role, query: dict | None = None) -> AppTest:
    """The app switched to pages/<name>.py, `identity` signed in with `role`."""
    return open_page(name, query, annotator=identity, role=role)


def infos(at: AppTest) -> str:
    """The text of every st.info on the page."""
    return " ".join(i.value for i in at.info)

"""Sign-in in the app (app.ui.identity through app/main.py, in AppTest): nothing but the sign-in
button until someone is signed in; who and their role in the sidebar; the refusal off loopback.
Proxy mode needs a real connection's address: tests/e2e/test_signin.py."""

from __future__ import annotations

from streamlit import config
from streamlit.testing.v1 import AppTest

from app.services import auth
from app.services.auth import Role
from app.ui import text
from tests.utils.apptest import MAIN, TEST_AUTH


def _app(user: dict | None = None, oidc: bool = True) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=60)
    if oidc:
        at.secrets = {"auth": dict(TEST_AUTH)}
    at.user = user or {"is_logged_in": False}
    return at.run()


def test_nobody_signed_in_sees_only_the_sign_in_button(demo_store):
    at = _app()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert not at.sidebar.markdown and not at.dataframe and not at.metric  # no page, no navigation
    assert not auth.list_users(actor=auth.LOCAL, url=demo_store)


def test_a_signed_in_user_sees_who_and_their_role_and_can_sign_out(demo_store):
    at = _app({"is_logged_in": True, "email": "ann@example.org", "name": "Ann <b>Lee</b>"})
    assert not at.exception
    assert f"**{text.esc('Ann <b>Lee</b>')}** · viewer" in [m.value for m in at.sidebar.markdown]
    assert [(u.identity, u.display, u.role) for u in auth.list_users(actor=auth.LOCAL, url=demo_store)] == [
        ("ann@example.org", "Ann <b>Lee</b>", Role.VIEWER)
    ]
    at.sidebar.button(key="identity_sign_out").click().run()
    assert [b.label for b in at.button] == ["Sign in"]


def test_local_mode_is_refused_off_loopback(demo_store):
    before = config.get_option("server.address")
    config.set_option("server.address", "0.0.0.0")
    try:
        at = _app(oidc=False)
    finally:
        config.set_option("server.address", before)
    assert "refusing to serve on 0.0.0.0, which is not loopback, without sign-in" in at.error[0].value
    assert not at.button and not at.sidebar.markdown
    assert "Local mode" in _app(oidc=False).sidebar.caption[-1].value  # on loopback: no sign-in


def test_proxy_mode_needs_the_server_to_ignore_x_forwarded_for(demo_store, monkeypatch):
    monkeypatch.setenv("MAGDI_PROXY_HEADER", "X-Forwarded-Email")
    monkeypatch.setenv("MAGDI_PROXY_ADDRESSES", "127.0.0.1")
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    at = _app(oidc=False)
    assert "proxy sign-in needs the app started by `python -m app serve`" in at.error[0].value
    assert not at.button and not at.sidebar.markdown

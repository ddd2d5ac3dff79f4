"""Sign-in end to end in Chromium: a real OIDC provider on loopback (oidc-provider-mock), the app
started by `python -m app serve` with MAGDI_OIDC_* pointing at it; and the trusted-proxy mode over
real connections, from the proxy's address and from another."""

from __future__ import annotations

import re
import socket

import pytest
from playwright.sync_api import Page, expect

from app.services import auth, mag_view, store
from app.services.auth import LOCAL, Role
from tests.utils import free_port
from tests.utils.browser import clean_env, guarded_page, needs_browser, oidc_env, serve

ANN = "ann@example.org"


def _store(tmp) -> str:
    url = f"sqlite:///{tmp / 'store.db'}"
    store.load_demo_if_empty(url)
    return url


@pytest.fixture(scope="module")
def oidc_app(idp, tmp_path_factory):
    """(app base URL, store URL): the app with OIDC sign-in against `idp`; ann@example.org is an
    annotator in the store, made before she first signs in."""
    tmp = tmp_path_factory.mktemp("signin")
    url = _store(tmp)
    auth.actor_for(ANN, "", url)
    auth.set_role(LOCAL, ANN, Role.ANNOTATOR, url=url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(tmp / "streamlit.log", "wb") as log, serve(oidc_env(url, base, idp), log, port):
        yield base, url


def history_line(page: Page, pattern: str):
    return page.locator("[data-testid=stText]").filter(has_text=re.compile(pattern))


def test_sign_in_relabel_be_refused_an_admin_action_sign_out(browser, idp, oidc_app):
    base, url = oidc_app
    with guarded_page(browser, base, also=(idp,)) as page:
        expect.set_options(timeout=20_000)
        try:
            page.goto(f"/mag?d={mag_view.find_discussion('gsm8k', 'gsm8k-001', url)}")
            expect(page.get_by_role("button", name="Sign in")).to_be_visible()
            expect(page.get_by_role("heading", name="gsm8k · gsm8k-001")).to_have_count(0)  # nothing else

            page.get_by_role("button", name="Sign in").click()
            page.wait_for_url(f"{idp}/oauth2/authorize?**")
            page.get_by_placeholder("sub").fill(ANN)
            page.get_by_role("button", name="Authorize", exact=True).click()
            page.wait_for_url(f"{base}/**")
            sidebar = page.get_by_test_id("stSidebar")
            expect(sidebar.get_by_text(f"{ANN} · annotator")).to_be_visible()

            did = mag_view.find_discussion("gsm8k", "gsm8k-001", url)
            node = next(
                n.id for n in mag_view.discussion(did, url).nodes if (n.agent, n.round) == ("bard", 0)
            )
            page.goto(f"/mag?d={did}&n={node}")
            expect(page.get_by_role("heading", name="gsm8k · gsm8k-001")).to_be_visible()
            page.locator(".st-key-mag_correct button").click()
            expect(page.get_by_text("Saved: label set to correct.")).to_be_visible()
            expect(history_line(page, rf"human label: — → correct · {re.escape(ANN)}")).to_have_count(1)

            # admin actions: no Admin page in the navigation, and the Datasets page offers no rename
            # (the services refuse them, too)
            sidebar.get_by_role("button", name=re.compile(r"^View \d+ more$")).click()
            expect(sidebar.get_by_role("link", name="Datasets")).to_be_visible()
            expect(sidebar.get_by_role("link", name="Admin")).to_have_count(0)
            page.goto("/datasets")
            expect(page.get_by_text("datasets need the admin role")).to_be_visible()
            expect(page.get_by_label("Name", exact=True)).to_have_count(0)
            expect(page.get_by_role("button", name="Save")).to_have_count(0)

            page.get_by_role("button", name="Sign out").click()
            end = page.get_by_role("button", name="End session")
            end.wait_for()
            end.click()
            page.wait_for_url(f"{base}/**")
            expect(page.get_by_role("button", name="Sign in")).to_be_visible()
            page.goto(f"/mag?d={did}&n={node}")
            expect(page.get_by_role("button", name="Sign in")).to_be_visible()
            expect(page.get_by_role("heading", name="gsm8k · gsm8k-001")).to_have_count(0)
            # refused: only what the provider's page pulls from a CDN, nothing of the app
            assert not [r for r in page.external_requests if r.startswith("http://127.0.0.1")]
        finally:
            expect.set_options(timeout=None)


def _outside_address() -> str | None:
    """This machine's address on its first non-loopback interface (no packet is sent)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))
        except OSError:
            return None
        address = s.getsockname()[0]
    return None if address.startswith("127.") else address


def test_proxy_header_is_believed_from_the_proxy_only_and_x_forwarded_for_does_not_fake_it(browser, tmp_path):
    """The proxy is this machine's non-loopback address; a loopback connection that claims to be
    forwarded by it (X-Forwarded-For, which Streamlit's web server believes from loopback unless
    `serve` turns that off) is refused."""
    needs_browser()
    proxy = _outside_address()
    if proxy is None:
        pytest.skip("needs a non-loopback interface: the proxy's address must differ from loopback")
    url = _store(tmp_path)
    env = clean_env(
        MAGDI_DATABASE_URL=url, MAGDI_PROXY_HEADER="X-Forwarded-Email", MAGDI_PROXY_ADDRESSES=proxy
    )
    port = free_port()
    with open(tmp_path / "streamlit.log", "wb") as log, serve(env, log, port, "--address", "0.0.0.0"):
        headers = {"X-Forwarded-Email": "pat@example.org"}
        with guarded_page(browser, f"http://{proxy}:{port}", extra_http_headers=headers) as page:
            page.goto("/")
            sidebar = page.get_by_test_id("stSidebar")
            expect(sidebar.get_by_text("pat@example.org · viewer")).to_be_visible(timeout=20_000)
        forged = {"X-Forwarded-Email": "boss@example.org", "X-Forwarded-For": proxy}
        with guarded_page(browser, f"http://127.0.0.1:{port}", extra_http_headers=forged) as page:
            page.goto("/")
            refusal = page.get_by_text("this connection (127.0.0.1) does not come through the sign-in proxy")
            expect(refusal).to_be_visible(timeout=20_000)
            expect(page.get_by_test_id("stSidebar")).to_have_count(0)
    assert [u.identity for u in auth.list_users(actor=LOCAL, url=url)] == ["pat@example.org"]

"""How it works in a real browser: reached from another page's sidebar, its links open the pages;
and the theme follows the browser's light or dark preference."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.utils.browser import guarded_page

pytestmark = pytest.mark.e2e


def test_how_it_works_from_the_sidebar_and_on_to_a_page(page):
    page.goto("/browse")
    page.get_by_test_id("stSidebar").get_by_role("link", name="How it works").last.click()
    expect(page).to_have_url(re.compile(r"/help$"))
    expect(page.get_by_role("heading", name="How it works")).to_be_visible()
    page.get_by_test_id("stMain").get_by_role("link", name="Compare").click()
    expect(page).to_have_url(re.compile(r"/compare$"))
    expect(page.get_by_role("heading", name="Compare")).to_be_visible()


def _background(browser, base: str, scheme: str) -> tuple[int, ...]:
    with guarded_page(browser, base, color_scheme=scheme) as pg:
        pg.goto("/help")
        expect(pg.get_by_role("heading", name="How it works")).to_be_visible(timeout=20_000)
        colour = pg.get_by_test_id("stApp").evaluate("e => getComputedStyle(e).backgroundColor")
        assert not pg.external_requests
    return tuple(int(x) for x in re.findall(r"\d+", colour)[:3])


def test_the_theme_follows_the_browsers_preference(browser, app_server):
    base, _ = app_server
    assert sum(_background(browser, base, "dark")) < 3 * 80  # a dark background
    assert sum(_background(browser, base, "light")) > 3 * 200  # a light one

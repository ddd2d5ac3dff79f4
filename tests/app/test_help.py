"""The How it works page and its link in every page's sidebar, through AppTest; the theme setting.
(The browser test follows the links and checks both themes: tests/e2e/test_help_browser.py.)"""

from __future__ import annotations

import tomllib

import pytest

from app import ui
from tests.conftest import ROOT
from tests.utils.apptest import open_page


def page_links(at) -> dict[str, str]:
    """label -> the page's URL path ("" for the default page, Overview)."""
    return {e.proto.label: e.proto.page.rsplit("/", 1)[-1] for e in at.get("page_link")}


@pytest.mark.parametrize("name", ["overview", "browse", "jobs", "export"])
def test_every_page_links_how_it_works_in_its_sidebar(demo_store, name):
    at = open_page(name)
    links = {e.proto.label: e.proto.page.rsplit("/", 1)[-1] for e in at.sidebar.get("page_link")}
    assert links["How it works"] == "help"


def test_how_it_works_names_the_method_links_every_page_and_lists_the_keys(demo_store):
    at = open_page("help")
    text = " ".join(m.value for m in at.markdown)
    assert "multi-agent interaction graph" in text and "four levels" in text
    links = page_links(at)
    present = [n for n in ui.PAGE_INFO if n != "help" and ui.PAGES[n].is_file()]
    assert {ui.PAGE_INFO[n][0]: "" if n == "overview" else n for n in present}.items() <= links.items()
    keys = at.table[0].value
    assert list(keys["key"]) == ["Y", "N", "E", "J", "K", "H / L"]


def test_the_theme_follows_the_user_and_the_menu_offers_the_setting():
    config = tomllib.loads((ROOT / "streamlit_config.toml").read_text())
    assert "base" not in config.get("theme", {})  # no forced light or dark
    assert config["client"]["toolbarMode"] == "viewer"  # Settings (the theme) without developer options
    assert (ROOT / ".streamlit" / "config.toml").resolve() == ROOT / "streamlit_config.toml"

"""The app in a real browser: filter, open a MAG, see the graph, relabel by keyboard, reload,
find the change and its history, undo it; and a hostile file that must never run a script.

Takes the README screenshots of the Browse and MAG pages; they replace docs/screenshots/*.png
when MAGDI_UPDATE_SCREENSHOTS=1 (otherwise they go to a temporary folder, keeping the tree clean).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

from app.services import annotate, browse, mag_view, store
from app.services.auth import LOCAL, Actor, Role
from app.services.filters import Filter
from tests.utils.browser import choose

pytestmark = pytest.mark.e2e


GRAPH = "iframe[title='app.ui.graph.mag_graph']"


def graph_frame(page: Page) -> Frame:
    """The MAG graph component's iframe once vis-network has drawn its nodes."""
    handle = page.wait_for_selector(GRAPH)
    frame = handle.content_frame()
    frame.wait_for_function("typeof network !== 'undefined' && network.body.data.nodes.length > 0")
    return frame


def node_point(page: Page, frame: Frame, node_id: int) -> tuple[float, float]:
    """Where a node is drawn, in the page's coordinates (the canvas sits below the graph's toolbar)."""
    box = page.locator(GRAPH).bounding_box()
    at = frame.evaluate(
        """id => {
            const p = network.canvasToDOM(network.getPositions([id])[id]);
            const r = document.getElementById('graph').getBoundingClientRect();
            return {x: r.left + p.x, y: r.top + p.y};
        }""",
        node_id,
    )
    return box["x"] + at["x"], box["y"] + at["y"]


def local_mode(page: Page) -> None:
    """No sign-in on loopback: edits are recorded as the local user ("local")."""
    expect(page.get_by_text("Local mode: one user with every role")).to_be_visible()


def history_line(page: Page, pattern: str):
    return page.locator("[data-testid=stText]").filter(has_text=re.compile(pattern))


def test_filter_open_relabel_reload_undo(page: Page, app_server, shots):
    _, url = app_server
    page.goto("/browse")
    expect(page.get_by_role("button", name="Open MAG")).to_be_visible()
    local_mode(page)

    choose(page, "Dataset", "gsm8k")
    page.keyboard.press("Escape")  # close the multiselect's menu
    page.wait_for_url(re.compile(r"ds=gsm8k"))
    expect(page.get_by_text("14 discussion(s)")).to_be_visible()
    page.wait_for_timeout(500)  # let the grid paint before the screenshot
    page.screenshot(path=shots / "browse.png")
    assert (shots / "browse.png").stat().st_size > 10_000

    page.get_by_label("Search questions and reasoning").fill("muffins")
    page.get_by_label("Search questions and reasoning").press("Enter")
    page.wait_for_url(re.compile(r"q=muffins"))
    expect(page.get_by_text("1 discussion(s)")).to_be_visible()
    page.get_by_role("button", name="Open MAG").click()

    page.wait_for_url(re.compile(r"/mag\?.*d=\d+"))
    expect(page.get_by_role("heading", name="gsm8k · gsm8k-001")).to_be_visible()
    frame = graph_frame(page)
    turns = "network.body.data.nodes.get().filter(n => typeof n.id === 'number').length"
    assert frame.evaluate(turns) == 6  # plus the round and agent headers
    assert frame.evaluate("network.body.data.edges.length") == 9

    did = mag_view.find_discussion("gsm8k", "gsm8k-001", url)
    node = next(n.id for n in mag_view.discussion(did, url).nodes if (n.agent, n.round) == ("bard", 0))
    choose(page, "Node", re.compile(r"round 0 · bard"))
    page.wait_for_url(re.compile(rf"n={node}\b"))
    graph_frame(page).wait_for_function(  # the selected node is drawn with a thick blue border
        f"network.body.data.nodes.get({node}).borderWidth === 6"
    )

    # keyboard loop: Y = correct (focus off any input first)
    page.get_by_role("heading", name="gsm8k · gsm8k-001").click()
    page.keyboard.press("y")
    expect(page.get_by_text("Saved: label set to correct.")).to_be_visible()
    line = history_line(page, r"human label: — → correct · local")
    expect(line).to_have_count(1)

    page.reload()  # same discussion, node and annotator after a refresh
    expect(page.get_by_role("heading", name="gsm8k · gsm8k-001")).to_be_visible()
    assert f"n={node}" in page.url and "ds=gsm8k" in page.url and "q=muffins" in page.url
    local_mode(page)
    expect(history_line(page, r"human label: — → correct · local")).to_have_count(1)
    graph_frame(page).wait_for_function(f"network.body.data.nodes.get({node}).label.includes('✎')")

    # a click on another node in the graph opens it (URL, node picker, border)
    other = next(n.id for n in mag_view.discussion(did, url).nodes if (n.agent, n.round) == ("gpt4", 1))
    frame = graph_frame(page)
    page.mouse.click(*node_point(page, frame, other))
    page.wait_for_url(re.compile(rf"n={other}\b"))
    expect(page.get_by_role("combobox", name="Node")).to_have_value(re.compile(r"round 1 · gpt4"))
    graph_frame(page).wait_for_function(f"network.body.data.nodes.get({other}).borderWidth === 6")
    choose(page, "Node", re.compile(r"round 0 · bard"))  # back to the labelled node
    page.wait_for_url(re.compile(rf"n={node}\b"))

    page.get_by_role("button", name="Undo").first.click()
    expect(page.get_by_text(re.compile(r"undid #\d+"))).to_be_visible()
    expect(history_line(page, r"human label: correct → — · local")).to_have_count(1)
    expect(history_line(page, r"→ correct · local.*undone")).to_have_count(1)
    graph_frame(page).wait_for_function(f"!network.body.data.nodes.get({node}).label.includes('✎')")
    assert mag_view.discussion(did, url).node(node).human_label is None
    assert page.external_requests == []


def test_hostile_file_displays_as_text_and_runs_nothing(page: Page, app_server):
    _, url = app_server
    did = mag_view.find_discussion("hostile", "hostile-1", url)
    page.goto(f"/mag?d={did}")
    expect(page.get_by_text("XSS probe: what is 2+2? <script>window.__pwned=1")).to_be_visible()
    frame = graph_frame(page)
    # hover a node: vis-network's tooltip shows the agent name literally
    view = mag_view.discussion(did, url)
    target = next(n for n in view.nodes if n.agent.startswith("<script>"))
    x, y = node_point(page, frame, target.id)
    page.mouse.move(x - 30, y - 30)
    page.mouse.move(x, y, steps=5)
    tooltip = frame.locator(".vis-tooltip")
    expect(tooltip).to_be_visible()
    assert tooltip.inner_text().startswith(
        "<script>window.__pwned=1;document.title='PWNED'</script>"
    )  # literally, as text
    assert frame.evaluate("document.querySelectorAll('img, svg, iframe').length") == 0
    checks = "[window.__pwned === undefined, document.title]"
    for path in ("/mag?d=" + str(did), "/", "/browse?ds=hostile", "/review"):
        if path != page.url.removeprefix(app_server[0]):
            page.goto(path)
            expect(page.locator("[data-testid=stMain]")).to_be_visible()
            page.wait_for_timeout(1500)  # time for any injected handler to fire
        clean, title = page.evaluate(checks)
        assert clean and title != "PWNED", path
        for fr in page.frames[1:]:
            clean, title = fr.evaluate(checks)
            assert clean and title != "PWNED", (path, fr.url)
    assert page.external_requests == []


def test_export_downloads_the_filter_with_the_labels_of_the_click(page: Page, app_server):
    _, url = app_server
    page.goto("/export?ds=gsm8k")
    expect(page.get_by_text("14 discussion(s) in the filter")).to_be_visible()
    # a label saved after the page was drawn is in the file: it is written at the click
    did = mag_view.find_discussion("gsm8k", "gsm8k-002", url)
    node = mag_view.discussion(did, url).nodes[0]
    assert annotate.set_label(node.id, not node.label, actor=Actor("exporter", Role.ANNOTATOR), url=url).ok
    with page.expect_download() as download:
        page.get_by_role("button", name="Download").click()
    assert download.value.suggested_filename.startswith("magdi-filtered-r")
    written = Path(download.value.path()).read_bytes()
    expected = io.StringIO()
    ids = browse.ordered_ids(Filter(datasets=("gsm8k",)), url=url)
    assert store.export_discussions(expected, discussion_ids=ids, url=url, actor=LOCAL) == 14
    assert written == expected.getvalue().encode()
    line = next(json.loads(x) for x in written.splitlines() if json.loads(x)["id"] == "gsm8k-002")
    turn = next(t for t in line["turns"] if (t["agent"], t["round"]) == (node.agent, node.round))
    assert (turn["label"], turn["label_source"]) == ("incorrect" if node.label else "correct", "human")
    assert page.external_requests == []


def test_mag_page_buttons_keep_their_labels_at_800_px(page: Page, app_server):
    """No button label of the MAG page is cut off in an 800 px wide window (issue 15, 3 and 11)."""
    _, url = app_server
    did = mag_view.find_discussion("gsm8k", "gsm8k-001", url)
    page.set_viewport_size({"width": 800, "height": 1000})
    page.goto(f"/mag?d={did}")
    local_mode(page)
    graph_frame(page)
    expect(page.get_by_role("button", name="Exclude")).to_be_visible()
    labels = page.locator("[data-testid=stMain] [data-testid=stButton] button p")
    assert labels.count() >= 8
    clipped = labels.evaluate_all(
        "ps => ps.filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.textContent)"
    )
    assert clipped == []
    assert page.external_requests == []


def test_bulk_label_then_undo_it_after_a_reload(page: Page, app_server):
    """The recent bulk actions come from the history: a reload keeps the batch's Undo (issue 15, 1)."""
    _, url = app_server
    page.goto("/bulk?ds=strategyqa")
    local_mode(page)
    page.get_by_text("incorrect", exact=True).click()  # the label radio
    page.get_by_label("Note (saved with every entry)").fill("e2e bulk")
    page.get_by_text(re.compile(r"^I want to label these \d+ node\(s\) incorrect$")).click()
    page.get_by_role("button", name="Apply to all matching nodes").click()
    done = page.get_by_text(
        re.compile(r"labelled (\d+) node\(s\) in \d+ discussion\(s\) incorrect \(revision (\d+)\)")
    )
    expect(done).to_be_visible()
    changed, revision = map(int, re.search(r"labelled (\d+) .*revision (\d+)", done.inner_text()).groups())
    assert changed > 1

    page.reload()
    entry = page.get_by_text(re.compile(rf"^revision {revision} · {changed} node\(s\)"))
    expect(entry).to_be_visible()
    page.get_by_role("button", name="Undo").first.click()
    expect(page.get_by_text(f"undid {changed} label(s) of revision {revision}")).to_be_visible()
    history = store_history(url, revision)
    assert len(history) == changed and all(e.note == f"undo of revision {revision}" for e in history)
    assert page.external_requests == []


def store_history(url: str, revision: int) -> list:
    """The history entries that undid the bulk action of `revision`."""
    from sqlalchemy import select

    from db.engine import session_scope
    from db.models import LabelEvent

    with session_scope(url) as s:
        return list(
            s.execute(select(LabelEvent).where(LabelEvent.note == f"undo of revision {revision}")).scalars()
        )


def test_mag_page_at_3_agents_by_4_rounds(page: Page, app_server, shots):
    """The README's MAG screenshot: a 3 x 4 MAG drawn across the page, every node and column shown."""
    _, url = app_server
    did = mag_view.find_discussion("gsm8k", "gsm8k-002", url)
    view = mag_view.discussion(did, url)
    assert (len(view.agents), len(view.rounds)) == (3, 4)
    page.set_viewport_size({"width": 1440, "height": 1350})
    page.goto(f"/mag?d={did}&n={view.nodes[4].id}")
    frame = graph_frame(page)
    assert frame.evaluate("network.body.data.nodes.get().filter(n => typeof n.id === 'number').length") == 12
    inside = frame.evaluate(  # every node drawn inside the canvas: nothing cut off
        """() => {
            const r = document.getElementById('graph').getBoundingClientRect();
            return network.body.data.nodes.getIds().every(id => {
                const p = network.canvasToDOM(network.getPosition(id));
                return p.x >= 0 && p.y >= 0 && p.x <= r.width && p.y <= r.height;
            });
        }"""
    )
    assert inside
    page.wait_for_timeout(500)
    page.screenshot(path=shots / "mag.png", full_page=True)
    # zoom and full screen, from the graph's own buttons
    scale = frame.evaluate("network.getScale()")
    frame.get_by_role("button", name="+").click()
    assert frame.evaluate("network.getScale()") > scale
    frame.get_by_role("button", name="full screen").click()
    frame.wait_for_function("document.fullscreenElement !== null")
    frame.get_by_role("button", name="full screen").click()
    frame.wait_for_function("document.fullscreenElement === null")
    assert (shots / "mag.png").stat().st_size > 10_000

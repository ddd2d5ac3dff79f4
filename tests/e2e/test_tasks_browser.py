"""Two annotators signed in (a real OIDC provider, oidc-provider-mock) in two browser contexts work
the same annotation task in Chromium: with overlap 1 the second one's next node is another one,
and with a hidden-responses task neither sees the other's response before answering."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from app.services import auth, mag_view, responses, store, tasks
from app.services.auth import LOCAL, Actor, Role
from app.services.filters import Filter
from tests.utils import discussion, free_port, turn, write_jsonl
from tests.utils.browser import choose, guarded_page, oidc_env, serve

ANN, BEA = (Actor(f"{n}@example.org", Role.ANNOTATOR) for n in ("ann", "bea"))


@pytest.fixture(scope="module")
def task_app(idp, tmp_path_factory):
    """(app base URL, store URL, the overlap-1 task, the overlap-2 task hiding others' responses)."""
    tmp = tmp_path_factory.mktemp("tasks")
    url = f"sqlite:///{tmp / 'store.db'}"
    work = [discussion("w1"), discussion("w2", question="How many pears?")]
    blind = [discussion("b1", question="How many plums?", turns=[turn("a", 0, "18"), turn("b", 0, "20")])]
    for name, rows in (("work", work), ("blind", blind)):
        store.import_file(write_jsonl(tmp / f"{name}.jsonl", rows), dataset=name, actor=LOCAL, url=url)
    for a in (ANN, BEA):
        auth.actor_for(a.identity, "", url)
        auth.set_role(LOCAL, a.identity, Role.ANNOTATOR, url=url)
    pair = tasks.create_task(
        "pairs, blind", Filter(datasets=("blind",)), overlap=2, hide_others=True, actor=LOCAL, url=url
    )
    single = tasks.create_task("one each", Filter(datasets=("work",)), overlap=1, actor=LOCAL, url=url)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(tmp / "streamlit.log", "wb") as log, serve(oidc_env(url, base, idp), log, port):
        yield base, url, single, pair


def _sign_in(page: Page, idp: str, base: str, identity: str) -> None:
    page.goto("/tasks")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{idp}/oauth2/authorize?**")
    page.get_by_placeholder("sub").fill(identity)
    page.get_by_role("button", name="Authorize", exact=True).click()
    page.wait_for_url(f"{base}/**")
    expect(page.get_by_test_id("stSidebar").get_by_text(f"{identity} · annotator")).to_be_visible()


def _press(page: Page, key: str) -> None:
    """Click the button of `key` once the page has settled (a rerun briefly shows old and new copies)."""
    button = page.locator(f".st-key-{key} button")
    expect(button).to_have_count(1)
    button.click()


def _shown(url: str, node_id: int, discussion_id: int) -> str:
    """The line the page shows above a queue item."""
    d = mag_view.discussion(discussion_id, url)
    n = d.node(node_id)
    return f"{d.dataset} · {d.external_id} · {n.agent} · round {n.round}"


def test_two_annotators_work_one_task_in_two_browser_contexts(browser, idp, task_app):
    base, url, single, pair = task_app
    expect.set_options(timeout=20_000)
    try:
        with guarded_page(browser, base, also=(idp,)) as ann, guarded_page(browser, base, also=(idp,)) as bea:
            _sign_in(ann, idp, base, ANN.identity)
            _sign_in(bea, idp, base, BEA.identity)
            [first] = tasks.next_items(single.id, actor=ANN, url=url)
            for page in (ann, bea):  # nobody has answered: the same first node for both
                page.goto("/tasks")
                expect(page.get_by_text(_shown(url, first.node_id, first.discussion_id))).to_be_visible()
                expect(page.get_by_text("No response yet.")).to_be_visible()
            _press(ann, "tasks_incorrect")
            expect(ann.get_by_text("your response: incorrect")).to_be_visible()
            assert [
                (r.annotator, r.value) for r in responses.responses(first.node_id, actor=ANN, url=url)
            ] == [(ANN.identity, "incorrect")]
            # overlap 1: the node is done; bea's next one is another node
            [then] = tasks.next_items(single.id, actor=BEA, url=url)
            assert then.node_id != first.node_id
            bea.reload()
            expect(bea.get_by_text(_shown(url, then.node_id, then.discussion_id))).to_be_visible()
            expect(bea.get_by_text(_shown(url, first.node_id, first.discussion_id))).to_have_count(0)

            # bea answers hers; ann's next is a third node: neither ever saw the other's response
            _press(bea, "tasks_correct")
            expect(bea.get_by_text("your response: correct")).to_be_visible()
            [last] = tasks.next_items(single.id, actor=ANN, url=url)
            assert last.node_id not in (first.node_id, then.node_id)
            ann.reload()
            expect(ann.get_by_text(_shown(url, last.node_id, last.discussion_id))).to_be_visible()
            expect(ann.get_by_text("No response yet.")).to_be_visible()

            # the blind task (overlap 2): bea reaches ann's node with ann's response hidden
            choose(ann, "Task", "pairs, blind")
            [mine] = tasks.next_items(pair.id, actor=ANN, url=url)
            expect(ann.get_by_text(_shown(url, mine.node_id, mine.discussion_id))).to_be_visible()
            _press(ann, "tasks_incorrect")
            expect(ann.get_by_text("your response: incorrect")).to_be_visible()
            choose(bea, "Task", "pairs, blind")
            if tasks.next_items(pair.id, actor=BEA, url=url)[0].node_id != mine.node_id:
                _press(bea, "tasks_skip")  # the answer moved it down the ranking
            expect(bea.get_by_text(_shown(url, mine.node_id, mine.discussion_id))).to_be_visible()
            expect(bea.get_by_text("1 response(s) of others stay hidden until you answer.")).to_be_visible()
            expect(bea.get_by_text(f"{ANN.identity}: incorrect")).to_have_count(0)
            _press(bea, "tasks_unsure")
            expect(bea.get_by_text("your response: unsure")).to_be_visible()
            shown, hidden = tasks.visible_responses(pair.id, mine.node_id, actor=BEA, url=url)
            assert hidden == 0 and {(r.annotator, r.value) for r in shown} == {
                (ANN.identity, "incorrect"),
                (BEA.identity, "unsure"),
            }
    finally:
        expect.set_options(timeout=None)

"""Every page through Streamlit's AppTest on a real temporary store (demo set + hostile file).

No mocks: the pages run their real services against SQLite; edits are checked in the store.
"""

from __future__ import annotations

import io
import json
import re

import pytest
from sqlalchemy import func, select

from app import graph_view
from app.services import annotate, browse, filters, mag_view, review, store
from app.services.auth import LOCAL, Actor, Role
from app.ui import text
from db import responses
from db.engine import session_scope
from db.models import Dataset, Discussion, LabelEvent, Turn
from tests.conftest import ROOT
from tests.utils import copy_store, unescape
from tests.utils.apptest import open_page
from tests.utils.rows import disc_id, node_id

HOSTILE = ROOT / "tests" / "data" / "hostile.jsonl"


@pytest.fixture(scope="module")
def template_db(tmp_path_factory):
    """Demo set + hostile file, imported once; each test gets its own copy."""
    path = tmp_path_factory.mktemp("template") / "store.db"
    url = f"sqlite:///{path}"
    store.load_demo_if_empty(url)
    store.import_file(HOSTILE, url=url, actor=LOCAL)
    return path


@pytest.fixture
def url(template_db, tmp_path, monkeypatch):
    url = copy_store(template_db, tmp_path)
    monkeypatch.setenv("MAGDI_DATABASE_URL", url)
    return url


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


# ---------------------------------------------------------------- overview


def test_overview_counts_chart_and_recent_changes(url):
    at = open_page("overview")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Discussions"] == "42" and metrics["Nodes (turns)"] == "293"
    with session_scope(url) as s:
        waiting = s.execute(select(func.count()).where(Turn.needs_review.is_(True))).scalar()
    assert metrics["Waiting for review"] == str(waiting) and waiting > 0
    charts = at.get("plotly_chart")
    assert len(charts) == 2
    figure = json.loads(charts[1].proto.spec)
    assert {t["name"] for t in figure["data"]} >= {"claude", "gpt4", "bard"}
    # agent names are HTML-escaped for plotly, which reads a few tags
    assert any("&lt;script&gt;" in t["name"] for t in figure["data"])
    looks = [(t["line"]["color"], t["line"]["dash"]) for t in figure["data"]]
    assert len(set(looks)) == len(looks) >= 6  # every agent its own line style
    assert len({text.series_style(i) for i in range(72)}) == 72  # plotly's default repeats after 10
    assert "No label has been changed yet." in captions(at)

    annotate.set_label(
        node_id(url, "gsm8k-001", "bard", 0), True, actor=Actor("ann", Role.ANNOTATOR), note="typo", url=url
    )
    at.run()
    recent = at.dataframe[-1].value
    assert list(recent["who"]) == ["ann"] and list(recent["new"]) == ["correct"]
    assert list(recent["old"]) == ["—"]  # no raw None for "no human label before"
    assert at.metric[2].value == "1"  # human labels


# ---------------------------------------------------------------- browse


def test_browse_filters_from_and_to_the_url(url):
    at = open_page("browse", {"ds": "gsm8k", "maj": "1"})
    table = at.dataframe[0].value
    with session_scope(url) as s:
        expected = s.execute(
            select(func.count())
            .select_from(Discussion)
            .where(
                Discussion.task == "gsm8k",
                Discussion.external_id.like("gsm8k-%"),
                Discussion.majority_correct.is_(True),
            )
        ).scalar()
    assert len(table) == expected and set(table["dataset"]) == {"gsm8k"}
    assert set(table["majority"]) == {"right"}
    assert at.multiselect(key="browse_ds").value == ["gsm8k"]  # widgets start from the URL

    at.text_input(key="browse_q").input("muffins").run()
    assert list(at.dataframe[0].value["discussion"]) == ["gsm8k-001"]
    assert at.query_params["q"] == "muffins" and at.query_params["ds"] == "gsm8k"

    at.button[0].click().run()  # "Reset filters"
    assert len(at.dataframe[0].value) == 42 and "ds" not in at.query_params


def test_browse_draws_the_declared_widgets_even_for_values_the_store_lacks(url):
    at = open_page("browse", {"task": "nope", "cons": "9", "r0": "1", "agent": "bard", "maj": "0"})
    for _, spec, _ in filters.Filter.declared():  # one widget per declared field, as declared
        assert getattr(at, spec.widget)(key=f"browse_{spec.key}").label == spec.label
    assert (
        at.selectbox(key="browse_task").value == "nope" and at.selectbox(key="browse_cons").value == "round 9"
    )
    assert (at.selectbox(key="browse_r0").value, at.selectbox(key="browse_maj").value) == ("yes", "wrong")
    assert at.query_params["cons"] == "9" and "No discussion matches this filter." in [
        i.value for i in at.info
    ]
    assert "task nope, agent bard, majority wrong, round-0 disagreement, consensus at round 9" in unescape(
        captions(at)
    )


def test_browse_sorting_pagination_and_flip_filter(url):
    at = open_page("browse", {"size": "25", "sort": "review", "desc": "1"})
    table = at.dataframe[0].value
    assert len(table) == 25 and list(table["review"]) == sorted(table["review"], reverse=True)
    at.number_input(key="browse_page").set_value(2).run()
    assert len(at.dataframe[0].value) == 17 and at.query_params["page"] == "2"
    at.selectbox(key="browse_flip").set_value("right → wrong").run()
    flips = at.dataframe[0].value
    assert at.query_params["flip"] == "right_wrong" and "page" not in at.query_params
    assert len(flips) > 0 and all("R→W" in x for x in flips["flips"])


def test_browse_opens_the_mag_of_a_discussion(url):
    at = open_page("browse", {"ds": "strategyqa"})
    first = at.dataframe[0].value.iloc[0]
    [open_btn] = [b for b in at.button if b.label == "Open MAG"]
    open_btn.click().run()
    assert not at.exception
    assert at.query_params["d"] == str(first["id"]) and at.query_params["ds"] == "strategyqa"
    assert unescape(at.title[0].value) == f"strategyqa · {first['discussion']}"


# ---------------------------------------------------------------- MAG


def test_mag_draws_graph_grid_and_node_detail(url):
    did = disc_id(url, "gsm8k-001")
    bard1 = node_id(url, "gsm8k-001", "bard", 1)
    at = open_page("mag", {"d": str(did), "n": str(bard1)})
    [graph] = at.get("component_instance")  # the MAG graph component and what it was sent
    assert graph.proto.component_name == "app.ui.graph.mag_graph"
    args = json.loads(graph.proto.json_args)
    assert args["height"] >= 3 * graph_view.Y_STEP  # sized to the MAG: a row per agent
    nodes = args["nodes"]
    turns = [n for n in nodes if isinstance(n["id"], int)]
    assert len(turns) == 6 and {n["shape"] for n in turns} == {"dot", "square", "triangle"}
    pos = {n["id"]: (n["x"], n["y"]) for n in turns}
    assert pos[bard1][0] > pos[node_id(url, "gsm8k-001", "bard", 0)][0]  # rounds go right
    grid = at.dataframe[0].value
    assert list(grid.columns) == ["claude", "gpt4", "bard"]
    assert list(grid.index) == ["round 0", "round 1"]
    assert "↗W→R" in grid.loc["round 1", "bard"]  # bard flips wrong → right
    assert at.selectbox(key=f"mag_node_{did}").value == bard1
    facts = dict(at.dataframe[1].value.values)
    assert facts["raw answer"] == "$255" and facts["normalised answer"] == "255"
    assert facts["flip"] == "wrong → right" and facts["gold answer"] == "255"
    assert any("I miscalculated 45 x 3" in t.value for t in at.text)  # full reasoning


def test_mag_label_history_and_undo(url):
    did = disc_id(url, "gsm8k-001")
    bard0 = node_id(url, "gsm8k-001", "bard", 0)
    at = open_page("mag", {"d": str(did), "n": str(bard0)}, annotator="alice")
    assert at.button(key="mag_correct").proto.shortcut.lower() == "y"
    at.text_input(key="mag_note").input("arithmetic slip only").run()
    at.button(key="mag_correct").click().run()
    assert "Saved" in at.success[0].value
    with session_scope(url) as s:
        t = s.get(Turn, bard0)
        assert t.human_label is True and t.version == 1
        [ev] = s.execute(select(LabelEvent).where(LabelEvent.turn_id == bard0)).scalars().all()
        assert (ev.who, ev.new, ev.note) == ("alice", "correct", "arithmetic slip only")
    assert any(f"#{ev.id} human label: — → correct · alice" in t.value for t in at.text)
    assert dict(at.dataframe[1].value.values)["effective label"] == "correct (human correction)"

    at.button(key=f"mag_undo_{ev.id}").click().run()
    with session_scope(url) as s:
        assert s.get(Turn, bard0).human_label is None
        assert s.execute(select(func.count()).where(LabelEvent.undoes == ev.id)).scalar() == 1
    assert any("undone" in t.value for t in at.text)


def test_mag_stale_save_warns_and_loses_nothing(url):
    did = disc_id(url, "gsm8k-001")
    gpt0 = node_id(url, "gsm8k-001", "gpt4", 0)
    at = open_page("mag", {"d": str(did), "n": str(gpt0)}, annotator="alice")
    at.text_input(key="mag_note").input("I disagree").run()
    # bob saves first, from his own session, while alice's page still shows version 0
    assert annotate.set_label(gpt0, True, actor=Actor("bob", Role.ANNOTATOR), expected_version=0, url=url).ok
    at.button(key="mag_incorrect").click().run()
    warning = unescape(at.warning[0].value)
    assert "Not saved" in warning and "changed by someone else" in warning
    assert "Your change (label incorrect) is kept" in warning
    assert at.text_input(key="mag_note").value == "I disagree"
    with session_scope(url) as s:
        assert s.get(Turn, gpt0).human_label is True  # bob's edit stands
    at.button(key="mag_reapply").click().run()
    with session_scope(url) as s:  # alice's response stands beside bob's: a tie, no human label
        assert s.get(Turn, gpt0).human_label is None
        events = (
            s.execute(select(LabelEvent).where(LabelEvent.turn_id == gpt0).order_by(LabelEvent.id))
            .scalars()
            .all()
        )
        assert [(e.who, e.new, e.note) for e in events] == [
            ("bob", "correct", None),
            ("alice", None, "I disagree"),
        ]
        found = responses.current_responses(s, [gpt0])[gpt0]
        assert {who: (v, note) for who, (v, note, _) in found.items()} == {
            "bob": ("correct", None),
            "alice": ("incorrect", "I disagree"),
        }


def test_mag_previous_next_and_review_walk_the_filter(url):
    ids = browse.ordered_ids(filters.Filter(datasets=("ecqa",)), url=url)
    at = open_page("mag", {"ds": "ecqa", "d": str(ids[0])})
    assert at.button(key="mag_prev").disabled and "1 of 13" in captions(at)
    at.button(key="mag_next").click().run()
    assert at.query_params["d"] == str(ids[1]) and at.query_params["ds"] == "ecqa"
    at.button(key="mag_prev").click().run()
    assert at.query_params["d"] == str(ids[0])
    at.button(key="mag_next_review").click().run()
    d = mag_view.discussion(int(at.query_params["d"]), url)
    assert d.dataset == "ecqa" and d.node(int(at.query_params["n"])).needs_review


def test_mag_gold_correction_preview_then_apply(url):
    did = disc_id(url, "gsm8k-001")
    at = open_page("mag", {"d": str(did)}, annotator="alice")
    at.text_input(key=f"mag_gold_{did}").input("235").run()
    assert "6 automatic label(s) would change" in unescape(captions(at))
    [preview] = [t.value for t in at.dataframe if "automatic" in t.value.columns]
    assert len(preview) == 6 and "incorrect → correct" in set(preview["automatic"])
    with session_scope(url) as s:
        assert s.get(Discussion, did).gold_answer == "255"  # a preview writes nothing
    at.button(key="mag_apply_gold").click().run()
    with session_scope(url) as s:
        d = s.get(Discussion, did)
        assert d.gold_answer == "235" and d.n_correct == 1
    assert "gold answer set to 235; 6 automatic label(s) recomputed" in at.success[0].value.replace("\\", "")
    gone = annotate.set_gold(
        10**9, "1", actor=Actor("alice", Role.ANNOTATOR), url=url
    )  # a discussion deleted meanwhile
    assert not gone.ok and "no discussion" in gone.message


def test_mag_edits_are_recorded_under_the_signed_in_identity(url):
    did, node = disc_id(url, "gsm8k-001"), node_id(url, "gsm8k-001", "bard", 0)
    at = open_page("mag", {"d": str(did), "n": str(node)}, annotator="carol@example.org")
    assert not at.sidebar.text_input  # no name box: the name is the signed-in identity
    assert f"**{text.esc('carol@example.org')}** · annotator" in [m.value for m in at.sidebar.markdown]
    at.button(key="mag_correct").click().run()
    with session_scope(url) as s:
        [who] = s.execute(select(LabelEvent.who).where(LabelEvent.turn_id == node)).scalars().all()
    assert who == "carol@example.org"


# ---------------------------------------------------------------- review queue


def test_review_queue_ranks_unparseable_answers_first(url):
    at = open_page("review")
    table = at.dataframe[0].value
    with session_scope(url) as s:
        expected = s.execute(select(func.count()).where(Turn.needs_review.is_(True))).scalar()
    assert f"{expected:,} node(s) wait for review" in unescape(captions(at))
    scores = list(table["score"])
    assert scores == sorted(scores, reverse=True)
    assert "answer could not be normalised" in table["why"].iloc[0]
    assert set(table["normalised"].iloc[:3]) == {"(unparseable)"}  # the 3 in the demo set
    assert set(table["flagged_by"]) == {"rules"}  # no classifier has scored this store
    # a human label ends a node's wait: it leaves the queue
    first = int(table["node"].iloc[0])
    annotate.set_label(first, False, actor=Actor("ann", Role.ANNOTATOR), url=url)
    at.run()
    table = at.dataframe[0].value
    assert first not in set(table["node"])
    assert f"{expected - 1:,} node(s) wait for review" in unescape(captions(at))
    at.button(key="review_open").click().run()
    assert "d" in at.query_params and "n" in at.query_params


def test_review_queue_past_its_end_shows_the_last_page(url):
    """A page number beyond the queue (it shrank since, or the page size grew) gives the last page."""
    everything, total = review.review_queue(page=1, page_size=10_000, url=url)
    last = -(-total // 5)
    assert last > 1
    items, again = review.review_queue(page=last + 3, page_size=5, url=url)
    assert again == total and items and items == everything[(last - 1) * 5 :]


# ---------------------------------------------------------------- bulk


def test_bulk_label_reaches_every_match_not_one_page(url):
    f = filters.Filter(datasets=("strategyqa",))
    at = open_page("bulk", {"ds": "strategyqa"}, annotator="alice")
    values = annotate.answer_values(f, url=url)
    top, count = values[0]
    assert at.selectbox(key="bulk_answer").value == top  # most frequent first
    at.radio(key="bulk_label").set_value("incorrect").run()
    with session_scope(url) as s:
        matching = s.execute(
            select(func.count())
            .select_from(Turn)
            .join(Discussion)
            .where(
                Discussion.dataset_id
                == select(Dataset.id).where(Dataset.name == "strategyqa").scalar_subquery(),
                Turn.answer_norm == top,
            )
        ).scalar()
    assert matching == count > 25
    assert f"{matching} node(s)" in unescape(at.info[0].value)
    assert at.button(key="bulk_apply").disabled  # not confirmed yet
    at.checkbox(key="bulk_confirm").check().run()
    at.text_input(key="bulk_note").input("gold was inverted").run()
    at.button(key="bulk_apply").click().run()
    assert f"labelled {matching} node(s)" in at.success[0].value.replace("\\", "")
    with session_scope(url) as s:
        events = s.execute(select(LabelEvent).where(LabelEvent.who == "alice")).scalars().all()
        assert len(events) == matching and len({e.turn_id for e in events}) == matching
        assert {e.note for e in events} == {"gold was inverted"}
        assert len({e.revision for e in events}) == 1  # one batch, undoable together
        assert (
            s.execute(
                select(func.count())
                .select_from(Turn)
                .where(Turn.human_label.is_(False), Turn.answer_norm == top)
            ).scalar()
            == matching
        )
        # the discussions' summaries follow (Browse filters on them)
        assert s.execute(select(func.sum(Discussion.n_human))).scalar() == matching
    [revision] = {e.revision for e in events}
    # a new session (a reload, another annotator) still lists the action and undoes it as one batch
    again = open_page("bulk", {"ds": "strategyqa"}, annotator="bob")
    listed = [
        m.value.replace("\\", "") for m in again.markdown if m.value.startswith(f"revision {revision} ·")
    ]
    assert len(listed) == 1 and f"{matching} node(s)" in listed[0] and "alice" in listed[0]
    again.button(key=f"bulk_undo_{revision}").click().run()
    assert f"undid {matching} label(s) of revision {revision}" in again.success[0].value.replace("\\", "")
    assert again.button(key=f"bulk_undo_{revision}").disabled  # nothing left to undo
    with session_scope(url) as s:
        assert (
            s.execute(select(func.count()).select_from(Turn).where(Turn.human_label.is_not(None))).scalar()
            == 0
        )


# ---------------------------------------------------------------- export


def test_export_filtered_store_with_current_labels(url):
    at = open_page("export", {"ds": "gsm8k"})
    assert at.radio(key="export_scope").value == "filtered"
    assert "14 discussion(s) in the filter" in unescape(captions(at))
    assert len(at.get("download_button")) == 1
    gid = node_id(url, "gsm8k-001", "bard", 0)
    annotate.set_label(gid, True, actor=Actor("ann", Role.ANNOTATOR), url=url)
    ids = browse.ordered_ids(filters.Filter(datasets=("gsm8k",)), url=url)
    buf = io.StringIO()
    assert store.export_discussions(buf, fmt="jsonl", discussion_ids=ids, url=url, actor=LOCAL) == 14
    first = json.loads(buf.getvalue().splitlines()[0])
    bard0 = next(t for t in first["turns"] if (t["agent"], t["round"]) == ("bard", 0))
    assert (bard0["label"], bard0["label_source"]) == ("correct", "human")


# ---------------------------------------------------------------- hostile data

PAYLOAD = re.compile(r"(?<!\\)<(script|img|svg|iframe)\b", re.IGNORECASE)  # an unescaped tag


def test_hostile_text_is_escaped_everywhere(url):
    did = disc_id(url, "hostile-1")
    at = open_page("mag", {"d": str(did)})
    # Markdown never receives a raw tag: every < from data arrives backslash-escaped
    for el in [*at.title, *at.subheader, *at.caption, *at.markdown, *at.sidebar.markdown]:
        assert not PAYLOAD.search(el.value), el.value
    assert any("<script>window.__pwned=1" in t.value for t in at.text)  # shown literally
    # the graph gets data as JSON arguments only (vis-network shows titles as text), and its page
    # runs only its own folder's scripts
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert any(n.get("title", "").startswith("<script>window.__pwned=1") for n in args["nodes"])
    page = (ROOT / "app" / "templates" / "mag_graph" / "index.html").read_text()
    assert "script-src 'self'" in page and "default-src 'none'" in page
    assert re.findall(r"<script\b[^>]*>", page) == [
        '<script src="vis-network.min.js">',
        '<script src="mag_graph.js">',
    ]
    for name in ("overview", "browse", "review"):
        at.switch_page(f"../pages/{name}.py").run()
        assert not at.exception
        for el in [*at.title, *at.caption, *at.markdown]:
            assert not PAYLOAD.search(el.value), (name, el.value)


def test_graph_view_styles_nodes_and_sizes_the_graph(url):
    d = mag_view.discussion(disc_id(url, "gsm8k-001"), url)
    bard0 = node_id(url, "gsm8k-001", "bard", 0)
    annotate.set_label(bard0, True, actor=Actor("ann", Role.ANNOTATOR), url=url)
    d = mag_view.discussion(d.id, url)
    net = graph_view.build_network(d, selected=None)
    by_id = {n["id"]: n for n in net.nodes}
    assert by_id[bard0]["color"]["border"] == graph_view.HUMAN and by_id[bard0]["borderWidth"] == 5
    assert "✎" in by_id[bard0]["label"]
    assert "human (automatic said incorrect)" in by_id[bard0]["title"]
    assert all(n["fixed"] and not n["physics"] for n in net.nodes)
    assert len(net.edges) == len(d.edges) and all(e["arrows"] == "to" for e in net.edges)
    assert len({str(graph_view.agent_style(i)) for i in range(12)}) == 12
    data = graph_view.graph_data(d, selected=bard0)
    assert data["height"] == graph_view.graph_height(d) >= graph_view.Y_STEP * len(d.agents)
    assert json.loads(json.dumps(data)) == data  # the component's arguments are plain JSON

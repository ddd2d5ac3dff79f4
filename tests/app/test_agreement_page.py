"""The Agreement page (AppTest): the figures for everyone, the adjudication form for adjudicators."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from app.services.auth import Role
from db.engine import session_scope
from db.models import Turn
from tests.utils.apptest import MAIN, sign_in
from tests.utils.responses import add_responses
from tests.utils.rows import node_id


def open_as(identity: str, role: Role) -> AppTest:
    at = AppTest.from_file(MAIN, default_timeout=60)
    sign_in(at, identity, role)
    at.run()
    at.switch_page("../pages/agreement.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_an_annotator_sees_the_agreement_but_not_the_form(sqlite_url, tmp_path):
    add_responses(sqlite_url, tmp_path)
    at = open_as("ann@example.org", Role.ANNOTATOR)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Annotators"] == "3" and metrics["Disagreeing nodes"] == "2"
    assert metrics["Krippendorff's alpha"] not in ("", "undefined")
    assert len(at.get("plotly_chart")) == 2  # the kappa heatmap and the per-annotator bars
    assert "needs the adjudicator role" in " ".join(i.value for i in at.info)
    assert not at.get("form")


def test_an_adjudicator_sets_the_final_label_with_a_reason(sqlite_url, tmp_path):
    add_responses(sqlite_url, tmp_path)
    tie = node_id(sqlite_url, "agree", "b", 0)  # the most contested: first in the queue
    at = open_as("adj@example.org", Role.ADJUDICATOR)
    assert at.selectbox(key="agreement_pick").value == tie
    key = f"agreement_adj_{tie}"
    at.button(key=f"FormSubmitter:{key}-Adjudicate").click().run()  # no reason: refused
    assert any("needs a reason" in e.value for e in at.error)
    assert at.selectbox(key="agreement_pick").value == tie
    at.radio(key=f"{key}_label").set_value("incorrect")
    at.text_input(key=f"{key}_reason").input("the count is 17, the gold answer is wrong")
    at.button(key=f"FormSubmitter:{key}-Adjudicate").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert any("adjudicated" in s.value for s in at.success)
    with session_scope(sqlite_url) as s:
        assert s.get(Turn, tie).human_label is False  # the effective label follows the adjudication
    assert at.selectbox(key="agreement_pick").value != tie  # it left the queue


def test_a_store_without_responses_says_so(sqlite_url):
    at = open_as("ann@example.org", Role.ANNOTATOR)
    assert "Nobody has answered a node here yet." in [i.value for i in at.info]
    at.radio(key="agreement_by").set_value("Task").run()
    assert not at.exception and "No annotation task yet" in " ".join(i.value for i in at.info)

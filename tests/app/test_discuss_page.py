"""The Discuss page through Streamlit's AppTest, on a real temporary store, agents file and a
real scripted chat-completions server on loopback. No mocks."""

from __future__ import annotations

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from app.serve_model import ModelServer, ScriptedBackend
from app.services import jobs
from tests.conftest import ROOT
from tests.utils import free_port, unescape

SECRET = "sk-test-SECRET-page"
PAGE = str(ROOT / "pages" / "discuss.py")


def texts(at: AppTest, kind: str) -> str:
    return "\n".join(unescape(str(e.value)) for e in getattr(at, kind))


@pytest.fixture
def page(sqlite_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MAGDI_AGENTS_FILE", str(tmp_path / "agents.yaml"))
    monkeypatch.setenv("MAGDI_FILE_ROOTS", str(tmp_path))
    monkeypatch.setenv("MAGDI_KEY_ENV_ALLOW", "MAGDI_TEST_KEY")
    monkeypatch.setenv("MAGDI_TEST_KEY", SECRET)
    monkeypatch.setenv("MAGDI_RUNS_DIR", str(tmp_path / "runs"))
    reply = json.dumps(
        {"reasoning": "The Pacific covers a third of the Earth.", "answer": "yes", "confidence_level": 0.9}
    )
    server = ModelServer(ScriptedBackend([reply]), api_key_env="MAGDI_TEST_KEY").start()
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    yield at, server, tmp_path
    server.close()


def fill_agent(at: AppTest, **values) -> AppTest:
    for key, value in values.items():
        widget = at.number_input(key=f"ag_{key}") if key == "max_retries" else at.text_input(key=f"ag_{key}")
        widget.set_value(value)
    at.button(key="FormSubmitter:discuss_agent_form-Save agent").click().run()
    assert not at.exception, at.exception
    return at


def test_agents_are_validated_saved_and_tested_against_a_served_model(page):
    at, server, tmp_path = page
    agents_file = tmp_path / "agents.yaml"
    assert [t.value for t in at.title] == ["Discuss"] and "No agent yet" in texts(at, "info")
    assert [t.label for t in at.text_input if "file" in t.label.lower()] == []  # server configuration

    fill_agent(at, name="teacher", model="scripted", base_url=server.url, api_key_env=SECRET)
    assert "NAME of an environment variable" in texts(at, "error") and not agents_file.exists()
    assert SECRET not in texts(at, "error")
    fill_agent(at, name="teacher", model="scripted", base_url=server.url, api_key_env="MAGDI_DATABASE_URL")
    assert "not a variable this server lets agents use" in texts(at, "error") and not agents_file.exists()
    fill_agent(at, name=f"x; touch {tmp_path / 'PWNED'}", model="scripted", api_key_env="")
    assert "use letters, digits" in texts(at, "error") and not agents_file.exists()
    fill_agent(at, name="teacher", model="", base_url=server.url, api_key_env="MAGDI_TEST_KEY")
    assert "needs a model name" in texts(at, "error") and not agents_file.exists()
    fill_agent(at, name="teacher", model="scripted", base_url=server.url, api_key_env="MAGDI_TEST_KEY")
    saved = agents_file.read_text()
    assert "MAGDI_TEST_KEY" in saved and SECRET not in saved
    assert "$MAGDI_TEST_KEY is set" in at.dataframe[0].value.to_csv()

    at.button(key="try_ask").click().run()
    assert not at.exception, at.exception
    shown = texts(at, "success")
    assert "Answer: yes · confidence 0.9" in shown and "tokens" in shown
    assert "The Pacific covers a third of the Earth." in texts(at, "text")
    assert "Is the Pacific Ocean larger" in server.backend.requests[0][0]["content"]

    fill_agent(
        at,
        name="offline",
        model="m",
        base_url=f"http://127.0.0.1:{free_port()}/v1",
        api_key_env="",
        max_retries=0,
    )
    at.selectbox(key="try_agent").set_value("offline")
    at.button(key="try_ask").click().run()
    assert "could not connect to http://127.0.0.1" in texts(at, "error")
    page_text = "\n".join(texts(at, k) for k in ("markdown", "caption", "text", "success", "error", "code"))
    assert SECRET not in page_text + at.dataframe[0].value.to_csv()

    at.selectbox(key="ag_pick").set_value("teacher").run()  # edit: the form holds its values
    assert (at.text_input(key="ag_model").value, at.text_input(key="ag_api_key_env").value) == (
        "scripted",
        "MAGDI_TEST_KEY",
    )
    at.selectbox(key="ag_remove").set_value("offline")
    at.button(key="ag_remove_button").click().run()
    assert "offline" in agents_file.read_text()  # asked first, nothing removed yet
    assert "Remove agent offline from the agents file?" in texts(at, "warning")
    at.button(key="ag_remove_cancel").click().run()
    assert "offline" in agents_file.read_text() and "ag_remove_confirm" not in [b.key for b in at.button]
    at.button(key="ag_remove_button").click().run()
    at.button(key="ag_remove_confirm").click().run()
    assert "offline" not in agents_file.read_text() and "teacher" in agents_file.read_text()


def test_a_job_is_started_listed_and_cancelled(page):
    at, server, tmp_path = page
    for name in ("a", "b"):
        fill_agent(at, name=name, model="m", base_url=server.url, api_key_env="MAGDI_TEST_KEY")
    questions = tmp_path / "gsm.jsonl"
    questions.write_text(
        "".join(
            json.dumps({"question": f"What is {i} + 1?", "answer": f"#### {i + 1}"}) + "\n" for i in range(5)
        )
    )
    at.radio(key="job_source").set_value("file").run()
    assert at.selectbox(key="job_file").options == [str(questions.resolve())]  # under the file root
    at.selectbox(key="job_file").set_value(str(questions.resolve()))
    at.selectbox(key="job_format").set_value("gsm8k")
    at.number_input(key="job_sample").set_value(3)
    at.run()
    assert "name the dataset the discussions go into" in texts(at, "warning")
    at.text_input(key="job_target").set_value("gsm-teachers").run()
    assert "3 question(s), e.g. “What is 0 + 1?”" in texts(at, "caption")
    at.text_area(key="job_few_shot").set_value('{"question": "2 + 2?", "reasoning": "Four."').run()
    assert "convincing samples, line 1: malformed JSON" in texts(at, "warning")
    assert "job_start" not in [b.key for b in at.button]
    sample = {"question": "2 + 2?", "reasoning": "Two and two make four.", "answer": "4"}
    at.text_area(key="job_few_shot").set_value("\n" + json.dumps(sample) + "\n").run()
    at.button(key="job_start").click().run()
    assert not at.exception, at.exception
    [job] = jobs.list_all(kind="discuss")
    assert job.config["few_shot"] == [{**sample, "options": None}]
    assert job.status == "queued" and job.config["sample"] == 3 and job.name == "discuss → gsm-teachers"
    assert [a["name"] for a in job.config["agents"]] == ["a", "b"] and SECRET not in json.dumps(job.config)
    assert f"#{job.id} discuss → gsm-teachers — queued: 0/? questions" in texts(at, "markdown")
    at.button(key=f"cancel_{job.id}").click().run()
    assert jobs.get(job.id).status == "cancelled"
    assert f"Job {job.id}: cancelled." in texts(at, "info")
    at.button(key=f"resume_{job.id}").click().run()  # it never ran: a new attempt starts afresh
    again = jobs.list_all(kind="discuss")[0]
    assert (again.resume_of, again.status, again.run_dir) == (job.id, "queued", None)
    at.radio(key="job_source").set_value("dataset").run()
    assert "choose the stored dataset" in texts(at, "warning")  # the store has none yet


def test_the_simulated_teachers_are_added_tried_and_discuss_synthetic_questions(page):
    at, _, tmp_path = page
    at.button(key="ag_add_simulated").click().run()
    assert not at.exception, at.exception
    assert "Added the simulated teachers" in texts(at, "success")
    assert list(at.dataframe[0].value["name"]) == ["sim-strong", "sim-average", "sim-weak"]
    at.button(key="ag_add_simulated").click().run()  # once only
    assert (tmp_path / "agents.yaml").read_text().count("kind: simulated") == 3

    at.selectbox(key="try_agent").set_value("sim-strong")
    at.selectbox(key="try_task").set_value("gsm8k")
    at.text_area(key="try_question").set_value(
        "Tom has 37 apples. He buys 45 more and gives away 19. How many apples does he have now?"
    )
    at.button(key="try_ask").click().run()
    answer = re.search(r"Answer: (\d+) · confidence", texts(at, "success"))[1]  # right or a slip
    steps = texts(at, "text")
    assert "37 + 45: 7 + 5 = 12, 30 + 40 = 70, 70 + 12 = " in steps and " - 19: " in steps
    assert steps.endswith(f" = {answer}.")

    at.radio(key="job_source").set_value("synthetic").run()
    at.selectbox(key="job_synthetic").set_value("choice")
    at.number_input(key="job_synthetic_count").set_value(25)
    at.text_input(key="job_target").set_value("sim-choice").run()
    assert "25 question(s), e.g. “" in texts(at, "caption")
    at.button(key="job_start").click().run()
    assert not at.exception, at.exception
    [job] = jobs.list_all(kind="discuss")
    assert job.config["source"] == {"synthetic": "choice", "count": 25, "seed": 0}
    assert {a["kind"] for a in job.config["agents"]} == {"simulated"} and job.config["sample"] is None

"""The chat-completions server on loopback, through the real `openai` client.

Scripted servers stand in for teacher APIs (replies, 429/500, delays); one test serves the offline
default model. Retry-after headers of a few milliseconds keep the client's backoff short.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time
import urllib.error
import urllib.request

import openai
import pytest

from app.serve_model import ModelBackend, ModelServer, ScriptedBackend
from magdi.agents import AgentConfig, OpenAIAgent
from magdi.formats import discussion_to_dict
from magdi.mag import Turn
from magdi.reconcile import DiscussionError, parse_reply, run_discussion
from tests.conftest import ROOT
from tests.utils import js

SECRET = "sk-test-SECRET"
USER = [{"role": "user", "content": "Is water wet?"}]


@pytest.fixture
def serve():
    servers: list[ModelServer] = []

    def start(items, **kw) -> ModelServer:
        servers.append(ModelServer(ScriptedBackend(items), **kw).start())
        return servers[-1]

    yield start
    for s in servers:
        s.close()


def agent(server: ModelServer, name: str = "a", **kw) -> OpenAIAgent:
    return OpenAIAgent(AgentConfig(name=name, model="teacher", base_url=server.url, **kw))


def http(url: str, body: bytes | None = None) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body), timeout=5) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.load(e)


def test_well_formed_and_malformed_json_replies(serve):
    s = serve(
        [js("yes", "90%"), "Sure!\n```json\n{'reasoning': 'Rain is water.', 'answer': 'no',}\n```\nBye"]
    )
    a = agent(s)
    first, second = a.reply(USER), a.reply(USER)
    assert parse_reply(first.text, "strategyqa").value == "yes"
    assert (
        parse_reply(second.text, "strategyqa").value,
        parse_reply(second.text, "strategyqa").reasoning,
    ) == ("no", "Rain is water.")
    assert first.prompt_tokens == 3 and first.completion_tokens > 0
    assert a.usage.calls == 2 and s.backend.requests[0] == USER


@pytest.mark.parametrize("status, error", [(429, openai.RateLimitError), (500, openai.InternalServerError)])
def test_error_statuses_are_retried_then_raised(serve, status, error):
    s = serve([{"status": status, "retry_after_ms": 5}, js("yes")])
    assert agent(s, max_retries=2).reply(USER).text == js("yes")
    assert len(s.backend.requests) == 2
    s = serve([{"status": status, "message": "slow down"}])
    a = agent(s, max_retries=0)
    with pytest.raises(error, match="slow down"):
        a.reply(USER)
    assert (a.usage.calls, a.usage.failures) == (0, 1)


def test_a_timeout_is_raised_and_retried(serve):
    s = serve([{"delay": 30}, {"delay": 30}, js("yes")])
    start = time.monotonic()
    with pytest.raises(openai.APITimeoutError):
        agent(s, timeout_s=0.3, max_retries=0).reply(USER)
    assert time.monotonic() - start < 5
    assert agent(s, timeout_s=0.3, max_retries=1).reply(USER).text == js("yes")


def test_openai_style_errors_and_models(serve):
    s = serve([])
    assert [m.id for m in openai.OpenAI(base_url=s.url, api_key="unused").models.list()] == ["scripted"]
    status, body = http(s.url + "/chat/completions", b"{not json")
    assert status == 400 and body["error"]["type"] == "invalid_request_error"
    assert http(s.url + "/nowhere")[0] == 404
    status, body = http(s.url + "/chat/completions", json.dumps({"messages": USER, "stream": True}).encode())
    assert status == 400 and "streaming" in body["error"]["message"]
    with pytest.raises(openai.InternalServerError, match="only 0 replies"):  # past the script: no retry
        agent(s, max_retries=3).reply(USER)
    assert len(s.backend.requests) == 1


def test_the_key_comes_from_the_environment_at_each_call(serve, monkeypatch):
    monkeypatch.setenv("MAGDI_TEST_SERVER_KEY", SECRET)
    monkeypatch.setenv("MAGDI_TEST_AGENT_KEY", SECRET)
    s = serve([js("yes")] * 2, api_key_env="MAGDI_TEST_SERVER_KEY")
    a = agent(s, api_key_env="MAGDI_TEST_AGENT_KEY", max_retries=0)
    assert a.reply(USER).text == js("yes")
    monkeypatch.setenv("MAGDI_TEST_AGENT_KEY", "sk-rotated")
    with pytest.raises(openai.AuthenticationError):
        a.reply(USER)
    with pytest.raises(openai.AuthenticationError):
        agent(s, max_retries=0).reply(USER)  # no key env: no Authorization header


def test_a_discussion_between_three_served_agents_leaks_no_key(serve, monkeypatch, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("MAGDI_TEST_KEY", SECRET)
    servers = {
        "gpt": serve(
            [{"status": 429, "retry_after_ms": 5}, "Here you go: " + js("yes", 0.9), js("yes", 1.0)],
            api_key_env="MAGDI_TEST_KEY",
        ),
        "claude": serve(
            [
                "```json\n{'reasoning': 'Wet means covered in water.', 'answer': 'no', "
                "'confidence_level': '95%'}\n```",
                js("yes", "90%", "I agree with yes."),
            ],
            api_key_env="MAGDI_TEST_KEY",
        ),
        "bard": serve(["Let me think...", js("yes", 0.8), js("yes", 0.9)], api_key_env="MAGDI_TEST_KEY"),
    }
    configs = [
        AgentConfig(name=n, model=n, base_url=s.url, api_key_env="MAGDI_TEST_KEY", max_retries=2)
        for n, s in servers.items()
    ]
    agents = [OpenAIAgent(c) for c in configs]
    store: list[Turn] = []
    result = run_discussion(
        "Is water wet?",
        agents,
        "strategyqa",
        rounds=3,
        gold_answer="yes",
        id="water",
        on_turn=lambda o: store.append(o.turn),
    )
    d = result.discussion
    assert d.rounds == [0, 1] and len(store) == 6
    assert (result.final_answer, result.majority_answer) == ("yes", "yes")
    assert d.turn(("claude", 0)).answer == "no" and d.turn(("claude", 1)).responds_to == [
        ("gpt", 0),
        ("claude", 0),
        ("bard", 0),
    ]
    assert "There are 1 agents think the answer is no." in servers["gpt"].backend.requests[-1][0]["content"]
    assert [len(s.backend.requests) for s in servers.values()] == [3, 2, 3]
    assert result.usage["bard"].calls == 3 and agents[2].usage.calls == 3
    assert "Retrying request" in caplog.text  # the client's retry was logged, and captured here
    serialised = [
        json.dumps(discussion_to_dict(d)),
        json.dumps([c.to_dict() for c in configs]),
        repr(result),
        repr(configs),
        caplog.text,
        json.dumps([s.backend.requests for s in servers.values()]),
    ]
    assert not any(SECRET in text for text in serialised)


def test_a_crashed_discussion_resumes_without_asking_again(serve):
    a = serve([js("yes"), js("yes")])
    b = serve([js("no"), {"status": 500}])
    store: list[Turn] = []
    agents = [agent(a, "a"), agent(b, "b", max_retries=0)]
    with pytest.raises(DiscussionError, match="'b' failed in round 1"):
        run_discussion("Q?", agents, "strategyqa", on_turn=lambda o: store.append(o.turn))
    assert sorted(t.key for t in store) == [("a", 0), ("a", 1), ("b", 0)]
    b2 = serve([js("yes")])
    result = run_discussion(
        "Q?",
        [agent(a, "a"), agent(b2, "b")],
        "strategyqa",
        existing_turns=store,
        on_turn=lambda o: store.append(o.turn),
    )
    assert len(a.backend.requests) == 2 and len(b2.backend.requests) == 1
    assert result.final_answer == "yes" and result.discussion.rounds == [0, 1]


def test_the_command_line_serves_a_script(tmp_path):
    script = tmp_path / "script.jsonl"
    script.write_text(json.dumps(js("yes")) + "\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "app.serve_model", "--script", str(script), "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().split(" at ")[-1].strip()
        reply = OpenAIAgent(AgentConfig("a", model="scripted", base_url=url)).reply(USER)
        assert parse_reply(reply.text, "strategyqa").value == "yes"
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_the_offline_default_model_answers_through_the_server():
    pytest.importorskip("magdi.generate")
    backend = ModelBackend("")
    backend.load()
    server = ModelServer(backend).start()
    try:
        a = agent(server, temperature=0, max_tokens=12)
        reply = a.reply(USER)
        assert isinstance(reply.text, str) and reply.prompt_tokens > len("Is water wet?")
        assert 0 < reply.completion_tokens <= 12 or reply.text == ""
        assert a.reply(USER).text == reply.text  # greedy
        assert [m.id for m in openai.OpenAI(base_url=server.url, api_key="x").models.list()] == [
            "magdi-offline"
        ]
    finally:
        server.close()

"""The chat-completions server on loopback, through the real `openai` client, `http.client` and raw
sockets (malformed requests, slow and oversize clients).

Scripted servers stand in for teacher APIs (replies, 429/500, delays); the tests at the end serve the
offline default model (loaded once). Retry-after headers of a few milliseconds keep the client's backoff
short; the limits under test are set small (fractions of a second, a few tokens).
"""

from __future__ import annotations

import json
import logging
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection

import openai
import pytest

from app.serve_model import Limits, ModelBackend, ModelServer, ScriptedBackend
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


def test_with_a_key_every_endpoint_answers_401_without_it(serve, monkeypatch):
    monkeypatch.setenv("MAGDI_TEST_SERVER_KEY", SECRET)
    s = serve([js("yes")], api_key_env="MAGDI_TEST_SERVER_KEY")
    host, port = s.server_address[:2]
    for method, path, body in (("GET", "/v1/models", None), ("POST", "/v1/chat/completions", b"{}")):
        for headers in ({}, {"Authorization": "Bearer sk-wrong"}, {"Authorization": SECRET}):
            conn = HTTPConnection(host, port, timeout=10)
            try:
                conn.request(method, path, body, headers)
                r = conn.getresponse()
                status, reply, auth = r.status, json.loads(r.read()), r.getheader("WWW-Authenticate")
            finally:
                conn.close()
            assert (status, reply["error"]["type"], reply["error"]["code"], auth) == (
                401,
                "authentication_error",
                "invalid_api_key",
                "Bearer",
            ), (method, headers)
    assert s.backend.requests == []  # nothing reached the model
    ok = openai.OpenAI(base_url=s.url, api_key=SECRET, max_retries=0)
    assert [m.id for m in ok.models.list()] == ["scripted"]
    assert agent(s, api_key_env="MAGDI_TEST_SERVER_KEY", max_retries=0).reply(USER).text == js("yes")


@pytest.mark.parametrize(
    "args, env, message",
    [
        (["--api-key-env", "sk_live_4eC39HqLyjWDarjtT1zdp7dc"], {}, "this looks like a key"),
        (["--api-key-env", "MAGDI_TEST_UNSET_KEY"], {}, "MAGDI_TEST_UNSET_KEY is not set"),
        (["--host", "0.0.0.0"], {}, "not loopback, without a key"),
        (["--host", "", "--port", "0"], {}, "every interface, which is not loopback"),
    ],
)
def test_the_command_line_refuses_a_key_value_an_unset_key_and_an_open_address(tmp_path, args, env, message):
    script = tmp_path / "script.jsonl"
    script.write_text(json.dumps(js("yes")) + "\n")
    done = subprocess.run(
        [sys.executable, "-m", "app.serve_model", "--script", str(script), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and message in done.stderr, done.stderr
    assert "4eC39Hq" not in done.stderr


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
        [
            sys.executable,
            "-m",
            "app.serve_model",
            "--script",
            str(script),
            "--port",
            "0",
            "--max-tokens",
            "5",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = proc.stdout.readline().split(" at ")[-1].strip()
        with pytest.raises(openai.BadRequestError, match="limit of 5"):
            OpenAIAgent(AgentConfig("a", model="scripted", base_url=url, max_tokens=6)).reply(USER)
        reply = OpenAIAgent(AgentConfig("a", model="scripted", base_url=url, max_tokens=5)).reply(USER)
        assert parse_reply(reply.text, "strategyqa").value == "yes"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    bad = [sys.executable, "-m", "app", "serve-model", "--script", str(script), "--read-timeout", "0"]
    done = subprocess.run(bad, cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "read-timeout must be > 0, not 0.0" in done.stderr


# ---------------------------------------------------------------- hostile clients


def post(
    server: ModelServer, payload, headers: dict | None = None, timeout: float = 10
) -> tuple[int, dict, dict]:
    """POST through `http.client`: status, JSON body, headers."""
    host, port = server.server_address[:2]
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    conn = HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(
            "POST", "/v1/chat/completions", body, {"Content-Type": "application/json", **(headers or {})}
        )
        r = conn.getresponse()
        return r.status, json.loads(r.read()), dict(r.getheaders())
    finally:
        conn.close()


def raw(server: ModelServer, data: bytes, close_write: bool = True) -> tuple[int, dict, bytes]:
    """Send bytes as they are and read until the server closes: status, JSON body, the whole reply."""
    with socket.create_connection(server.server_address[:2], timeout=10) as sock:
        sock.sendall(data)
        if close_write:
            sock.shutdown(socket.SHUT_WR)
        reply = b"".join(iter(lambda: sock.recv(65536), b""))
    head, _, body = reply.partition(b"\r\n\r\n")
    return int(head.split()[1]), json.loads(body), reply


def head(content_length: str | None, extra: str = "") -> bytes:
    length = "" if content_length is None else f"Content-Length: {content_length}\r\n"
    return f"POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n{length}{extra}\r\n".encode()


def ok(**extra) -> dict:
    return {"messages": USER, **extra}


DEEP = b"[" * 100_000
INVALID = [  # (body, the parameter named; None: the body as a whole)
    ({"messages": "hi"}, "messages"),
    ({"messages": []}, "messages"),
    ({"model": "m"}, "messages"),
    ({"messages": ["hi"]}, "messages[0]"),
    ({"messages": [USER[0], None]}, "messages[1]"),
    ({"messages": [{"role": "wizard", "content": "x"}]}, "messages[0].role"),
    ({"messages": [{"content": "x"}]}, "messages[0].role"),
    ({"messages": [{"role": "user", "content": 5}]}, "messages[0].content"),
    ({"messages": [{"role": "user", "content": {"text": "x"}}]}, "messages[0].content"),
    (
        {"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": "x"}]}]},
        "messages[0].content",
    ),
    (b'{"messages": [{"role": "user", "content": "\\ud800"}]}', "messages[0].content"),
    (ok(temperature="0.5"), "temperature"),
    (ok(temperature=True), "temperature"),
    (ok(temperature=-0.1), "temperature"),
    (ok(temperature=1e308), "temperature"),
    (ok(temperature=2.01), "temperature"),
    (b'{"messages": [{"role": "user", "content": "x"}], "temperature": 1e400}', "temperature"),
    (b'{"messages": [{"role": "user", "content": "x"}], "temperature": NaN}', None),
    (b'{"messages": [{"role": "user", "content": "x"}], "temperature": -Infinity}', None),
    (ok(top_p=1.5), "top_p"),
    (ok(top_p="high"), "top_p"),
    (ok(max_tokens=0), "max_tokens"),
    (ok(max_tokens=-5), "max_tokens"),
    (ok(max_tokens="12"), "max_tokens"),
    (ok(max_tokens=12.0), "max_tokens"),
    (ok(max_tokens=False), "max_tokens"),
    (ok(max_tokens=10**9), "max_tokens"),
    (ok(max_completion_tokens=0), "max_completion_tokens"),
    (b'{"messages": [{"role": "user", "content": "x"}], "max_tokens": 1' + b"0" * 5000 + b"}", None),
    (ok(n=2), "n"),
    (ok(n="1"), "n"),
    (ok(stream="yes"), "stream"),
    (ok(stream_options=[]), "stream_options"),
    (ok(seed="x"), "seed"),
    (ok(seed=2**64), "seed"),
    (ok(model=5), "model"),
    (ok(stop=["\n"]), "stop"),
    (ok(tools=[{"type": "function"}]), "tools"),
    (ok(frequency_penalty=1), "frequency_penalty"),
    (ok(best_of=3), "best_of"),
    ([USER], None),
    ("hi", None),
    (b"{not json", None),
    (b"", None),
    (b"\xff\xfe\x00", None),
    (DEEP, None),
]


@pytest.mark.parametrize("body, param", INVALID, ids=[str(i) for i in range(len(INVALID))])
def test_every_invalid_parameter_is_a_400_that_names_it(serve, body, param):
    s = serve([js("yes")])
    status, reply, _ = post(s, body)
    assert status == 400, reply
    assert set(reply["error"]) == {"message", "type", "param", "code"}
    assert reply["error"]["type"] == "invalid_request_error" and reply["error"]["param"] == param
    assert s.backend.requests == []  # nothing reached the model
    assert post(s, ok())[0] == 200  # and the connection's server is fine


def test_nulls_mean_absent_and_neutral_values_are_accepted(serve):
    s = serve([js("yes")])
    nulls = ok(temperature=None, max_tokens=None, stop=None, tools=None, seed=None, model=None)
    status, reply, _ = post(s, {**nulls, "frequency_penalty": 0, "logprobs": False, "user": "u", "n": 1})
    assert status == 200 and reply["choices"][0]["message"]["content"] == js("yes")
    assert reply["choices"][0]["finish_reason"] == "stop" and reply["model"] == "scripted"


def test_the_caps_on_max_tokens_prompt_and_body(serve):
    s = serve([js("yes")] * 3, limits=Limits(max_tokens=16, max_prompt_tokens=5, max_body_bytes=1000))
    status, reply, _ = post(s, ok(max_tokens=17))
    assert status == 400 and "limit of 16" in reply["error"]["message"]
    assert post(s, ok(max_tokens=16))[0] == 200
    five, six = "one two three four five", "one two three four five six"
    assert post(s, {"messages": [{"role": "user", "content": five}]})[0] == 200
    status, reply, _ = post(s, {"messages": [{"role": "user", "content": six}]})
    assert status == 400 and reply["error"]["code"] == "context_length_exceeded"
    assert "6 tokens" in reply["error"]["message"] and reply["error"]["param"] == "messages"
    status, reply, headers = post(s, {"messages": [{"role": "user", "content": "x" * 1000}]})
    assert status == 413 and "limit of 1,000" in reply["error"]["message"]
    assert headers["Connection"] == "close"
    # told by Expect: 100-continue, the server refuses before the body is sent
    status, reply, _ = raw(s, head("5000", "Expect: 100-continue\r\n"))
    assert status == 413 and len(s.backend.requests) == 2
    assert post(s, ok())[0] == 200


@pytest.mark.parametrize(
    "request_bytes, status",
    [
        (head("-5") + b"{}", 400),
        (head("abc") + b"{}", 400),
        (head("+2") + b"{}", 400),
        (head("1_0") + b"{}", 400),
        (head("2", "Content-Length: 3\r\n") + b"{}", 400),
        (head(None) + b"{}", 411),
        (head(None, "Transfer-Encoding: chunked\r\n") + b"2\r\n{}\r\n0\r\n\r\n", 411),
        (head("100") + b"{}", 400),  # the body ends (the client shut its side) before 100 bytes
        (b"GARBAGE\r\n\r\n", 400),
        (b"PUT /v1/models HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        (b"GET /v1/models HTTP/1.1\r\n" + b"X-Long: " + b"a" * 70_000 + b"\r\n\r\n", 431),
    ],
)
def test_broken_http_is_answered_with_an_error_never_a_hang(serve, request_bytes, status):
    s = serve([js("yes")])
    got, reply, whole = raw(s, request_bytes)
    assert got == status and reply["error"]["message"], whole[:300]
    assert post(s, ok())[0] == 200


def trickle(sock: socket.socket, start: float) -> float | None:
    """A byte every 0.2 s (never silent for as long as the socket time-out): seconds until dropped."""
    sock.settimeout(0.2)
    while time.monotonic() - start < 10:
        try:
            sock.sendall(b"X")
            if sock.recv(1) == b"":
                return time.monotonic() - start
        except TimeoutError:
            pass
        except OSError:  # reset by the server
            return time.monotonic() - start
    return None


def test_slow_and_silent_clients_are_dropped_while_others_are_served(serve):
    s = serve([js("yes")] * 3, limits=Limits(socket_timeout=0.5, read_timeout=1.5))
    silent, in_headers, in_body = (
        socket.create_connection(s.server_address[:2], timeout=10) for _ in range(3)
    )
    in_headers.sendall(b"POST /v1/chat/completions HTTP/1.1\r\n")
    in_body.sendall(head("1000"))
    start = time.monotonic()
    with ThreadPoolExecutor(2) as pool:
        lorises = [pool.submit(trickle, sock, start) for sock in (in_headers, in_body)]
        assert post(s, ok())[0] == 200  # served while all three are connected
        dropped_after = [f.result() for f in lorises]
    assert all(t is not None and t >= 1.4 for t in dropped_after), dropped_after  # the read time-out
    assert silent.recv(1) == b""  # closed by the server after the socket time-out
    for sock in (silent, in_headers, in_body):
        sock.close()
    assert post(s, ok())[0] == 200 and len(s.backend.requests) == 2


def test_connections_past_the_limit_get_503_at_once(serve):
    s = serve([js("yes")], limits=Limits(max_connections=2))
    idle = [socket.create_connection(s.server_address[:2], timeout=10) for _ in range(2)]
    deadline = time.monotonic() + 10
    while s.connections < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    status, reply, whole = raw(s, b"", close_write=False)
    assert status == 503 and "2 open connections" in reply["error"]["message"]
    assert b"Retry-After: 1" in whole
    for sock in idle:
        sock.close()
    while s.connections and time.monotonic() < deadline:
        time.sleep(0.01)
    assert post(s, ok())[0] == 200


def test_a_full_queue_answers_429_and_a_long_wait_503(serve):
    s = serve(
        [{"delay": 30, "text": "first"}, "never"],
        limits=Limits(concurrency=1, queue_size=1, queue_timeout=0.5),
    )
    results: dict[str, tuple] = {}

    def client(name: str) -> None:
        results[name] = post(s, ok(), timeout=60)

    def until(condition) -> None:
        deadline = time.monotonic() + 10
        while not condition() and time.monotonic() < deadline:
            time.sleep(0.005)
        assert condition()

    first = threading.Thread(target=client, args=("first",))
    first.start()
    until(lambda: s.slot.busy == 1)
    queued = threading.Thread(target=client, args=("queued",))
    queued.start()
    until(lambda: s.slot.waiting == 1)
    status, reply, headers = post(s, ok())
    assert status == 429 and reply["error"]["code"] == "queue_full" and headers["retry-after"] == "1"
    queued.join(10)
    status, reply, _ = results["queued"]
    assert status == 503 and reply["error"]["code"] == "queue_timeout"
    s.close()  # ends the scripted delay: the first request is answered
    first.join(10)
    assert results["first"][0] == 200 and results["first"][1]["choices"][0]["message"]["content"] == "first"
    assert len(s.backend.requests) == 1


def test_streaming_sends_openai_chunks(serve):
    s = serve(["the answer is yes", "again", {"status": 500, "message": "the model fell over"}, "again"])
    client = openai.OpenAI(base_url=s.url, api_key="unused", max_retries=0)
    chunks = list(client.chat.completions.create(model="m", messages=USER, stream=True))
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == "the answer is yes"
    assert len(chunks) == 6 and chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop" and chunks[-1].object == "chat.completion.chunk"
    assert len({c.id for c in chunks}) == 1
    stream = client.chat.completions.create(
        model="m", messages=USER, stream=True, stream_options={"include_usage": True}
    )
    last = list(stream)[-1]
    assert last.choices == [] and last.usage.prompt_tokens == 3 and last.usage.completion_tokens == 1
    with pytest.raises(openai.APIError, match="the model fell over"):
        list(client.chat.completions.create(model="m", messages=USER, stream=True))
    host, port = s.server_address[:2]
    conn = HTTPConnection(host, port, timeout=10)
    conn.request("POST", "/v1/chat/completions", json.dumps(ok(stream=True)))
    r = conn.getresponse()
    assert (
        r.getheader("Content-Type") == "text/event-stream" and r.getheader("Transfer-Encoding") == "chunked"
    )
    events = r.read().decode().split("\n\n")
    assert events[-2:] == ["data: [DONE]", ""] and json.loads(events[1][6:])["choices"][0]["delta"] == {
        "content": "again"
    }
    conn.request("GET", "/v1/models")  # the same connection: the chunked stream ended cleanly
    assert conn.getresponse().status == 200
    conn.close()


@pytest.fixture(scope="module")
def offline():
    """The offline model, generating on one thread (on a busy 2-core machine, 15 times faster)."""
    torch = pytest.importorskip("torch")
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    backend = ModelBackend("")
    backend.load()
    yield backend
    torch.set_num_threads(threads)


@pytest.fixture
def serve_offline(offline):
    servers: list[ModelServer] = []

    def start(**limits) -> ModelServer:
        servers.append(ModelServer(offline, limits=Limits(**limits)).start())
        return servers[-1]

    yield start
    for s in servers:
        s.close()


def test_the_offline_default_model_answers_through_the_server(serve_offline):
    server = serve_offline()
    a = agent(server, temperature=0, max_tokens=12)
    reply = a.reply(USER)
    assert isinstance(reply.text, str) and reply.prompt_tokens > len("Is water wet?")
    assert 0 < reply.completion_tokens <= 12 or reply.text == ""
    assert a.reply(USER).text == reply.text  # greedy
    client = openai.OpenAI(base_url=server.url, api_key="x", max_retries=0)
    assert [m.id for m in client.models.list()] == ["magdi-offline"]
    chunks = client.chat.completions.create(
        model="m", messages=USER, temperature=0, max_tokens=12, stream=True
    )
    assert "".join(c.choices[0].delta.content or "" for c in chunks) == reply.text  # streamed, the same
    status, body, _ = post(server, ok(temperature=1e-300, max_tokens=12))  # as good as greedy
    assert status == 200 and body["choices"][0]["message"]["content"] == reply.text


def test_the_model_is_held_to_its_limits(serve_offline):
    server = serve_offline(generation_timeout=1e-6, max_prompt_tokens=64, max_tokens=8192)
    status, body, _ = post(server, ok(temperature=0, max_tokens=50))
    assert status == 200 and body["usage"]["completion_tokens"] == 1  # stopped by the generation time-out
    assert body["choices"][0]["finish_reason"] == "length"
    status, body, _ = post(server, {"messages": [{"role": "user", "content": "word " * 40_000}]})
    assert status == 400 and body["error"]["code"] == "context_length_exceeded"
    status, body, _ = post(server, ok(max_tokens=4090))
    assert status == 400 and "context is 4,096 tokens" in body["error"]["message"]
    assert body["error"]["param"] == "max_tokens"

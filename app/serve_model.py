"""`python -m app serve-model [RUN_DIR_OR_MODEL]`: an OpenAI-compatible chat-completions server.

It serves a distilled student (a run directory), any local Hugging Face model, or the offline default
model (no path), so that a student can join a discussion as an `openai` agent:

    python -m app serve-model runs/magdi --port 8000
    agent: {name: student, base_url: "http://127.0.0.1:8000/v1", model: magdi}

`--script FILE` serves scripted replies instead (tests, demos): a JSON list (or JSONL) of items
answered in order, each a reply text or an object with any of `text`, `status` (an error status such
as 429 or 500), `message`, `delay` (seconds before answering) and `retry_after_ms`.

Endpoints: POST /v1/chat/completions (usage counts in the response; `stream: true` sends server-sent
events in OpenAI's chunk format) and GET /v1/models; errors are OpenAI-style JSON
(`{"error": {"message", "type", "param", "code"}}`). `--api-key-env NAME` requires
`Authorization: Bearer $NAME` on every endpoint (401 otherwise). It binds loopback by default, and
refuses another address without `--api-key-env`.

The server stays up under hostile clients (`Limits`, one CLI flag each): a connection silent for the
socket time-out is closed, and a request's headers and body must arrive within the read time-out
(slow-loris clients are dropped); bodies, prompts (in tokens) and `max_tokens` are capped; every
invalid parameter is a 400 naming it; the model answers `concurrency` requests at once, a bounded
queue waits for it (429 when full, 503 after the queue time-out), generation stops at the generation
time-out, and connections past `max_connections` are answered 503 at once.
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import math
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

from app.signin import is_loopback
from magdi.agents import Messages, Reply, chat_prompt, check_env_name, load_local_model

log = logging.getLogger(__name__)
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_exceeded",
}
DEFAULT_MAX_TOKENS = 1024  # a request without max_tokens gets this much (or the limit, or what fits)
GREEDY_BELOW = 0.01  # temperatures below this decode greedily (dividing logits by ~0 overflows)


def _limit(default: float | None, text: str) -> Any:
    return field(default=default, metadata={"help": text})


@dataclass(frozen=True)
class Limits:
    """How long the server waits and how much one request may ask (one CLI flag each: `--socket-timeout`)."""

    socket_timeout: float = _limit(10.0, "seconds a connection may stay silent before it is closed")
    read_timeout: float = _limit(30.0, "seconds for a request's headers and body to arrive in full")
    max_body_bytes: int = _limit(1_048_576, "largest request body; larger: 413")
    max_prompt_tokens: int = _limit(4096, "longest prompt in tokens; longer: 400")
    max_tokens: int = _limit(2048, "largest max_tokens a request may ask for; more: 400")
    concurrency: int | None = _limit(
        None, "requests answered at once (default: 1 for a model, 16 for a script)"
    )
    queue_size: int = _limit(8, "requests that may wait for the model; more: 429")
    queue_timeout: float = _limit(30.0, "seconds a request may wait for the model; then 503")
    generation_timeout: float = _limit(
        120.0, 'seconds of generation; then the reply so far, finish_reason "length"'
    )
    max_connections: int = _limit(64, "open connections; more are answered 503 at once")

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None and (value < 0 if f.name == "queue_size" else value <= 0):
                bound = ">= 0" if f.name == "queue_size" else "> 0"
                raise ValueError(f"{f.name.replace('_', '-')} must be {bound}, not {value}")


class ServeError(Exception):
    """An error answered as OpenAI-style JSON with this status (and extra headers)."""

    def __init__(
        self,
        status: int,
        message: str,
        headers: dict[str, str] | None = None,
        *,
        param: str | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}
        self.param, self.code = param, code

    def body(self) -> dict[str, Any]:
        kind = _ERROR_TYPES.get(
            self.status, "server_error" if self.status >= 500 else "invalid_request_error"
        )
        return {"error": {"message": self.message, "type": kind, "param": self.param, "code": self.code}}


# ---------------------------------------------------------------- requests


@dataclass
class ChatRequest:
    """A validated chat-completions request (`parse_chat`)."""

    messages: Messages
    model: str | None = None
    temperature: float | None = None
    top_p: float | None = None
    max_tokens: int | None = None  # None: the server's default
    seed: int | None = None
    stream: bool = False
    include_usage: bool = False  # stream_options.include_usage


_ROLES = {"system", "developer", "user", "assistant", "tool"}
_KNOWN = {"messages", "model", "temperature", "top_p", "max_tokens", "max_completion_tokens", "seed"}
_KNOWN |= {"n", "stream", "stream_options"}
_IGNORED = {"user", "metadata", "store"}  # accepted; they do not change the reply
_NEUTRAL = {"frequency_penalty": 0, "presence_penalty": 0, "logprobs": False}  # only this value
_UNSUPPORTED = {"stop", "tools", "tool_choice", "response_format", "logit_bias", "top_logprobs"}


def parse_chat(body: bytes, max_tokens_limit: int) -> ChatRequest:
    """The request in `body`, or a 400 naming the first invalid parameter (null means absent)."""
    request = _json(body)
    if not isinstance(request, dict):
        raise ServeError(400, "the request body must be a JSON object")
    request = {k: v for k, v in request.items() if v is not None}
    for key, value in request.items():
        if key in _NEUTRAL and value != _NEUTRAL[key]:
            raise ServeError(400, f"{key!r} is not supported (only {_NEUTRAL[key]!r})", param=key)
        if key in _UNSUPPORTED:
            raise ServeError(400, f"{key!r} is not supported by this server", param=key)
        if key not in _NEUTRAL and key not in _IGNORED and key not in _KNOWN:
            raise ServeError(400, f"unrecognized request argument supplied: {key}", param=key)
    if _integer(request, "n", 1, 2**31) not in (None, 1):
        raise ServeError(400, "only n=1 is supported", param="n")
    chosen = None
    for key in ("max_tokens", "max_completion_tokens"):  # the newer name wins when both are given
        value = _integer(request, key, 1, None)
        if value is not None and value > max_tokens_limit:
            raise ServeError(
                400, f"{key} is {value}, more than this server's limit of {max_tokens_limit}", param=key
            )
        chosen = chosen if value is None else value
    options = request.get("stream_options", {})
    if not isinstance(options, dict) or not isinstance(options.get("include_usage", False), bool):
        raise ServeError(
            400, "'stream_options' must be an object like {\"include_usage\": true}", param="stream_options"
        )
    model = request.get("model")
    if model is not None and not isinstance(model, str):
        raise ServeError(400, "'model' must be a string", param="model")
    return ChatRequest(
        messages=_messages(request.get("messages")),
        model=model,
        temperature=_number(request, "temperature", 0, 2),
        top_p=_number(request, "top_p", 0, 1),
        max_tokens=chosen,
        seed=_integer(request, "seed", -(2**63), 2**63 - 1),
        stream=_boolean(request, "stream"),
        include_usage=options.get("include_usage", False),
    )


def _json(body: bytes) -> Any:
    def constant(name: str) -> Any:
        raise ValueError(f"{name} is not a JSON number")

    try:
        return json.loads(body, parse_constant=constant)
    except RecursionError:
        raise ServeError(400, "the request body is nested too deeply") from None
    except ValueError as exc:  # UnicodeDecodeError and over-long integers too
        raise ServeError(400, f"the request body is not valid JSON: {exc}") from None


def _number(request: dict[str, Any], key: str, lo: float, hi: float) -> float | None:
    value = request.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ServeError(400, f"{key!r} must be a number, not {type(value).__name__}", param=key)
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ServeError(400, f"{key!r} must be between {lo} and {hi}, not {value!r}", param=key)
    return float(value)


def _integer(request: dict[str, Any], key: str, lo: int, hi: int | None) -> int | None:
    value = request.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ServeError(400, f"{key!r} must be an integer, not {type(value).__name__}", param=key)
    if value < lo or (hi is not None and value > hi):
        bound = f"at least {lo}" if hi is None else f"between {lo} and {hi}"
        raise ServeError(400, f"{key!r} must be {bound}, not {value}", param=key)
    return value


def _boolean(request: dict[str, Any], key: str) -> bool:
    value = request.get(key, False)
    if not isinstance(value, bool):
        raise ServeError(400, f"{key!r} must be true or false", param=key)
    return value


def _messages(messages: Any) -> Messages:
    if not isinstance(messages, list) or not messages:
        raise ServeError(400, "'messages' must be a non-empty list", param="messages")
    out = []
    for i, m in enumerate(messages):
        param = f"messages[{i}]"
        if not isinstance(m, dict):
            raise ServeError(400, f"{param} must be an object, not {type(m).__name__}", param=param)
        role = m.get("role")
        if role not in _ROLES:
            raise ServeError(400, f"{param}.role must be one of {sorted(_ROLES)}", param=f"{param}.role")
        out.append({"role": role, "content": _content(m.get("content"), f"{param}.content")})
    return out


def _content(content: Any, param: str) -> str:
    """A message's text; content given as parts keeps its text parts (only text parts are accepted)."""
    if content is None:
        return ""
    if isinstance(content, list):
        if not all(
            isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
            for p in content
        ):
            raise ServeError(
                400, f"{param}: only text parts ({{'type': 'text', 'text': …}}) are supported", param=param
            )
        content = "".join(p["text"] for p in content)
    if not isinstance(content, str):
        raise ServeError(400, f"{param} must be a string or a list of text parts", param=param)
    try:
        content.encode("utf-8")
    except UnicodeEncodeError:
        raise ServeError(400, f"{param} holds a lone surrogate (not text)", param=param) from None
    return content


# ---------------------------------------------------------------- backends


Stop = Callable[[], bool]  # true once generation must end (generation time-out, server closing)
OnText = Callable[[str], None]  # receives the reply's text as it grows (streaming)


class Backend(Protocol):
    model: str
    concurrency: int  # requests it answers at once unless Limits.concurrency says otherwise
    context_tokens: int | None  # prompt and reply together, when the backend knows its context

    def prompt_tokens(self, messages: Messages) -> int: ...

    def complete(
        self, request: ChatRequest, max_tokens: int, *, stop: Stop, on_text: OnText | None = None
    ) -> tuple[Reply, str]:
        """The reply and its finish_reason ("stop" or "length")."""
        ...


class _Stopped(Exception):
    """Raised from inside `model.generate` (through the streamer) to end generation early."""


class _Streamer:
    """The streamer handed to `magdi.generate.generate`: keeps the new token ids, passes the reply's
    text on as it grows (never half a character) and ends generation when `stop()` says so."""

    def __init__(self, tokenizer: Any, stop: Stop, on_text: OnText | None) -> None:
        self.tokenizer, self.stop, self.on_text = tokenizer, stop, on_text
        self.ids: list[int] | None = None  # None until generate has handed over the prompt
        self.text = ""

    def put(self, value: Any) -> None:
        if self.ids is None:
            self.ids = []
            return
        self.ids.extend(value.reshape(-1).tolist())
        self._flush(final=False)
        if self.stop():
            raise _Stopped

    def end(self) -> None:
        self._flush(final=True)

    def _flush(self, final: bool) -> None:
        text = self.tokenizer.decode(self.ids or [], skip_special_tokens=True)
        grown = text.startswith(self.text) and len(text) > len(self.text)
        if grown and (final or not text.endswith("\ufffd")):
            if self.on_text is not None:
                self.on_text(text[len(self.text) :])
            self.text = text
        elif final:
            self.text = text  # a decoding that rewrote earlier text (rare): the reply is the whole text


class ModelBackend:
    """A local model (a run directory, a Hugging Face model, or the offline default) through
    `magdi.generate.generate`."""

    concurrency = 1

    def __init__(self, source: str = "", model: str | None = None) -> None:
        self.model = model or (Path(source).name if source else "magdi-offline")
        self.source = source
        self._run: Any = None
        self._load_lock = threading.Lock()
        self.context_tokens: int | None = None

    def load(self) -> None:
        """Load the model now rather than on the first request."""
        with self._load_lock:
            if self._run is None:
                self._run = load_local_model(self.source)
                self.context_tokens = getattr(self._run.model.config, "max_position_embeddings", None)

    @property
    def run(self) -> Any:
        self.load()
        return self._run

    def prompt_tokens(self, messages: Messages) -> int:
        from magdi.chains import encode_prompt

        try:
            prompt = chat_prompt(self.run, messages)
        except Exception as exc:  # a chat template's own checks (roles that must alternate, …)
            raise ServeError(
                400, f"the model's chat template refused the messages: {exc}", param="messages"
            ) from None
        return len(encode_prompt(self.run.tokenizer, prompt))

    def complete(
        self, request: ChatRequest, max_tokens: int, *, stop: Stop, on_text: OnText | None = None
    ) -> tuple[Reply, str]:
        from magdi.generate import generate

        run, tok = self.run, self.run.tokenizer
        temperature = 0.7 if request.temperature is None else request.temperature
        streamer = _Streamer(tok, stop, on_text)
        try:
            generate(
                run,
                [chat_prompt(run, request.messages)],
                max_new_tokens=max_tokens,
                do_sample=temperature >= GREEDY_BELOW,
                temperature=temperature,
                top_p=0.9 if request.top_p is None else request.top_p,
                seed=request.seed,
                streamer=streamer,
            )
            stopped = False
        except _Stopped:
            streamer.end()
            stopped = True
        ids = streamer.ids or []
        ended = bool(ids) and ids[-1] == tok.eos_token_id and not stopped
        reply = Reply(streamer.text, self.prompt_tokens(request.messages), len(ids))
        return reply, "stop" if ended or (not stopped and len(ids) < max_tokens) else "length"


class ScriptedBackend:
    """Answers requests with the scripted items in order; past the end, a 500 the client won't retry.
    `requests` keeps every request's messages (never its headers). It stands in for a hosted API, so it
    answers many requests at once."""

    concurrency = 16
    context_tokens = None

    def __init__(self, items: list[str | dict[str, Any]], model: str = "scripted") -> None:
        self.model = model
        self.items = [_script_item(i, item) for i, item in enumerate(items)]
        self.requests: list[Messages] = []
        self._lock = threading.Lock()

    def prompt_tokens(self, messages: Messages) -> int:
        return sum(len(m["content"].split()) for m in messages)

    def complete(
        self, request: ChatRequest, max_tokens: int, *, stop: Stop, on_text: OnText | None = None
    ) -> tuple[Reply, str]:
        with self._lock:
            self.requests.append(request.messages)
            n = len(self.requests)
        if n > len(self.items):
            raise ServeError(
                500, f"the script has only {len(self.items)} replies", {"x-should-retry": "false"}
            )
        item = self.items[n - 1]
        end = time.monotonic() + item.get("delay", 0)
        while time.monotonic() < end and not stop():  # a delay ends early when the server closes
            time.sleep(min(0.02, max(0.0, end - time.monotonic())))
        if "status" in item:
            headers = {"retry-after-ms": str(item["retry_after_ms"])} if "retry_after_ms" in item else {}
            raise ServeError(item["status"], item.get("message", HTTPStatus(item["status"]).phrase), headers)
        text = item.get("text", "")
        if on_text is not None:
            words = text.split(" ")  # one chunk per word, as a model would stream it
            for piece in [w + " " for w in words[:-1]] + words[-1:]:
                if piece:
                    on_text(piece)
        return Reply(text, self.prompt_tokens(request.messages), len(text.split())), "stop"


def _script_item(i: int, item: str | dict[str, Any]) -> dict[str, Any]:
    item = {"text": item} if isinstance(item, str) else item
    if not isinstance(item, dict) or set(item) - {"text", "status", "message", "delay", "retry_after_ms"}:
        raise ValueError(
            f"script item {i}: expected a text or an object with text, status, message, "
            f"delay, retry_after_ms; got {item!r}"
        )
    if "status" in item and not 400 <= item["status"] <= 599:
        raise ValueError(f"script item {i}: status must be an error status (400-599)")
    return item


def load_script(path: str | Path) -> list[str | dict[str, Any]]:
    """Scripted replies from a JSON list or a JSONL file (one item per line)."""
    text = Path(path).read_text(encoding="utf-8")
    if text.lstrip().startswith("["):
        return json.loads(text)
    return [json.loads(line) for line in text.splitlines() if line.strip()]


class ModelSlot:
    """`concurrency` requests at the model at once, up to `queue_size` more waiting their turn."""

    def __init__(self, concurrency: int, queue_size: int, queue_timeout: float) -> None:
        self.concurrency, self.queue_size, self.queue_timeout = concurrency, queue_size, queue_timeout
        self.busy = self.waiting = 0
        self._cond = threading.Condition()

    @contextmanager
    def hold(self) -> Iterator[None]:
        with self._cond:
            if self.busy >= self.concurrency:
                if self.waiting >= self.queue_size:
                    raise _busy(
                        429, f"the server is busy: {self.waiting} requests are already waiting", "queue_full"
                    )
                self.waiting += 1
                try:
                    free = self._cond.wait_for(lambda: self.busy < self.concurrency, self.queue_timeout)
                finally:
                    self.waiting -= 1
                if not free:
                    raise _busy(503, f"the model stayed busy for {self.queue_timeout:g} s", "queue_timeout")
            self.busy += 1
        try:
            yield
        finally:
            with self._cond:
                self.busy -= 1
                self._cond.notify()


def _busy(status: int, message: str, code: str) -> ServeError:
    return ServeError(status, f"{message}; retry later", {"retry-after": "1"}, code=code)


# ---------------------------------------------------------------- HTTP


class ModelServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # the listen backlog (socketserver's 5 drops bursts of connects for 1 s)

    def __init__(
        self,
        backend: Backend,
        host: str = "127.0.0.1",
        port: int = 0,
        api_key_env: str | None = None,
        limits: Limits | None = None,
    ) -> None:
        super().__init__((host, port), _Handler)
        self.backend, self.api_key_env = backend, api_key_env
        self.limits = limits or Limits()
        self.slot = ModelSlot(
            self.limits.concurrency or backend.concurrency, self.limits.queue_size, self.limits.queue_timeout
        )
        self.stopping = threading.Event()
        self.connections = 0
        self._connections_lock = threading.Lock()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL for an OpenAI client (…/v1)."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> ModelServer:
        """Serve in a background thread (tests, notebooks)."""
        self._thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name="serve-model", daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop a server started with `start()`; scripted delays in progress end at once."""
        self.stopping.set()
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
        self.server_close()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            full = self.connections >= self.limits.max_connections
            self.connections += not full
        if not full:
            return super().process_request(request, client_address)
        # answered here, in the accept loop, so it must not block: a short reply into an empty buffer
        error = ServeError(503, f"more than {self.limits.max_connections} open connections; retry later")
        data = json.dumps(error.body()).encode()
        head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\n"
        head += f"Content-Length: {len(data)}\r\nConnection: close\r\nRetry-After: 1\r\n\r\n"
        try:
            request.setblocking(False)
            request.sendall(head.encode() + data)
            request.recv(65536)  # what the client has sent, so that closing does not reset the reply
        except OSError:
            pass
        self.close_request(request)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._connections_lock:
                self.connections -= 1

    def shutdown_request(self, request: Any) -> None:
        """Read what the client still sends (briefly) before closing, so that a reply sent before the
        whole request was read (413, a bad Content-Length) reaches the client instead of a reset."""
        try:
            request.shutdown(socket.SHUT_WR)
            request.settimeout(0.1)
            for _ in range(16):
                if not request.recv(65536):
                    break
        except OSError:
            pass
        self.close_request(request)


class _Handler(BaseHTTPRequestHandler):
    server: ModelServer
    protocol_version = "HTTP/1.1"

    @property
    def timeout(self) -> float:  # type: ignore[override]  # read by setup() as the socket's time-out
        return self.server.limits.socket_timeout

    def handle_one_request(self) -> None:
        """One request, whose headers and body must arrive within the read time-out: past it the
        connection is shut down, which ends the blocked read (slow-loris clients)."""
        self._read_deadline = threading.Timer(self.server.limits.read_timeout, self._drop)
        self._read_deadline.daemon = True
        self._read_deadline.start()
        try:
            super().handle_one_request()
        finally:
            self._read_deadline.cancel()

    def _drop(self) -> None:
        log.debug(
            "%s: the request did not arrive within %g s; dropped",
            self.address_string(),
            self.server.limits.read_timeout,
        )
        self.close_connection = True
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def handle_expect_100(self) -> bool:
        """Refuse an oversize or unreadable body before the client sends it."""
        try:
            self._content_length()
        except ServeError as exc:
            self.close_connection = True
            self._error(exc)
            return False
        return super().handle_expect_100()

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """http.server's own errors (bad request line, header too long, unknown method) as JSON."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":  # an unreadable request line: a full reply all the same
            self.request_version = "HTTP/1.1"
        self._error(ServeError(code, message or HTTPStatus(code).phrase))

    def do_GET(self) -> None:
        self._read_deadline.cancel()
        try:
            self._check_key()
        except ServeError as exc:
            return self._error(exc)
        if self.path.rstrip("/") != "/v1/models":
            return self._error(ServeError(404, f"no route GET {self.path}"))
        model = {"id": self.server.backend.model, "object": "model", "created": 0, "owned_by": "magdi"}
        self._send(200, {"object": "list", "data": [model]})

    def do_POST(self) -> None:
        try:
            body = self._read_body()
        except ServeError as exc:
            self.close_connection = True  # the rest of the body cannot be told from the next request
            return self._error(exc)
        finally:
            self._read_deadline.cancel()
        try:
            self._check_key()
            if self.path.rstrip("/") != "/v1/chat/completions":
                raise ServeError(404, f"no route POST {self.path}")
            request = parse_chat(body, self.server.limits.max_tokens)
            self._reply_id, self._created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
            max_tokens = self._max_tokens(request)
            with self.server.slot.hold():
                if request.stream:
                    return self._stream(request, max_tokens)
                reply, finish = self.server.backend.complete(request, max_tokens, stop=self._stop_at())
        except ServeError as exc:
            return self._error(exc)
        except Exception as exc:  # a backend failure is the client's 500, not a dropped connection
            log.exception("chat completion failed")
            return self._error(ServeError(500, f"{type(exc).__name__}: {exc}"))
        message = {"role": "assistant", "content": reply.text}
        self._send(
            200,
            {
                **self._head(request, "chat.completion"),
                "choices": [{"index": 0, "message": message, "finish_reason": finish}],
                "usage": _usage(reply),
            },
        )

    def _content_length(self) -> int:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise ServeError(411, "chunked request bodies are not supported: send a Content-Length")
        values = self.headers.get_all("Content-Length") or []
        if not values:
            raise ServeError(411, "a POST needs a Content-Length header")
        value = values[0].strip()
        if len(set(values)) > 1 or not (value.isascii() and value.isdigit()):
            raise ServeError(400, f"invalid Content-Length: {', '.join(values)!r}")
        limit = self.server.limits.max_body_bytes
        if int(value) > limit:
            raise ServeError(413, f"the body is {int(value):,} bytes, more than the limit of {limit:,}")
        return int(value)

    def _read_body(self) -> bytes:
        n = self._content_length()
        body = self.rfile.read(n)  # the socket and read time-outs bound the wait
        if len(body) < n:
            raise ServeError(400, f"the body ended after {len(body)} of {n} bytes")
        return body

    def _check_key(self) -> None:
        env = self.server.api_key_env
        if env is None:
            return
        expected = f"Bearer {os.environ.get(env, '')}".encode()
        if not os.environ.get(env) or not hmac.compare_digest(
            self.headers.get("Authorization", "").encode(), expected
        ):
            raise ServeError(
                401, "invalid or missing API key", {"WWW-Authenticate": "Bearer"}, code="invalid_api_key"
            )

    def _max_tokens(self, request: ChatRequest) -> int:
        """The request's max_tokens, or the default that fits; a 400 if the prompt is too long."""
        limits, backend = self.server.limits, self.server.backend
        n = backend.prompt_tokens(request.messages)
        if n > limits.max_prompt_tokens:
            raise ServeError(
                400,
                f"the prompt is {n:,} tokens, more than this server's limit of {limits.max_prompt_tokens:,}",
                param="messages",
                code="context_length_exceeded",
            )
        room = (backend.context_tokens or n + limits.max_tokens) - n
        wanted = request.max_tokens or min(DEFAULT_MAX_TOKENS, limits.max_tokens, max(room, 1))
        if wanted > room:
            raise ServeError(
                400,
                f"this model's context is {backend.context_tokens:,} tokens: the prompt's {n:,} "
                f"and max_tokens {wanted:,} do not fit",
                param="max_tokens" if request.max_tokens else "messages",
                code="context_length_exceeded",
            )
        return wanted

    def _stop_at(self) -> Stop:
        deadline = time.monotonic() + self.server.limits.generation_timeout
        return lambda: self.server.stopping.is_set() or time.monotonic() > deadline

    def _head(self, request: ChatRequest, kind: str) -> dict[str, Any]:
        model = request.model or self.server.backend.model
        return {"id": self._reply_id, "object": kind, "created": self._created, "model": model}

    def _stream(self, request: ChatRequest, max_tokens: int) -> None:
        """Server-sent events, one `chat.completion.chunk` per piece of text, then `[DONE]`, in
        chunked transfer encoding. A failure after the headers is an `error` event."""

        def chunk(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
            choice = {"index": 0, "delta": delta, "finish_reason": finish}
            return {**self._head(request, "chat.completion.chunk"), "choices": [choice]}

        self.send_response(200)
        for name, value in {
            "Content-Type": "text/event-stream",
            "Cache-Control": "no-cache",
            "Transfer-Encoding": "chunked",
        }.items():
            self.send_header(name, value)
        self.end_headers()
        try:
            self._event(chunk({"role": "assistant", "content": ""}))
            try:
                reply, finish = self.server.backend.complete(
                    request,
                    max_tokens,
                    stop=self._stop_at(),
                    on_text=lambda t: self._event(chunk({"content": t})),
                )
            except OSError:
                raise
            except Exception as exc:
                if not isinstance(exc, ServeError):
                    log.exception("chat completion failed")
                    exc = ServeError(500, f"{type(exc).__name__}: {exc}")
                self._event(exc.body())
            else:
                self._event(chunk({}, finish))
                if request.include_usage:
                    self._event(
                        {
                            **self._head(request, "chat.completion.chunk"),
                            "choices": [],
                            "usage": _usage(reply),
                        }
                    )
            self._write_chunk(b"data: [DONE]\n\n")
            self._write_chunk(b"")
        except OSError:  # the client went away (generation ended with the failed write)
            self.close_connection = True

    def _event(self, payload: dict[str, Any]) -> None:
        self._write_chunk(f"data: {json.dumps(payload)}\n\n".encode())

    def _write_chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):X}\r\n".encode() + data + b"\r\n")

    def _error(self, exc: ServeError) -> None:
        self._send(exc.status, exc.body(), exc.headers)

    def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:  # the client gave up (its timeout), or the connection was dropped
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # request lines only, never headers
        log.debug("%s %s", self.address_string(), format % args)


def _usage(reply: Reply) -> dict[str, int]:
    return {
        "prompt_tokens": reply.prompt_tokens,
        "completion_tokens": reply.completion_tokens,
        "total_tokens": reply.prompt_tokens + reply.completion_tokens,
    }


# ---------------------------------------------------------------- command line


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument(
        "source",
        nargs="?",
        default="",
        metavar="RUN_DIR_OR_MODEL",
        help="a run directory, a Hugging Face model id or path (default: the offline model)",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--name", help="model name served (default: the directory name)")
    parser.add_argument("--script", metavar="FILE", help="serve these scripted replies instead of a model")
    parser.add_argument(
        "--api-key-env",
        metavar="NAME",
        help="require `Authorization: Bearer <key>`, the key held in this environment variable "
        "(needed to serve on an address other than loopback)",
    )
    parser.add_argument(
        "--threads", type=int, metavar="N", help="torch threads (default: torch's; 1 on a busy small machine)"
    )
    limits = parser.add_argument_group("limits")
    for f in fields(Limits):
        kind, default = (float if "float" in f.type else int), f.default
        text = f.metadata["help"] + ("" if default is None else f" (default: {default:,})")
        limits.add_argument(
            "--" + f.name.replace("_", "-"),
            type=kind,
            metavar="S" if kind is float else "N",
            default=default,
            help=text,
        )
    return parser


def run(args: argparse.Namespace, limits: Limits) -> int:
    backend: Backend
    if args.script:
        backend = ScriptedBackend(load_script(args.script), model=args.name or "scripted")
    else:
        if args.threads:
            import torch

            torch.set_num_threads(args.threads)
        backend = ModelBackend(args.source, model=args.name)
        backend.load()
    server = ModelServer(backend, args.host, args.port, api_key_env=args.api_key_env, limits=limits)
    print(f"serving {backend.model} at {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def check_access(host: str, api_key_env: str | None) -> None:
    """ValueError for a key variable that is not a variable's name or is not set, or for an address
    other than loopback without a key."""
    if api_key_env is not None:
        check_env_name(api_key_env, "--api-key-env")
        if not os.environ.get(api_key_env):
            raise ValueError(f"--api-key-env: the environment variable {api_key_env} is not set (or empty)")
    elif not is_loopback(host):
        raise ValueError(
            f"refusing to serve on {host or 'every interface'}, which is not loopback, without a key: "
            "pass --api-key-env NAME (clients then send Authorization: Bearer <key>)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = add_arguments(argparse.ArgumentParser(prog="python -m app serve-model"))
    args = parser.parse_args(argv)
    try:
        limits = Limits(**{f.name: getattr(args, f.name) for f in fields(Limits)})
        check_access(args.host, args.api_key_env)
    except ValueError as exc:
        parser.error(str(exc))  # exits 2
    return run(args, limits)


if __name__ == "__main__":
    raise SystemExit(main())

"""`python -m app serve-model [RUN_DIR_OR_MODEL]`: an OpenAI-compatible chat-completions server.

It serves a distilled student (a run directory), any local Hugging Face model, or the offline default
model (no path), so that a student can join a discussion as an `openai` agent:

    python -m app serve-model runs/magdi --port 8000
    agent: {name: student, base_url: "http://127.0.0.1:8000/v1", model: magdi}

`--script FILE` serves scripted replies instead (tests, demos): a JSON list (or JSONL) of items
answered in order, each a reply text or an object with any of `text`, `status` (an error status such
as 429 or 500), `message`, `delay` (seconds before answering) and `retry_after_ms`.

Endpoints: POST /v1/chat/completions (usage counts in the response; no streaming) and GET /v1/models;
errors are OpenAI-style JSON. `--api-key-env NAME` requires `Authorization: Bearer $NAME`.
"""

from __future__ import annotations

import argparse
import hmac
import json
import logging
import os
import threading
import time
import uuid
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Protocol

from magdi.agents import AgentConfig, LocalAgent, Messages, Reply

log = logging.getLogger(__name__)
_ERROR_TYPES = {
    400: "invalid_request_error",
    401: "authentication_error",
    404: "not_found_error",
    429: "rate_limit_exceeded",
}


class ServeError(Exception):
    """An error answered as OpenAI-style JSON with this status (and extra headers)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class Backend(Protocol):
    model: str

    def complete(
        self, messages: Messages, *, temperature: float | None, max_tokens: int | None, stop: threading.Event
    ) -> Reply: ...


class ModelBackend:
    """A local model through `magdi.agents.LocalAgent` (and so `magdi.generate`)."""

    def __init__(self, source: str = "", model: str | None = None) -> None:
        self.model = model or (Path(source).name if source else "magdi-offline")
        self._agent = LocalAgent(AgentConfig(name=self.model, kind="local", model=source, max_concurrency=1))

    def load(self) -> None:
        _ = self._agent.run  # load now rather than on the first request

    def complete(
        self, messages: Messages, *, temperature: float | None, max_tokens: int | None, stop: threading.Event
    ) -> Reply:
        cfg = self._agent.config
        return self._agent.complete(
            messages,
            temperature=cfg.temperature if temperature is None else temperature,
            max_tokens=max_tokens or cfg.max_tokens,
        )


class ScriptedBackend:
    """Answers requests with the scripted items in order; past the end, a 500 the client won't retry.
    `requests` keeps every request's messages (never its headers)."""

    def __init__(self, items: list[str | dict[str, Any]], model: str = "scripted") -> None:
        self.model = model
        self.items = [_script_item(i, item) for i, item in enumerate(items)]
        self.requests: list[Messages] = []
        self._lock = threading.Lock()

    def complete(
        self, messages: Messages, *, temperature: float | None, max_tokens: int | None, stop: threading.Event
    ) -> Reply:
        with self._lock:
            self.requests.append(messages)
            n = len(self.requests)
        if n > len(self.items):
            raise ServeError(
                500, f"the script has only {len(self.items)} replies", {"x-should-retry": "false"}
            )
        item = self.items[n - 1]
        stop.wait(item.get("delay", 0))  # interrupted when the server closes
        if "status" in item:
            headers = {"retry-after-ms": str(item["retry_after_ms"])} if "retry_after_ms" in item else {}
            raise ServeError(item["status"], item.get("message", HTTPStatus(item["status"]).phrase), headers)
        text = item.get("text", "")
        return Reply(text, sum(len(m["content"].split()) for m in messages), len(text.split()))


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


# ---------------------------------------------------------------- HTTP


class ModelServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self, backend: Backend, host: str = "127.0.0.1", port: int = 0, api_key_env: str | None = None
    ) -> None:
        super().__init__((host, port), _Handler)
        self.backend, self.api_key_env = backend, api_key_env
        self.stopping = threading.Event()
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


class _Handler(BaseHTTPRequestHandler):
    server: ModelServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        if self.path.rstrip("/") != "/v1/models":
            return self._error(ServeError(404, f"no route GET {self.path}"))
        model = {"id": self.server.backend.model, "object": "model", "created": 0, "owned_by": "magdi"}
        self._send(200, {"object": "list", "data": [model]})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        try:
            if self.path.rstrip("/") != "/v1/chat/completions":
                raise ServeError(404, f"no route POST {self.path}")
            self._check_key()
            request = _chat_request(body)
            reply = self.server.backend.complete(
                request["messages"],
                temperature=request.get("temperature"),
                max_tokens=request.get("max_completion_tokens") or request.get("max_tokens"),
                stop=self.server.stopping,
            )
        except ServeError as exc:
            return self._error(exc)
        except Exception as exc:  # a backend failure is the client's 500, not a dropped connection
            log.exception("chat completion failed")
            return self._error(ServeError(500, f"{type(exc).__name__}: {exc}"))
        self._send(
            200,
            {
                "id": f"chatcmpl-{uuid.uuid4().hex}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": request.get("model") or self.server.backend.model,
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": reply.text},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {
                    "prompt_tokens": reply.prompt_tokens,
                    "completion_tokens": reply.completion_tokens,
                    "total_tokens": reply.prompt_tokens + reply.completion_tokens,
                },
            },
        )

    def _check_key(self) -> None:
        env = self.server.api_key_env
        if env is None:
            return
        expected = f"Bearer {os.environ.get(env, '')}".encode()
        if not os.environ.get(env) or not hmac.compare_digest(
            self.headers.get("Authorization", "").encode(), expected
        ):
            raise ServeError(401, "invalid or missing API key")

    def _error(self, exc: ServeError) -> None:
        kind = _ERROR_TYPES.get(exc.status, "server_error" if exc.status >= 500 else "invalid_request_error")
        self._send(
            exc.status,
            {"error": {"message": exc.message, "type": kind, "param": None, "code": None}},
            exc.headers,
        )

    def _send(self, status: int, payload: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        data = json.dumps(payload).encode()
        try:
            self.send_response(status)
            for name, value in {"Content-Type": "application/json", **(headers or {})}.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # the client gave up (its timeout)
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:  # request lines only, never headers
        log.debug("%s %s", self.address_string(), format % args)


def _chat_request(body: bytes) -> dict[str, Any]:
    try:
        request = json.loads(body)
    except ValueError:
        raise ServeError(400, "the request body is not JSON") from None
    messages = request.get("messages") if isinstance(request, dict) else None
    if not isinstance(messages, list) or not messages:
        raise ServeError(400, "'messages' must be a non-empty list")
    if request.get("stream"):
        raise ServeError(400, "streaming is not supported")
    if request.get("n", 1) != 1:
        raise ServeError(400, "only n=1 is supported")
    request["messages"] = [
        {"role": str(m.get("role", "user")), "content": _content(m.get("content"))}
        for m in messages
        if isinstance(m, dict)
    ]
    return request


def _content(content: Any) -> str:
    """A message's text; content given as parts keeps its text parts."""
    if isinstance(content, list):
        return "".join(p.get("text", "") for p in content if isinstance(p, dict))
    return "" if content is None else str(content)


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
    parser.add_argument("--api-key-env", metavar="NAME", help="require the key held in this variable")
    return parser


def run(args: argparse.Namespace) -> int:
    backend: Backend
    if args.script:
        backend = ScriptedBackend(load_script(args.script), model=args.name or "scripted")
    else:
        backend = ModelBackend(args.source, model=args.name)
        backend.load()
    server = ModelServer(backend, args.host, args.port, api_key_env=args.api_key_env)
    print(f"serving {backend.model} at {server.url}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    return run(add_arguments(argparse.ArgumentParser(prog="python -m app serve-model")).parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())

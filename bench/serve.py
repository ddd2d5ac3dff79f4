"""Load and abuse `python -m app serve-model` on loopback, and print what it did.

    .venv/bin/python bench/serve.py                  # the offline model
    .venv/bin/python bench/serve.py --script --clients 32 --requests 20   # server overhead only

The server runs as its own process with short time-outs. Phases, each bounded in count and time:
1. load: N clients at once, M requests each: latency p50/p99/max, requests/s, answers by status.
2. overload: more clients at once than the model slot and its queue hold: the surplus must be refused
   at once (429), never held or failed.
3. hostile: slow-loris clients (a header line every 0.5 s), silent connections, oversize bodies, a huge
   prompt and broken Content-Lengths, while the load of phase 1 runs again.
4. after: the server still answers, and fast.
A failure is anything but the expected answer (a dropped connection, a time-out, a 500); the script
exits 1 if there was one or the server is unhealthy.
"""

from __future__ import annotations

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROMPT = [{"role": "user", "content": "Janet has 3 boxes of 6 eggs. How many eggs does she have?"}]


class Server:
    """`python -m app serve-model` in a child process on a free port."""

    def __init__(self, args: argparse.Namespace, script: Path | None) -> None:
        cmd = [sys.executable, "-m", "app", "serve-model", "--port", "0"]
        cmd += ["--script", str(script)] if script else ["--threads", str(args.threads)]
        cmd += ["--socket-timeout", str(args.socket_timeout), "--read-timeout", str(args.read_timeout)]
        cmd += ["--concurrency", "1", "--queue-size", str(args.queue_size), "--queue-timeout", "60"]
        self.cmd = cmd
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline() if self.proc.stdout else ""
        if " at http://" not in line:
            self.proc.kill()
            raise SystemExit(f"the server did not start: {line!r}")
        host_port = line.split(" at http://")[1].split("/")[0]
        self.host, self.port = host_port.rsplit(":", 1)[0], int(host_port.rsplit(":", 1)[1])

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=30)


def chat(
    server: Server, max_tokens: int, body: bytes | None = None, timeout: float = 60
) -> tuple[str, float]:
    """One request: its outcome (the status, or the error's name) and latency in ms."""
    payload = body or json.dumps({"messages": PROMPT, "max_tokens": max_tokens, "temperature": 0}).encode()
    start = time.perf_counter()
    conn = HTTPConnection(server.host, server.port, timeout=timeout)
    try:
        conn.request("POST", "/v1/chat/completions", payload, {"Content-Type": "application/json"})
        r = conn.getresponse()
        reply = json.loads(r.read())
        ok = r.status != 200 or reply["choices"][0]["message"]["content"] is not None
        outcome = str(r.status) if ok else "malformed"
    except (OSError, ValueError, KeyError) as exc:
        outcome = type(exc).__name__
    finally:
        conn.close()
    return outcome, (time.perf_counter() - start) * 1000


def load(server: Server, clients: int, requests: int, max_tokens: int) -> tuple[Counter, list[float], float]:
    """`clients` threads at once, `requests` each, one after another: outcomes, 200 latencies, seconds."""
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = list(
            pool.map(lambda _: [chat(server, max_tokens) for _ in range(requests)], range(clients))
        )
    flat = [r for rs in results for r in rs]
    return Counter(o for o, _ in flat), [ms for o, ms in flat if o == "200"], time.perf_counter() - start


def percentiles(ms: list[float]) -> str:
    if not ms:
        return "no answers"
    q = statistics.quantiles(ms, n=100, method="inclusive") if len(ms) > 1 else ms * 99
    return f"p50 {q[49]:7.1f} ms  p99 {q[98]:7.1f} ms  max {max(ms):7.1f} ms"


def raw(server: Server, data: bytes, deadline: float) -> tuple[str, float]:
    """Send bytes as they are; the reply's status (or how the connection ended) and seconds to it."""
    start = time.monotonic()
    with socket.create_connection((server.host, server.port), timeout=max(1.0, deadline - start)) as sock:
        try:
            sock.sendall(data)
            reply = sock.recv(65536)
        except OSError as exc:
            return type(exc).__name__, time.monotonic() - start
    status = reply.split(b" ", 2)[1].decode() if reply.startswith(b"HTTP/1.1 ") else "closed"
    return status, time.monotonic() - start


def slow_loris(server: Server, deadline: float) -> tuple[str, float]:
    """A header line every 0.5 s, never finishing: seconds until the server drops the connection."""
    start = time.monotonic()
    with socket.create_connection((server.host, server.port), timeout=0.5) as sock:
        sock.sendall(b"POST /v1/chat/completions HTTP/1.1\r\nHost: bench\r\n")
        while time.monotonic() < deadline:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
                if sock.recv(1) == b"":
                    return "dropped", time.monotonic() - start
            except TimeoutError:
                continue
            except OSError:
                return "dropped", time.monotonic() - start
    return "held", time.monotonic() - start


def silent(server: Server, deadline: float) -> tuple[str, float]:
    start = time.monotonic()
    with socket.create_connection((server.host, server.port), timeout=max(1.0, deadline - start)) as sock:
        try:
            return ("dropped" if sock.recv(1) == b"" else "answered"), time.monotonic() - start
        except TimeoutError:
            return "held", time.monotonic() - start
        except OSError:
            return "dropped", time.monotonic() - start


def hostile(server: Server, n: int, deadline: float) -> dict[str, list[tuple[str, float]]]:
    """Each kind of hostile client, `n` of each, all at once."""
    big = 10 * 1024 * 1024
    head = "POST /v1/chat/completions HTTP/1.1\r\nHost: bench\r\nContent-Length: {}\r\n\r\n"
    huge_prompt = json.dumps({"messages": [{"role": "user", "content": "word " * 40_000}]}).encode()
    kinds: dict[str, Callable[[], tuple[str, float]]] = {
        "slow-loris": lambda: slow_loris(server, deadline),
        "silent": lambda: silent(server, deadline),
        "oversize body (10 MiB declared, 256 KiB sent)": lambda: raw(
            server, head.format(big).encode() + b"x" * 262_144, deadline
        ),
        "200 kB prompt": lambda: raw(server, head.format(len(huge_prompt)).encode() + huge_prompt, deadline),
        "Content-Length: -1": lambda: raw(server, head.format(-1).encode(), deadline),
        "Content-Length: abc": lambda: raw(server, head.format("abc").encode(), deadline),
    }
    with ThreadPoolExecutor(n * len(kinds)) as pool:
        futures = {k: [pool.submit(fn) for _ in range(n)] for k, fn in kinds.items()}
        return {k: [f.result() for f in fs] for k, fs in futures.items()}


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--clients", type=int, default=8, help="clients at once in the load phases")
    p.add_argument("--requests", type=int, default=4, help="requests per client")
    p.add_argument("--max-tokens", type=int, default=16)
    p.add_argument(
        "--queue-size", type=int, default=8, help="the server's queue (the model answers one at once)"
    )
    p.add_argument("--overload", type=int, default=24, help="clients at once in the overload phase")
    p.add_argument("--hostile", type=int, default=8, help="clients of each hostile kind")
    p.add_argument("--socket-timeout", type=float, default=2.0)
    p.add_argument("--read-timeout", type=float, default=4.0)
    p.add_argument("--seconds", type=float, default=60.0, help="most seconds a hostile client is given")
    p.add_argument("--script", action="store_true", help="scripted replies instead of the offline model")
    p.add_argument("--threads", type=int, default=1, help="the server's torch threads")
    args = p.parse_args()

    script = None
    if args.script:
        script = Path(tempfile.mkdtemp()) / "replies.jsonl"
        n = args.clients * args.requests * 2 + args.overload + args.hostile * 6 + 10
        script.write_text("\n".join(json.dumps(f"reply {i}") for i in range(n)) + "\n")
    started = time.perf_counter()
    server = Server(args, script)
    print(
        f"server: {'scripted replies' if script else 'the offline model'} ({' '.join(server.cmd[2:])}), "
        f"up in {time.perf_counter() - started:.1f} s"
    )
    failures = 0
    try:
        chat(server, args.max_tokens)  # warm-up
        outcomes, ms, secs = load(server, args.clients, args.requests, args.max_tokens)
        failures += sum(v for k, v in outcomes.items() if k != "200")
        print(
            f"load: {args.clients} clients × {args.requests} requests, max_tokens {args.max_tokens}: "
            f"{dict(outcomes)} in {secs:.1f} s ({outcomes['200'] / secs:.1f} req/s)"
        )
        print(f"  latency {percentiles(ms)}")

        with ThreadPoolExecutor(args.overload) as pool:
            results = list(pool.map(lambda _: chat(server, args.max_tokens), range(args.overload)))
        by = Counter(o for o, _ in results)
        failures += sum(v for k, v in by.items() if k not in ("200", "429"))
        refused = [ms for o, ms in results if o == "429"]
        print(
            f"overload: {args.overload} clients at once, 1 answering + {args.queue_size} queued: {dict(by)}"
        )
        if refused:
            print(f"  429 answered in {percentiles(refused)}")

        deadline = time.monotonic() + args.seconds
        box: dict[str, dict] = {}
        abuse = threading.Thread(target=lambda: box.update(h=hostile(server, args.hostile, deadline)))
        abuse.start()
        time.sleep(0.2)  # the hostile clients are connected
        outcomes, ms, secs = load(server, args.clients, args.requests, args.max_tokens)
        abuse.join()
        failures += sum(v for k, v in outcomes.items() if k != "200")
        print(
            f"hostile clients, {args.hostile} of each kind, with the load again: {dict(outcomes)} "
            f"in {secs:.1f} s"
        )
        print(f"  latency {percentiles(ms)}")
        expected = {
            "slow-loris": "dropped",
            "silent": "dropped",
            "Content-Length: -1": "400",
            "Content-Length: abc": "400",
            "200 kB prompt": "400",
        }
        for kind, results in box["h"].items():
            want = expected.get(kind, "413")
            bad = sum(o != want for o, _ in results)
            failures += bad
            secs_to = [s for _, s in results]
            seen = dict(Counter(o for o, _ in results))
            print(
                f"  {kind}: {seen} after {min(secs_to):.2f}-{max(secs_to):.2f} s"
                + (f"  ({bad} not {want})" if bad else "")
            )

        outcome, after_ms = chat(server, args.max_tokens)
        healthy = outcome == "200" and server.proc.poll() is None
        print(
            f"after: a chat answered {outcome} in {after_ms:.0f} ms; server process "
            f"{'running' if server.proc.poll() is None else 'gone'}: {'healthy' if healthy else 'UNHEALTHY'}"
        )
    finally:
        server.close()
    print(f"failures: {failures}")
    return 0 if failures == 0 and healthy else 1


if __name__ == "__main__":
    raise SystemExit(main())

"""Small factories for tests: hand-made discussions, files, agent replies and ports."""

from __future__ import annotations

import json
import re
import socket
from pathlib import Path

from app.services.auth import LOCAL


def turn(agent: str, rnd: int, answer: str, reasoning: str | None = None, **extra) -> dict:
    return {
        "agent": agent,
        "round": rnd,
        "reasoning": reasoning or f"{agent} thinks {answer}.",
        "answer": answer,
        **extra,
    }


def discussion(
    id: str = "q1",
    task: str = "gsm8k",
    gold: str = "18",
    turns: list[dict] | None = None,
    question: str = "Janet has 3 boxes of 6 eggs. How many eggs?",
    **extra,
) -> dict:
    if turns is None:
        turns = [
            turn("a", 0, "18", confidence=0.9),
            turn("b", 0, "$20"),
            turn("c", 0, "18.0"),
            turn("a", 1, "18"),
            turn("b", 1, "18 eggs"),
            turn("c", 1, "18"),
        ]
    return {"id": id, "task": task, "question": question, "gold_answer": gold, "turns": turns, **extra}


def agree_flip_never() -> list[dict]:
    """Three discussions to browse: agree (gsm8k, both agents right at once), flip (gsm8k, agents
    change their minds, wrongly, and agree in round 1), never (strategyqa, no consensus, one
    unparseable answer, "maybe")."""
    return [
        discussion(
            id="agree",
            question="How many apples are in the basket?",
            turns=[turn("a", 0, "18"), turn("b", 0, "18")],
        ),
        discussion(
            id="flip",
            question="How many pears?",
            turns=[
                turn("a", 0, "18"),
                turn("b", 0, "3"),
                turn("a", 1, "3", "Now I think three"),
                turn("b", 1, "3"),
            ],
        ),
        discussion(
            id="never",
            task="strategyqa",
            gold="yes",
            question="Is the sky green?",
            turns=[turn("x", 0, "yes"), turn("y", 0, "maybe"), turn("x", 1, "no"), turn("y", 1, "yes")],
        ),
    ]


def write_jsonl(path: Path, items: list) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in items))
    return path


def copy_store(template: Path, tmp_path: Path) -> str:
    """A private copy of a prepared SQLite store (SQLite's online backup); returns its URL."""
    import sqlite3

    dst = tmp_path / "store.db"
    with sqlite3.connect(template) as src, sqlite3.connect(dst) as out:
        src.backup(out)
    return f"sqlite:///{dst}"


def exported(url: str) -> list[dict]:
    """The store's discussions as the export writes them (JSONL records, current labels)."""
    import io

    from app.services import store

    buf = io.StringIO()
    store.export_discussions(buf, url=url, actor=LOCAL)
    return [json.loads(line) for line in buf.getvalue().splitlines()]


def wait_for(predicate, timeout: float = 120, what: str = "condition", detail=lambda: ""):
    """Poll `predicate` until it returns something true; on timeout fail, adding `detail()`."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    extra = detail()
    raise AssertionError(f"timed out waiting for {what}" + (f"\n{extra}" if extra else ""))


def js(answer: str, confidence: float = 0.9, reasoning: str = "Because.") -> str:
    """An agent's reply in the JSON that ReConcile asks for."""
    return json.dumps({"reasoning": reasoning, "answer": answer, "confidence_level": confidence})


def unescape(md: str) -> str:
    """Markdown-escaped text (app.ui.text.esc) as the reader sees it."""
    return re.sub(r"\\(.)", r"\1", md)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

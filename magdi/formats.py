"""Reading and writing discussions: the canonical JSONL format and the MAGDi release format.

Every reader yields `(location, Discussion)` pairs and raises `FormatError` with
`file:line: reason` (the JSONL line number, or the item index of a JSON array) on the first
problem, so a caller can reject a whole file before touching the store.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

from magdi.mag import Discussion, MAGError, Turn

Format = Literal["jsonl", "magdi"]
_LABELS = ("correct", "incorrect")
_SOURCES = ("auto", "human")
_TOP_KEYS = {"id", "task", "question", "options", "gold_answer", "turns", "dataset", "meta"}
_TURN_KEYS = {
    "agent",
    "round",
    "reasoning",
    "answer",
    "confidence",
    "responds_to",
    "label",
    "label_source",
    "excluded",
}
_MAGDI_OUTPUT = re.compile(r"^(.+)_output_([0-9]+)\Z", re.DOTALL)
_TOO_DEEP = "malformed JSON: nested too deeply"
# Task names recognised in a file name when a MAGDi file does not say its task.
_TASK_HINTS = ("strategyqa", "boolq", "gsm8k", "svamp", "ecqa", "commonsenseqa", "aqua", "arc", "math")


class FormatError(ValueError):
    def __init__(self, path: str | Path, line: int, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{path}:{line}: {reason}")


# ---------------------------------------------------------------- value checks


def _text(obj: dict, key: str, where: str, *, numbers_ok: bool = False) -> str:
    if key not in obj:
        raise MAGError(f"{where}missing field {key!r}")
    value = obj[key]
    if isinstance(value, str):
        return value
    if numbers_ok and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise MAGError(f"{where}field {key!r} must be a string, got {type(value).__name__}")


def _round(value: Any, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise MAGError(f"{where}round must be a non-negative integer, got {value!r}")
    if value < 0:
        raise MAGError(f"{where}round must be a non-negative integer, got {value}")
    return value


def parse_confidence(value: Any, where: str = "", *, lenient: bool = False) -> float | None:
    """A confidence in [0, 1]. `lenient` also reads strings such as "0.9" and "90%"."""
    if value is None or (lenient and value == ""):
        return None
    if lenient and isinstance(value, str):
        text = value.strip()
        try:
            value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            raise MAGError(f"{where}confidence {text!r} is not a number") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MAGError(f"{where}confidence must be a number in [0, 1], got {value!r}")
    if math.isnan(value) or not 0.0 <= value <= 1.0:
        raise MAGError(f"{where}confidence {value} is outside [0, 1]")
    return float(value)


def _options(value: Any) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(o, str) for o in value):
        raise MAGError("options must be a list of strings")
    return value


def _label_fields(obj: dict, where: str) -> tuple[str | None, str | None, bool]:
    label, source = obj.get("label"), obj.get("label_source")
    if label is not None and label not in _LABELS:
        raise MAGError(f"{where}label must be 'correct' or 'incorrect', got {label!r}")
    if source is not None and source not in _SOURCES:
        raise MAGError(f"{where}label_source must be 'auto' or 'human', got {source!r}")
    if source == "human" and label is None:
        raise MAGError(f"{where}label_source 'human' needs a label")
    excluded = obj.get("excluded", False)
    if not isinstance(excluded, bool):
        raise MAGError(f"{where}excluded must be true or false")
    return label, source, excluded


def _responds_to(value: Any, where: str) -> list[tuple[str, int]] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise MAGError(f"{where}responds_to must be a list of [agent, round] pairs")
    out = []
    for pair in value:
        if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
            raise MAGError(f"{where}responds_to entries must be [agent, round], got {pair!r}")
        out.append((pair[0], _round(pair[1], where)))
    return out


def _agent(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MAGError(f"{where}agent must be a non-empty string, got {value!r}")
    return value


# ---------------------------------------------------------------- JSONL


def discussion_from_dict(obj: Any) -> tuple[Discussion, str | None]:
    """One canonical JSONL object -> (Discussion, its optional dataset name)."""
    if not isinstance(obj, dict):
        raise MAGError(f"expected a JSON object, got {type(obj).__name__}")
    if not obj.keys() <= _TOP_KEYS:
        raise MAGError(f"unknown field(s): {', '.join(sorted(set(obj) - _TOP_KEYS))}")
    turns_raw = obj.get("turns")
    if not isinstance(turns_raw, list) or not turns_raw:
        raise MAGError("field 'turns' must be a non-empty list")
    turns = [_turn_from_dict(raw, i) for i, raw in enumerate(turns_raw)]
    meta = obj.get("meta", {})
    if not isinstance(meta, dict):
        raise MAGError("meta must be an object")
    dataset = obj.get("dataset")
    if dataset is not None and not isinstance(dataset, str):
        raise MAGError("dataset must be a string")
    d = Discussion(
        id=_text(obj, "id", "", numbers_ok=True),
        task=_text(obj, "task", ""),
        question=_text(obj, "question", ""),
        gold_answer=_text(obj, "gold_answer", "", numbers_ok=True),
        turns=turns,
        options=_options(obj.get("options")),
        meta=meta,
    )
    d.validate()
    return d, dataset


def _turn_from_dict(raw: Any, i: int) -> Turn:
    where = f"turn {i}: "
    if not isinstance(raw, dict):
        raise MAGError(f"{where}expected an object")
    if not raw.keys() <= _TURN_KEYS:
        raise MAGError(f"{where}unknown field(s): {', '.join(sorted(set(raw) - _TURN_KEYS))}")
    if "round" not in raw:
        raise MAGError(f"{where}missing field 'round'")
    label, source, excluded = _label_fields(raw, where)
    return Turn(
        _agent(raw.get("agent"), where),
        _round(raw["round"], where),
        _text(raw, "reasoning", where),
        _text(raw, "answer", where, numbers_ok=True),
        parse_confidence(raw.get("confidence"), where),
        _responds_to(raw.get("responds_to"), where),
        label,
        source,
        excluded,
    )


def discussion_to_dict(d: Discussion, dataset: str | None = None) -> dict:
    out: dict[str, Any] = {"id": d.id}
    if dataset is not None:
        out["dataset"] = dataset
    out.update(task=d.task, question=d.question)
    if d.options is not None:
        out["options"] = d.options
    out["gold_answer"] = d.gold_answer
    out["turns"] = [_turn_to_dict(t) for t in d.turns]
    if d.meta:
        out["meta"] = d.meta
    return out


def _turn_to_dict(t: Turn) -> dict:
    out: dict[str, Any] = {"agent": t.agent, "round": t.round, "reasoning": t.reasoning, "answer": t.answer}
    if t.confidence is not None:
        out["confidence"] = t.confidence
    return out | _turn_extras(t)


def _turn_extras(t: Turn) -> dict[str, Any]:
    """The optional turn fields both formats write the same way."""
    out: dict[str, Any] = {}
    if t.responds_to is not None:
        out["responds_to"] = [list(k) for k in t.responds_to]
    if t.label is not None:
        out["label"] = t.label
        out["label_source"] = t.label_source or "auto"
    if t.excluded:
        out["excluded"] = True
    return out


def parse_jsonl_line(path: str | Path, lineno: int, line: str) -> tuple[Discussion, str | None]:
    """One line of a discussion JSONL file -> (discussion, dataset name or None)."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise FormatError(path, lineno, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise FormatError(path, lineno, _TOO_DEEP) from None
    try:
        return discussion_from_dict(obj)
    except MAGError as exc:
        raise FormatError(path, lineno, str(exc)) from None


def jsonl_lines(path: str | Path, lines: Iterable[bytes], first: int = 1) -> Iterator[tuple[int, str]]:
    """(line number, text) of the non-blank lines; lines end at "\n" and must be UTF-8."""
    for lineno, raw in enumerate(lines, start=first):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FormatError(path, lineno, f"invalid UTF-8 at byte {exc.start + 1}") from None
        if line.strip():
            yield lineno, line


def read_jsonl(path: str | Path) -> Iterator[tuple[int, Discussion, str | None]]:
    """Yield (line number, discussion, dataset name from the line or None)."""
    with open(path, "rb") as fh:
        for lineno, line in jsonl_lines(path, fh):
            yield lineno, *parse_jsonl_line(path, lineno, line)


def write_jsonl(items: Iterable[tuple[Discussion, str | None]], fh: IO[str]) -> int:
    n = 0
    for d, dataset in items:
        fh.write(json.dumps(discussion_to_dict(d, dataset), ensure_ascii=False) + "\n")
        n += 1
    return n


# ---------------------------------------------------------------- MAGDi release format


def guess_task(path: str | Path) -> str:
    name = Path(path).name.lower()
    return next((t for t in _TASK_HINTS if t in name), "unknown")


def discussion_from_magdi(item: Any, index: int, default_task: str) -> Discussion:
    if not isinstance(item, dict):
        raise MAGError(f"expected an object, got {type(item).__name__}")
    turns = []
    for key, raw in item.items():
        m = _MAGDI_OUTPUT.match(key)
        if not m:
            continue
        where = f"{key}: "
        if not isinstance(raw, dict):
            raise MAGError(f"{where}expected an object with reasoning and answer")
        label, source, excluded = _label_fields(raw, where)
        turns.append(
            Turn(
                agent=m.group(1),
                round=int(m.group(2)),
                reasoning=_text(raw, "reasoning", where),
                answer=_text(raw, "answer", where, numbers_ok=True),
                confidence=parse_confidence(raw.get("confidence_level"), where, lenient=True),
                responds_to=_responds_to(raw.get("responds_to"), where),
                label=label,
                label_source=source,
                excluded=excluded,
            )
        )
    if not turns:
        raise MAGError("no <agent>_output_<round> entries")
    turns.sort(key=lambda t: t.round)
    task = item.get("task", default_task)
    if not isinstance(task, str):
        raise MAGError("task must be a string")
    d = Discussion(
        id=_text(item, "id", "", numbers_ok=True) if "id" in item else str(index),
        task=task,
        question=_text(item, "question", ""),
        gold_answer=_text(item, "gold_answer", "", numbers_ok=True),
        turns=turns,
        options=_options(item.get("options")),
    )
    d.validate()
    return d


def discussion_to_magdi(d: Discussion) -> dict:
    out: dict[str, Any] = {"id": d.id, "task": d.task, "question": d.question}
    if d.options is not None:
        out["options"] = d.options
    out["gold_answer"] = d.gold_answer
    for t in d.turns:
        entry: dict[str, Any] = {"reasoning": t.reasoning, "answer": t.answer}
        if t.confidence is not None:
            entry["confidence_level"] = t.confidence
        out[f"{t.agent}_output_{t.round}"] = entry | _turn_extras(t)
    return out


def read_magdi(path: str | Path, task: str | None = None) -> Iterator[tuple[int, Discussion, None]]:
    """Yield (item index, discussion, None) from a MAGDi release JSON array."""
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        items = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        raise FormatError(
            path, data.count(b"\n", 0, exc.start) + 1, f"invalid UTF-8 at byte {exc.start - line_start + 1}"
        ) from None
    except json.JSONDecodeError as exc:
        raise FormatError(path, exc.lineno, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    except RecursionError:
        raise FormatError(path, 1, _TOO_DEEP) from None
    if not isinstance(items, list):
        raise FormatError(path, 1, "a MAGDi file must be a JSON array of discussions")
    default_task = task or guess_task(path)
    for index, item in enumerate(items):
        try:
            yield index, discussion_from_magdi(item, index, default_task), None
        except MAGError as exc:
            raise FormatError(path, index, str(exc)) from None


def write_magdi(items: Iterable[Discussion], fh: IO[str]) -> int:
    data = [discussion_to_magdi(d) for d in items]
    json.dump(data, fh, ensure_ascii=False, indent=1)
    return len(data)


def detect_format(path: str | Path) -> Format:
    """`magdi` when the file starts with a JSON array, else `jsonl`."""
    with open(path, "rb") as fh:
        head = fh.read(4096).lstrip()
    return "magdi" if head.startswith(b"[") else "jsonl"


def read_discussions(
    path: str | Path, fmt: Format | Literal["auto"] = "auto", task: str | None = None
) -> Iterator[tuple[int, Discussion, str | None]]:
    fmt = detect_format(path) if fmt == "auto" else fmt
    return read_magdi(path, task) if fmt == "magdi" else read_jsonl(path)

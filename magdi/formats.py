"""Reading and writing discussions: the canonical JSONL format and the MAGDi release format.

Every reader yields `(line, Discussion)` pairs and raises `FormatError` with `file:line: reason`
(the JSONL line, or the line where an item of a JSON array starts) on the first problem, so a
caller can reject a whole file before touching the store.

The JSON is read strictly (RFC 8259): NaN and Infinity, duplicate keys in an object, lone
surrogates and NUL characters are errors, not silent changes. Numbers are kept as the file spells
them (`_Number`) until a field decides what they mean: ids and answers keep the spelling ("255.0"
stays "255.0", a 5,000-digit answer stays whole), rounds and confidences are range-checked.
"""

from __future__ import annotations

import csv
import difflib
import io
import json
import math
import pickle
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any, Literal

from magdi.mag import MAX_ROUND, Discussion, MAGError, Turn

Format = Literal["jsonl", "magdi", "reconcile"]
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
    "responses",  # every annotator's response, written by an export that asks for them; ignored on import
}
_MAGDI_OUTPUT = re.compile(r"^(.+)_output_([0-9]+)\Z", re.DOTALL)
# The keys the MAGDi format knows; other keys are ignored, except ones that nearly match these.
_MAGDI_TOP_KEYS = ("id", "task", "question", "options", "gold_answer")
_MAGDI_TURN_KEYS = (
    "reasoning",
    "answer",
    "raw_answer",
    "confidence_level",
    "responds_to",
    "label",
    "label_source",
    "excluded",
)
_TOO_DEEP = "malformed JSON: nested too deeply"
_INTEGER = re.compile(r"-?[0-9]+")
_MAX_DIGITS = 4300  # Python's limit for int() of a string; longer integers in `meta` are refused
# Only a \u escape can put a surrogate or a NUL into a decoded string: look closer only then.
_SUSPECT_ESCAPE = re.compile(r"\\u(?:[dD][89a-fA-F]|0000)")
_BAD_CHAR = re.compile("[\ud800-\udfff\x00]")
_WHITESPACE = re.compile(r"[ \t\n\r]*")
# Task names recognised in a file name when a MAGDi file does not say its task.
_TASK_HINTS = ("strategyqa", "boolq", "gsm8k", "svamp", "ecqa", "commonsenseqa", "aqua", "arc", "math")


class FormatError(ValueError):
    """`FILE:LINE: reason`; `FILE: reason` for a file without lines (a pickle: `line` is None)."""

    def __init__(self, path: str | Path, line: int | None, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        super().__init__(f"{path}: {reason}" if line is None else f"{path}:{line}: {reason}")


# ---------------------------------------------------------------- strict JSON


class _Number:
    """A JSON number as the file spells it; the field it is in converts it (see module doc)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return self.text


class _Invalid(ValueError):
    """What the strict decoder's hooks refuse; the reader adds the file and line."""


def _object(pairs: list[tuple[str, Any]]) -> dict:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _Invalid(f"duplicate key {_show(dup)} in one object")
    return obj


def _constant(name: str) -> Any:
    raise _Invalid(f"{name} is not a JSON value (RFC 8259); write a number or null")


_DECODER = json.JSONDecoder(
    object_pairs_hook=_object, parse_int=_Number, parse_float=_Number, parse_constant=_constant
)


def _show(value: Any, limit: int = 40) -> str:
    """repr() of a value, cut short: error messages must stay readable for 5,000-digit numbers."""
    text = value.text if isinstance(value, _Number) else repr(value)
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text):,} characters)"


def _key(key: str) -> str:
    """A key as an error message shows it: as written, or its repr() when not printable."""
    return key if key.isprintable() else repr(key)


def _kind(value: Any) -> str:
    return "number" if isinstance(value, _Number) else type(value).__name__


def _check_chars(obj: Any) -> None:
    """Raise _Invalid for a lone surrogate or a NUL in any string, keys included: UTF-8 cannot
    encode the one and PostgreSQL cannot store the other."""
    stack: list[tuple[str, Any]] = [("", obj)]
    while stack:
        where, value = stack.pop()
        if isinstance(value, dict):
            stack.extend((f"{where}{_key(k)}.", k) for k in value)
            stack.extend((f"{where}{_key(k)}.", v) for k, v in value.items())
        elif isinstance(value, list):
            stack.extend((f"{where}{i}.", v) for i, v in enumerate(value))
        elif isinstance(value, str) and (bad := _BAD_CHAR.search(value)):
            what = "a NUL character" if bad[0] == "\x00" else f"a lone surrogate \\u{ord(bad[0]):04x}"
            raise _Invalid(f"{where.rstrip('.') or 'value'}: {what} is not allowed in text")


def _decode(text: str, start: int = 0) -> tuple[Any, int]:
    """One strict JSON value at `start` -> (value, end). Raises JSONDecodeError, _Invalid, RecursionError."""
    value, end = _DECODER.raw_decode(text, start)
    if _SUSPECT_ESCAPE.search(text, start, end):
        _check_chars(value)
    return value, end


def _plain(value: Any, where: str) -> Any:
    """A `meta` value with its numbers as int or float; refuses those Python cannot hold."""
    if isinstance(value, dict):
        return {k: _plain(v, f"{where}.{_key(k)}") for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if not isinstance(value, _Number):
        return value
    if _INTEGER.fullmatch(value.text):
        if len(value.text.lstrip("-")) > _MAX_DIGITS:
            raise MAGError(f"{where}: an integer of more than {_MAX_DIGITS:,} digits ({_show(value)})")
        return int(value.text)
    number = float(value.text)
    if not math.isfinite(number):
        raise MAGError(f"{where}: the number {_show(value)} is out of range")
    return number


# ---------------------------------------------------------------- value checks


def _text(obj: dict, key: str, where: str, *, numbers_ok: bool = False) -> str:
    """A text field; with `numbers_ok` a number is read as text, spelled as in the file."""
    if key not in obj:
        raise MAGError(f"{where}missing field {key!r}")
    value = obj[key]
    if isinstance(value, str):
        return value
    if numbers_ok and isinstance(value, _Number):
        return value.text
    if numbers_ok and isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    raise MAGError(f"{where}field {key!r} must be a string, got {_kind(value)}")


def _round(value: Any, where: str) -> int:
    if type(value) is _Number and value.text.isdigit() and len(value.text) <= 4:  # ASCII: JSON digits
        value = int(value.text)
    if type(value) is int and 0 <= value <= MAX_ROUND:
        return value
    raise MAGError(f"{where}round must be an integer from 0 to {MAX_ROUND}, got {_show(value)}")


def parse_confidence(value: Any, where: str = "", *, lenient: bool = False) -> float | None:
    """A confidence in [0, 1]. `lenient` also reads strings such as "0.9" and "90%"."""
    if value is None or (lenient and value == ""):
        return None
    shown = value
    if type(value) is _Number:
        value = float(value.text)  # 1e400 and 5,000 digits become inf, refused below
    elif lenient and isinstance(value, str):
        text = value.strip()
        try:
            value = float(text[:-1]) / 100 if text.endswith("%") else float(text)
        except ValueError:
            raise MAGError(f"{where}confidence {text!r} is not a number") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise MAGError(f"{where}confidence must be a number in [0, 1], got {_show(shown)}")
    if not 0.0 <= value <= 1.0:  # NaN too
        raise MAGError(f"{where}confidence {_show(shown)} is outside [0, 1]")
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
        raise MAGError(f"{where}label must be 'correct' or 'incorrect', got {_show(label)}")
    if source is not None and source not in _SOURCES:
        raise MAGError(f"{where}label_source must be 'auto' or 'human', got {_show(source)}")
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
            raise MAGError(f"{where}responds_to entries must be [agent, round], got {_show(pair)}")
        out.append((pair[0], _round(pair[1], where)))
    return out


def _agent(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise MAGError(f"{where}agent must be a non-empty string, got {_show(value)}")
    return value


# ---------------------------------------------------------------- JSONL


def discussion_from_dict(obj: Any) -> tuple[Discussion, str | None]:
    """One canonical JSONL object -> (Discussion, its optional dataset name)."""
    if not isinstance(obj, dict):
        raise MAGError(f"expected a JSON object, got {_kind(obj)}")
    if not obj.keys() <= _TOP_KEYS:
        raise MAGError(f"unknown field(s): {', '.join(map(_key, sorted(set(obj) - _TOP_KEYS)))}")
    turns_raw = obj.get("turns")
    if not isinstance(turns_raw, list) or not turns_raw:
        raise MAGError("field 'turns' must be a non-empty list")
    turns = [_turn_from_dict(raw, i) for i, raw in enumerate(turns_raw)]
    meta = _plain(obj.get("meta", {}), "meta")
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
        raise MAGError(f"{where}unknown field(s): {', '.join(map(_key, sorted(set(raw) - _TURN_KEYS)))}")
    if "round" not in raw:
        raise MAGError(f"{where}missing field 'round'")
    if not isinstance(raw.get("responses", []), list):
        raise MAGError(f"{where}responses must be a list")
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
        start = _WHITESPACE.match(line).end()  # type: ignore[union-attr]
        obj, end = _decode(line, start)
        if line[end:].strip(" \t\n\r"):
            raise json.JSONDecodeError("Extra data", line, end)
        return discussion_from_dict(obj)
    except json.JSONDecodeError as exc:
        raise FormatError(path, lineno, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
    except (_Invalid, MAGError) as exc:
        raise FormatError(path, lineno, str(exc)) from None
    except RecursionError:
        raise FormatError(path, lineno, _TOO_DEEP) from None


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


def _strict_dumps(obj: Any, fh: IO[str], line: int, d: Discussion, indent: int | None = None) -> str:
    """JSON that any reader accepts: NaN or Infinity (say in `meta`) is an error, not bare `NaN`."""
    try:
        return json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=indent)
    except ValueError as exc:
        raise FormatError(getattr(fh, "name", "<export>"), line, f"discussion {d.id!r}: {exc}") from None


def write_jsonl(
    items: Iterable[tuple[Discussion, str | None]],
    fh: IO[str],
    *,
    turn_responses: Callable[[Discussion, str | None], list[list[dict]]] | None = None,
) -> int:
    """One discussion a line; with `turn_responses` (a list per turn), each turn gets its "responses"."""
    n = 0
    for d, dataset in items:
        record = discussion_to_dict(d, dataset)
        if turn_responses is not None:
            for t, found in zip(record["turns"], turn_responses(d, dataset)):
                t["responses"] = found
        fh.write(_strict_dumps(record, fh, n + 1, d) + "\n")
        n += 1
    return n


# ---------------------------------------------------------------- MAGDi release format


def guess_task(path: str | Path) -> str:
    name = Path(path).name.lower()
    return next((t for t in _TASK_HINTS if t in name), "unknown")


def _near_miss(key: str, known: Iterable[str]) -> str | None:
    """The known key that an unknown `key` probably means (spacing, case, a typo, a shortening)."""
    folded = re.sub(r"[\s-]+", "_", key.strip()).casefold()
    if m := _MAGDI_OUTPUT.match(folded):
        return f"{m[1]}_output_{m[2]}"
    if close := difflib.get_close_matches(folded, known, n=1, cutoff=0.75):
        return close[0]
    return next((k for k in known if len(folded) >= 4 and k.startswith(folded)), None)


def _refuse_near_misses(obj: dict, known: tuple[str, ...], where: str) -> None:
    """MAGDi readers ignore keys they do not know; one that nearly matches a known key is an error,
    since ignoring it would drop data without a word ("claude_output_5 ", "confidence")."""
    for key in obj:
        if key in known or (not where and _MAGDI_OUTPUT.match(key)):
            continue
        meant = _near_miss(key, known)
        if meant is None and not where and "output" in key.casefold():
            raise MAGError(f"key {_show(key)} looks like a turn but is not <agent>_output_<round>")
        if meant is not None:
            raise MAGError(f"{where}unknown key {_show(key)}; did you mean {meant!r}?")


def discussion_from_magdi(item: Any, index: int, default_task: str) -> Discussion:
    if not isinstance(item, dict):
        raise MAGError(f"expected an object, got {_kind(item)}")
    _refuse_near_misses(item, _MAGDI_TOP_KEYS, "")
    turns = []
    for key, raw in item.items():
        m = _MAGDI_OUTPUT.match(key)
        if not m:
            continue
        where = f"{_key(key)}: " if len(key) <= 60 else f"{_show(key)}: "
        if not isinstance(raw, dict):
            raise MAGError(f"{where}expected an object with reasoning and answer")
        _refuse_near_misses(raw, _MAGDI_TURN_KEYS, where)
        label, source, excluded = _label_fields(raw, where)
        turns.append(
            Turn(
                agent=_agent(m.group(1), where),
                round=_round(_Number(m.group(2)), where),
                reasoning=_text(raw, "reasoning", where),
                # a reference export (see `discussion_to_magdi`) keeps the turn's own answer here
                answer=_text(raw, "raw_answer" if "raw_answer" in raw else "answer", where, numbers_ok=True),
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


# What a reference export writes as `answer` for a turn labelled incorrect whose own answer is
# spelled exactly as the gold answer (a human correction): anything but the gold answer.
MARKED_INCORRECT = " (marked incorrect)"


def reference_answer(t: Turn, gold_answer: str) -> str:
    """The `answer` that makes the MAGDi reference loader's test `answer == gold_answer`
    (dinobby/MAGDi utils.py, generate_ordered_list) give the turn's effective label: the gold answer
    when the label is correct, the turn's answer (marked when it equals the gold answer) when it is
    incorrect, the turn's answer when it has no label."""
    if t.label == "correct":
        return gold_answer
    if t.label == "incorrect" and t.answer == gold_answer:
        return t.answer + MARKED_INCORRECT
    return t.answer


def discussion_to_magdi(d: Discussion, *, for_reference: bool = False) -> dict:
    """One MAGDi item. `for_reference`: `answer` is `reference_answer` and `raw_answer` the turn's
    own answer, which our reader takes back as the answer."""
    out: dict[str, Any] = {"id": d.id, "task": d.task, "question": d.question}
    if d.options is not None:
        out["options"] = d.options
    out["gold_answer"] = d.gold_answer
    for t in d.turns:
        entry: dict[str, Any] = {"reasoning": t.reasoning, "answer": t.answer}
        if for_reference:
            entry = {
                "reasoning": t.reasoning,
                "answer": reference_answer(t, d.gold_answer),
                "raw_answer": t.answer,
            }
        if t.confidence is not None:
            entry["confidence_level"] = t.confidence
        out[f"{t.agent}_output_{t.round}"] = entry | _turn_extras(t)
    return out


def read_magdi(path: str | Path, task: str | None = None) -> Iterator[tuple[int, Discussion, None]]:
    """Yield (line where the item starts, discussion, None) from a MAGDi release JSON array.

    Items are decoded one by one, so an error names the line of its item and the item's index.
    """
    with open(path, "rb") as fh:
        data = fh.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        raise FormatError(
            path, data.count(b"\n", 0, exc.start) + 1, f"invalid UTF-8 at byte {exc.start - line_start + 1}"
        ) from None
    default_task = task or guess_task(path)
    for index, line, item in _array_items(path, text):
        try:
            yield line, discussion_from_magdi(item, index, default_task), None
        except MAGError as exc:
            raise FormatError(path, line, f"item {index}: {exc}") from None


def _array_items(path: str | Path, text: str) -> Iterator[tuple[int, int, Any]]:
    """(index, line, value) of each item of the JSON array that is the whole of `text`."""

    def fail(pos: int, reason: str) -> FormatError:
        line = text.count("\n", 0, pos) + 1
        return FormatError(path, line, f"{reason} (column {pos - text.rfind(chr(10), 0, pos)})")

    pos = _WHITESPACE.match(text).end()  # type: ignore[union-attr]
    if not text.startswith("[", pos):
        raise FormatError(
            path, text.count("\n", 0, pos) + 1, "a MAGDi file must be a JSON array of discussions"
        )
    pos = _WHITESPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
    index, line, counted = 0, 1, 0
    while not (index == 0 and text.startswith("]", pos)):
        line, counted = line + text.count("\n", counted, pos), pos
        try:
            item, end = _decode(text, pos)
        except json.JSONDecodeError as exc:
            raise FormatError(path, exc.lineno, f"malformed JSON: {exc.msg} (column {exc.colno})") from None
        except _Invalid as exc:
            raise FormatError(path, line, f"item {index}: {exc}") from None
        except RecursionError:
            raise FormatError(path, line, f"item {index}: {_TOO_DEEP}") from None
        yield index, line, item
        pos = _WHITESPACE.match(text, end).end()  # type: ignore[union-attr]
        if text.startswith("]", pos):
            break
        if not text.startswith(",", pos):
            raise fail(pos, "malformed JSON: Expecting ',' delimiter")
        pos, index = _WHITESPACE.match(text, pos + 1).end(), index + 1  # type: ignore[union-attr]
    end = _WHITESPACE.match(text, pos + 1).end()  # type: ignore[union-attr]
    if end != len(text):
        raise fail(end, "malformed JSON: Extra data")


def write_magdi(items: Iterable[Discussion], fh: IO[str], *, for_reference: bool = False) -> int:
    """The layout of `json.dump(items, indent=1)`, written item by item so that an error names the line.
    `for_reference`: see `discussion_to_magdi`."""
    n, line = 0, 2
    fh.write("[")
    for d in items:
        item = discussion_to_magdi(d, for_reference=for_reference)
        text = "\n".join(" " + row for row in _strict_dumps(item, fh, line, d, 1).split("\n"))
        fh.write((",\n" if n else "\n") + text)
        n, line = n + 1, line + text.count("\n") + 1
    fh.write("\n]" if n else "]")
    return n


# ---------------------------------------------------------------- ReConcile run pickles

# ReConcile's dataset names (its run.py --dataset) -> our task names.
_RECONCILE_TASKS = {"sqa": "strategyqa", "gsm8k": "gsm8k", "ecqa": "ecqa", "aqua": "aqua"}
_PLAIN_TYPES = (str, int, float, bool, type(None))


class _PlainUnpickler(pickle.Unpickler):
    """Admits no class or function at all: a pickle of lists, dicts, tuples, strings and numbers
    loads; any other object (and with it every `__reduce__` payload) is refused before it is built."""

    def find_class(self, module: str, name: str) -> Any:
        hint = (
            " (numpy strings: convert them with str() before pickling)" if module.startswith("numpy") else ""
        )
        raise _Invalid(
            f"refused: the pickle needs {module}.{name}; only lists, dicts, strings and numbers are"
            f" admitted{hint}"
        )

    def persistent_load(self, pid: Any) -> Any:
        raise _Invalid("refused: the pickle refers to persistent objects")


def _check_plain(obj: Any) -> None:
    """Raise _Invalid unless `obj` holds only lists, tuples, dicts with string keys, strings (no NUL,
    no lone surrogate) and numbers; bytes and sets are refused too. A pickle can share one object
    many times (ReConcile's runs do): each object is checked once, so sharing costs nothing."""
    stack, seen = [obj], set()
    while stack:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, dict):
            for key in value:
                if not isinstance(key, str):
                    raise _Invalid(f"refused: a dict key of type {type(key).__name__} ({_show(key)})")
            stack.extend(value)
            stack.extend(value.values())
        elif isinstance(value, (list, tuple)):
            stack.extend(value)
        elif type(value) not in _PLAIN_TYPES:
            raise _Invalid(f"refused: a value of type {type(value).__name__}; only plain data is admitted")
        elif isinstance(value, str) and (bad := _BAD_CHAR.search(value)):
            what = "a NUL character" if bad[0] == "\x00" else f"a lone surrogate \\u{ord(bad[0]):04x}"
            raise _Invalid(f"refused: {what} in {_show(value)}")


def load_plain_pickle(path: str | Path) -> Any:
    """The object in a pickle file if it is plain data (`_PlainUnpickler`, `_check_plain`);
    else FormatError(path, None, reason). Nothing in the file is ever called."""
    with open(path, "rb") as fh:
        try:
            obj = _PlainUnpickler(fh).load()
            if fh.read(1):
                raise _Invalid("refused: data after the end of the pickle")
            _check_plain(obj)
        except _Invalid as exc:
            raise FormatError(path, None, str(exc)) from None
        except Exception as exc:  # a damaged or hostile stream: whatever the unpickler raised
            raise FormatError(path, None, f"not a readable pickle ({type(exc).__name__}: {exc})") from None
    return obj


def read_questions(path: str | Path) -> list[dict]:
    """The questions a ReConcile run was made on, in order: ReConcile's own files (a JSON array such as
    SQA's dev.json, JSON lines such as GSM8k's test.jsonl or Aqua's test.json, ECQA's CSV with
    q_text and q_op1..q_op5) or any of these with `question`, optional `options` and `id`/`qid`.
    Returns dicts with `id`, `question` and `options` (None when absent)."""
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FormatError(path, data.count(b"\n", 0, exc.start) + 1, "invalid UTF-8") from None
    if Path(path).suffix.lower() == ".csv":
        try:
            rows = [(i + 2, row) for i, row in enumerate(csv.DictReader(io.StringIO(text)))]
        except csv.Error as exc:
            raise FormatError(path, None, f"not a readable CSV file ({exc})") from None
    elif text.lstrip().startswith("["):
        rows = [(line, item) for _, line, item in _array_items(path, text)]
    else:
        rows = []
        for lineno, line in enumerate(text.split("\n"), start=1):
            if line.strip():
                try:
                    rows.append((lineno, _decode(line.strip())[0]))
                except json.JSONDecodeError as exc:
                    raise FormatError(
                        path, lineno, f"malformed JSON: {exc.msg} (column {exc.colno})"
                    ) from None
                except _Invalid as exc:
                    raise FormatError(path, lineno, str(exc)) from None
                except RecursionError:
                    raise FormatError(path, lineno, _TOO_DEEP) from None
    return [_question(path, line, i, row) for i, (line, row) in enumerate(rows)]


def _question(path: str | Path, line: int, index: int, row: Any) -> dict:
    if not isinstance(row, dict):
        raise FormatError(path, line, f"question {index}: expected an object, got {_kind(row)}")
    try:
        _check_chars(row)  # a CSV cell can hold a NUL
    except _Invalid as exc:
        raise FormatError(path, line, f"question {index}: {exc}") from None
    key = "question" if "question" in row else "q_text" if "q_text" in row else None
    if key is None or not isinstance(row[key], str) or not row[key].strip():
        raise FormatError(path, line, f"question {index}: no 'question' text (or ECQA's q_text)")
    options = row.get("options")
    if options is None and "q_op1" in row:
        options = [row[f"q_op{k}"] for k in range(1, 6) if row.get(f"q_op{k}")]
    qid = row.get("id", row.get("qid", str(index)))
    try:
        return {
            "id": qid.text if isinstance(qid, _Number) else qid,
            "question": row[key],
            "options": _options(options),
        }
    except MAGError as exc:
        raise FormatError(path, line, f"question {index}: {exc}") from None


def read_reconcile(
    path: str | Path, questions: str | Path, task: str | None = None
) -> Iterator[tuple[int, Discussion, None]]:
    """Yield (item number from 1, discussion, None) from a ReConcile run pickle
    (`{dataset}_round_{r}.pkl`: a list of dicts with `gold_answer` and `<agent>_output_<round>` objects,
    made by ReConcile's run.py) and the question file it was run on (item i is question i; see
    `read_questions`). The pickle is read by `load_plain_pickle`: nothing in it is executed. Its other
    keys (votes, debate prompts, `<agent>_pred_<r>`) are derived and ignored."""
    run = load_plain_pickle(path)
    if not isinstance(run, list) or not run:
        raise FormatError(path, None, "a ReConcile run must be a non-empty list of dicts")
    qs = read_questions(questions)
    if len(run) > len(qs):
        raise FormatError(path, None, f"{len(run)} items but {questions} holds only {len(qs)} questions")
    stem = Path(path).name.split("_round_")[0].lower()
    default_task = task or _RECONCILE_TASKS.get(stem) or guess_task(path)
    for index, (item, q) in enumerate(zip(run, qs)):
        try:
            if not isinstance(item, dict) or "gold_answer" not in item:
                raise MAGError("expected a dict with gold_answer and <agent>_output_<round> entries")
            outputs = {k: v for k, v in item.items() if _MAGDI_OUTPUT.match(k)}
            magdi = {
                "id": q["id"],
                "task": default_task,
                "question": q["question"],
                "gold_answer": item["gold_answer"],
            }
            if q["options"] is not None:
                magdi["options"] = q["options"]
            yield index + 1, discussion_from_magdi(magdi | outputs, index, default_task), None
        except MAGError as exc:
            raise FormatError(path, None, f"item {index}: {exc}") from None


def detect_format(path: str | Path) -> Format:
    """`reconcile` for a pickle (protocol 2 and later start with 0x80), `magdi` when the file starts
    with a JSON array, else `jsonl`."""
    with open(path, "rb") as fh:
        head = fh.read(4096)
    if head.startswith(b"\x80"):
        return "reconcile"
    return "magdi" if head.lstrip().startswith(b"[") else "jsonl"


def read_discussions(
    path: str | Path,
    fmt: Format | Literal["auto"] = "auto",
    task: str | None = None,
    questions: str | Path | None = None,
) -> Iterator[tuple[int, Discussion, str | None]]:
    """`questions`: the question file of a ReConcile pickle (`read_reconcile`), for that format only."""
    fmt = detect_format(path) if fmt == "auto" else fmt
    if questions is not None and fmt != "reconcile":
        raise FormatError(path, None, f"a question file goes with a ReConcile run pickle, not a {fmt} file")
    if fmt == "reconcile":
        if questions is None:
            raise FormatError(path, None, "a ReConcile run pickle needs the question file it was run on")
        return read_reconcile(path, questions, task)
    return read_magdi(path, task) if fmt == "magdi" else read_jsonl(path)

"""Benchmark question files, read in the formats their authors publish them.

    questions = read_questions("../shared/datasets/gsm8k/test.jsonl", limit=50)

- `strategyqa`: a JSON array of {qid, question, answer (bool)}; gold "yes" / "no".
- `gsm8k`: JSON lines {question, answer}; gold: the number after the last "####", commas removed.
- `ecqa`: CSV with q_no, q_text, q_op1..q_op5, q_ans (the right option's text); gold: its number.
- `aqua`: JSON lines {question, options ["A)…"], correct}; gold: the letter.
- `arc`: JSON lines {id, question {stem, choices [{text, label}]}, answerKey}; gold: the letter of
  the answer's position (labels "1".."4" too).
- `math`: JSON {problem, solution}: one object per file (a folder of them, as published), a list or
  JSON lines; gold: the solution's last \\boxed{}.
- `questions`: our JSON lines {id, task, question, options, gold_answer} (a discussion JSONL reads
  as its questions).

`fmt="auto"` tells them apart by the first record's fields (a `.csv` is ECQA, a folder MATH). Every
error reads `file:line: reason`: the line where the record starts, or for invalid JSON the line of
the error (in JSON lines, the broken record's). A reason names fields and formats, never a value
or an unexpected field of the file (a server reads files that its users may not see).
CommonsenseQA's own JSONL has ARC's shape and reads with task `commonsenseqa`.
"""

from __future__ import annotations

import csv
import json
import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any, Literal, get_args

from magdi.answers import _last_boxed  # the MATH gold is read exactly as MATH answers are
from magdi.formats import FormatError

Format = Literal["questions", "strategyqa", "gsm8k", "ecqa", "aqua", "arc", "math"]
FORMATS: tuple[str, ...] = get_args(Format)
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class Question:
    id: str
    task: str
    question: str
    options: list[str] | None
    gold_answer: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class _Bad(ValueError):
    """A record-level problem; the reader adds file and line."""


def read_questions(
    path: str | Path, fmt: Format | Literal["auto"] = "auto", limit: int | None = None
) -> list[Question]:
    """The questions of a benchmark file (or of a MATH folder), at most `limit` of them."""
    path = Path(path)
    if fmt != "auto" and fmt not in FORMATS:
        raise ValueError(f"unknown question format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if not path.exists():
        raise FileNotFoundError(f"{path}: no such file or folder")
    if path.is_dir():
        records: Iterator[tuple[Path, int, Any]] = _folder(path)
    elif fmt == "ecqa" or (fmt == "auto" and path.suffix.lower() == ".csv"):
        records, fmt = _csv_rows(path), "ecqa"
    else:
        records = ((path, line, value) for line, value in _json_values(path))
    out: list[Question] = []
    seen: dict[str, int] = {}
    for n, (where, line, record) in enumerate(islice(records, limit), start=1):
        try:
            if not isinstance(record, dict):
                raise _Bad(f"expected an object, got {type(record).__name__}")
            if fmt == "auto":
                fmt = detect(record)
            q = _READERS[fmt](record, n, where)
            if not q.question.strip():
                raise _Bad("the question is empty")
            if q.id in seen:
                raise _Bad(f"the question id repeats the record of line {seen[q.id]}")
        except _Bad as exc:
            raise FormatError(where, line, str(exc)) from None
        seen[q.id] = line
        out.append(q)
    return out


def write_questions(questions: list[Question], fh: IO[str]) -> int:
    """Our own JSON lines (`questions` format): what an evaluation job freezes into its run."""
    for q in questions:
        fh.write(json.dumps(q.to_dict(), ensure_ascii=False) + "\n")
    return len(questions)


def detect(record: dict) -> Format:
    """The format of a record, from its fields."""
    if "gold_answer" in record and "task" in record:
        return "questions"
    if isinstance(record.get("question"), dict) and "answerKey" in record:
        return "arc"
    if "problem" in record and ("solution" in record or "answer" in record):
        return "math"
    if "options" in record and "correct" in record:
        return "aqua"
    if "qid" in record or isinstance(record.get("answer"), bool):
        return "strategyqa"
    if isinstance(record.get("answer"), str) and "####" in record["answer"]:
        return "gsm8k"
    raise _Bad(f"cannot tell the format from the record's fields; name it ({', '.join(FORMATS)})")


# ---------------------------------------------------------------- files


def _json_values(path: Path) -> Iterator[tuple[int, Any]]:
    """(line, value) of each item of a JSON array, or of each value of JSON lines / concatenated
    JSON (a single object too). Lines are where each value starts."""
    text = path.read_text(encoding="utf-8-sig")
    start = _skip_space(text, 0)
    if text.startswith("[", start):
        yield from _array_items(path, text, start + 1)
    else:
        yield from _concatenated(path, text, start)


def _array_items(path: Path, text: str, pos: int) -> Iterator[tuple[int, Any]]:
    line = _LineIndex(text)
    pos = _skip_space(text, pos)
    while pos < len(text):
        if text[pos] == "]":
            if _skip_space(text, pos + 1) < len(text):
                raise FormatError(path, line(pos), "text after the end of the JSON array")
            return
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise FormatError(path, exc.lineno, f"invalid JSON: {exc.msg}") from None
        yield line(pos), value
        pos = _skip_space(text, end)
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
        elif not text.startswith("]", pos):
            raise FormatError(path, line(pos), "expected ',' or ']' in the JSON array")
    raise FormatError(path, line(len(text)), "the JSON array is not closed")


def _concatenated(path: Path, text: str, pos: int) -> Iterator[tuple[int, Any]]:
    line = _LineIndex(text)
    one_per_line: bool | None = None  # every value so far on a line of its own (None: no value yet)
    while pos < len(text):
        try:
            value, end = _DECODER.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            # JSON lines: name the broken record's line (an unclosed brace fails a line later)
            if one_per_line is None:  # a first record that ends its line looks like JSON lines
                line_end = text.find("\n", pos)
                one_per_line = text[pos : line_end if line_end >= 0 else None].rstrip().endswith("}")
            raise FormatError(
                path, line(pos) if one_per_line else exc.lineno, f"invalid JSON: {exc.msg}"
            ) from None
        one_per_line = one_per_line is not False and text.find("\n", pos, end) < 0
        yield line(pos), value
        pos = _skip_space(text, end)


_DECODER = json.JSONDecoder()
_SPACE = re.compile(r"[ \t\r\n]*")  # JSON's whitespace


def _skip_space(text: str, pos: int) -> int:
    return _SPACE.match(text, pos).end()  # type: ignore[union-attr]  (it always matches, if only "")


class _LineIndex:
    """The 1-based line of a position in `text`, by bisection over where lines start."""

    def __init__(self, text: str):
        self._starts = [m.end() for m in re.finditer("\n", text)]

    def __call__(self, pos: int) -> int:
        return bisect_right(self._starts, pos) + 1


def _folder(path: Path) -> Iterator[tuple[Path, int, Any]]:
    """MATH as published: one problem per JSON file, in subject folders."""
    files = sorted(p for p in path.rglob("*.json") if p.is_file())
    if not files:
        raise FormatError(path, 0, "the folder holds no .json files")
    for file in files:
        for line, value in _json_values(file):
            if isinstance(value, dict):
                value = {"_id": file.relative_to(path).with_suffix("").as_posix(), **value}
            yield file, line, value


def _csv_rows(path: Path) -> Iterator[tuple[Path, int, dict]]:
    """Rows with the line each starts on (ECQA's explanations span several lines)."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames:
            raise FormatError(path, 1, "empty CSV file")
        start = reader.line_num + 1
        try:
            for row in reader:
                yield path, start, row
                start = reader.line_num + 1
        except csv.Error as exc:
            raise FormatError(path, start, f"invalid CSV: {exc}") from None


# ---------------------------------------------------------------- records


def _str(record: dict, key: str) -> str:
    value = record.get(key)
    if isinstance(value, bool) or value is None or isinstance(value, (dict, list)):
        raise _Bad(f"missing or non-text field {key!r}")
    return str(value).strip()


def _questions(r: dict, n: int, where: Path) -> Question:
    options = r.get("options")
    if options is not None and not (isinstance(options, list) and all(isinstance(o, str) for o in options)):
        raise _Bad("options must be a list of strings")
    return Question(
        _str(r, "id"), _str(r, "task"), _str(r, "question"), options or None, _str(r, "gold_answer")
    )


def _strategyqa(r: dict, n: int, where: Path) -> Question:
    if not isinstance(r.get("answer"), bool):
        raise _Bad(f"'answer' must be true or false, got {type(r.get('answer')).__name__}")
    qid = _str(r, "qid") if "qid" in r else f"strategyqa-{n:05d}"
    return Question(qid, "strategyqa", _str(r, "question"), None, "yes" if r["answer"] else "no")


def _gsm8k(r: dict, n: int, where: Path) -> Question:
    solution = _str(r, "answer")
    if "####" not in solution:
        raise _Bad("the answer has no '#### <number>'")
    gold = solution.rsplit("####", 1)[1].strip().replace(",", "")
    if not gold:
        raise _Bad("nothing follows '####'")
    return Question(f"gsm8k-{n:05d}", "gsm8k", _str(r, "question"), None, gold)


def _ecqa(r: dict, n: int, where: Path) -> Question:
    options = [_str(r, f"q_op{i}") for i in range(1, 6)]
    answer = _str(r, "q_ans")
    found = [i for i, o in enumerate(options) if o.casefold() == answer.casefold()]
    if not found:
        raise _Bad("q_ans is none of the options")
    qid = str(r.get("q_no") or "").strip() or f"ecqa-{n:05d}"
    return Question(qid, "ecqa", _str(r, "q_text"), options, str(found[0] + 1))


def _aqua(r: dict, n: int, where: Path) -> Question:
    options = r.get("options")
    if not (isinstance(options, list) and options and all(isinstance(o, str) for o in options)):
        raise _Bad("options must be a non-empty list of strings")
    gold = _str(r, "correct").upper()
    if gold not in _LETTERS[: len(options)]:
        raise _Bad(f"correct is not an option letter A-{_LETTERS[len(options) - 1]}")
    return Question(f"aqua-{n:05d}", "aqua", _str(r, "question"), options, gold)


def _arc(r: dict, n: int, where: Path) -> Question:
    q = r.get("question")
    if not isinstance(q, dict):
        raise _Bad("'question' must be an object with stem and choices")
    choices = q.get("choices")
    if not (isinstance(choices, list) and choices and all(isinstance(c, dict) for c in choices)):
        raise _Bad("question.choices must be a non-empty list of {label, text}")
    labels = [str(c.get("label", "")).strip() for c in choices]
    key = _str(r, "answerKey")
    if key not in labels:
        raise _Bad("answerKey is none of the choices' labels")
    task = "commonsenseqa" if "question_concept" in q else "arc"
    qid = _str(r, "id") if "id" in r else f"{task}-{n:05d}"
    return Question(
        qid, task, _str(q, "stem"), [_str(c, "text") for c in choices], _LETTERS[labels.index(key)]
    )


def _math(r: dict, n: int, where: Path) -> Question:
    boxed = _last_boxed(r["solution"]) if isinstance(r.get("solution"), str) else None
    gold = boxed if boxed is not None else r.get("answer")
    if not isinstance(gold, str) or not gold.strip():
        raise _Bad("the solution has no \\boxed{...} answer")
    qid = str(r.get("_id") or r.get("unique_id") or f"math-{n:05d}")
    return Question(qid, "math", _str(r, "problem"), None, gold.strip())


_READERS = {
    "questions": _questions,
    "strategyqa": _strategyqa,
    "gsm8k": _gsm8k,
    "ecqa": _ecqa,
    "aqua": _aqua,
    "arc": _arc,
    "math": _math,
}

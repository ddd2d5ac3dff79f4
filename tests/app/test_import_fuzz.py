"""Hostile input to `python -m app import`, in both formats: a clear `FILE:LINE: reason` and an
unchanged store, or a lossless round trip; nothing else.

The property-based part mutates valid files (values replaced by hostile ones, keys dropped, added,
misspelt or repeated, bytes inserted, removed or cut) and imports them in-process; a handful of real
CLI runs check that the same errors exit with status 2.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.services import compare, jobs, store
from app.services.auth import LOCAL
from db import browsing
from db.engine import session_scope
from magdi import formats
from magdi.formats import FormatError
from magdi.mag import Discussion
from tests.utils import discussion, turn
from tests.utils.cli import cli
from tests.utils.rows import fingerprint

BIG = "9" * 5000  # over Python's 4,300-digit limit for int() of a string


# ---------------------------------------------------------------- files with any token in them


@dataclass(frozen=True)
class Raw:
    """JSON text written as is: NaN, 1e400, 5,000 digits, a broken escape."""

    text: str


@dataclass(frozen=True)
class Pairs:
    """An object whose keys may repeat."""

    pairs: tuple[tuple[str, Any], ...]


def dumps(value: Any) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, dict):
        value = Pairs(tuple(value.items()))
    if isinstance(value, Pairs):
        return "{" + ", ".join(f"{json.dumps(k)}: {dumps(v)}" for k, v in value.pairs) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(dumps, value)) + "]"
    return json.dumps(value)  # lone surrogates become \ud800 escapes, float("nan") bare NaN


def jsonl_text(items: list) -> str:
    return "".join(dumps(x) + "\n" for x in items)


def magdi_text(items: list) -> str:
    return "[\n" + ",\n".join(dumps(x) for x in items) + "\n]\n"


def magdi_item(**extra) -> dict:
    return {
        "question": "Is water wet?",
        "gold_answer": "yes",
        "claude_output_0": {"reasoning": "r", "answer": "yes", "confidence_level": "90%"},
        "gpt4_output_0": {"reasoning": "r", "answer": "no", "confidence_level": 0.8},
        "gpt4_output_1": {"reasoning": "r", "answer": "yes"},
        **extra,
    }


def with_turn(**fields) -> dict:
    """A valid JSONL discussion whose first turn has these fields changed."""
    d = discussion(id="x")
    d["turns"][0] = {**d["turns"][0], **fields}
    return d


# ---------------------------------------------------------------- the store, row by row


def normalised(d: Discussion) -> tuple:
    """What an import keeps: auto labels are recomputed, so only human ones count."""
    turns = sorted(
        (
            t.agent,
            t.round,
            t.reasoning,
            t.answer,
            t.confidence,
            None if t.responds_to is None else sorted(map(tuple, t.responds_to)),
            t.label if t.label_source == "human" else None,
            t.excluded,
        )
        for t in d.turns
    )
    return d.id, d.task, d.question, d.gold_answer, d.options, d.meta, turns


def read(path: Path, fmt: str) -> list[tuple]:
    return [normalised(d) for _, d, _ in formats.read_discussions(path, fmt)]


_datasets = itertools.count()


def check_import(url: str, path: Path) -> str:
    """Import `path`: either it fails with FILE:LINE (a line of the file) and the store is as it was,
    or an export of what it added reads back as the file does. Returns "ok" or the reason."""
    before = fingerprint(url)
    dataset = f"fz{next(_datasets)}"
    try:
        report = store.import_file(path, dataset=dataset, url=url, actor=LOCAL)
    except FormatError as exc:
        lines = path.read_bytes().count(b"\n") + 1
        assert str(exc).startswith(f"{path}:{exc.line}: ") and 1 <= exc.line <= lines, str(exc)
        assert fingerprint(url) == before, "a failed import changed the store"
        return exc.reason
    fmt = formats.detect_format(path)
    if not report.added:  # an empty array or file: nothing to export
        assert read(path, fmt) == [] and fingerprint(url) == before
        return "ok"
    out = path.with_name(f"export-{path.name}")
    store.export_file(out, fmt=fmt, dataset=dataset, url=url, actor=LOCAL)
    assert read(out, fmt) == read(path, fmt)
    return "ok"


@pytest.fixture(scope="module")
def fuzz_url(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('fuzz') / 'store.db'}"
    store.dataset_names(url)  # creates the store
    return url


# ---------------------------------------------------------------- explicit regressions


def magdi_turn(**extra) -> dict:
    return {"reasoning": "r", "answer": "1", **extra}


REGRESSIONS = [
    # (name, format, the bad record (after a good one), its line, the reason)
    (
        "confidence 1e400",
        "jsonl",
        with_turn(confidence=Raw("1e400")),
        2,
        "turn 0: confidence 1e400 is outside [0, 1]",
    ),
    ("NaN", "jsonl", with_turn(confidence=Raw("NaN")), 2, "NaN is not a JSON value"),
    ("-Infinity", "jsonl", with_turn(confidence=Raw("-Infinity")), 2, "-Infinity is not a JSON value"),
    (
        "Infinity in meta",
        "jsonl",
        discussion(id="x", meta={"x": Raw("Infinity")}),
        2,
        "Infinity is not a JSON value",
    ),
    (
        "1e400 in meta",
        "jsonl",
        discussion(id="x", meta={"x": Raw("1e400")}),
        2,
        "meta.x: the number 1e400 is out of range",
    ),
    (
        "huge int in meta",
        "jsonl",
        discussion(id="x", meta={"n": Raw(BIG)}),
        2,
        "meta.n: an integer of more than 4,300 digits",
    ),
    (
        "lone surrogate",
        "jsonl",
        discussion(id="x", question="\ud800?"),
        2,
        "question: a lone surrogate \\ud800",
    ),
    (
        "lone low surrogate",
        "jsonl",
        discussion(id="x", meta={"k": ["\udc00"]}),
        2,
        "meta.k.0: a lone surrogate \\udc00",
    ),
    ("surrogate in a key", "jsonl", discussion(id="x", meta={"\udbff": 1}), 2, "a lone surrogate \\udbff"),
    ("NUL", "jsonl", discussion(id="x", question="a\x00b"), 2, "question: a NUL character"),
    (
        "round 2**63",
        "jsonl",
        with_turn(round=2**63),
        2,
        f"round must be an integer from 0 to 1000, got {2**63}",
    ),
    ("round 1001", "jsonl", with_turn(round=1001), 2, "round must be an integer from 0 to 1000, got 1001"),
    ("huge round", "jsonl", with_turn(round=Raw(BIG)), 2, "from 0 to 1000, got 9999"),
    (
        "duplicate key",
        "jsonl",
        Pairs((*discussion(id="x").items(), ("question", "b"))),
        2,
        "duplicate key 'question'",
    ),
    (
        "duplicate turn key",
        "jsonl",
        {**discussion(id="x"), "turns": [Pairs((*turn("a", 0, "1").items(), ("answer", "2")))]},
        2,
        "duplicate key 'answer'",
    ),
    ("blank agent", "jsonl", with_turn(agent=" "), 2, "turn 0: agent must be a non-empty string, got ' '"),
    ("empty agent", "jsonl", with_turn(agent=""), 2, "turn 0: agent must be a non-empty string, got ''"),
    (
        "near-miss turn key",
        "magdi",
        magdi_item(**{"claude_output_5 ": magdi_turn()}),
        3,
        "item 1: unknown key 'claude_output_5 '; did you mean 'claude_output_5'?",
    ),
    (
        "confidence for confidence_level",
        "magdi",
        magdi_item(gpt4_output_1=magdi_turn(confidence=0.5)),
        3,
        "item 1: gpt4_output_1: unknown key 'confidence'; did you mean 'confidence_level'?",
    ),
    (
        "misspelt top key",
        "magdi",
        magdi_item(gold_anwser="1"),
        3,
        "item 1: unknown key 'gold_anwser'; did you mean 'gold_answer'?",
    ),
    (
        "not a turn key",
        "magdi",
        magdi_item(claude_outputs_0=magdi_turn()),
        3,
        "key 'claude_outputs_0' looks like a turn but is not <agent>_output_<round>",
    ),
    (
        "blank MAGDi agent",
        "magdi",
        magdi_item(**{" _output_0": magdi_turn()}),
        3,
        "agent must be a non-empty string, got ' '",
    ),
    (
        "MAGDi round 2**63",
        "magdi",
        magdi_item(**{f"a_output_{2**63}": magdi_turn()}),
        3,
        "round must be an integer from 0 to 1000",
    ),
    (
        "MAGDi huge answer id",
        "magdi",
        magdi_item(id=Raw(BIG), gpt4_output_1=magdi_turn(confidence_level="1e400")),
        3,
        "confidence '1e400' is outside [0, 1]",
    ),
    (
        "MAGDi confidence 1e400",
        "magdi",
        magdi_item(gpt4_output_1=magdi_turn(confidence_level=Raw("1e400"))),
        3,
        "confidence 1e400 is outside [0, 1]",
    ),
    (
        "MAGDi NaN",
        "magdi",
        magdi_item(gpt4_output_1=magdi_turn(confidence_level=Raw("NaN"))),
        3,
        "item 1: NaN is not a JSON value",
    ),
    (
        "MAGDi duplicate key",
        "magdi",
        Pairs((*magdi_item().items(), ("question", "b"))),
        3,
        "item 1: duplicate key 'question'",
    ),
    (
        "MAGDi surrogate",
        "magdi",
        magdi_item(question="\udfff"),
        3,
        "item 1: question: a lone surrogate \\udfff",
    ),
]


def hostile_file(tmp_path: Path, fmt: str, bad: Any) -> Path:
    """A file whose first record is valid and whose second is `bad`."""
    if fmt == "magdi":
        path = tmp_path / "strategyqa.json"
        path.write_text(magdi_text([magdi_item(), bad]))
    else:
        path = tmp_path / "gsm8k.jsonl"
        path.write_text(jsonl_text([discussion(id="ok"), bad]))
    return path


@pytest.mark.parametrize("name, fmt, bad, line, reason", REGRESSIONS, ids=[r[0] for r in REGRESSIONS])
def test_each_hostile_input_is_refused_with_its_line(db_url, tmp_path, name, fmt, bad, line, reason):
    path = hostile_file(tmp_path, fmt, bad)
    store.dataset_names(db_url)  # creates the store
    before = fingerprint(db_url)
    with pytest.raises(FormatError) as err:
        store.import_file(path, url=db_url, actor=LOCAL)
    assert str(err.value).startswith(f"{path}:{line}: ")
    assert reason in err.value.reason
    assert fingerprint(db_url) == before


def test_numbers_read_as_text_keep_their_spelling(db_url, tmp_path):
    big = Raw(BIG)
    line = dumps(
        {
            **discussion(id=Raw("255.0"), gold=Raw("255.0")),
            "turns": [turn("a", 0, Raw("255.00")), turn("b", 0, big)],
        }
    )
    src = tmp_path / "gsm8k.jsonl"
    src.write_text(line + "\n")
    store.import_file(src, url=db_url, actor=LOCAL)
    for fmt in ("jsonl", "magdi"):
        out = tmp_path / f"out.{fmt}"
        store.export_file(out, fmt=fmt, url=db_url, actor=LOCAL)
        [(_, d, _)] = formats.read_discussions(out, fmt)
        assert (d.id, d.gold_answer, d.turns[0].answer, d.turns[1].answer) == (
            "255.0",
            "255.0",
            "255.00",
            BIG,
        )
        assert (d.turns[0].label, d.turns[1].label) == ("correct", "incorrect")
    item = magdi_item(id=Raw("7.50"), gold_answer=Raw("1.0"))
    item["gpt4_output_1"]["answer"] = Raw("1.00")
    src = tmp_path / "gsm8k.json"
    src.write_text(magdi_text([item]))
    store.import_file(src, dataset="m", url=db_url, actor=LOCAL)
    out = tmp_path / "m.json"
    store.export_file(out, fmt="magdi", dataset="m", url=db_url, actor=LOCAL)
    [back] = json.loads(out.read_text())
    assert (back["id"], back["gold_answer"], back["gpt4_output_1"]["answer"]) == ("7.50", "1.0", "1.00")
    assert back["gpt4_output_1"]["label"] == "correct"


def test_exports_are_strict_json(tmp_path):
    d = Discussion("x", "gsm8k", "q", "1", [], meta={"score": float("nan")})
    path = tmp_path / "out.jsonl"
    with (
        open(path, "w") as fh,
        pytest.raises(FormatError, match=r"out\.jsonl:1: discussion 'x': Out of range"),
    ):
        formats.write_jsonl([(d, None)], fh)


def test_browse_filters_take_any_text(db_url):
    """Search, agent and task text with NUL or a lone surrogate match nothing, on either store,
    instead of an FTS5 syntax error or a driver's encoding error."""
    store.load_demo_if_empty(db_url)
    with session_scope(db_url) as s:
        assert browsing.matching_ids(s, browsing.BrowseFilter(search="eggs"))  # the demo has some
        for search in ('"', "NEAR(", "a OR", "*", "'; --", "eggs)"):
            assert isinstance(browsing.matching_ids(s, browsing.BrowseFilter(search=search)), list)
        for field in ("search", "agent", "task"):
            for value in ("\x00", "eggs\x00", "\ud800", "caf\udce9"):
                f = browsing.BrowseFilter(**{field: value})
                assert browsing.matching_ids(s, f) == [] and browsing.browse(s, f) == ([], 0)


# ---------------------------------------------------------------- the real command line


CLI_CASES = [
    r
    for r in REGRESSIONS
    if r[0] in ("confidence 1e400", "lone surrogate", "duplicate key", "near-miss turn key")
]


@pytest.mark.parametrize("name, fmt, bad, line, reason", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_the_cli_exits_2_with_file_and_line(sqlite_url, tmp_path, name, fmt, bad, line, reason):
    path = hostile_file(tmp_path, fmt, bad)
    done = cli("import", str(path), url=sqlite_url)
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"error: {path}:{line}: ") and reason in done.stderr
    assert "Traceback" not in done.stderr


def test_an_eval_job_that_selects_nothing_is_refused(sqlite_url):
    store.load_demo_if_empty(sqlite_url)
    config = compare.eval_job_config(dataset="gsm8k", url=sqlite_url)
    config["source"]["filter"] = {"search": "eggs\x00"}
    with pytest.raises(ValueError, match="no questions to evaluate"):
        compare.submit_eval(config, url=sqlite_url, actor=LOCAL)
    assert jobs.list_all(url=sqlite_url) == []


def test_the_cli_refuses_a_training_job_that_selects_nothing(sqlite_url):
    store.load_demo_if_empty(sqlite_url)
    done = cli("train", "--filter", "q=%00", url=sqlite_url)
    assert done.returncode == 2 and "the selection is empty" in done.stderr, done.stderr


# ---------------------------------------------------------------- property: any mutation

HOSTILE = [
    Raw(BIG),
    Raw("-" + BIG),
    Raw("1e400"),
    Raw("-1e400"),
    Raw("1e-400"),
    Raw("NaN"),
    Raw("Infinity"),
    Raw("-Infinity"),
    Raw("255.0"),
    Raw("1E2"),
    Raw("-0"),
    Raw(str(2**63)),
    Raw("0.90"),
    Raw("[" * 3000 + "]" * 3000),
    "\ud800",
    "x\udc00",
    "a\x00b",
    "",
    " ",
    "\t\n",
    None,
    True,
    False,
    0,
    -1,
    1.5,
    1000,
    1001,
    [],
    {},
    [["a", 0]],
    ["gpt4", 0],
    "correct",
    "human",
    "auto",
    "90%",
    "1e400",
    "nan",
    "-1",
    "yes",
    "18",
]
# Values that some field accepts (any text; numbers as ids and answers; confidences) come about
# as often as hostile ones, so that many mutated files import and their round trip is checked.
values = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=8),
    st.text(st.characters(codec="utf-8"), max_size=8),
    st.sampled_from([Raw("255.0"), Raw(BIG), Raw("1E2"), Raw("0.90"), Raw("-0"), 0.5, 1, 0]),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.lists(st.sampled_from(["a", 0, None, "gpt4"]), max_size=3),
)


def paths(value: Any, at: tuple = ()) -> list[tuple]:
    """Every place in a document: the keys or indices that lead to it."""
    out = [at]
    if isinstance(value, dict):
        for k, v in value.items():
            out += paths(v, (*at, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += paths(v, (*at, i))
    return out


def near_misses(key: str) -> list[str]:
    return [
        key + " ",
        " " + key,
        key.upper(),
        key[:-1],
        key + "s",
        key.replace("_", "-"),
        key.replace("_", ""),
    ]


def _at(doc: Any, path: tuple) -> Any:
    for step in path:
        doc = doc[step]
    return doc


@st.composite
def mutated(draw, doc: list) -> list:
    """`doc` with one to three changes at places in it; objects may become `Pairs` (repeated keys)."""
    doc = json.loads(json.dumps(doc))
    for _ in range(draw(st.integers(1, 3))):
        places = [p for p in paths(doc) if p]
        if not places:  # every item deleted
            break
        leaves = [p for p in places if not isinstance(_at(doc, p), (dict, list))]
        where = draw(st.sampled_from(leaves or places) | st.sampled_from(places))
        parent, key = _at(doc, where[:-1]), where[-1]
        action = draw(st.sampled_from(["replace"] * 5 + ["delete", "add", "repeat"]))
        if action == "replace":
            parent[key] = draw(values)
        elif action == "delete":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            known = [
                "confidence",
                "claude_output_5 ",
                "x_output_",
                "gold",
                "Question",
                *near_misses(str(key)),
            ]
            parent[draw(st.sampled_from(known) | st.text(max_size=6))] = draw(values | st.just(parent[key]))
        elif action == "repeat" and isinstance(parent, dict):
            if len(where) >= 2:
                _at(doc, where[:-2])[where[-2]] = Pairs((*parent.items(), (key, draw(values))))
    return doc


@st.composite
def byte_edits(draw, data: bytes) -> bytes:
    """Text-level damage: bytes inserted, removed, replaced or the file cut short."""
    pos = draw(st.integers(0, len(data)))
    action = draw(st.sampled_from(["insert", "remove", "replace", "cut"]))
    junk = draw(
        st.sampled_from([b"\xff", b"\xc3", b",", b"}", b"]", b"\n", b'"', b"\\", b"\x00", b"NaN", b" "])
    )
    if action == "insert":
        return data[:pos] + junk + data[pos:]
    if action == "remove":
        return data[:pos] + data[pos + draw(st.integers(1, 20)) :]
    if action == "replace":
        return data[:pos] + junk + data[pos + 1 :]
    return data[:pos]


JSONL_DOC = [
    discussion(id="a", meta={"source": "x", "n": 2, "f": 0.5}),
    discussion(
        id="b",
        turns=[
            turn("a", 0, "18", confidence=0.9, label="incorrect", label_source="human"),
            turn("b", 0, "$20", excluded=True),
            turn("a", 1, "18", responds_to=[["b", 0]]),
        ],
    ),
]
MAGDI_DOC = [magdi_item(), magdi_item(id="two", options=["yes", "no"])]


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / f"{next(_datasets)}" / name
    path.parent.mkdir()
    path.write_bytes(data)
    return path


# format: (a valid document, how a file of it is written, the file's name, which names its task)
FILES = {
    "jsonl": (JSONL_DOC, jsonl_text, "gsm8k.jsonl"),
    "magdi": (MAGDI_DOC, magdi_text, "strategyqa.json"),
}


@pytest.mark.parametrize("fmt", FILES)
@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_mutation_imports_losslessly_or_names_its_line(fuzz_url, tmp_path, fmt, data):
    doc, write, name = FILES[fmt]
    raw = write(data.draw(mutated(doc))).encode()
    if data.draw(st.integers(0, 3)) == 0:
        raw = data.draw(byte_edits(raw))
    check_import(fuzz_url, _write(tmp_path, name, raw))


@pytest.mark.parametrize("fmt", FILES)
def test_the_unmutated_files_round_trip(fuzz_url, tmp_path, fmt):
    doc, write, name = FILES[fmt]
    assert check_import(fuzz_url, _write(tmp_path, name, write(doc).encode())) == "ok"

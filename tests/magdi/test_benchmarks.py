"""Benchmark readers: each published format on a tiny file written here, on the real shared files
when present, and errors that name file and line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from magdi.answers import normalize_answer
from magdi.benchmarks import Question, _json_values, read_questions, write_questions
from magdi.formats import FormatError
from tests.conftest import ROOT

SHARED = ROOT.parent / "shared" / "datasets"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_strategyqa_json_array(tmp_path):
    items = [
        {
            "qid": "a1",
            "term": "t",
            "description": "d",
            "question": "Can a cat fly?",
            "answer": False,
            "facts": ["Cats have no wings."],
            "decomposition": ["Do cats have wings?"],
        },
        {"qid": "b2", "question": "Is water wet?", "answer": True, "facts": [], "decomposition": []},
    ]
    qs = read_questions(write(tmp_path / "dev.json", json.dumps(items, indent=4)))
    assert qs == [
        Question("a1", "strategyqa", "Can a cat fly?", None, "no"),
        Question("b2", "strategyqa", "Is water wet?", None, "yes"),
    ]


def test_gsm8k_jsonl_gold_after_hashes(tmp_path):
    lines = [
        {"question": "Sum 2 and 3?", "answer": "2 + 3 = <<2+3=5>>5\n#### 5"},
        {"question": "How many cents?", "answer": "It is 1,200.\n#### 1,200"},
    ]
    qs = read_questions(write(tmp_path / "test.jsonl", "\n".join(map(json.dumps, lines)) + "\n"))
    assert [(q.id, q.task, q.gold_answer) for q in qs] == [
        ("gsm8k-00001", "gsm8k", "5"),
        ("gsm8k-00002", "gsm8k", "1200"),
    ]


ECQA_HEADER = ",q_no,q_concept,q_text,q_op1,q_op2,q_op3,q_op4,q_op5,q_ans,taskA_pos,taskA_neg,taskB\n"


def test_ecqa_csv_answer_is_the_option_number(tmp_path):
    text = (
        ECQA_HEADER
        + '0,x1,c,Where do fish live?,sky,water,desk,road,oven,water,"Fish need water.\nThey swim.",'
        '"No.",Fish live in water.\n'
        + "1,x2,c,What melts?,ice,rock,iron,glass,wood,Ice,Ice melts.,No.,Ice melts.\n"
    )
    qs = read_questions(write(tmp_path / "cqa_data_test.csv", text))
    assert qs[0] == Question(
        "x1", "ecqa", "Where do fish live?", ["sky", "water", "desk", "road", "oven"], "2"
    )
    assert qs[1].gold_answer == "1"  # the answer text matches its option regardless of case


def test_aqua_json_lines_despite_the_name(tmp_path):
    lines = [
        {
            "question": "2 + 2?",
            "options": ["A)3", "B)4", "C)5", "D)6", "E)7"],
            "rationale": "4",
            "correct": "B",
        }
    ]
    q = read_questions(write(tmp_path / "test.json", json.dumps(lines[0]) + "\n"))[0]
    assert (q.id, q.task, q.options[1], q.gold_answer) == ("aqua-00001", "aqua", "B)4", "B")
    assert normalize_answer(q.task, q.gold_answer, q.options).value == "B"


def test_arc_jsonl_with_letter_and_number_labels(tmp_path):
    lines = [
        {
            "id": "Mercury_1",
            "question": {
                "stem": "Which is a metal?",
                "choices": [
                    {"text": "wood", "label": "A"},
                    {"text": "iron", "label": "B"},
                    {"text": "glass", "label": "C"},
                ],
            },
            "answerKey": "B",
        },
        {
            "id": "NYSED_2",
            "question": {
                "stem": "Pick the gas.",
                "choices": [
                    {"text": "rock", "label": "1"},
                    {"text": "steam", "label": "2"},
                    {"text": "ice", "label": "3"},
                    {"text": "salt", "label": "4"},
                ],
            },
            "answerKey": "2",
        },
    ]
    qs = read_questions(write(tmp_path / "ARC-Challenge-Test.jsonl", "\n".join(map(json.dumps, lines))))
    assert [(q.id, q.task, q.gold_answer) for q in qs] == [("Mercury_1", "arc", "B"), ("NYSED_2", "arc", "B")]
    assert qs[1].options == ["rock", "steam", "ice", "salt"]


def test_math_file_folder_and_json_lines(tmp_path):
    problem = {
        "problem": "Compute $\\frac{1}{2}+\\frac{1}{2}$.",
        "level": "Level 1",
        "type": "Algebra",
        "solution": "First $\\boxed{2}$ is wrong; the sum is $\\boxed{\\frac{2}{2}} = 1$.",
    }
    folder = tmp_path / "MATH" / "test"
    (folder / "algebra").mkdir(parents=True)
    write(folder / "algebra" / "7.json", json.dumps(problem, indent=4))
    write(folder / "algebra" / "12.json", json.dumps({**problem, "solution": "So $\\boxed{1}$."}))
    qs = read_questions(folder)
    assert [(q.id, q.task, q.gold_answer) for q in qs] == [
        ("algebra/12", "math", "1"),
        ("algebra/7", "math", "\\frac{2}{2}"),
    ]
    single = read_questions(folder / "algebra" / "7.json")
    assert single[0].gold_answer == "\\frac{2}{2}"  # the last \boxed{}, nested braces kept
    lines = write(
        tmp_path / "math.jsonl", json.dumps(problem) + "\n" + json.dumps({**problem, "problem": "B"})
    )
    assert [q.id for q in read_questions(lines, "math")] == ["math-00001", "math-00002"]


def test_our_question_lines_round_trip_and_discussions_read_as_questions(tmp_path):
    qs = [Question("q1", "ecqa", "Which?", ["a", "b"], "2"), Question("q2", "gsm8k", "How many?", None, "3")]
    path = tmp_path / "questions.jsonl"
    with open(path, "w", encoding="utf-8") as fh:
        write_questions(qs, fh)
    assert read_questions(path) == qs
    demo = read_questions(ROOT / "data" / "demo" / "ecqa.jsonl", limit=3)
    assert [q.id for q in demo] == ["ecqa-001", "ecqa-002", "ecqa-003"] and demo[0].options


@pytest.mark.parametrize(
    "name, text, line, reason",
    [
        (
            "bad.jsonl",
            '{"question": "a", "answer": "#### 1"}\n\n{"question": "b", "answer": "#### 2"\n',
            3,
            "invalid JSON",
        ),
        (
            "gsm.jsonl",
            '{"question": "a", "answer": "#### 1"}\n{"question": "b", "answer": "no marker"}\n',
            2,
            "no '#### <number>'",
        ),
        (
            "sqa.json",
            '[\n  {"qid": "a", "question": "x", "answer": true},\n  {"qid": "b",\n   "question": "y",'
            ' "answer": "yes"}\n]',
            3,
            "must be true or false",
        ),
        (
            "dup.json",
            '[{"qid": "a", "question": "x", "answer": true},\n'
            '{"qid": "a", "question": "y", "answer": false}]',
            2,
            "repeats the record of line 1",
        ),
        ("what.jsonl", '{"text": "hello"}\n', 1, "cannot tell the format"),
        ("open.json", '[{"qid": "a", "question": "x", "answer": true},\n', 2, "not closed"),
        ("pretty.json", '{\n  "problem": "x",\n  "solution": oops\n}\n', 3, "invalid JSON"),
    ],
)
def test_errors_name_file_and_line(tmp_path, name, text, line, reason):
    path = write(tmp_path / name, text)
    with pytest.raises(FormatError) as err:
        read_questions(path)
    assert str(err.value).startswith(f"{path}:{line}: ") and reason in str(err.value)


def test_ecqa_error_line_counts_multiline_records(tmp_path):
    text = (
        ECQA_HEADER + '0,x1,c,Q1?,a,b,c,d,e,a,"one\ntwo\nthree",n,t\n' + "1,x2,c,Q2?,a,b,c,d,e,zebra,p,n,t\n"
    )
    path = write(tmp_path / "e.csv", text)
    with pytest.raises(FormatError, match=r"e\.csv:5: q_ans is none of the options"):
        read_questions(path)


def test_limit_and_named_format(tmp_path):
    lines = "\n".join(json.dumps({"question": f"q{i}", "answer": f"#### {i}"}) for i in range(5))
    path = write(tmp_path / "g.txt", lines)
    assert [q.gold_answer for q in read_questions(path, "gsm8k", limit=2)] == ["0", "1"]
    with pytest.raises(ValueError, match="unknown question format"):
        read_questions(path, "csv")  # type: ignore[arg-type]


REAL = [
    ("sqa/dev.json", "strategyqa", 229),
    ("gsm8k/test.jsonl", "gsm8k", 1319),
    ("ecqa/cqa_data_test.csv", "ecqa", 2194),
    ("aqua/test.json", "aqua", 254),
]


@pytest.mark.parametrize("rel, task, count", REAL)
def test_real_shared_files(rel, task, count):
    path = SHARED / rel
    if not path.exists():
        pytest.skip(f"{path} is absent")
    qs = read_questions(path)
    assert len(qs) == count and {q.task for q in qs} == {task}
    assert all(normalize_answer(q.task, q.gold_answer, q.options).ok for q in qs)
    assert len({q.id for q in qs}) == count


def test_real_gsm8k_first_gold():
    path = SHARED / "gsm8k" / "test.jsonl"
    if not path.exists():
        pytest.skip(f"{path} is absent")
    first = json.loads(path.read_text(encoding="utf-8").splitlines()[0])
    assert read_questions(path, limit=1)[0].gold_answer == first["answer"].split("####")[-1].strip()


@settings(max_examples=30, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from("abc"), st.integers() | st.text(max_size=5)), max_size=6))
def test_json_values_give_every_value_at_its_line(tmp_path_factory, values):
    """A pretty array (one item per line from line 2), JSON lines and concatenated pretty JSON."""
    folder = tmp_path_factory.mktemp("j")
    pretty = "[\n" + ",\n".join(json.dumps(v) for v in values) + "\n]\n"
    lines = "".join(json.dumps(v) + "\n" for v in values)
    blocks = [json.dumps(v, indent=1) for v in values]
    starts = [1 + sum(b.count("\n") + 1 for b in blocks[:i]) for i in range(len(values))]
    for name, text, expected in [
        ("a.json", pretty, list(range(2, 2 + len(values)))),
        ("l.jsonl", lines, list(range(1, 1 + len(values)))),
        ("c.json", "\n".join(blocks), starts),
    ]:
        (folder / name).write_text(text)
        assert list(_json_values(folder / name)) == list(zip(expected, values)), name

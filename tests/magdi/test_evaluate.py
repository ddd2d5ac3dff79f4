"""Evaluation: self-consistency votes, scoring, teacher tokens, and a real
evaluation of the offline default student whose accuracy the test recounts itself."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from magdi.answers import extract_answer, label_answer
from magdi.benchmarks import Question
from magdi.config import EvalConfig
from magdi.evaluate import majority_vote, read_predictions, run, score, teacher_tokens
from magdi.offline import offline_tokenizer
from tests.conftest import ROOT
from tests.utils.toy_mags import penguins
from tests.utils.training import TINY_STUDENT


@pytest.mark.parametrize(
    "answers, expected",
    [
        (["2", None, "3", "3"], "3"),  # the majority; an unparseable sample does not vote
        (["2", "3"], "2"),  # a tie goes to the answer given first
        (["3", "2", "2", "3", None, None, None], "3"),  # abstentions cannot outvote
        ([None, None], None),  # nothing parsed: no answer
        ([], None),
    ],
)
def test_majority_vote(answers, expected):
    assert majority_vote("gsm8k", answers) == expected


def test_majority_vote_pools_equal_math_answers():
    assert majority_vote("math", ["2", "\\frac{1}{2}", "0.5"]) == "\\frac{1}{2}"


def test_score_keeps_unparseable_samples_visible():
    q = Question("q", "gsm8k", "How many?", None, "12")
    texts = ["6 + 6 = 12. So the answer is 12.", "I am not sure.", "So the answer is 13.", "The answer is 12"]
    scored = score(q, texts, offline_tokenizer(), latency_s=0.5)
    assert [(s.parsed, s.correct) for s in scored.samples] == [
        ("12", True),
        (None, False),
        ("13", False),
        ("12", True),
    ]
    assert scored.samples[1].text == "I am not sure."
    tok = offline_tokenizer()  # the student's own tokens, no EOS
    assert [s.tokens for s in scored.samples] == [len(tok.encode(t, add_special_tokens=False)) for t in texts]
    assert [s.tokens for s in scored.samples] != [len(t.encode()) for t in texts]  # not bytes
    assert (scored.answer, scored.correct) == ("12", True)
    none = score(q, ["no idea", "??"], offline_tokenizer(), 0.0)
    assert (none.answer, none.correct) == (None, False)


def test_greedy_allows_one_sample():
    with pytest.raises(ValueError, match="need sampling"):
        EvalConfig(questions="x", k=3)
    assert EvalConfig(questions="x", sampling=True, k=3).temperature == 0.7


def test_teacher_tokens_with_tokenizer_and_heuristic():
    d = penguins()
    texts = [f"{t.reasoning} {t.answer}" for t in d.turns]
    tok = offline_tokenizer()
    assert teacher_tokens(d, tok) == sum(len(tok.encode(s, add_special_tokens=False)) for s in texts)
    assert teacher_tokens(d) == sum(-(-len(s) // 4) for s in texts)


def test_offline_student_evaluation_accuracy_matches_a_recount(tmp_path):
    demo = ROOT / "data" / "demo" / "gsm8k.jsonl"
    cfg = EvalConfig(
        questions=str(demo),
        discussions=str(demo),
        output_dir=str(tmp_path),
        limit=4,
        student=TINY_STUDENT,
        sampling=True,
        k=3,
        max_new_tokens=8,
        batch_size=3,
    )
    summary = run(cfg)
    lines = [json.loads(line) for line in (tmp_path / "predictions.jsonl").read_text().splitlines()]
    assert [r["id"] for r in lines] == ["gsm8k-001", "gsm8k-002", "gsm8k-003", "gsm8k-004"]
    right = 0
    for r in lines:
        assert len(r["samples"]) == 3
        parsed = [extract_answer("gsm8k", s["text"]).value for s in r["samples"]]
        assert parsed == [s["parsed"] for s in r["samples"]]
        votes = Counter(p for p in parsed if p is not None)
        top = max(votes.values(), default=0)
        answer = next((p for p in parsed if p is not None and votes[p] == top), None)
        right += answer is not None and label_answer("gsm8k", answer, r["gold_answer"])[0]
        assert r["teacher_tokens"] > 0 and all(s["tokens"] >= 0 and s["latency_s"] > 0 for s in r["samples"])
    assert (summary["questions"], summary["correct"]) == (4, right)
    assert summary["accuracy"] == right / 4 and summary["samples"] == 12
    assert json.loads((tmp_path / "summary.json").read_text())["correct"] == right
    assert json.loads((tmp_path / "progress.json").read_text())["step"] == 4
    # a resumed run keeps what is there and generates nothing new
    again = run(cfg, resume=True)
    kept = read_predictions(tmp_path / "predictions.jsonl")
    assert again["correct"] == right and kept[0].samples[0].text == lines[0]["samples"][0]["text"]

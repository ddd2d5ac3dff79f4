"""Synthetic questions: deterministic, short, varied, and their solutions re-run to their answers."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from magdi.answers import label_answer, option_name
from magdi.synthetic import KINDS, TASKS, distractors, make_questions, solve, trace

N = 600
EQUATION = re.compile(r"(\d+) ([+x-]) (\d+) = (\d+)")


@pytest.fixture(scope="module")
def questions():
    return {kind: make_questions(kind, N, seed=0) for kind in KINDS}


def test_the_same_kind_n_and_seed_give_the_same_questions_and_a_prefix_is_stable():
    for kind in KINDS:
        assert make_questions(kind, 40, seed=5) == make_questions(kind, 40, seed=5)
        assert make_questions(kind, 40, seed=5)[:10] == make_questions(kind, 10, seed=5)
        assert make_questions(kind, 40, seed=5) != make_questions(kind, 40, seed=6)
    with pytest.raises(ValueError, match="kind must be one of"):
        make_questions("trivia", 3)


def test_ids_are_unique_and_tasks_match_the_kind(questions):
    assert [q.id for q in questions["arithmetic"][:2]] == ["arith-00000", "arith-00001"]
    for kind, qs in questions.items():
        assert len({q.id for q in qs}) == N and {q.task for q in qs} == {TASKS[kind]}
        assert all(len(q.question) <= 120 and len(q.solution) <= 300 for q in qs)


def test_no_answer_covers_more_than_a_few_percent_of_arithmetic_questions(questions):
    counts = Counter(q.gold_answer for q in questions["arithmetic"])
    assert counts.most_common(1)[0][1] / N < 0.04 and len(counts) > 90  # of the 100 answers 0-99


def test_yes_no_and_option_answers_are_balanced(questions):
    yes = sum(q.gold_answer == "yes" for q in questions["yesno"]) / N
    assert 0.4 < yes < 0.6
    options = Counter(q.gold_answer for q in questions["choice"])
    assert set(options) == {"1", "2", "3", "4", "5"} and min(options.values()) > N / 10


def test_every_arithmetic_step_is_a_true_equation_on_small_operands(questions):
    for q in questions["arithmetic"]:
        steps = EQUATION.findall(q.solution)
        assert len(steps) >= 2, q.solution  # at least two operations
        value = None
        for a, op, b, r in steps:
            a, b, r = int(a), int(b), int(r)
            assert {"+": a + b, "-": a - b, "x": a * b}[op] == r >= 0, q.solution
            if op == "x":
                assert a < 10, q.solution  # one-digit factor
            value = r
        assert str(value) == q.gold_answer
        assert all(int(n) < 100 for n in re.findall(r"\d+", q.question))  # operands up to two digits


def test_gold_answers_normalise_to_themselves_and_solutions_end_in_them(questions):
    for qs in questions.values():
        for q in qs:
            assert label_answer(q.task, q.gold_answer, q.gold_answer, q.options)[0]
            assert trace(q).text == q.solution and trace(q).answer == q.gold_answer
    for q in questions["yesno"]:
        assert q.options is None and q.gold_answer in ("yes", "no")
        assert q.solution.endswith((" even.", f" than {q.steps[-1].b}."))
    for q in questions["choice"]:
        assert len(q.options) == 5 and len(set(q.options)) == 5
        gold = int(q.gold_answer) - 1
        assert option_name(gold, "ecqa") == q.gold_answer
        assert q.options[gold].split()[0] == str(trace(q).results[-2])  # the option holds the result
        for said in (q.gold_answer, f"({q.gold_answer})", f"option {q.gold_answer}"):
            assert label_answer("ecqa", said, q.gold_answer, q.options)[1].value == q.gold_answer


def test_distractors_are_the_careless_results():
    [q] = [q for q in make_questions("choice", 50) if q.steps[-2].op == "-"][:1]
    last = q.steps[-2]
    prev, right = trace(q).results[last.a_from], last.result
    wrong = distractors(q.steps[:-1])
    assert right not in wrong and right + 1 in wrong and prev + last.b in wrong  # + for -


def test_a_slip_propagates_to_the_later_steps_and_the_answer():
    q = next(q for q in make_questions("arithmetic", 20) if q.steps[1].op == "+")
    slipped = trace(q, {1: q.steps[1].result + 10})
    assert slipped.answer != q.gold_answer and slipped.text != q.solution
    assert f"= {q.steps[1].result + 10}." in slipped.text
    assert all(abs(a - b) in (0, 10) for a, b in zip(slipped.results, trace(q).results))


def test_solve_reads_a_question_back_from_its_text_in_any_phrasing(questions):
    for qs in questions.values():
        for q in qs[:100]:
            for style in range(3):
                again = solve(q.task, q.question, q.options, style)
                assert again is not None and again.gold_answer == q.gold_answer
                assert [s.op for s in again.steps] == [s.op for s in q.steps]
    phrasings = {
        solve(q.task, q.question, None, s).solution for s in range(3) for q in questions["arithmetic"][:1]
    }
    assert len(phrasings) == 3
    assert solve("gsm8k", "How many legs has a spider?") is None
    assert solve("strategyqa", questions["arithmetic"][0].question) is None  # wrong task

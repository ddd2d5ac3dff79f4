import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magdi.answers import (
    NormalizedAnswer,
    answers_equal,
    extract_answer,
    label_answer,
    label_answers,
    normalize_answer,
    task_kind,
)

ECQA_OPTIONS = ["apple", "bank", "river bank", "dog", "cat"]
AQUA_OPTIONS = ["A)21", "B) Paris", "C)bank", "D)7(√3 – 1)", "E)None of these"]


@pytest.mark.parametrize(
    ("task", "kind"),
    [
        ("strategyqa", "yesno"),
        ("StrategyQA", "yesno"),
        ("boolq", "yesno"),
        ("ecqa", "choice_number"),
        ("ECQA", "choice_number"),
        ("arc", "choice_letter"),
        ("AQuA", "choice_letter"),
        ("commonsenseqa", "choice_letter"),
        ("csqa", "choice_letter"),
        ("gsm8k", "number"),
        ("SVAMP", "number"),
        ("math", "math"),
        ("MATH", "math"),
        ("trivia", "text"),
        ("", "text"),
    ],
)
def test_task_kind(task, kind):
    assert task_kind(task) == kind


# ---------------------------------------------------------------- yes / no


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("yes", "yes"),
        ("Yes.", "yes"),
        ("YES!", "yes"),
        ("True", "yes"),
        ("yes, it is", "yes"),
        ("no", "no"),
        ("NO", "no"),
        ("No.", "no"),
        ("false", "no"),
        ("FALSE.", "no"),
        ("The answer is no", "no"),
        ("No, I think the answer is yes", "yes"),
    ],
)
def test_yesno(raw, value):
    assert normalize_answer("strategyqa", raw).value == value


@pytest.mark.parametrize("raw", ["maybe", "yes and no", "Yes or no?", "", "   ", "unknown", "nope"])
def test_yesno_unparseable(raw):
    a = normalize_answer("strategyqa", raw)
    assert not a.ok and a.value is None and a.raw == raw


# ---------------------------------------------------------------- multiple choice


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2", "2"),
        ("(3)", "3"),
        ("4)", "4"),
        ("1.", "1"),
        ("Option 2", "2"),
        ("option #5", "5"),
        ("Answer: 5", "5"),
        ("The answer is 3", "3"),
        ("2. bank", "2"),
        ("2 bank", "2"),
        ("bank", "2"),
        ("Bank.", "2"),
        ("the river bank", "3"),
        ("RIVER BANK", "3"),
    ],
)
def test_ecqa_with_options(raw, value):
    assert normalize_answer("ecqa", raw, ECQA_OPTIONS).value == value


@pytest.mark.parametrize(
    "raw",
    [
        "6",
        "0",
        "7)",
        "either 2 or 4",
        "2 or 4",
        "2.5",
        "a dog and a cat",
        "3. dog",
        "none",
        "",
    ],
)
def test_ecqa_unparseable(raw):
    assert not normalize_answer("ecqa", raw, ECQA_OPTIONS).ok


def test_ecqa_range_without_options_is_1_to_5():
    assert normalize_answer("ecqa", "5").value == "5"
    assert not normalize_answer("ecqa", "6").ok
    assert normalize_answer("ecqa", "3", ["a", "b", "c"]).value == "3"
    assert not normalize_answer("ecqa", "4", ["a", "b", "c"]).ok


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("B", "B"),
        ("(B)", "B"),
        ("B)", "B"),
        ("b", "B"),
        ("b.", "B"),
        ("(b)", "B"),
        ("B. Paris", "B"),
        ("option B", "B"),
        ("Option b", "B"),
        ("Answer: B", "B"),
        ("The correct answer is (E)", "E"),
        ("I think it's C", "C"),
        ("Paris", "B"),
        ("paris.", "B"),
        ("21", "A"),
        ("7(√3 – 1)", "D"),
        ("none of these", "E"),
    ],
)
def test_aqua_letters(raw, value):
    assert normalize_answer("aqua", raw, AQUA_OPTIONS).value == value


@pytest.mark.parametrize(
    "raw",
    [
        "F",
        "(F)",
        "f)",
        "option G",
        "either B or D",
        "B or D",
        "(A) or (C)",
        "b) 21",
        "22",
        "",
    ],
)
def test_aqua_unparseable(raw):
    assert not normalize_answer("aqua", raw, AQUA_OPTIONS).ok


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("-30", "A"),
        ("+30", "B"),
        ("0", "C"),
        ("15", "D"),
        ("\u221215", "E"),
        ("A)-30", "A"),
        ("E) -15", "E"),
        ("(B)", "B"),
    ],
)
def test_option_texts_differing_only_in_symbols(raw, value):
    assert normalize_answer("aqua", raw, ["A)-30", "B)+30", "C)0", "D)15", "E)-15"]).value == value


def test_duplicate_option_text_is_ambiguous_but_its_letter_is_not():
    options = ["A)20 min", "B)22 min", "C)23 min", "D)21 min", "E)20 min"]
    assert not normalize_answer("aqua", "20 min", options).ok
    assert normalize_answer("aqua", "E)20 min", options).value == "E"


def test_letter_range_follows_options():
    four = ["w", "x", "y", "z"]
    assert normalize_answer("arc", "(D)", four).value == "D"
    assert not normalize_answer("arc", "(E)", four).ok
    assert normalize_answer("arc", "E").value == "E"  # A-E without options


def test_unparseable_choice_is_flagged_not_coerced():
    correct, answer = label_answer("ecqa", "either 2 or 4", "2", ECQA_OPTIONS)
    assert correct is False and not answer.ok


def test_gold_given_as_option_text():
    assert label_answer("ecqa", "(3)", "river bank", ECQA_OPTIONS)[0]
    assert label_answer("aqua", "Paris", "B", AQUA_OPTIONS)[0]


# ---------------------------------------------------------------- numbers


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("18", "18"),
        ("$1,000", "1000"),
        ("1,234,567", "1234567"),
        ("18.0", "18"),
        ("18.50", "18.5"),
        ("18 dollars", "18"),
        ("$18.00.", "18"),
        ("-3", "-3"),
        ("\u22127", "-7"),
        ("-$5", "-5"),
        ("0.5", "0.5"),
        (".5", "0.5"),
        ("1/2", "0.5"),
        ("3/4 cup", "0.75"),
        ("1/3", "1/3"),
        ("25%", "25"),
        ("The answer is 18", "18"),
        ("12+6 = 18, so the answer is 18.", "18"),
        ("Answer: 42", "42"),
        ("#### 72", "72"),
    ],
)
def test_numbers(raw, value):
    assert normalize_answer("gsm8k", raw).value == value


@pytest.mark.parametrize("raw", ["12 or 14", "between 3 and 5", "eighteen", "", "1/0", "n/a"])
def test_numbers_unparseable(raw):
    assert not normalize_answer("svamp", raw).ok


def test_numbers_equal_across_formats():
    assert label_answer("gsm8k", "$1,000.00", "1000")[0]
    assert label_answer("gsm8k", "1/2", "0.5")[0]
    assert not label_answer("gsm8k", "1001", "1000")[0]


# ---------------------------------------------------------------- MATH


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("\\boxed{\\dfrac12}", "\\frac{1}{2}"),
        ("\\tfrac{1}{2}", "\\frac{1}{2}"),
        ("$\\frac{1}{2}$.", "\\frac{1}{2}"),
        ("\\frac 1 2", "\\frac{1}{2}"),
        ("\\boxed{\\frac{\\sqrt{3}}{2}}", "\\frac{\\sqrt{3}}{2}"),
        ("\\sqrt2", "\\sqrt{2}"),
        ("\\left( 1, 2 \\right)", "(1,2)"),
        ("10^\\circ", "10"),
        ("10^{\\circ}", "10"),
        ("5\\text{ cm}", "5"),
        ("5 \\text{ inches}^2", "5"),
        ("\\text{(A)}", "(A)"),
        ("1,\\!000", "1000"),
        ("18.0", "18"),
        ("x = 5", "5"),
        ("50\\%", "50"),
        ("2\\pi r", "2\\pi r"),
        ("The answer is $3$.", "3"),
        ("so $x=\\boxed{\\frac{a}{b+\\frac{1}{c}}}$", "\\frac{a}{b+\\frac{1}{c}}"),
    ],
)
def test_math_normalisation(raw, value):
    assert normalize_answer("math", raw).value == value


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("\\frac{1}{2}", "0.5"),
        ("\\boxed{\\dfrac12}", "0.5"),
        ("\\boxed{\\dfrac12}", "\\frac{1}{2}"),
        ("\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt2}"),
        ("(x+1)^2", "x^2+2x+1"),
        ("2\\pi r", "2r\\pi"),
    ],
)
def test_math_symbolic_equality(a, b):
    na, nb = normalize_answer("math", a), normalize_answer("math", b)
    assert answers_equal("math", na, nb) and answers_equal("math", nb, na)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("\\frac{1}{2}", "\\frac{1}{3}"),
        ("(1,2)", "(2,1)"),
        ("x^2", "x^3"),
        ("garbage{{", "1"),
    ],
)
def test_math_not_equal(a, b):
    assert not answers_equal("math", normalize_answer("math", a), normalize_answer("math", b))


def test_symbolic_equality_only_for_math():
    assert not answers_equal(
        "trivia", normalize_answer("trivia", "0.5"), normalize_answer("trivia", "\\frac{1}{2}")
    )


def test_math_equality_outside_the_main_thread():
    # math_verify's timeout uses SIGALRM, which only the main thread may set; Streamlit uses others.
    results = []
    t = threading.Thread(target=lambda: results.append(label_answer("math", "\\frac{2}{4}", "0.5")))
    t.start()
    t.join()
    assert results and results[0][0]


def test_math_empty_is_unparseable():
    assert not normalize_answer("math", "\\boxed{}").ok
    assert not normalize_answer("math", "$ $").ok


# ---------------------------------------------------------------- other tasks


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("  Paris  ", "paris"),
        ("New   York\tCity", "new york city"),
        ("PARIS.", "paris"),
        ("The answer is Paris", "paris"),
    ],
)
def test_text(raw, value):
    assert normalize_answer("trivia", raw).value == value


@pytest.mark.parametrize("raw", ["", "   ", "\n"])
def test_text_empty_unparseable(raw):
    assert not normalize_answer("trivia", raw).ok


# ---------------------------------------------------------------- labelling


@pytest.mark.parametrize(
    ("task", "raw", "gold", "options", "correct"),
    [
        ("strategyqa", "Yes.", "True", None, True),
        ("strategyqa", "no", "yes", None, False),
        ("strategyqa", "maybe", "yes", None, False),
        ("ecqa", "Option 2", "2", ECQA_OPTIONS, True),
        ("aqua", "(B) Paris", "B", AQUA_OPTIONS, True),
        ("aqua", "C", "B", AQUA_OPTIONS, False),
        ("gsm8k", "$18.00", "18", None, True),
        ("math", "\\boxed{\\dfrac12}", "0.5", None, True),
        ("trivia", "paris", "Paris", None, True),
        ("gsm8k", "18", "unknown", None, False),  # unparseable gold: nothing is correct
    ],
)
def test_label_answer(task, raw, gold, options, correct):
    ok, answer = label_answer(task, raw, gold, options)
    assert ok is correct
    assert answer == normalize_answer(task, raw, options)


def test_unparseable_never_equal():
    bad = NormalizedAnswer(None, "??")
    assert not answers_equal("trivia", bad, bad)
    assert not answers_equal("math", bad, NormalizedAnswer("1", "1"))


# ---------------------------------------------------------------- whole generations


@pytest.mark.parametrize(
    ("task", "text", "options", "value"),
    [
        (
            "gsm8k",
            "She has 16 - 3 - 4 = 9 eggs and earns 9 * 2 = $18. So the answer is 18.\n\n"
            "Question: A robe takes 2 bolts",
            None,
            "18",
        ),
        ("gsm8k", "She has 3 apples and buys 15 more, 3 + 15 = 18 apples", None, "18"),
        ("gsm8k", "The total is $1,200.50 after tax. So the answer is $1,200.50.", None, "1200.5"),
        (
            "strategyqa",
            "Albany, GA has about 75,000 people while Albany, NY has almost 100,000. So the answer is no.",
            None,
            "no",
        ),
        ("strategyqa", "No record exists of it, but it is plausible. I'd say yes", None, "yes"),
        ("ecqa", "People keep money in a bank, not a river bank. So the answer is 2.", ECQA_OPTIONS, "2"),
        ("ecqa", "Option 1 is wrong; option 3 fits best, so I pick 3. 7 people agree", ECQA_OPTIONS, "3"),
        ("aqua", "Let x be the speed. Then 3x = 63, x = 21. So the answer is (A).", AQUA_OPTIONS, "A"),
        ("aqua", "A is out since 3x = 63. Therefore option (C) works", AQUA_OPTIONS, "C"),
        ("math", "We get $x = \\frac{1}{2}$, so the answer is $\\frac{1}{2}$.", None, "\\frac{1}{2}"),
        ("math", "First $\\boxed{2}$ is wrong; finally $x = \\boxed{\\dfrac{3}{4}}$.", None, "\\frac{3}{4}"),
        ("trivia", "Thinking about it.\nFinal: Paris\n\n", None, "final: paris"),
        ("trivia", "It is in France. The answer is Paris. Paris is big.", None, "paris"),
    ],
)
def test_extract_answer(task, text, options, value):
    assert extract_answer(task, text, options).value == value


def test_extract_answer_raw_is_the_answer_sentence():
    assert extract_answer("gsm8k", "3 + 15 = 18. So the answer is 18.").raw == "18"


@pytest.mark.parametrize(
    ("task", "text", "options"),
    [
        ("ecqa", "It could be a bank or a dog, so the answer is either 2 or 4.", ECQA_OPTIONS),
        ("gsm8k", "Hard to say, the answer is twelve.", None),  # committed, unreadable: no fallback
        ("strategyqa", "I cannot tell.", None),
        ("math", "The value is one half.", None),
        ("aqua", "None of the numbers 6 and 7 work.", AQUA_OPTIONS),
    ],
)
def test_extract_answer_unparseable(task, text, options):
    assert not extract_answer(task, text, options).ok


# ---------------------------------------------------------------- properties


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_formatted_integer_normalises_back(n):
    sign = "-" if n < 0 else ""
    for raw in (f"{sign}${abs(n):,}", f"{n:,}", f"{n}.00", f"{n} dollars"):
        assert normalize_answer("gsm8k", raw).value == str(n)


@given(st.fractions(max_denominator=1000))
def test_canonical_number_is_a_fixed_point(f):
    value = normalize_answer("gsm8k", f"{f.numerator}/{f.denominator}").value
    assert value is not None
    assert normalize_answer("gsm8k", value).value == value


@given(st.integers(min_value=1, max_value=8), st.data())
def test_choice_forms_normalise_to_the_option(n, data):
    i = data.draw(st.integers(min_value=0, max_value=n - 1))
    options = [f"option text {k}" for k in range(n)]
    letter, number = "ABCDEFGH"[i], str(i + 1)
    form = data.draw(st.sampled_from(["{}", "({})", "{})", "{}.", "Answer: {}", "option {}"]))
    assert normalize_answer("aqua", form.format(letter), options).value == letter
    assert normalize_answer("aqua", letter, options).value == letter  # canonical is a fixed point
    assert normalize_answer("ecqa", form.format(number), options).value == number
    assert normalize_answer("ecqa", options[i].upper() + ".", options).value == number
    assert not normalize_answer("ecqa", str(n + 1), options).ok


@given(st.sampled_from(["yes", "no", "true", "false"]), st.sampled_from(["", ".", "!", ","]), st.booleans())
def test_yesno_case_and_punctuation(word, punct, upper):
    raw = (word.upper() if upper else word.capitalize()) + punct
    assert normalize_answer("boolq", raw).value == ("yes" if word in ("yes", "true") else "no")


# ---------------------------------------------------------------- import and speed


def test_non_math_stays_light():
    """No app/db/Streamlit import, and sympy is loaded only once a MATH answer needs it."""
    code = (
        "import sys\n"
        "from magdi.answers import normalize_answer, label_answer\n"
        "label_answer('gsm8k', '$18', '18'); normalize_answer('aqua', '(B)')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('streamlit', 'db', 'app', 'sympy')]\n"
        "assert not bad, bad\n"
    )
    root = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", code], check=True, cwd=root)


@given(
    answers=st.lists(
        st.sampled_from(
            [
                "18",
                "$18.00",
                "eighteen",
                "yes",
                "No.",
                "(B)",
                "b",
                "river bank",
                "2",
                "\\boxed{18}",
                "maybe",
                "",
                "The answer is 3",
                "1/2",
                "0.5",
            ]
        )
        | st.text(max_size=8),
        max_size=6,
    ),
    task=st.sampled_from(["gsm8k", "strategyqa", "ecqa", "aqua", "math", "trivia"]),
    gold=st.sampled_from(["18", "yes", "2", "B", "\\frac{1}{2}", "river bank"]),
)
def test_label_answers_is_label_answer_for_every_answer(answers, task, gold):
    options = AQUA_OPTIONS if task == "aqua" else ECQA_OPTIONS if task == "ecqa" else None
    expected = [label_answer(task, a, gold, options) for a in answers]
    assert label_answers(task, answers, gold, options) == [(c, n.value) for c, n in expected]

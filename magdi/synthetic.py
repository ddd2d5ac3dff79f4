"""Synthetic reasoning questions with step-by-step solutions, offline and seeded.

Three answer kinds, one per task the store knows: arithmetic word problems (task "gsm8k", a
number), yes/no checks of computed quantities (task "strategyqa") and multiple choice among a
result and its distractors (task "ecqa", options numbered 1-5).

A question carries its solution twice: as text, and as machine-readable `Step`s that `trace`
re-runs — with slips when asked — so simulated teachers (`magdi.simulated`) can write wrong
chains whose wrong step propagates to a wrong answer. Questions stay short (at most 120
characters) and every sum, difference and product is worked out by place value (`place_value`),
so that a tiny student trained on CPU for minutes learns the arithmetic, not only the format.
Every question is drawn from its own `random.Random(f"{kind}-{seed}-{index}")`: the first k
questions of `make_questions(kind, n, seed)` are the same for every n >= k.
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from dataclasses import dataclass

KINDS = ("arithmetic", "yesno", "choice")
TASKS = {"arithmetic": "gsm8k", "yesno": "strategyqa", "choice": "ecqa"}
_ID_PREFIX = {"arithmetic": "arith", "yesno": "yesno", "choice": "choice"}
ARITHMETIC_OPS = ("+", "-", "x")
CHECK_OPS = (">", "<", "even")


@dataclass(frozen=True, slots=True)
class Step:
    """One step of a solution, rendered by `template` with `{a}`, `{b}`, `{r}` (and `{is}`).

    op: "+", "-", "x" compute r from a and b; ">" / "<" check a against b and "even" checks a
    (r is 1 true, 0 false; `{is}` renders "is" / "is not"); "pick" names the option (r, 1-based)
    whose value is closest to a; "=" states a (r = a).
    a_from / b_from: the index of the earlier step whose result a / b is (-1: the literal a / b),
    which is how a slip in one step propagates to the later ones.
    """

    op: str
    a: int
    b: int
    result: int
    template: str
    a_from: int = -1
    b_from: int = -1


@dataclass(frozen=True, slots=True)
class SyntheticQuestion:
    id: str
    task: str
    question: str
    options: list[str] | None
    gold_answer: str
    steps: tuple[Step, ...]
    solution: str  # the correct step-by-step reasoning (without "So the answer is")


@dataclass(frozen=True, slots=True)
class Trace:
    """A solution re-run: each step's result, the reasoning text and the answer it gives."""

    results: tuple[int, ...]
    text: str
    answer: str


# ---------------------------------------------------------------- running steps


def compute(op: str, a: int, b: int, values: tuple[int, ...] = ()) -> int:
    """The result of one step; `values` are the option values a "pick" step chooses among."""
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "x":
        return a * b
    if op == ">":
        return int(a > b)
    if op == "<":
        return int(a < b)
    if op == "even":
        return int(a % 2 == 0)
    if op == "pick":
        return min(range(len(values)), key=lambda i: (abs(values[i] - a), i)) + 1
    if op == "=":
        return a
    raise ValueError(f"unknown step op {op!r}")


def place_value(op: str, a: int, b: int, r: int) -> str:
    """`a op b = r` worked out by place value, as one solves it in one's head: units first, then
    tens, then the two put together ("37 + 45: 7 + 5 = 12, 30 + 40 = 70, 70 + 12 = 82"). Every
    digit written then follows from two digits in view, which a tiny student learns in minutes,
    where a bare "37 + 45 = 82" needs the carry worked out unseen. The last equation states r,
    right or (a slip) wrong."""
    a1, a0, b1, b0 = a // 10, a % 10, b // 10, b % 10
    if op == "+":
        tens = (a1 + b1) * 10
        parts = [f"{a0} + {b0} = {a0 + b0}"] + [f"{a1 * 10} + {b1 * 10} = {tens}"] * (b1 > 0)
        parts.append(f"{tens} + {a0 + b0} = {r}")
    elif op == "-":
        borrow = int(a0 < b0)
        units, tens = a0 + 10 * borrow, (a1 - borrow) * 10
        parts = [f"{units} - {b0} = {units - b0}"] + [f"{tens} - {b1 * 10} = {tens - b1 * 10}"] * (b1 > 0)
        parts.append(f"{tens - b1 * 10} + {units - b0} = {r}")
    else:  # a one-digit factor a times b
        parts = [
            f"{a} x {b1 * 10} = {a * b1 * 10}",
            f"{a} x {b0} = {a * b0}",
            f"{a * b1 * 10} + {a * b0} = {r}",
        ]
    return f"{a} {op} {b}: " + ", ".join(parts)


def render(step: Step, a: int, b: int, r: int) -> str:
    text = step.template.format(a=a, b=b, r=r, **{"is": "is" if r else "is not"})
    if step.op in ARITHMETIC_OPS and 10 <= max(a, b) and 0 <= min(a, b) and max(a, b) <= 99 and a >= 0:
        if step.op != "x" or (a < 10 and b >= 10):
            text = text.replace(f"{a} {step.op} {b} = {r}", place_value(step.op, a, b, r))
    return text


def option_values(options: list[str] | None) -> tuple[int, ...]:
    """The number each option starts with ("63 apples" -> 63)."""
    return tuple(int(o.split()[0]) for o in options or [])


def answer_of(q: SyntheticQuestion, last: int) -> str:
    """The answer field for the last step's result: a number, yes/no or an option number."""
    if q.task == "strategyqa":
        return "yes" if last else "no"
    return str(last)


def trace(q: SyntheticQuestion, overrides: Mapping[int, int] | None = None) -> Trace:
    """Re-run the steps; `overrides` replaces the result of the steps it names (a slip, a wrong
    comparison), and every later step that uses such a result computes on from it."""
    overrides = overrides or {}
    values = option_values(q.options)
    results: list[int] = []
    sentences = []
    for i, s in enumerate(q.steps):
        a = results[s.a_from] if s.a_from >= 0 else s.a
        b = results[s.b_from] if s.b_from >= 0 else s.b
        r = overrides.get(i, compute(s.op, a, b, values))
        results.append(r)
        sentences.append(render(s, a, b, r))
    return Trace(tuple(results), " ".join(sentences), answer_of(q, results[-1]))


# ---------------------------------------------------------------- word problems
# A question is written first and its steps are then read back from its text (`solve`), so the
# generator and the simulated teachers, who see only the text, share one reading of it.

_NAMES = [
    ("Tom", "he"),
    ("Ana", "she"),
    ("Ben", "he"),
    ("Mia", "she"),
    ("Sam", "he"),
    ("Eva", "she"),
    ("Leo", "he"),
    ("Zoe", "she"),
    ("Max", "he"),
    ("Ivy", "she"),
    ("Raj", "he"),
    ("Lin", "she"),
    ("Omar", "he"),
    ("Nora", "she"),
    ("Paul", "he"),
    ("Kim", "she"),
    ("Ali", "he"),
    ("Rosa", "she"),
    ("Finn", "he"),
    ("Uma", "she"),
]
_OBJECTS = [
    "apples",
    "stamps",
    "marbles",
    "coins",
    "cards",
    "books",
    "shells",
    "pens",
    "stickers",
    "beads",
    "eggs",
    "cookies",
    "toys",
    "plums",
    "nuts",
    "rocks",
]
_GAIN = ["buys", "finds", "gets", "wins", "picks"]
_LOSE = ["gives away", "sells", "loses", "uses", "trades away"]
_PACKS = ["bags", "boxes", "packs", "jars"]
_ASK = [
    "How many {o} does {p} have now?",
    "How many {o} does {n} have now?",
    "How many {o} does {p} end with?",
]
_ASK_LEFT = "How many {o} are left?"
_EVENT = re.compile(
    rf"(?P<gain>{'|'.join(_GAIN)}) (?P<g>\d+) more"
    rf"|(?P<lose>{'|'.join(_LOSE)}) (?P<l>\d+)"
    rf"|buys (?P<k>\d+) (?P<u>{'|'.join(_PACKS)}) of (?P<m>\d+)"
)
_STORY = re.compile(
    r"(?P<name>[A-Z][a-z]+) has (?P<start>\d+) (?P<obj>[a-z]+)\. (?P<pron>He|She) "
    r"(?P<events>.+)\. How many [^?]+\?"
)
# How a solution phrases its steps: (start, gain, lose, packs); {v} is the question's verb.
_STYLES = [
    (
        "{n} starts with {{r}}.",
        "{P} {v} {{b}}: {{a}} + {{b}} = {{r}}.",
        "{P} {v} {{b}}: {{a}} - {{b}} = {{r}}.",
        "{k} {u} of {m}: {{a}} x {{b}} = {{r}}.",
    ),
    (
        "{n} has {{r}}.",
        "After {w} {{b}}: {{a}} + {{b}} = {{r}}.",
        "After {w} {{b}}: {{a}} - {{b}} = {{r}}.",
        "The {u} hold {{a}} x {{b}} = {{r}}.",
    ),
    (
        "Start: {{r}}.",
        "{V} {{b}}: {{a}} + {{b}} = {{r}}.",
        "{V} {{b}}: {{a}} - {{b}} = {{r}}.",
        "{U}: {{a}} x {{b}} = {{r}}.",
    ),
]
STYLES = len(_STYLES)
_PICKS = ["That is option {r}.", "{a} is option {r}.", "So option {r} fits."]
MAX_VALUE = 99  # every operand, intermediate result included, has at most two digits
MAX_CHARS = 120  # the longest question
MAX_SOLUTION_CHARS = 300  # the longest solution (place-value working makes a step ~45 characters)


_ING = {
    "buys": "buying",
    "finds": "finding",
    "gets": "getting",
    "wins": "winning",
    "picks": "picking",
    "gives": "giving",
    "sells": "selling",
    "loses": "losing",
    "uses": "using",
    "trades": "trading",
}


def _ing(verb: str) -> str:
    head, _, rest = verb.partition(" ")
    return f"{_ING[head]} {rest}".strip()


def _story_steps(m: re.Match, style: int) -> tuple[Step, ...] | None:
    st = _STYLES[style % STYLES]
    name, pron, start = m["name"], m["pron"], int(m["start"])
    steps = [Step("=", start, 0, start, st[0].format(n=name))]
    for phrase in re.split(r", | and ", m["events"]):
        e = _EVENT.fullmatch(phrase)
        if e is None:
            return None
        prev = len(steps) - 1
        if e["k"]:
            k, n, unit = int(e["k"]), int(e["m"]), e["u"]
            steps.append(Step("x", k, n, k * n, st[3].format(k=k, m=n, u=unit, U=unit.capitalize())))
            steps.append(
                Step("+", 0, 0, steps[prev].result + k * n, "{a} + {b} = {r}.", a_from=prev, b_from=prev + 1)
            )
            continue
        op, verb, b = ("+", e["gain"], int(e["g"])) if e["gain"] else ("-", e["lose"], int(e["l"]))
        template = st[1 if op == "+" else 2].format(P=pron, v=verb, w=_ing(verb), V=verb.capitalize())
        steps.append(Step(op, 0, b, compute(op, steps[prev].result, b), template, a_from=prev))
    return tuple(steps)


def _write_story(rng: random.Random, n_ops: int) -> tuple[str, str]:
    """(question, what it counts): a count changed by `n_ops` operations (+, -, and x with a
    one-digit factor), every intermediate result in 0..MAX_VALUE."""
    (name, pron), obj = rng.choice(_NAMES), rng.choice(_OBJECTS)
    value = rng.randint(12, 99)
    start, phrases, last = value, [], "+"
    for _ in range(n_ops):
        ops = ["+", "-", "x"] if value <= MAX_VALUE - 20 else ["-"]
        op = rng.choices(ops, weights=[5, 5, 2][: len(ops)])[0]
        if op == "-" and value < 4:
            op = "+"
        if op == "x":
            k, n = rng.randint(2, 9), rng.randint(2, 12)
            while value + k * n > MAX_VALUE:
                k, n = max(2, k - 1), max(2, n - 2)
            phrases.append(f"buys {k} {rng.choice(_PACKS)} of {n}")
            value, last = value + k * n, "+"
        elif op == "+":
            b = rng.randint(2, min(99, MAX_VALUE - value))
            phrases.append(f"{rng.choice(_GAIN)} {b} more")
            value, last = value + b, "+"
        else:
            b = rng.randint(2, min(99, value - 1))
            phrases.append(f"{rng.choice(_LOSE)} {b}")
            value, last = value - b, "-"
    events = ", ".join(phrases[:-1]) + " and " + phrases[-1]
    ask = rng.choice(_ASK + [_ASK_LEFT] * (last == "-")).format(o=obj, p=pron, n=name)
    return f"{name} has {start} {obj}. {pron.capitalize()} {events}. {ask}", obj


# ---------------------------------------------------------------- yes / no

_ATTRS = [
    ("is {x} years old", "older than", "is {d} years older than"),
    ("is {x} cm tall", "taller than", "is {d} cm taller than"),
    ("has {x} coins", "more coins than", "has {d} more coins than"),
]
_EXPR = r"(?P<a>\d+) (?P<op>[+-]) (?P<b>\d+)(?: (?P<op2>[+-]) (?P<c>\d+))?"
_PARITY = re.compile(rf"Is (?:the result of )?{_EXPR} (?:an even number|even)\?")
_COMPARE = re.compile(
    rf"Is {_EXPR} (?P<w>more|greater|less|smaller) than (?P<t>\d+)\?"
    r"(?: Answer yes or no\.)?"
)
_PEOPLE = re.compile(
    r"(?P<n1>[A-Z][a-z]+) (?:is|has) (?P<x>\d+) [^.]+\. (?P<n2>[A-Z][a-z]+) "
    r"(?:is|has) (?P<d>\d+) [^.]+ than (?P=n1)\. (?P<n3>[A-Z][a-z]+) (?:is|has) "
    r"(?P<y>\d+) [^.]+\. Is (?P=n2) [a-z ]+ than (?P=n3)\?"
)
_LESS = ("less", "smaller")


def _expr_steps(m: re.Match) -> list[Step]:
    a, op, b = int(m["a"]), m["op"], int(m["b"])
    steps = [Step(op, a, b, compute(op, a, b), "{a} " + op + " {b} = {r}.")]
    if m["op2"]:
        op2, c = m["op2"], int(m["c"])
        steps.append(
            Step(op2, 0, c, compute(op2, steps[0].result, c), "{a} " + op2 + " {b} = {r}.", a_from=0)
        )
    return steps


def _yesno_steps(question: str) -> tuple[Step, ...] | None:
    if m := _PEOPLE.fullmatch(question):
        x, d, y = int(m["x"]), int(m["d"]), int(m["y"])
        return (
            Step("+", x, d, x + d, f"{m['n2']}: {{a}} + {{b}} = {{r}}."),
            Step(">", 0, y, int(x + d > y), "{a} {is} more than {b}.", a_from=0),
        )
    if m := _PARITY.fullmatch(question):
        steps = _expr_steps(m)
        return (*steps, Step("even", 0, 0, steps[-1].result % 2 ^ 1, "{a} {is} even.", a_from=len(steps) - 1))
    if m := _COMPARE.fullmatch(question):
        steps = _expr_steps(m)
        check, t = ("<" if m["w"] in _LESS else ">"), int(m["t"])
        return (
            *steps,
            Step(
                check,
                0,
                t,
                compute(check, steps[-1].result, t),
                "{a} {is} " + m["w"] + " than {b}.",
                a_from=len(steps) - 1,
            ),
        )
    return None


def _write_yesno(rng: random.Random) -> str:
    form = rng.randrange(4)
    if form == 3:  # named people ordered by an attribute
        (n1, _), (n2, _), (n3, _) = rng.sample(_NAMES, 3)
        attr, comp, more = rng.choice(_ATTRS)
        x, d = rng.randint(10, 80), rng.randint(2, 19)
        y = x + d + rng.choice([-1, 1]) * rng.randint(1, 9)
        return (
            f"{n1} {attr.format(x=x)}. {n2} {more.format(d=d)} {n1}. "
            f"{n3} {attr.format(x=y)}. Is {n2} {comp} {n3}?"
        )
    a, b = rng.randint(10, 99), rng.randint(10, 99)
    op = rng.choice(["+", "-"])
    if op == "-" and b > a:
        a, b = b, a
    expr, value = f"{a} {op} {b}", compute(op, a, b)
    if form == 2:  # two steps
        c = rng.randint(2, 40)
        op2 = "-" if value > c and rng.random() < 0.5 else "+"
        expr, value = f"{expr} {op2} {c}", compute(op2, value, c)
    if form == 0:
        return rng.choice(["Is {e} an even number?", "Is {e} even?", "Is the result of {e} even?"]).format(
            e=expr
        )
    t = max(0, value + rng.choice([-1, 1]) * rng.randint(1, 12))
    word = rng.choice(["more", "greater", *_LESS])
    return rng.choice(["Is {e} {w} than {t}?", "Is {e} {w} than {t}? Answer yes or no."]).format(
        e=expr, w=word, t=t
    )


# ---------------------------------------------------------------- multiple choice


def distractors(steps: tuple[Step, ...]) -> list[int]:
    """Wrong results a careless solver reaches: off by one, the last step's operation swapped,
    its operands swapped (|b - a|), off by ten; non-negative, distinct, never the right result."""
    last = steps[-1]
    prev = steps[last.a_from].result if last.a_from >= 0 else last.a
    b = steps[last.b_from].result if last.b_from >= 0 else last.b
    right = last.result
    swapped_op = {"+": prev - b, "-": prev + b}.get(last.op, right + 10)
    swapped_args = abs(b - prev) if last.op == "-" else right - 10
    out: list[int] = []
    for c in (
        right + 1,
        right - 1,
        swapped_op,
        swapped_args,
        right + 10,
        right - 10,
        right + 2,
        right - 2,
        right + 11,
        right + 9,
    ):
        if c >= 0 and c != right and c not in out:
            out.append(c)
    return out


def _write_choice(rng: random.Random) -> tuple[str, list[str]]:
    question, unit = _write_story(rng, 2)
    steps = _steps(question, None, 0)
    assert steps is not None
    values = [steps[-1].result, *distractors(steps)[:4]]
    rng.shuffle(values)
    return question, [f"{v} {unit}" for v in values]


# ---------------------------------------------------------------- reading and writing questions


def _steps(question: str, options: list[str] | None, style: int) -> tuple[Step, ...] | None:
    if m := _STORY.fullmatch(question):
        steps = _story_steps(m, style)
        if steps is None or options is None:
            return steps
        return (*steps, Step("pick", 0, 0, 0, _PICKS[style % len(_PICKS)], a_from=len(steps) - 1))
    return _yesno_steps(question) if options is None else None


def solve(
    task: str, question: str, options: list[str] | None = None, style: int = 0
) -> SyntheticQuestion | None:
    """The question, its steps and its correct solution read back from its text (in phrasing
    `style`), or None when it is not one of this module's questions."""
    try:
        values = option_values(options)
    except (ValueError, IndexError):
        return None
    steps = _steps(question.strip(), options, style)
    if steps is None or (options is not None and len(values) < 2):
        return None
    kind = "yesno" if steps[-1].op in CHECK_OPS else "choice" if options else "arithmetic"
    if TASKS[kind] != task:
        return None
    t = trace(SyntheticQuestion("", task, question, options, "", steps, ""))
    return SyntheticQuestion("", task, question, options, t.answer, steps, t.text)


def make_question(kind: str, index: int, seed: int = 0) -> SyntheticQuestion:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    rng = random.Random(f"{kind}-{seed}-{index}")
    style = rng.randrange(STYLES)
    for _ in range(50):  # a short one: question <= MAX_CHARS, solution <= MAX_SOLUTION_CHARS
        options = None
        if kind == "arithmetic":
            question, _ = _write_story(rng, rng.choice([2, 2, 3]))
        elif kind == "yesno":
            question = _write_yesno(rng)
        else:
            question, options = _write_choice(rng)
        q = solve(TASKS[kind], question, options, style)
        assert q is not None, question
        if len(question) <= MAX_CHARS and len(q.solution) <= MAX_SOLUTION_CHARS:
            break
    return SyntheticQuestion(
        f"{_ID_PREFIX[kind]}-{index:05d}", q.task, question, options, q.gold_answer, q.steps, q.solution
    )


def make_questions(kind: str, n: int, seed: int = 0) -> list[SyntheticQuestion]:
    """`n` questions of one kind; the same (kind, n, seed) always gives the same questions."""
    if n < 0:
        raise ValueError("n must be >= 0")
    return [make_question(kind, i, seed) for i in range(n)]

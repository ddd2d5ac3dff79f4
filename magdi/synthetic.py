"""Synthetic reasoning questions with step-by-step solutions, offline and seeded.

Three answer kinds, one per task the store knows: arithmetic word problems (task "gsm8k", a
number), yes/no checks of computed quantities (task "strategyqa") and multiple choice among a
result and its distractors (task "ecqa", options numbered 1-5).

A question carries its solution twice: as text, and as machine-readable `Step`s that `trace`
re-runs — with slips when asked — so simulated teachers (`magdi.simulated`) can write wrong
chains whose wrong step propagates to a wrong answer. Questions and solutions stay short (about
120 characters each) and every step is one equation, so a tiny byte-level student can learn them.
Every question is drawn from its own `random.Random(f"{kind}-{seed}-{index}")`: the first k
questions of `make_questions(kind, n, seed)` are the same for every n >= k.
"""

from __future__ import annotations

import random
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


def render(step: Step, a: int, b: int, r: int) -> str:
    return step.template.format(a=a, b=b, r=r, **{"is": "is" if r else "is not"})


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


# ---------------------------------------------------------------- word material

_NAMES = [("Tom", "he"), ("Ana", "she"), ("Ben", "he"), ("Mia", "she"), ("Sam", "he"),
          ("Eva", "she"), ("Leo", "he"), ("Zoe", "she"), ("Max", "he"), ("Ivy", "she"),
          ("Raj", "he"), ("Lin", "she"), ("Omar", "he"), ("Nora", "she"), ("Paul", "he"),
          ("Kim", "she"), ("Ali", "he"), ("Rosa", "she"), ("Finn", "he"), ("Uma", "she")]
_OBJECTS = ["apples", "stamps", "marbles", "coins", "cards", "books", "shells", "pens",
            "stickers", "beads", "eggs", "cookies", "toys", "plums", "nuts", "rocks"]
_GAIN = ["buys {b} more", "finds {b} more", "gets {b} more", "wins {b} more", "picks {b} more"]
_LOSE = ["gives away {b}", "sells {b}", "loses {b}", "uses {b}", "trades away {b}"]
_PACKS = ["bags", "boxes", "packs", "jars"]
_ASK = ["How many {o} does {p} have now?", "How many {o} does {n} have now?",
        "How many {o} are left?", "How many {o} does {p} end with?"]
# The solution's phrasing of a step: (start, gain, lose, packs), picked once per question.
_STYLES = [
    ("{n} starts with {{r}}.", "{P} {v} {{b}}: {{a}} + {{b}} = {{r}}.",
     "{P} {v} {{b}}: {{a}} - {{b}} = {{r}}.", "{k} {u} of {m}: {{a}} x {{b}} = {{r}}."),
    ("{n} has {{r}}.", "After {w} {{b}}: {{a}} + {{b}} = {{r}}.",
     "After {w} {{b}}: {{a}} - {{b}} = {{r}}.", "The {u} hold {{a}} x {{b}} = {{r}}."),
    ("Start: {{r}}.", "{V} {{b}}: {{a}} + {{b}} = {{r}}.", "{V} {{b}}: {{a}} - {{b}} = {{r}}.",
     "{U}: {{a}} x {{b}} = {{r}}."),
]
_ING = {"buys": "buying", "finds": "finding", "gets": "getting", "wins": "winning",
        "picks": "picking", "gives": "giving", "sells": "selling", "loses": "losing",
        "uses": "using", "trades": "trading"}
MAX_VALUE = 199  # no intermediate result above this


@dataclass(frozen=True, slots=True)
class _Problem:
    question: str  # the story and its question
    steps: tuple[Step, ...]
    unit: str  # the objects counted, for options


def _story(rng: random.Random, n_ops: int) -> _Problem:
    """A word problem of `n_ops` operations (+, -, and x with a one-digit factor) on a count."""
    (name, pron), obj = rng.choice(_NAMES), rng.choice(_OBJECTS)
    style = rng.choice(_STYLES)
    start = rng.randint(12, 99)
    steps = [Step("=", start, 0, start, style[0].format(n=name))]
    phrases = []
    value = start
    for _ in range(n_ops):
        choices = ["+", "-", "x"] if value <= MAX_VALUE - 20 else ["-"]
        op = rng.choices(choices, weights=[5, 5, 2][: len(choices)])[0]
        if op == "-" and value < 4:
            op = "+"
        if op == "x":
            k, m = rng.randint(2, 9), rng.randint(2, 12)
            while value + k * m > MAX_VALUE:
                k, m = max(2, k - 1), max(2, m - 2)
            unit = rng.choice(_PACKS)
            phrases.append(f"buys {k} {unit} of {m}")
            steps.append(Step("x", k, m, k * m, style[3].format(k=k, m=m, u=unit, U=unit.capitalize())))
            prod = len(steps) - 1
            value += k * m
            steps.append(Step("+", 0, 0, value, "{a} + {b} = {r}.", a_from=prod - 1, b_from=prod))
            continue
        if op == "+":
            b = rng.randint(2, min(99, MAX_VALUE - value))
            phrase = rng.choice(_GAIN)
        else:
            b = rng.randint(2, min(99, value - 1))
            phrase = rng.choice(_LOSE)
        phrases.append(phrase.format(b=b))
        verb = phrase.split()[0]
        sol_verb = phrase.split(" {b}")[0].replace(" more", "")
        template = style[1 if op == "+" else 2].format(
            P=pron.capitalize(), v=sol_verb, w=_ING[verb] + sol_verb[len(verb):],
            V=sol_verb.capitalize())
        value = compute(op, value, b)
        steps.append(Step(op, 0, b, value, template, a_from=len(steps) - 1))
    events = ", ".join(phrases[:-1]) + " and " + phrases[-1]
    asks = _ASK if steps[-1].op == "-" else [a for a in _ASK if "left" not in a]
    ask = rng.choice(asks).format(o=obj, p=pron, n=name)
    question = f"{name} has {start} {obj}. {pron.capitalize()} {events}. {ask}"
    return _Problem(question, tuple(steps), obj)


def _arithmetic(rng: random.Random) -> _Problem:
    for _ in range(20):
        p = _story(rng, rng.choice([2, 2, 3]))
        if len(p.question) <= 120 and len(_solution(p.steps)) <= 130:
            return p
    return _story(rng, 2)


def _solution(steps: tuple[Step, ...], options: list[str] | None = None) -> str:
    q = SyntheticQuestion("", "gsm8k", "", options, "", steps, "")
    return trace(q).text


# ---------------------------------------------------------------- yes / no

_PEOPLE_ATTRS = [("is {x} years old", "older than", "is {d} years older than"),
                 ("is {x} cm tall", "taller than", "is {d} cm taller than"),
                 ("has {x} coins", "more coins than", "has {d} more coins than")]


def _yesno(rng: random.Random) -> tuple[str, tuple[Step, ...]]:
    form = rng.randrange(4)
    if form == 3:  # ordering of named people by an attribute
        (n1, _), (n2, _), (n3, _) = rng.sample(_NAMES, 3)
        attr, comp, more = rng.choice(_PEOPLE_ATTRS)
        x, d = rng.randint(10, 80), rng.randint(2, 19)
        y = x + d + rng.choice([-1, 1]) * rng.randint(1, 9)
        question = (f"{n1} {attr.format(x=x)}. {n2} {more.format(d=d)} {n1}. "
                    f"{n3} {attr.format(x=y)}. Is {n2} {comp} {n3}?")
        steps = (Step("+", x, d, x + d, f"{n2}: {{a}} + {{b}} = {{r}}."),
                 Step(">", 0, y, int(x + d > y), "{a} {is} more than {b}.", a_from=0))
        return question, steps
    a, b = rng.randint(10, 99), rng.randint(10, 99)
    op = rng.choice(["+", "-"])
    if op == "-" and b > a:
        a, b = b, a
    steps = [Step(op, a, b, compute(op, a, b), "{a} " + op + " {b} = {r}.")]
    expr = f"{a} {op} {b}"
    if form == 2:  # two steps
        c = rng.randint(2, 40)
        op2 = "-" if steps[0].result > c and rng.random() < 0.5 else "+"
        steps.append(Step(op2, 0, c, compute(op2, steps[0].result, c), "{a} " + op2 + " {b} = {r}.",
                          a_from=0))
        expr += f" {op2} {c}"
    value = steps[-1].result
    if form == 0:
        question = rng.choice(["Is {e} an even number?", "Is {e} even?", "Is the result of {e} even?"])
        steps.append(Step("even", 0, 0, int(value % 2 == 0), "{a} {is} even.", a_from=len(steps) - 1))
        return question.format(e=expr), tuple(steps)
    c = max(0, value + rng.choice([-1, 1]) * rng.randint(1, 12))
    check = rng.choice([">", "<"])
    word = rng.choice(["more", "greater"] if check == ">" else ["less", "smaller"])
    question = rng.choice(["Is {e} {w} than {c}?", "Is {e} {w} than {c}? Answer yes or no."])
    steps.append(Step(check, 0, c, compute(check, value, c), "{a} {is} " + word + " than {b}.",
                      a_from=len(steps) - 1))
    return question.format(e=expr, w=word, c=c), tuple(steps)


# ---------------------------------------------------------------- multiple choice

def distractors(steps: tuple[Step, ...]) -> list[int]:
    """Wrong results a careless solver reaches: off by one or ten, the last step's operation
    swapped, its operands swapped (|b - a|); non-negative, distinct, never the right result."""
    last = steps[-1]
    a = next((s for s in reversed(steps) if s.op in ARITHMETIC_OPS), last)
    right = last.result
    prev = steps[a.a_from].result if a.a_from >= 0 else a.a
    b = steps[a.b_from].result if a.b_from >= 0 else a.b
    swapped = {"+": prev - b, "-": prev + b, "x": prev + b}[a.op]
    cands = [right + 1, right - 1, swapped, abs(b - prev) if a.op == "-" else right + 10,
             right - 10, right + 2, right + 9, right - 2, right + 11]
    out: list[int] = []
    for c in cands:
        if c >= 0 and c != right and c not in out:
            out.append(c)
    return out


def _choice(rng: random.Random) -> tuple[str, list[str], tuple[Step, ...]]:
    for _ in range(20):
        p = _story(rng, 2)
        if len(p.question) <= 120:
            break
    wrong = distractors(p.steps)[:4]
    values = [p.steps[-1].result, *wrong]
    rng.shuffle(values)
    options = [f"{v} {p.unit}" for v in values]
    gold = values.index(p.steps[-1].result) + 1
    template = rng.choice(["That is option {r}.", "{a} is option {r}.", "So option {r} fits."])
    steps = (*p.steps, Step("pick", 0, 0, gold, template, a_from=len(p.steps) - 1))
    return p.question, options, steps


# ---------------------------------------------------------------- the generator

def make_question(kind: str, index: int, seed: int = 0) -> SyntheticQuestion:
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    rng = random.Random(f"{kind}-{seed}-{index}")
    options = None
    if kind == "arithmetic":
        p = _arithmetic(rng)
        question, steps = p.question, p.steps
    elif kind == "yesno":
        question, steps = _yesno(rng)
    else:
        question, options, steps = _choice(rng)
    q = SyntheticQuestion(f"{_ID_PREFIX[kind]}-{index:05d}", TASKS[kind], question, options, "",
                          steps, "")
    t = trace(q)
    return SyntheticQuestion(q.id, q.task, question, options, t.answer, steps, t.text)


def make_questions(kind: str, n: int, seed: int = 0) -> list[SyntheticQuestion]:
    """`n` questions of one kind; the same (kind, n, seed) always gives the same questions."""
    if n < 0:
        raise ValueError("n must be >= 0")
    return [make_question(kind, i, seed) for i in range(n)]

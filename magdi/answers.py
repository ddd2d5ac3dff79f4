"""Task-aware answer normalisation: labelling teacher turns and parsing student generations.

Each task kind has a canonical answer form ("yes"/"no", an option number, an option letter, a
number, a cleaned LaTeX string or folded text). An answer that cannot be read as exactly one
such value is unparseable (`value is None`): it is flagged and counted incorrect, never coerced
to some option (ReConcile replaced such answers with a random option; we do not).

Everything except MATH is plain string and regex work and is cached, because bulk import
normalises tens of thousands of turns a second. MATH equality falls back to math_verify
(sympy), which is imported on first use and cached per pair.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Literal, TypeVar

T = TypeVar("T")
AnswerKind = Literal["yesno", "choice_number", "choice_letter", "number", "math", "text"]

_KINDS: dict[str, AnswerKind] = {
    "strategyqa": "yesno",
    "boolq": "yesno",
    "ecqa": "choice_number",
    "arc": "choice_letter",
    "aqua": "choice_letter",
    "commonsenseqa": "choice_letter",
    "csqa": "choice_letter",
    "gsm8k": "number",
    "svamp": "number",
    "math": "math",
}
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DEFAULT_CHOICES = 5  # without options: 1-5 / A-E


def task_kind(task: str) -> AnswerKind:
    return _KINDS.get(task.strip().lower(), "text")


@dataclass(frozen=True)
class NormalizedAnswer:
    value: str | None  # canonical form; None when the answer could not be parsed
    raw: str  # the text the value was read from

    @property
    def ok(self) -> bool:
        return self.value is not None


# ---------------------------------------------------------------- shared pieces

# "So the answer is", "Answer:", GSM8K's "####": what follows the last one is the answer.
_LEAD_IN = re.compile(r"answer\s+is\b\s*:?|answer\s*:|####", re.IGNORECASE)
# In a whole generation only the spoken marker counts ("Answer:" also starts few-shot examples).
_ANSWER_IS = re.compile(r"the\s+(?:final\s+)?answer\s+is\b\s*:?", re.IGNORECASE)
_SENTENCE_END = re.compile(r"[.!?](?:\s|$)|\n")
_LINE_END = re.compile(r"\n")
_SPACES = re.compile(r"\s+")
_WORD = re.compile(r"\w+")


def _after_lead_in(text: str) -> str:
    """The text after the last answer marker, or the whole text when none is followed by any."""
    last = next(reversed(list(_LEAD_IN.finditer(text))), None)
    if last is not None:
        rest = text[last.end() :].strip()
        if rest:
            return rest
    return text.strip()


def _fold(text: str) -> str:
    """Case-, punctuation- and whitespace-insensitive form, for finding option texts in answers."""
    return " ".join(_WORD.findall(text.casefold()))


def _fold_exact(text: str) -> str:
    """Case- and space-insensitive form without outer punctuation, for whole-answer matches.

    Inner symbols stay: AQuA options such as "-30" / "+30" or "x > y" / "x < y" differ only there.
    """
    text = text.casefold().replace("\u2013", "-").replace("\u2212", "-")
    return _SPACES.sub("", text).strip(".,;:!?'\"")


# ---------------------------------------------------------------- yes / no

_YESNO = re.compile(r"\b(yes|no|true|false)\b", re.IGNORECASE)
_YES = {"yes", "true"}


def _yesno(text: str) -> str | None:
    found = {"yes" if w.lower() in _YES else "no" for w in _YESNO.findall(text)}
    return found.pop() if len(found) == 1 else None


# ---------------------------------------------------------------- numbers

# "$1,000", "-3", "0.5", ".5", "1/2"; `$` is dropped and the unicode minus mapped beforehand.
_NUMBER = re.compile(r"(?<![\w.])-?(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:\s*/\s*\d+)?|\.\d+)(?!\d)")


def _canonical_number(token: str) -> str | None:
    """ "1,000" -> "1000", "18.0" -> "18", "1/2" -> "0.5"; "1/3" (no finite decimal) stays "1/3".

    Exact (no float or Decimal rounding), so a canonical value always normalises to itself.
    """
    num, _, den = token.replace(",", "").replace(" ", "").partition("/")
    if not den:  # by string, exact at any length (int() refuses over 4,300 digits)
        whole, _, decimals = num.lstrip("-").partition(".")
        whole, decimals = whole.lstrip("0") or "0", decimals.rstrip("0")
        sign = "-" if num.startswith("-") and (whole, decimals) != ("0", "") else ""
        return f"{sign}{whole}.{decimals}" if decimals else f"{sign}{whole}"
    if len(token) > 1000 or int(den) == 0:  # a fraction too long to be an answer, or 1/0
        return None
    f = Fraction(num) / int(den)
    if f.denominator == 1:
        return str(f.numerator)
    rest, twos, fives = f.denominator, 0, 0
    while rest % 2 == 0:
        rest, twos = rest // 2, twos + 1
    while rest % 5 == 0:
        rest, fives = rest // 5, fives + 1
    if rest != 1:
        return f"{f.numerator}/{f.denominator}"
    k = max(twos, fives)  # f * 10**k is an integer
    digits = str(abs(f.numerator) * 10**k // f.denominator).rjust(k + 1, "0")
    return f"{'-' if f < 0 else ''}{digits[:-k]}.{digits[-k:]}"


def _numbers(text: str) -> list[str]:
    """Canonical forms of every number in the text, in order."""
    text = text.replace("$", "").replace("\u2212", "-")
    return [c for c in map(_canonical_number, _NUMBER.findall(text)) if c is not None]


def _number(text: str) -> str | None:
    found = set(_numbers(text))
    return found.pop() if len(found) == 1 else None


# ---------------------------------------------------------------- multiple choice

# Option letters anywhere. Groups 1-4 are explicit marks, read in any case and refused when out of
# range ("(B)", a leading "b)", "option b", the whole answer "b." / "F"); group 5 is a bare
# capital, kept only when in range, since "I", a sentence-initial "A" and variables are words.
_LETTER = re.compile(
    r"\(([A-Za-z])\)|^([A-Za-z])\)|(?i:\b(?:option|choice)\s+([a-z])\b)"
    r"|^([A-Za-z])[.:]?$|\b([A-Z])\b"
)
_INTEGER = re.compile(r"(?<![\w.,])(\d+)(?!\w|[.,]\d)")
# AQuA-style option texts start with their letter: "A)21", "A) 21", "(A) 21".
_OPTION_PREFIX = re.compile(r"^\s*\(?[A-Za-z]\)\s*")


@lru_cache(maxsize=4096)
def _folded_options(options: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Each option's text, without its letter prefix, for exact and for contained matches, and
    the whole option, prefix included, for an exact match."""
    bare = [_OPTION_PREFIX.sub("", o, count=1) for o in options]
    return (tuple(map(_fold_exact, bare)), tuple(map(_fold, bare)), tuple(map(_fold_exact, options)))


def _letter_marks(text: str, n: int) -> list[int | None]:
    """Option indices of the letters in the text, in order; None for an out-of-range mark."""
    out: list[int | None] = []
    for m in _LETTER.finditer(text):
        i = _LETTERS.index(m[m.lastindex].upper())  # type: ignore[index]
        if i < n:
            out.append(i)
        elif m.lastindex != 5:
            out.append(None)
    return out


def _number_marks(text: str, n: int) -> list[int | None]:
    marks = (int(m) - 1 if len(m) < 6 else n for m in _INTEGER.findall(text))  # 10**6 is out of range too
    return [i if 0 <= i < n else None for i in marks]


def _option_name(i: int, letters: bool) -> str:
    return _LETTERS[i] if letters else str(i + 1)


_LABELLED_OPTION = re.compile(r"^\s*\(?[A-Za-z0-9]\s*[).:]")


def option_name(i: int, task: str) -> str:
    """How answers to the task name option i: "2" where they are numbers (ECQA), else "B"."""
    return _option_name(i, task_kind(task) != "choice_number")


def option_lines(options: list[str], task: str) -> list[str]:
    """The options as prompts list them, each labelled as the task's answers name it; options
    that come labelled ("A) ...") stay as written."""
    if all(_LABELLED_OPTION.match(o) for o in options):
        return list(options)
    return [f"{option_name(i, task)}) {o}" for i, o in enumerate(options)]


def _choice(text: str, options: tuple[str, ...] | None, letters: bool) -> str | None:
    """The single option the answer names, as a letter ("B") or 1-based number ("2").

    An answer that is exactly one option's text (with or without its "A)" prefix) names it.
    Otherwise its marks ("(B)", "option 2") and the option texts it contains must all agree; an
    out-of-range mark, no option at all or two different options make it unparseable.
    """
    n = len(options) if options else _DEFAULT_CHOICES
    exact_texts, texts, whole = _folded_options(options) if options else ((), (), ())
    key = _fold_exact(text)
    exact = [i for i, (t, w) in enumerate(zip(exact_texts, whole)) if key and key in (t, w)]
    if len(exact) == 1:
        return _option_name(exact[0], letters)
    marks = (_letter_marks if letters else _number_marks)(text, n)
    if None in marks:
        return None
    found = {i for i in marks if i is not None}
    padded = f" {_fold(text)} "
    contained = {i for i, t in enumerate(texts) if t and f" {t} " in padded}
    # "river bank" also contains the option "bank": count only the longest matches.
    found |= {
        i for i in contained if not any(j != i and f" {texts[i]} " in f" {texts[j]} " for j in contained)
    }
    return _option_name(found.pop(), letters) if len(found) == 1 else None


# ---------------------------------------------------------------- MATH

_BOXED = re.compile(r"\\(?:boxed|fbox)\s*\{")
_MATH_DELETE = re.compile(
    r"\\left(?![a-zA-Z])|\\right(?![a-zA-Z])|\\displaystyle|\\[!,;:]|\\q?quad|\\ |"
    r"\^\s*\{?\s*\\circ\s*\}?|\\circ|°|\\?%|\\\$|\$|\\[()\[\]]"
)
_TRAILING_UNIT = re.compile(r"(?<=.)\\(?:text|mbox|mathrm)\s*\{[^{}]*\}(?:\^\{?\d\}?)?$")
_TEXT_WRAP = re.compile(r"\\(?:text|textbf|mbox|mathrm)\s*\{([^{}]*)\}")
# Whitespace goes, except where it ends a command before a letter ("\pi r" must not become "\pir").
_MATH_SPACE = re.compile(r"(\\[a-zA-Z]+)\s+(?=[a-zA-Z])|\s+")
_FRAC_SHORT = re.compile(r"\\frac(?:\{([^{}]*)\}|([0-9a-zA-Z]))(?:\{([^{}]*)\}|([0-9a-zA-Z]))")
_SQRT_SHORT = re.compile(r"\\sqrt([0-9a-zA-Z])")
_ASSIGNMENT = re.compile(r"^[a-zA-Z]=(?!=)")
_PLAIN_NUMBER = re.compile(r"-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|-?\.\d+")


def _last_boxed(text: str) -> str | None:
    """Content of the last \\boxed{...} (or \\fbox{...}), nested braces included."""
    starts = [m.end() for m in _BOXED.finditer(text)]
    if not starts:
        return None
    depth, start = 1, starts[-1]
    for i in range(start, len(text)):
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        if depth == 0:
            return text[start:i]
    return None  # unbalanced


def _clean_latex(s: str) -> str | None:
    """Canonical string for a MATH answer, so that most equal answers compare equal as strings."""
    s = _MATH_DELETE.sub("", s).replace("\\dfrac", "\\frac").replace("\\tfrac", "\\frac")
    s = _TRAILING_UNIT.sub("", s.strip())
    s = _TEXT_WRAP.sub(r"\1", s)
    s = _MATH_SPACE.sub(lambda m: m[1] + " " if m[1] else "", s).replace("{,}", ",")
    s = _FRAC_SHORT.sub(lambda m: f"\\frac{{{m[1] or m[2]}}}{{{m[3] or m[4]}}}", s)
    s = _SQRT_SHORT.sub(r"\\sqrt{\1}", s)
    s = _ASSIGNMENT.sub("", s.rstrip("."))
    if _PLAIN_NUMBER.fullmatch(s):
        return _canonical_number(s)
    return s or None


def _timeout() -> int | None:
    # math_verify times out with SIGALRM, which only works in the main thread (Streamlit runs
    # scripts in others): elsewhere it must run without a timeout.
    return 5 if threading.current_thread() is threading.main_thread() else None


@lru_cache(maxsize=8192)
def _parse_math(latex: str) -> tuple:
    from math_verify import parse  # heavy (sympy + ANTLR): imported only once MATH needs it

    return tuple(parse(f"${latex}$", parsing_timeout=_timeout()))


@lru_cache(maxsize=65536)
def _math_equal(a: str, b: str) -> bool:
    from math_verify import verify

    try:
        pa, pb = list(_parse_math(a)), list(_parse_math(b))
        # verify() is not symmetric (an assignment "x=2" matches a gold "2"): try both ways.
        return bool(pa and pb) and (
            verify(pa, pb, timeout_seconds=_timeout()) or verify(pb, pa, timeout_seconds=_timeout())
        )
    except Exception:  # a parser or sympy failure means "not shown equal"
        return False


# ---------------------------------------------------------------- public API


@lru_cache(maxsize=65536)
def _normalize(kind: AnswerKind, raw: str, options: tuple[str, ...] | None) -> str | None:
    if kind == "math":
        boxed = _last_boxed(raw)
        return _clean_latex(boxed if boxed is not None else _after_lead_in(raw))
    text = _after_lead_in(raw)
    if kind == "yesno":
        return _yesno(text)
    if kind == "number":
        return _number(text)
    if kind in ("choice_number", "choice_letter"):
        return _choice(text, options, letters=kind == "choice_letter")
    return _SPACES.sub(" ", text.casefold()).strip().rstrip(".!?").rstrip() or None


def normalize_answer(task: str, raw: str, options: list[str] | None = None) -> NormalizedAnswer:
    """Normalise the answer field of a turn (short text, not a whole generation)."""
    opts = tuple(options) if options else None
    return NormalizedAnswer(_normalize(task_kind(task), raw, opts), raw)


def answers_equal(task: str, a: NormalizedAnswer, b: NormalizedAnswer) -> bool:
    """Same canonical value; for MATH also symbolic equality. Unparseable is never equal."""
    return values_equal(task, a.value, b.value)


def values_equal(task: str, a: str | None, b: str | None) -> bool:
    """`answers_equal` of two canonical values; None (unparseable) equals nothing."""
    return _equal(task_kind(task), a, b)


def group_equal(task: str, items: Iterable[T], value: Callable[[T], str | None]) -> list[tuple[str, list[T]]]:
    """Items grouped by equal canonical values (symbolically for MATH), as (the first value of the
    group, its items) in order of first appearance; items whose value is None are left out."""
    kind = task_kind(task)
    groups: list[tuple[str, list[T]]] = []
    for item in items:
        v = value(item)
        if v is None:
            continue
        for rep, members in groups:
            if _equal(kind, rep, v):
                members.append(item)
                break
        else:
            groups.append((v, [item]))
    return groups


def _equal(kind: AnswerKind, a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    return a == b or (kind == "math" and _math_equal(*sorted((a, b))))


def label_answer(
    task: str, raw: str, gold: str, options: list[str] | None = None
) -> tuple[bool, NormalizedAnswer]:
    """(correct?, normalised answer). An unparseable answer is incorrect and keeps ok False."""
    [(correct, value)] = label_answers(task, [raw], gold, options)
    return correct, NormalizedAnswer(value, raw)


def label_answers(
    task: str, answers: list[str], gold: str, options: list[str] | None = None
) -> list[tuple[bool, str | None]]:
    """(correct?, canonical value or None) of each answer to one question, normalising the gold
    answer once (bulk import labels every turn of a discussion with one call)."""
    kind = task_kind(task)
    opts = tuple(options) if options else None
    target = _normalize(kind, gold, opts)
    out = []
    for raw in answers:
        value = _normalize(kind, raw, opts)
        out.append((_equal(kind, value, target), value))
    return out


def extract_answer(task: str, text: str, options: list[str] | None = None) -> NormalizedAnswer:
    """The answer of a whole free-form generation; `raw` is the part it was read from.

    The sentence (MATH: the line) after the last "the answer is" wins. If it does not parse, the
    answer is unparseable: the model committed to something ambiguous such as "either 2 or 4".
    Only without such a sentence does the task's fallback apply: the last yes/no word, in-range
    option number or letter, number, \\boxed{} or non-empty line.
    """
    kind = task_kind(task)
    opts = tuple(options) if options else None
    last = next(reversed(list(_ANSWER_IS.finditer(text))), None)
    if last is not None:
        rest = text[last.end() :].lstrip()
        stop = (_LINE_END if kind == "math" else _SENTENCE_END).search(rest)
        segment = (rest[: stop.start()] if stop else rest).strip()
        if segment:
            return NormalizedAnswer(_normalize(kind, segment, opts), segment)
    return NormalizedAnswer(_fallback(kind, text, len(opts) if opts else _DEFAULT_CHOICES), text)


def _fallback(kind: AnswerKind, text: str, n: int) -> str | None:
    """A generation's last answer-like token, for when it never says "the answer is"."""
    if kind == "yesno":
        words = _YESNO.findall(text)
        return _yesno(words[-1]) if words else None
    if kind in ("choice_number", "choice_letter"):
        letters = kind == "choice_letter"
        marks = [i for i in (_letter_marks if letters else _number_marks)(text, n) if i is not None]
        return _option_name(marks[-1], letters) if marks else None
    if kind == "number":
        numbers = _numbers(text)
        return numbers[-1] if numbers else None
    if kind == "math":
        boxed = _last_boxed(text)
        return None if boxed is None else _clean_latex(boxed)
    lines = [line for line in text.splitlines() if line.strip()]
    return _normalize("text", lines[-1], None) if lines else None

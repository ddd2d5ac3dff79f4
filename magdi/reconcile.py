"""The ReConcile discussion protocol (Chen et al. 2023), as MAGDi's teacher discussions ran it.

Round 0: every agent answers alone, step by step, with a confidence in [0, 1], in JSON. Rounds
1..R run only while the agents disagree: each agent sees the previous round's answers grouped by
answer ("There are N agents think the answer is X.", then each such agent's "I think the answer is
X because … My confidence level is c.") and answers again. The final answer is a vote weighted by
recalibrated confidences; the plain majority is reported too.

Differences from ReConcile's code, on purpose: answers are compared after task-aware normalisation
(`magdi.answers`), a reply that cannot be read is asked for once more and, failing that, kept with
its raw text and flagged (an empty or unparseable answer), never replaced by a random option; every
group of answers is shown (the original showed the two largest); a turn records the turns it was
shown (`responds_to`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import Any

import json_repair

from magdi.agents import Agent, Messages, Usage
from magdi.answers import extract_answer, group_equal, normalize_answer, option_lines, option_name, task_kind
from magdi.mag import Discussion, Turn, TurnKey

JSON_FORMAT = '{"reasoning": "", "answer": "", "confidence_level": ""}'
_FENCE = re.compile(r"```[A-Za-z]*\s*(.*?)```", re.DOTALL)
_NUMBER = re.compile(r"(-?(?:\d+(?:\.\d+)?|\.\d+))\s*(%?)")
_PROSE_CONFIDENCE = re.compile(
    r"confidence(?:[\s_]+level)?(?:\s+is|\s*[:=])?\s*((?:\d+(?:\.\d+)?|\.\d+)\s*%?)", re.IGNORECASE
)


@dataclass(frozen=True)
class FewShot:
    """A human-written example explanation ("convincing sample") shown before the question."""

    question: str
    reasoning: str
    answer: str
    options: list[str] | None = None


# ---------------------------------------------------------------- prompts


def answer_format(task: str, options: list[str] | None = None) -> str:
    """What the "answer" field must hold, in ReConcile's words where it had some."""
    kind = task_kind(task)
    n = len(options) if options else 5
    if kind == "yesno":
        return 'Only answer yes or no in the "answer" field.'
    if kind == "number":
        return 'Only place a single numeric value in the "answer" field.'
    if kind in ("choice_number", "choice_letter"):
        names = [option_name(i, task) for i in range(n)]
        return f'Only place {",".join(names)} representing your choice in the "answer" field.'
    if kind == "math":
        return (
            "Only place the final answer, as a simplified LaTeX expression without $ signs, "
            'in the "answer" field.'
        )
    return 'Only place a short final answer in the "answer" field.'


def format_question(question: str, task: str, options: list[str] | None = None) -> str:
    """ "Q: …" and the options, labelled as the task answers them (1) … for ECQA, A) … otherwise)."""
    if not options:
        return f"Q: {question}"
    lines = option_lines(options, task)
    return (
        f"Q: {question}\nThe options are:\n" + "\n".join(lines) + "\nPlease select an option as your answer."
    )


def _header(question: str, task: str, options: list[str] | None, few_shot: Sequence[FewShot]) -> list[str]:
    shots = [
        format_question(s.question, task, s.options)
        + "\nA: "
        + json.dumps({"reasoning": s.reasoning, "answer": s.answer})
        for s in few_shot
    ]
    return [*shots, format_question(question, task, options)]


def _instructions(task: str, options: list[str] | None) -> list[str]:
    return [
        "Please answer the question with step-by-step reasoning.",
        "Also, evaluate your confidence level (between 0.0 and 1.0) to indicate the possibility of "
        "your answer being right.",
        f"Output your answer in json format, with the format as follows: {JSON_FORMAT}. "
        "Please strictly output in JSON format.",
        answer_format(task, options),
        "Do not output irrelevant content.",
    ]


def round0_prompt(
    question: str, task: str, options: list[str] | None = None, few_shot: Sequence[FewShot] = ()
) -> str:
    return "\n".join([*_header(question, task, options, few_shot), *_instructions(task, options)])


def discussion_prompt(
    question: str,
    task: str,
    previous: Sequence[Turn],
    options: list[str] | None = None,
    few_shot: Sequence[FewShot] = (),
) -> str:
    """The prompt of a round r > 0: `previous` are the parseable turns of round r - 1."""
    groups = sorted(_groups(task, previous, options), key=lambda g: -len(g[1]))  # stable: ties keep order
    solutions = []
    for answer, turns in groups:
        lines = [f"There are {len(turns)} agents think the answer is {answer}."]
        for t in turns:
            said = f"One agent solution: I think the answer is {answer} because {t.reasoning.strip()}"
            if t.confidence is not None:
                said += f" My confidence level is {t.confidence}."
            lines.append(said)
        solutions.append("\n".join(lines))
    review = (
        "Carefully review the following solutions from other agents as additional information, "
        "and provide your own answer and step-by-step reasoning to the question.\n"
        "Clearly state which point of view you agree or disagree with and why."
    )
    return "\n".join(
        [
            *_header(question, task, options, few_shot),
            "",
            review,
            "",
            "\n\n".join(solutions),
            "",
            *_instructions(task, options),
        ]
    )


def retry_message(task: str, options: list[str] | None = None) -> str:
    return (
        f"Your reply could not be read. Reply again with only the JSON object {JSON_FORMAT}. "
        + answer_format(task, options)
    )


# ---------------------------------------------------------------- reading replies


@dataclass(frozen=True)
class ParsedReply:
    reasoning: str
    answer: str  # the reply's answer field as written, else the extracted canonical value; "" if none
    value: str | None  # canonical answer; None: unparseable
    confidence: float | None

    @property
    def ok(self) -> bool:
        return self.value is not None


def read_confidence(value: Any) -> float | None:
    """0.9, "0.9", "90%", "90" and "0.9 (high)" all read 0.9; anything else outside [0, 1] is None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        x, percent = float(value), False
    elif isinstance(value, str) and (m := _NUMBER.search(value)):
        x, percent = float(m[1]), bool(m[2])
    else:
        return None
    if percent or 1 < x <= 100:
        x /= 100
    return x if 0.0 <= x <= 1.0 else None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(map(_text, value))
    if isinstance(value, dict):
        return json.dumps(value)
    return str(value)


def _json_object(text: str) -> dict[str, Any] | None:
    """The reply's JSON object (with an answer or a reasoning) from fenced blocks, else the whole
    text; json_repair reads single quotes, prose around it, trailing commas and truncation."""
    for candidate in [m[1] for m in _FENCE.finditer(text)] + [text]:
        found = json_repair.loads(candidate)
        for obj in reversed(found) if isinstance(found, list) else [found]:
            if isinstance(obj, dict):
                obj = {str(k).strip().lower(): v for k, v in obj.items()}
                if "answer" in obj or "reasoning" in obj:
                    return obj
    return None


def parse_reply(text: str, task: str, options: list[str] | None = None) -> ParsedReply:
    """Reasoning, answer and confidence of a reply. Without JSON (or with an empty answer field)
    the answer is extracted from the text as a student generation's would be."""
    obj = _json_object(text)
    if obj is None:
        found = extract_answer(task, text, options)
        m = _PROSE_CONFIDENCE.search(text)
        return ParsedReply(text.strip(), found.value or "", found.value, read_confidence(m[1] if m else None))
    reasoning = _text(obj.get("reasoning")).strip()
    answer = _text(obj.get("answer")).strip()
    confidence = read_confidence(obj.get("confidence_level", obj.get("confidence")))
    if answer:
        return ParsedReply(reasoning, answer, normalize_answer(task, answer, options).value, confidence)
    found = extract_answer(task, reasoning, options)
    return ParsedReply(reasoning, found.value or "", found.value, confidence)


# ---------------------------------------------------------------- votes


def recalibrate(confidence: float | None) -> float:
    """ReConcile's buckets: <= 0.6 -> 0.1, (0.6, 0.8) -> 0.3, [0.8, 0.9) -> 0.5, [0.9, 1) -> 0.8,
    1 -> 1. A missing confidence counts as the lowest (ReConcile read it as 0.0)."""
    if confidence is None or confidence <= 0.6:
        return 0.1
    if confidence < 0.8:
        return 0.3
    if confidence < 0.9:
        return 0.5
    if confidence < 1.0:
        return 0.8
    return 1.0


def _groups(task: str, turns: Iterable[Turn], options: list[str] | None) -> list[tuple[str, list[Turn]]]:
    """Readable turns grouped by equal answers (canonical value, turns), in order of first appearance."""
    return group_equal(task, turns, lambda t: normalize_answer(task, t.answer, options).value)


@dataclass(frozen=True)
class Vote:
    weighted: str | None  # canonical answer with the largest recalibrated-confidence sum
    majority: str | None  # canonical answer given most often
    scores: dict[str, float]
    counts: dict[str, int]


def vote(task: str, turns: Iterable[Turn], options: list[str] | None = None) -> Vote:
    """Weighted and majority vote over the parseable turns; unparseable ones abstain. Ties go to
    the answer given first (as in ReConcile); sums are rounded so that 0.1 + 0.1 + 0.1 ties 0.3."""
    groups = _groups(task, turns, options)
    scores = {a: round(sum(recalibrate(t.confidence) for t in ts), 6) for a, ts in groups}
    counts = {a: len(ts) for a, ts in groups}
    return Vote(
        weighted=max(scores, key=scores.__getitem__, default=None),
        majority=max(counts, key=counts.__getitem__, default=None),
        scores=scores,
        counts=counts,
    )  # type: ignore[arg-type]


def agree(task: str, turns: Sequence[Turn], options: list[str] | None = None) -> bool:
    """Every turn parseable and all answers equal."""
    groups = _groups(task, turns, options)
    return len(groups) == 1 and len(groups[0][1]) == len(turns)


def _parseable(task: str, turns: Iterable[Turn], options: list[str] | None) -> list[Turn]:
    return [t for t in turns if normalize_answer(task, t.answer, options).ok]


# ---------------------------------------------------------------- the discussion


@dataclass(frozen=True)
class TurnOutcome:
    """A new turn as it arrives: `ok` False means it was kept unparseable after one retry."""

    turn: Turn
    ok: bool
    attempts: int
    usage: Usage


@dataclass
class DiscussionResult:
    discussion: Discussion  # meta["reconcile"] holds the votes and the unparseable turns
    final_answer: str | None  # confidence-weighted vote of the last round
    majority_answer: str | None
    usage: dict[str, Usage] = field(default_factory=dict)  # requests made by this call, per agent


class DiscussionError(RuntimeError):
    """An agent gave no reply (its errors outlasted the client's retries). The round's other
    turns were delivered to `on_turn` first, so a resumed run does not ask for them again."""

    def __init__(self, agent: str, round: int, cause: BaseException) -> None:
        self.agent, self.round = agent, round
        super().__init__(f"agent {agent!r} failed in round {round}: {type(cause).__name__}: {cause}")


def _ask(
    agent: Agent, messages: Messages, task: str, options: list[str] | None
) -> tuple[ParsedReply, str, int, Usage]:
    """(parsed reply, raw text of the first reply, attempts, usage); one retry if unparseable."""
    usage = Usage()
    first = agent.reply(messages)
    usage.add(first)
    parsed = parse_reply(first.text, task, options)
    if parsed.ok:
        return parsed, first.text, 1, usage
    again = agent.reply(
        [
            *messages,
            {"role": "assistant", "content": first.text},
            {"role": "user", "content": retry_message(task, options)},
        ]
    )
    usage.add(again)
    retried = parse_reply(again.text, task, options)
    return (retried if retried.ok else parsed), first.text, 2, usage


def _turn(name: str, round: int, parsed: ParsedReply, raw: str, responds_to: list[TurnKey]) -> Turn:
    reasoning = parsed.reasoning if parsed.ok else raw  # an unparseable turn keeps its raw text
    return Turn(
        agent=name,
        round=round,
        reasoning=reasoning,
        answer=parsed.answer,
        confidence=parsed.confidence,
        responds_to=list(responds_to),
    )


def run_discussion(
    question: str,
    agents: Sequence[Agent],
    task: str,
    *,
    rounds: int = 3,
    options: list[str] | None = None,
    gold_answer: str = "",
    id: str | None = None,
    few_shot: Sequence[FewShot] = (),
    existing_turns: Iterable[Turn] = (),
    on_turn: Callable[[TurnOutcome], None] | None = None,
) -> DiscussionResult:
    """Run a ReConcile discussion: round 0, then up to `rounds` rounds while the agents disagree
    (ReConcile ran 2; MAGDi's MAGs hold rounds 0-3).

    A round's agents are asked in parallel (each agent limits its own concurrency); `on_turn` is
    called in this thread as each turn arrives. `existing_turns` (a resumed job's stored turns)
    are used as they are and never asked for again. A turn responds to the parseable turns of the
    previous round it was shown, its own included; a round after an all-unparseable one starts over
    from the round-0 prompt. Raises DiscussionError when an agent gives no reply at all.
    """
    names = [a.name for a in agents]
    if not names or len(set(names)) != len(names):
        raise ValueError(f"a discussion needs agents with unique names, got {names}")
    if rounds < 0:
        raise ValueError("rounds must be >= 0")
    turns: dict[TurnKey, Turn] = {t.key: t for t in existing_turns}
    usage = {n: Usage() for n in names}
    last = 0
    for r in range(rounds + 1):
        last = r
        shown = _parseable(task, [turns[(n, r - 1)] for n in names if (n, r - 1) in turns], options)
        prompt = (
            discussion_prompt(question, task, shown, options, few_shot)
            if shown
            else round0_prompt(question, task, options, few_shot)
        )
        messages = [{"role": "user", "content": prompt}]
        todo = [a for a in agents if (a.name, r) not in turns]
        for outcome in _ask_round(todo, messages, r, [t.key for t in shown], task, options):
            turns[outcome.turn.key] = outcome.turn
            usage[outcome.turn.agent].merge(outcome.usage)
            if on_turn is not None:
                on_turn(outcome)
        if agree(task, [turns[(n, r)] for n in names if (n, r) in turns], options):
            break
    order = {n: i for i, n in enumerate(names)}
    ordered = sorted(turns.values(), key=lambda t: (t.round, order.get(t.agent, len(order)), t.agent))
    final = vote(task, [t for t in ordered if t.round == last], options)
    unparseable = [[t.agent, t.round] for t in ordered if not normalize_answer(task, t.answer, options).ok]
    discussion = Discussion(
        id=id or "q-" + hashlib.sha256(f"{task}\n{question}\n{options}".encode()).hexdigest()[:16],
        task=task,
        question=question,
        gold_answer=gold_answer,
        turns=ordered,
        options=options,
        meta={
            "reconcile": {
                "final_answer": final.weighted,
                "majority_answer": final.majority,
                "scores": final.scores,
                "last_round": last,
                "unparseable": unparseable,
            }
        },
    )
    return DiscussionResult(discussion, final.weighted, final.majority, usage)


def _ask_round(
    agents: Sequence[Agent],
    messages: Messages,
    round: int,
    responds_to: list[TurnKey],
    task: str,
    options: list[str] | None,
) -> Iterator[TurnOutcome]:
    """Ask every agent in parallel; yield turns as they arrive, then raise for any that failed."""
    if not agents:
        return
    failed: list[tuple[str, BaseException]] = []
    with ThreadPoolExecutor(max_workers=len(agents)) as pool:
        futures = {pool.submit(_ask, a, messages, task, options): a.name for a in agents}
        for future in as_completed(futures):
            name = futures[future]
            try:
                parsed, raw, attempts, use = future.result()
            except Exception as exc:  # any agent failure (API, network, generation) ends the round
                failed.append((name, exc))
                continue
            yield TurnOutcome(_turn(name, round, parsed, raw, responds_to), parsed.ok, attempts, use)
    if failed:
        name, exc = failed[0]
        raise DiscussionError(name, round, exc) from exc

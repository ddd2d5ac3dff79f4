"""Simulated teacher agents that discuss synthetic questions by the ReConcile protocol, offline.

Each agent has a skill (the probability that its round-0 answer is right), the errors it makes
when it is wrong (a slip in one arithmetic step that propagates to the answer, a wrong
comparison, picking a distractor option), confidences drawn around one mean for right and one
for wrong answers (so they track correctness, imperfectly), and discussion dynamics: in a later
round an agent whose answer is contested may change it.

- persuasion: a wrong agent takes a right peer answer with this probability when that peer was
  at least as confident as itself, with half of it otherwise;
- doubt: a right agent takes the most confident wrong peer answer with this probability when that
  peer was more confident than itself, with a quarter of it otherwise (talked out of a right answer);
- recheck: a wrong agent with no right peer finds the right answer alone with this probability.

Wrong answers are written out: the reasoning of a wrong turn holds the wrong step ("37 + 45 = 72")
and every step after it computes on from the wrong value. An agent that takes a peer's answer
takes its chain of steps (the peer's slip included).

Two faces: `simulate_discussions` writes canonical discussion dicts directly (fast, no prompts,
for datasets and benchmarks), and `SimulatedAgent` is a `magdi.agents.Agent` that reads the
ReConcile prompts `magdi.reconcile.run_discussion` sends and answers in its JSON.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from magdi.agents import Messages, Reply
from magdi.answers import label_answers, normalize_answer
from magdi.synthetic import ARITHMETIC_OPS, CHECK_OPS, SyntheticQuestion, option_values, solve, trace

ERROR_KINDS = ("slip", "comparison", "distractor")


@dataclass(frozen=True)
class SimAgentConfig:
    name: str
    skill: float = 0.7  # probability of a right round-0 answer
    # Relative weights of the error kinds, among those a question allows (a comparison error
    # needs a yes/no check, a distractor needs options; a slip any arithmetic step).
    errors: Mapping[str, float] = field(
        default_factory=lambda: {"slip": 1.0, "comparison": 1.0, "distractor": 1.0}
    )
    confidence_right: float = 0.88  # mean confidence of a right answer
    confidence_wrong: float = 0.75  # mean confidence of a wrong answer
    confidence_spread: float = 0.08  # standard deviation of both
    persuasion: float = 0.6
    doubt: float = 0.15
    recheck: float = 0.15
    style: int = 0  # how its solutions phrase word-problem steps (magdi.synthetic.STYLES)

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise ValueError("a simulated agent needs a name")
        for key in ("skill", "confidence_right", "confidence_wrong", "persuasion", "doubt", "recheck"):
            if not 0.0 <= getattr(self, key) <= 1.0:
                raise ValueError(f"simulated agent {self.name!r}: {key} must be in [0, 1]")
        if self.confidence_spread < 0:
            raise ValueError(f"simulated agent {self.name!r}: confidence_spread must be >= 0")
        if unknown := sorted(set(self.errors) - set(ERROR_KINDS)):
            raise ValueError(
                f"simulated agent {self.name!r}: unknown error kinds {unknown}; expected {ERROR_KINDS}"
            )
        if any(w < 0 for w in self.errors.values()) or not any(self.errors.values()):
            raise ValueError(f"simulated agent {self.name!r}: error weights must be >= 0, one > 0")


# The three default teachers: a strong, an average and a weak one, each phrasing its own way.
PROFILES: dict[str, SimAgentConfig] = {
    "strong": SimAgentConfig(
        "sim-strong",
        skill=0.85,
        confidence_right=0.92,
        confidence_wrong=0.8,
        persuasion=0.5,
        doubt=0.1,
        recheck=0.2,
        style=0,
    ),
    "average": SimAgentConfig(
        "sim-average",
        skill=0.7,
        persuasion=0.6,
        doubt=0.2,
        style=1,
        errors={"slip": 2.0, "comparison": 1.0, "distractor": 1.0},
    ),
    "weak": SimAgentConfig(
        "sim-weak",
        skill=0.55,
        confidence_right=0.8,
        confidence_wrong=0.78,
        persuasion=0.7,
        doubt=0.3,
        recheck=0.1,
        style=2,
        errors={"slip": 1.0, "comparison": 2.0, "distractor": 2.0},
    ),
}
DEFAULT_AGENTS = tuple(PROFILES.values())


# ---------------------------------------------------------------- beliefs and choices

Overrides = tuple[tuple[int, int], ...]  # (step index, wrong result) pairs: an empty tuple is right


@dataclass(frozen=True)
class Belief:
    overrides: Overrides
    answer: str
    confidence: float


def _error(q: SyntheticQuestion, cfg: SimAgentConfig, rng: random.Random) -> Overrides:
    """A wrong chain of the error kind drawn by the agent's weights (another kind if that one
    yields none); () when the question allows none of its kinds."""
    arith = [i for i, s in enumerate(q.steps) if s.op in ARITHMETIC_OPS]
    last = len(q.steps) - 1
    kinds = [
        k
        for k in ERROR_KINDS
        if cfg.errors.get(k, 0) > 0
        and (
            k == "slip"
            and arith
            or k == "comparison"
            and q.steps[last].op in CHECK_OPS
            or k == "distractor"
            and q.options
        )
    ]
    while kinds:
        kind = rng.choices(kinds, weights=[cfg.errors[k] for k in kinds])[0]
        kinds.remove(kind)
        if kind == "comparison":
            cands = [((last, 1 - q.steps[last].result),)]
        elif kind == "distractor":
            values = option_values(q.options)
            right = trace(q).results[last - 1]
            cands = [((last - 1, v),) for v in values if v != right]
        else:
            cands = []
            for _ in range(12):
                i = rng.choice(arith)
                wrong = q.steps[i].result + rng.choice([-10, -2, -1, 1, 1, 2, 10])
                if wrong >= 0:
                    cands.append(((i, wrong),))
        cands = [c for c in cands if _wrong_but_plausible(q, c)]
        if cands:
            return rng.choice(cands)
    return ()


def _wrong_but_plausible(q: SyntheticQuestion, overrides: Overrides) -> bool:
    """The chain gives a wrong answer and no negative count on the way."""
    t = trace(q, dict(overrides))
    return t.answer != q.gold_answer and min(t.results) >= 0


def _confidence(cfg: SimAgentConfig, right: bool, rng: random.Random, shift: float = 0.0) -> float:
    mean = cfg.confidence_right if right else cfg.confidence_wrong
    return round(min(1.0, max(0.3, rng.gauss(mean, cfg.confidence_spread) + shift)), 2)


def first_belief(q: SyntheticQuestion, cfg: SimAgentConfig, rng: random.Random) -> Belief:
    """Round 0: right with probability `skill`, else one of the agent's errors."""
    overrides = _error(q, cfg, rng) if rng.random() >= cfg.skill else ()
    return Belief(overrides, trace(q, dict(overrides)).answer, _confidence(cfg, not overrides, rng))


@dataclass(frozen=True)
class Peer:
    """A peer's previous-round turn as an agent sees it."""

    name: str
    belief: Belief


@dataclass(frozen=True)
class Decision:
    belief: Belief
    taken_from: Peer | None  # the peer whose answer was taken; None: kept its own or rechecked
    disagrees_with: list[str]  # peers with another answer than the new one


def next_belief(
    q: SyntheticQuestion, cfg: SimAgentConfig, own: Belief, peers: Sequence[Peer], rng: random.Random
) -> Decision:
    """A later round: keep the answer, take a peer's, or recheck alone (see the module doc)."""
    others = [p for p in peers if p.belief.answer != own.answer]
    new, taken = own, None
    if others:
        right = own.answer == q.gold_answer
        pool = others if right else [p for p in others if p.belief.answer == q.gold_answer]
        if pool:
            best = max(pool, key=lambda p: p.belief.confidence)
            if right:
                p = cfg.doubt if best.belief.confidence > own.confidence else cfg.doubt / 4
            else:
                p = cfg.persuasion if best.belief.confidence >= own.confidence else cfg.persuasion / 2
            if rng.random() < p:
                taken = best
        elif rng.random() < cfg.recheck:
            new = Belief((), q.gold_answer, _confidence(cfg, True, rng, -0.03))
    if taken is not None:
        correct = taken.belief.answer == q.gold_answer
        new = Belief(taken.belief.overrides, taken.belief.answer, _confidence(cfg, correct, rng, -0.03))
    elif new is own:
        new = Belief(
            own.overrides, own.answer, round(min(1.0, max(0.3, own.confidence + rng.uniform(-0.03, 0.05))), 2)
        )
    return Decision(new, taken, [p.name for p in peers if p.belief.answer != new.answer])


def reasoning(q: SyntheticQuestion, cfg: SimAgentConfig, belief: Belief, stance: str = "") -> str:
    """The agent's chain for its belief, in its own phrasing, after an optional stance sentence."""
    mine = solve(q.task, q.question, q.options, cfg.style) or q
    return f"{stance} {trace(mine, dict(belief.overrides)).text}".strip()


_WHY = ["I made a mistake before.", "I rechecked my steps.", "My earlier step was wrong."]


def stance(decision: Decision, rng: random.Random, agreeing: str = "") -> str:
    """ "I agree with ..." / "I disagree with ..." sentences (the trainer drops them)."""
    if decision.taken_from is not None:
        return f"I agree with {decision.taken_from.name}. {rng.choice(_WHY)}"
    parts = [f"I agree with {agreeing}."] if agreeing else []
    if decision.disagrees_with:
        parts.append(f"I disagree with {' and '.join(decision.disagrees_with)}.")
    return " ".join(parts)


# ---------------------------------------------------------------- discussions as data


def _rng(*parts: object) -> random.Random:
    return random.Random(hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest())


def simulate_discussion(
    q: SyntheticQuestion, agents: Sequence[SimAgentConfig], rounds: int = 3, seed: int = 0
) -> dict:
    """One discussion, as a canonical discussion dict: round 0, then rounds while they disagree."""
    names = [a.name for a in agents]
    beliefs = {a.name: first_belief(q, a, _rng(seed, q.id, a.name, 0)) for a in agents}
    turns = [_turn(a.name, 0, reasoning(q, a, beliefs[a.name]), beliefs[a.name], []) for a in agents]
    for r in range(1, rounds + 1):
        if len({b.answer for b in beliefs.values()}) == 1:
            break
        shown = [[n, r - 1] for n in names]
        new = {}
        for a in agents:
            rng = _rng(seed, q.id, a.name, r)
            peers = [Peer(n, beliefs[n]) for n in names if n != a.name]
            d = next_belief(q, a, beliefs[a.name], peers, rng)
            same = [p.name for p in peers if p.belief.answer == d.belief.answer]
            text = reasoning(
                q, a, d.belief, stance(d, rng, " and ".join(same) if d.taken_from is None else "")
            )
            new[a.name] = d.belief
            turns.append(_turn(a.name, r, text, d.belief, shown))
        beliefs = new
    return {
        "id": q.id,
        "task": q.task,
        "question": q.question,
        **({"options": q.options} if q.options is not None else {}),
        "gold_answer": q.gold_answer,
        "turns": turns,
    }


def _turn(agent: str, round: int, text: str, belief: Belief, responds_to: list) -> dict:
    return {
        "agent": agent,
        "round": round,
        "reasoning": text,
        "answer": belief.answer,
        "confidence": belief.confidence,
        "responds_to": responds_to,
    }


def simulate_discussions(
    questions: Sequence[SyntheticQuestion],
    agents: list[SimAgentConfig] | None = None,
    rounds: int = 3,
    seed: int = 0,
) -> list[dict]:
    """Canonical discussion dicts (the README's JSONL format) of the agents discussing each question;
    the same inputs always give the same output."""
    agents = list(agents or DEFAULT_AGENTS)
    names = [a.name for a in agents]
    if len(agents) < 2 or len(set(names)) != len(names):
        raise ValueError(f"a discussion needs at least two agents with unique names, got {names}")
    if rounds < 0:
        raise ValueError("rounds must be >= 0")
    return [simulate_discussion(q, agents, rounds, seed) for q in questions]


# ---------------------------------------------------------------- the Agent face

_QUESTION = re.compile(r"^Q: (.*)$", re.MULTILINE)
_OPTION = re.compile(r"^\(?([1-9A-Ea-e])\)\s*(.*)$")
_SOLUTION = re.compile(
    r"^One agent solution: I think the answer is (.*?) because (.*?)"
    r"(?: My confidence level is ([\d.]+)\.)?$"
)


@dataclass(frozen=True)
class Prompt:
    """What a ReConcile prompt tells an agent: the question (the last "Q: "; earlier ones are
    convincing samples), its options, the task the answer format names, and the peers' answers."""

    question: str
    options: list[str] | None
    task: str
    peers: list[tuple[str, float]]  # (answer, confidence) of each solution shown


def read_prompt(text: str) -> Prompt:
    matches = list(_QUESTION.finditer(text))
    if not matches:
        raise ValueError("no question (a line starting 'Q: ') in the prompt")
    rest = text[matches[-1].end() :].splitlines()[1:]
    options = None
    if rest and rest[0] == "The options are:":
        options = []
        for line in rest[1:]:
            if not (m := _OPTION.match(line)):
                break
            options.append(m[2])
    # The answer format (magdi.reconcile.answer_format) names the kind of answer.
    task = "ecqa" if options else "strategyqa" if "Only answer yes or no" in text else "gsm8k"
    peers = []
    for line in text.splitlines():
        if m := _SOLUTION.match(line):
            peers.append((m[1], float(m[3]) if m[3] else 0.5))
    return Prompt(matches[-1][1].strip(), options, task, peers)


class SimulatedAgent:
    """A simulated teacher behind the Agent protocol: it reads the question and the peers'
    answers from the prompt, solves the question from its text (`magdi.synthetic.solve`) and
    answers as its profile would. It remembers its last belief per question (its previous turn);
    a question it cannot read (not a synthetic one) gets an unparseable reply."""

    def __init__(self, name: str, config: SimAgentConfig, seed: int = 0) -> None:
        self.name, self.config, self.seed = name, config, seed
        self._beliefs: dict[str, Belief] = {}

    def reply(self, messages: Messages) -> Reply:
        text = messages[0]["content"] if len(messages) == 1 else messages[-3]["content"]
        p = read_prompt(text)
        q = solve(p.task, p.question, p.options, self.config.style)
        if q is None:
            return Reply(
                json.dumps(
                    {"reasoning": "I cannot work this question out.", "answer": "", "confidence_level": 0.0}
                ),
                len(text) // 4,
                12,
            )
        key = f"{p.task}\n{p.question}\n{p.options}"
        # Round 0 depends on the question only, so a resumed job's agent gets the same one back.
        first = first_belief(q, self.config, _rng(self.seed, self.name, key))
        if not p.peers:
            belief, said = first, ""
        else:
            rng = _rng(self.seed, self.name, text)
            own = self._beliefs.get(key, first)
            peers, seen = [], False
            for answer, conf in p.peers:
                value = normalize_answer(q.task, answer, q.options).value
                if not seen and value == own.answer:
                    seen = True  # its own solution, shown among the others
                    continue
                if value is not None:
                    peers.append(Peer(f"the agents who answer {value}", _peer_belief(q, value, conf)))
            d = next_belief(q, self.config, own, peers, rng)
            belief = d.belief
            said = stance(d, rng)
        self._beliefs[key] = belief
        out = json.dumps(
            {
                "reasoning": reasoning(q, self.config, belief, said),
                "answer": belief.answer,
                "confidence_level": belief.confidence,
            }
        )
        return Reply(out, len(text) // 4, len(out) // 4)


def _peer_belief(q: SyntheticQuestion, answer: str, confidence: float) -> Belief:
    """A belief giving the peer's answer: the right chain, or a wrong value in the last step that
    decides it (the final sum, the comparison, the option picked)."""
    if answer == q.gold_answer:
        return Belief((), answer, confidence)
    last = len(q.steps) - 1
    if q.task == "strategyqa":
        return Belief(((last, 1 - q.steps[last].result),), answer, confidence)
    if q.options:
        values = option_values(q.options)
        i = int(answer) - 1
        return Belief(((last - 1, values[i]),) if 0 <= i < len(values) else (), answer, confidence)
    return Belief(((last, int(answer)),) if answer.isdigit() else (), answer, confidence)


def profile_of(model: str) -> SimAgentConfig:
    """The profile named by an agent's model: "simulated:strong" (or just "strong")."""
    name = model.removeprefix("simulated:").strip() or "average"
    if name not in PROFILES:
        raise ValueError(f"unknown simulated profile {name!r}; expected one of {', '.join(PROFILES)}")
    return PROFILES[name]


def auto_label(discussions: list[dict]) -> list[dict]:
    """Label each turn correct/incorrect against the gold answer, as the store's import does (for
    training on simulated discussions without a store)."""
    for d in discussions:
        marks = label_answers(
            d["task"], [t["answer"] for t in d["turns"]], d["gold_answer"], d.get("options")
        )
        for t, (ok, _) in zip(d["turns"], marks):
            t["label"], t["label_source"] = ("correct" if ok else "incorrect"), "auto"
    return discussions

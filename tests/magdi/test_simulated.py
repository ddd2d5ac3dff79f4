"""Simulated teachers: reproducible, their configured statistics show up, and the real ReConcile
runner can use them as agents."""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest

from magdi.agents import AgentConfig, make_agent
from magdi.answers import label_answer
from magdi.formats import discussion_from_dict
from magdi.reconcile import run_discussion
from magdi.simulated import DEFAULT_AGENTS, SimAgentConfig, simulate_discussions
from magdi.synthetic import SyntheticQuestion, make_questions

EQUATION = re.compile(r"(\d+) ([+x-]) (\d+) = (\d+)")
AGENTS = [
    SimAgentConfig("hi", skill=0.9, persuasion=0.5, doubt=0.3, style=0),
    SimAgentConfig("mid", skill=0.7, persuasion=0.7, doubt=0.3, style=1),
    SimAgentConfig("lo", skill=0.5, persuasion=0.8, doubt=0.4, style=2),
]
BY_NAME = {a.name: a for a in AGENTS}


def questions(n_arith: int = 150, n_other: int = 75):
    return (
        make_questions("arithmetic", n_arith)
        + make_questions("yesno", n_other)
        + make_questions("choice", n_other)
    )


@pytest.fixture(scope="module")
def discussions():
    return simulate_discussions(questions(), AGENTS, rounds=3, seed=0)


def correct(d: dict, turn: dict) -> bool:
    return label_answer(d["task"], turn["answer"], d["gold_answer"], d.get("options"))[0]


def test_the_same_seed_gives_the_same_discussions(discussions):
    assert simulate_discussions(questions(), AGENTS, rounds=3, seed=0) == discussions
    assert simulate_discussions(questions(), AGENTS, rounds=3, seed=1) != discussions
    assert simulate_discussions(questions(20, 10))[0]["turns"][0]["agent"] == DEFAULT_AGENTS[0].name


def test_discussions_are_canonical_mags_whose_answers_normalise(discussions):
    for d in discussions:
        mag, _ = discussion_from_dict(d)  # validates
        assert mag.rounds == list(range(len(mag.rounds))) and len(mag.turns) == 3 * len(mag.rounds)
        for t in d["turns"]:
            value = label_answer(d["task"], t["answer"], d["gold_answer"], d.get("options"))[1].value
            assert value == t["answer"] and 0.3 <= t["confidence"] <= 1.0
            assert t["responds_to"] == ([] if t["round"] == 0 else [[n, t["round"] - 1] for n in BY_NAME])
        last = mag.rounds[-1]
        finals = {t.answer for t in mag.turns if t.round == last}
        assert len(finals) == 1 or last == 3  # they stop at consensus


def test_round0_accuracy_per_agent_is_its_skill(discussions):
    for name, agent in BY_NAME.items():
        hits = [
            correct(d, t) for d in discussions for t in d["turns"] if (t["agent"], t["round"]) == (name, 0)
        ]
        assert len(hits) == 300 and abs(sum(hits) / 300 - agent.skill) < 3 * math.sqrt(0.25 / 300)


def _changes(discussions, right_before: bool):
    """(probability the model gave, whether it happened) of each later-round turn whose agent was
    right (doubt) or wrong with a right peer (persuasion) the round before."""
    out = []
    for d in discussions:
        turns = {(t["agent"], t["round"]): t for t in d["turns"]}
        for (name, r), t in turns.items():
            if r == 0:
                continue
            own = turns[(name, r - 1)]
            peers = [turns[(n, r - 1)] for n in BY_NAME if n != name]
            cfg = BY_NAME[name]
            if right_before and correct(d, own):
                wrong = [p for p in peers if p["answer"] != own["answer"]]
                if wrong:
                    best = max(p["confidence"] for p in wrong)
                    p = cfg.doubt if best > own["confidence"] else cfg.doubt / 4
                    out.append((p, not correct(d, t)))
            elif not right_before and not correct(d, own):
                right = [p["confidence"] for p in peers if correct(d, p)]
                if right:
                    p = cfg.persuasion if max(right) >= own["confidence"] else cfg.persuasion / 2
                    out.append((p, correct(d, t)))
    return out


@pytest.mark.parametrize("right_before", [False, True], ids=["persuasion", "doubt"])
def test_flip_rates_are_the_configured_ones(discussions, right_before):
    events = _changes(discussions, right_before)
    expected = sum(p for p, _ in events)
    observed = sum(happened for _, happened in events)
    sd = math.sqrt(sum(p * (1 - p) for p, _ in events))
    assert len(events) > 60 and abs(observed - expected) < 3.5 * sd, (len(events), observed, expected)


def test_flips_both_ways_early_consensus_and_wrong_final_majorities_occur(discussions):
    flips, wrong_final, ends = Counter(), 0, Counter()
    for d in discussions:
        before = {}
        for t in d["turns"]:
            ok = correct(d, t)
            if t["agent"] in before and before[t["agent"]] != ok:
                flips["to right" if ok else "to wrong"] += 1
            before[t["agent"]] = ok
        last = max(t["round"] for t in d["turns"])
        ends[last] += 1
        finals = Counter(t["answer"] for t in d["turns"] if t["round"] == last)
        wrong_final += finals.most_common(1)[0][0] != d["gold_answer"]
    assert flips["to right"] > 2 * flips["to wrong"] > 20
    assert ends[0] > 30 and ends[1] > 30 and wrong_final >= 5


def test_wrong_arithmetic_turns_hold_the_wrong_step(discussions):
    for d in discussions[:150]:
        for t in d["turns"]:
            false = [
                e
                for e in EQUATION.findall(t["reasoning"])
                if {"+": int(e[0]) + int(e[2]), "-": int(e[0]) - int(e[2]), "x": int(e[0]) * int(e[2])}[e[1]]
                != int(e[3])
            ]
            last = EQUATION.findall(t["reasoning"])[-1][3]
            assert last == t["answer"]
            assert bool(false) != correct(d, t), t["reasoning"]
    # agents phrase the same steps differently
    first = discussions[0]["turns"][:3]
    assert len({re.sub(r"\d+", "N", t["reasoning"]) for t in first}) == 3


def test_a_bad_agent_config_is_refused():
    with pytest.raises(ValueError, match="skill must be in"):
        SimAgentConfig("x", skill=1.5)
    with pytest.raises(ValueError, match="unknown error kinds"):
        SimAgentConfig("x", errors={"typo": 1.0})
    with pytest.raises(ValueError, match="at least two agents"):
        simulate_discussions(questions(1, 0), AGENTS[:1])
    with pytest.raises(ValueError, match="unknown simulated profile 'genius'"):
        AgentConfig("x", kind="simulated", model="genius")


def _run(qs):
    agents = [
        make_agent(AgentConfig(n, kind="simulated", model=m))
        for n, m in [("a", "strong"), ("b", "simulated:average"), ("c", "weak")]
    ]
    return [
        run_discussion(
            q.question, agents, q.task, rounds=3, options=q.options, gold_answer=q.gold_answer, id=q.id
        ).discussion
        for q in qs
    ]


def test_simulated_agents_discuss_through_the_reconcile_runner():
    qs = questions(30, 15)
    mags = _run(qs)
    assert [[(t.agent, t.round, t.answer, t.reasoning) for t in m.turns] for m in mags] == [
        [(t.agent, t.round, t.answer, t.reasoning) for t in m.turns] for m in _run(qs)
    ]
    assert all(m.meta["reconcile"]["unparseable"] == [] for m in mags)
    round0 = Counter()
    for q, m in zip(qs, mags):
        for t in m.turns:
            round0[t.agent] += t.round == 0 and label_answer(q.task, t.answer, q.gold_answer, q.options)[0]
        for t in m.turns:
            if t.round > 0 and t.answer != m.turn((t.agent, t.round - 1)).answer:
                took = t.reasoning.startswith(f"I agree with the agents who answer {t.answer}.")
                assert took or t.answer == q.gold_answer  # a peer's answer, or rechecked alone
    assert round0["a"] > round0["c"] and round0["a"] / 60 > 0.7
    assert any(len(m.rounds) > 1 for m in mags) and any(len(m.rounds) == 1 for m in mags)
    [unknown] = _run([SyntheticQuestion("x", "gsm8k", "How tall is Everest?", None, "8849", (), "")])
    assert len(unknown.meta["reconcile"]["unparseable"]) == len(unknown.turns) >= 3  # honest: no guess

"""The ReConcile protocol: prompts, reading replies, votes and the discussion loop.

The discussion tests use in-process scripted agents (plain objects with `name` and `reply`); the
same loop over a real HTTP server and the real `openai` client is in tests/app/test_serve_model.py.
"""

from __future__ import annotations

import json
import threading

import pytest
from hypothesis import given
from hypothesis import strategies as st

from magdi.agents import Reply
from magdi.formats import discussion_from_dict, discussion_to_dict
from magdi.mag import Turn
from magdi.reconcile import (
    DiscussionError,
    FewShot,
    TurnOutcome,
    agree,
    discussion_prompt,
    parse_reply,
    read_confidence,
    recalibrate,
    round0_prompt,
    run_discussion,
    vote,
)
from tests.utils import js


class ScriptedAgent:
    """Replies from a list, in order; asking beyond the list is a test failure."""

    def __init__(self, name: str, replies: list[str | Exception]) -> None:
        self.name, self.replies, self.seen = name, list(replies), []
        self._lock = threading.Lock()

    def reply(self, messages):
        with self._lock:
            self.seen.append(messages)
            assert self.replies, f"agent {self.name} was asked more often than scripted"
            item = self.replies.pop(0)
        if isinstance(item, Exception):
            raise item
        return Reply(item, prompt_tokens=10, completion_tokens=5)


# ---------------------------------------------------------------- prompts


@pytest.mark.parametrize(
    "task, options, expected",
    [
        ("strategyqa", None, 'Only answer yes or no in the "answer" field.'),
        ("gsm8k", None, 'Only place a single numeric value in the "answer" field.'),
        (
            "ecqa",
            ["bank", "river", "shore", "cash", "vault"],
            'Only place 1,2,3,4,5 representing your choice in the "answer" field.',
        ),
        (
            "aqua",
            ["A)21", "B)22", "C)23", "D)24", "E)25"],
            'Only place A,B,C,D,E representing your choice in the "answer" field.',
        ),
        ("arc", ["x", "y", "z", "w"], 'Only place A,B,C,D representing your choice in the "answer" field.'),
        ("math", None, "LaTeX"),
    ],
)
def test_round0_prompt_follows_reconcile(task, options, expected):
    shot = FewShot("Is fire cold?", "Fire burns, so it is hot.", "no")
    prompt = round0_prompt("What is it?", task, options, few_shot=[shot])
    assert expected in prompt
    assert "step-by-step reasoning" in prompt
    assert "confidence level (between 0.0 and 1.0)" in prompt
    assert '{"reasoning": "", "answer": "", "confidence_level": ""}' in prompt
    # the convincing sample comes first, as a worked answer in the same JSON
    assert prompt.index("Q: Is fire cold?") < prompt.index('"answer": "no"') < prompt.index("Q: What is it?")


def test_options_are_labelled_as_the_task_answers_them():
    assert "1) bank\n2) river" in round0_prompt("Where?", "ecqa", ["bank", "river"])
    assert "A) bank\nB) river" in round0_prompt("Where?", "arc", ["bank", "river"])
    assert "A)21\nB)22" in round0_prompt("How many?", "aqua", ["A)21", "B)22"])  # already labelled


def test_discussion_prompt_groups_answers_largest_first():
    previous = [
        Turn("a", 0, "Birds fly south.", "no", 0.7),
        Turn("b", 0, "Ducks swim.", "Yes", 0.9),
        Turn("c", 0, "It is summer.", "yes", None),
    ]
    prompt = discussion_prompt("Do ducks swim?", "strategyqa", previous)
    yes, no = (
        prompt.index("There are 2 agents think the answer is yes."),
        prompt.index("There are 1 agents think the answer is no."),
    )
    assert yes < no
    assert "I think the answer is yes because Ducks swim. My confidence level is 0.9." in prompt
    assert "I think the answer is yes because It is summer." in prompt  # no confidence, no sentence
    assert "I think the answer is no because Birds fly south. My confidence level is 0.7." in prompt
    assert "Carefully review the following solutions" in prompt
    assert "which point of view you agree or disagree with and why" in prompt
    assert prompt.rstrip().endswith("Do not output irrelevant content.")


# ---------------------------------------------------------------- reading replies


@pytest.mark.parametrize(
    "text, task, answer, value, confidence",
    [
        (js("yes", 0.9), "strategyqa", "yes", "yes", 0.9),
        (
            'Sure! Here it is: {"reasoning": "r", "answer": "no", "confidence_level": 0.8} Hope this helps.',
            "strategyqa",
            "no",
            "no",
            0.8,
        ),
        (
            '```json\n{"reasoning": "r", "answer": "B", "confidence_level": "90%"}\n```\nDone.',
            "aqua",
            "B",
            "B",
            0.9,
        ),
        ("{'reasoning': \"It's 4\", 'answer': '4', 'confidence_level': '0.95'}", "gsm8k", "4", "4", 0.95),
        (
            '{"reasoning": "r", "answer": "$1,000", "confidence_level": 1,}  and some trailing words',
            "gsm8k",
            "$1,000",
            "1000",
            1.0,
        ),
        ('{"Reasoning": "r", "Answer": 3, "Confidence": 85}', "ecqa", "3", "3", 0.85),
        (
            '{"reasoning": "So the answer is 18.", "answer": "", "confidence_level": 0.6}',
            "gsm8k",
            "18",
            "18",
            0.6,
        ),
        ("No JSON here. So the answer is (C). My confidence level is 70%.", "aqua", "C", "C", 0.7),
        (
            '{"reasoning": "It could be 2 or 4", "answer": "2 or 4", "confidence_level": 0.5}',
            "gsm8k",
            "2 or 4",
            None,
            0.5,
        ),
        ('{"reasoning": "cut off mid', "gsm8k", "", None, None),
        ("I cannot help with that.", "strategyqa", "", None, None),
    ],
)
def test_parse_reply(text, task, answer, value, confidence):
    parsed = parse_reply(text, task)
    assert (parsed.answer, parsed.value, parsed.confidence) == (answer, value, confidence)
    assert parsed.ok == (value is not None)


def test_parse_reply_keeps_the_reasoning_and_takes_the_last_object():
    parsed = parse_reply(js("4", reasoning="draft") + "\nCorrected:\n" + js("5", reasoning="2+3=5"), "gsm8k")
    assert (parsed.reasoning, parsed.value) == ("2+3=5", "5")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (0.9, 0.9),
        ("0.9", 0.9),
        ("90%", 0.9),
        ("90 %", 0.9),
        (90, 0.9),
        ("0.8 (fairly sure)", 0.8),
        (1, 1.0),
        (0, 0.0),
        ("high", None),
        (None, None),
        (True, None),
        (-0.5, None),
        ("-0.5", None),
        (250, None),
    ],
)
def test_read_confidence(raw, expected):
    assert read_confidence(raw) == expected


# ---------------------------------------------------------------- votes


@pytest.mark.parametrize(
    "confidence, weight",
    [
        (None, 0.1),
        (0.0, 0.1),
        (0.6, 0.1),
        (0.61, 0.3),
        (0.79, 0.3),
        (0.8, 0.5),
        (0.89, 0.5),
        (0.9, 0.8),
        (0.99, 0.8),
        (1.0, 1.0),
    ],
)
def test_recalibration_buckets(confidence, weight):
    assert recalibrate(confidence) == weight


@given(st.floats(0, 1), st.floats(0, 1))
def test_recalibration_is_monotone(a, b):
    lo, hi = sorted((a, b))
    assert recalibrate(lo) <= recalibrate(hi)


def test_weighted_vote_can_overrule_the_majority():
    turns = [Turn("a", 2, "", "no", 0.6), Turn("b", 2, "", "No.", 0.5), Turn("c", 2, "", "yes", 1.0)]
    v = vote("strategyqa", turns)
    assert (v.weighted, v.majority) == ("yes", "no")
    assert v.scores == {"no": 0.2, "yes": 1.0} and v.counts == {"no": 2, "yes": 1}


def test_vote_groups_normalised_answers_and_skips_unparseable():
    turns = [Turn("a", 1, "", "$1,000", 0.9), Turn("b", 1, "", "1000.0", 0.95), Turn("c", 1, "", "", 1.0)]
    v = vote("gsm8k", turns)
    assert (v.weighted, v.majority, v.scores) == ("1000", "1000", {"1000": 1.6})
    assert not agree("gsm8k", turns) and agree("gsm8k", turns[:2])


def test_vote_ties_go_to_the_first_answer_and_float_sums_tie():
    # 0.1 + 0.1 + 0.1 would beat 0.3 in floating point
    turns = [
        Turn("a", 0, "", "5", 0.7),
        Turn("b", 0, "", "6", 0.1),
        Turn("c", 0, "", "6", 0.2),
        Turn("d", 0, "", "6", 0.3),
    ]
    v = vote("gsm8k", turns)
    assert v.scores == {"5": 0.3, "6": 0.3} and v.weighted == "5" and v.majority == "6"
    assert vote("gsm8k", []).weighted is None


# ---------------------------------------------------------------- the discussion loop


def test_agreement_in_round_0_ends_the_discussion():
    agents = [ScriptedAgent(n, [js("yes", c)]) for n, c in (("a", 0.9), ("b", "80%"), ("c", 1))]
    arrived: list[TurnOutcome] = []
    result = run_discussion(
        "Is water wet?", agents, "strategyqa", rounds=3, gold_answer="yes", id="w", on_turn=arrived.append
    )
    d = result.discussion
    assert [t.key for t in d.turns] == [("a", 0), ("b", 0), ("c", 0)]
    assert sorted(o.turn.key for o in arrived) == [("a", 0), ("b", 0), ("c", 0)]
    assert all(t.responds_to == [] for t in d.turns)
    assert (result.final_answer, result.majority_answer) == ("yes", "yes")
    assert d.meta["reconcile"]["last_round"] == 0 and d.gold_answer == "yes" and d.id == "w"
    assert result.usage["b"].calls == 1 and result.usage["b"].prompt_tokens == 10


def test_disagreement_runs_rounds_until_agreement_and_records_responds_to():
    a = ScriptedAgent("a", [js("18", 0.9, "3 boxes of 6."), js("18", 0.95)])
    b = ScriptedAgent("b", [js("20", 0.7, "I added 2."), js("18", 0.9, "I agree with 18.")])
    c = ScriptedAgent("c", [js("18", 1.0), js("18", 1.0)])
    d = run_discussion("Janet has 3 boxes of 6 eggs. How many eggs?", [a, b, c], "gsm8k", rounds=3).discussion
    assert d.rounds == [0, 1]
    round0 = [("a", 0), ("b", 0), ("c", 0)]
    assert all(d.turn((n, 1)).responds_to == round0 for n in "abc")
    d.validate()
    assert len(d.edges()) == 9
    # round 1 shows every agent the previous round, grouped by answer
    shown = b.seen[1][0]["content"]
    assert "There are 2 agents think the answer is 18." in shown
    assert "I think the answer is 20 because I added 2. My confidence level is 0.7." in shown
    assert a.seen[1] == b.seen[1] == c.seen[1]


def test_rounds_stop_at_the_limit_and_the_weighted_vote_decides():
    a = ScriptedAgent("a", [js("yes", 1.0)] * 3)
    b = ScriptedAgent("b", [js("no", 0.5)] * 3)
    c = ScriptedAgent("c", [js("no", 0.6)] * 3)
    result = run_discussion("Q?", [a, b, c], "strategyqa", rounds=2)
    assert result.discussion.rounds == [0, 1, 2]
    assert (result.final_answer, result.majority_answer) == ("yes", "no")
    assert result.discussion.meta["reconcile"]["scores"] == {"yes": 1.0, "no": 0.2}


def test_unparseable_turn_is_retried_once_then_kept_and_flagged():
    a = ScriptedAgent("a", ["I refuse to answer in JSON.", "Sorry, I cannot."] + [js("yes")])
    b = ScriptedAgent("b", ["garbage", js("yes", 0.9)] + [js("yes")])  # readable on retry
    c = ScriptedAgent("c", [js("no")] + [js("yes")])
    arrived: dict = {}
    result = run_discussion(
        "Q?", [a, b, c], "strategyqa", rounds=1, on_turn=lambda o: arrived.setdefault(o.turn.key, o)
    )
    d = result.discussion
    kept = d.turn(("a", 0))
    assert (kept.reasoning, kept.answer) == ("I refuse to answer in JSON.", "")
    assert (arrived[("a", 0)].ok, arrived[("a", 0)].attempts) == (False, 2)
    assert (arrived[("b", 0)].ok, arrived[("b", 0)].attempts, d.turn(("b", 0)).answer) == (True, 2, "yes")
    assert "could not be read" in a.seen[1][-1]["content"] and a.seen[1][-2]["role"] == "assistant"
    assert d.meta["reconcile"]["unparseable"] == [["a", 0]]
    # round 1 was shown the parseable turns only
    assert d.turn(("a", 1)).responds_to == [("b", 0), ("c", 0)]
    assert result.usage["a"].calls == 3


def test_existing_turns_are_not_asked_again():
    stored = [
        Turn("a", 0, "r", "yes", 0.9, []),
        Turn("b", 0, "r", "no", 0.9, []),
        Turn("c", 0, "r", "no", 0.8, []),
        Turn("a", 1, "r", "no", 0.9, [("a", 0), ("b", 0), ("c", 0)]),
    ]
    a = ScriptedAgent("a", [])
    b, c = ScriptedAgent("b", [js("no")]), ScriptedAgent("c", [js("no")])
    arrived: list[TurnOutcome] = []
    result = run_discussion(
        "Q?", [a, b, c], "strategyqa", rounds=3, existing_turns=stored, on_turn=arrived.append
    )
    assert a.seen == [] and len(b.seen) == len(c.seen) == 1
    assert sorted(o.turn.key for o in arrived) == [("b", 1), ("c", 1)]
    assert result.discussion.rounds == [0, 1] and result.final_answer == "no"
    assert result.usage["a"].calls == 0


def test_an_agent_failure_delivers_the_other_turns_then_resume_completes():
    store: list[Turn] = []
    a = ScriptedAgent("a", [js("yes")])
    b = ScriptedAgent("b", [ConnectionError("server down")])
    with pytest.raises(DiscussionError, match="agent 'b' failed in round 0") as info:
        run_discussion("Q?", [a, b], "strategyqa", on_turn=lambda o: store.append(o.turn))
    assert info.value.agent == "b" and [t.key for t in store] == [("a", 0)]
    a2, b2 = ScriptedAgent("a", []), ScriptedAgent("b", [js("yes")])
    result = run_discussion(
        "Q?", [a2, b2], "strategyqa", existing_turns=store, on_turn=lambda o: store.append(o.turn)
    )
    assert a2.seen == [] and [t.key for t in store] == [("a", 0), ("b", 0)]
    assert result.final_answer == "yes"


def test_discussion_round_trips_through_the_canonical_format():
    agents = [ScriptedAgent(n, [js(ans), js("B")]) for n, ans in (("a", "A"), ("b", "B"))]
    d = run_discussion(
        "Pick one", agents, "aqua", options=["A)1", "B)2"], gold_answer="B", id="p1"
    ).discussion
    back, _ = discussion_from_dict(json.loads(json.dumps(discussion_to_dict(d))))
    assert back.turns == d.turns and back.meta == d.meta and back.edges() == d.edges()


def test_agents_need_unique_names():
    with pytest.raises(ValueError, match="unique"):
        run_discussion("Q?", [ScriptedAgent("a", []), ScriptedAgent("a", [])], "strategyqa")

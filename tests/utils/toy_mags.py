"""Small hand-made MAGs with known labels, a demo-like export for short training runs, and one
strategyqa discussion (penguins) for the votes and scoring tests."""

from __future__ import annotations

from pathlib import Path

from magdi.formats import write_jsonl
from magdi.mag import Discussion, Turn


def turn(
    agent: str,
    rnd: int,
    correct: bool,
    reasoning: str = "",
    answer: str | None = None,
    excluded: bool = False,
) -> Turn:
    return Turn(
        agent=agent,
        round=rnd,
        reasoning=reasoning or f"{agent} thinks in round {rnd}.",
        answer=answer or ("yes" if correct else "no"),
        label="correct" if correct else "incorrect",
        label_source="auto",
        excluded=excluded,
    )


def hand_made() -> list[Discussion]:
    """q1: 3 agents x 2 rounds, mixed; q2: no correct round-0 turn; q3: nothing correct;
    q4: all correct, one excluded turn."""

    def q(i: int, turns: list[Turn]) -> Discussion:
        return Discussion(
            id=f"q{i}", task="strategyqa", question=f"Question {i}?", gold_answer="yes", turns=turns
        )

    return [
        q(
            1,
            [
                turn("a", 0, True),
                turn("b", 0, False),
                turn("c", 0, True),
                turn("a", 1, True),
                turn("b", 1, True),
                turn("c", 1, False),
            ],
        ),
        q(2, [turn("a", 0, False), turn("b", 0, False), turn("a", 1, True), turn("b", 1, False)]),
        q(3, [turn("a", 0, False), turn("b", 0, False)]),
        q(4, [turn("a", 0, True), turn("b", 0, True), turn("c", 0, True, excluded=True)]),
    ]


def demo_like(n: int = 8) -> list[Discussion]:
    """Arithmetic questions, 3 agents x 2 rounds; agent c starts wrong and is persuaded."""
    out = []
    for i in range(n):
        x, y = i + 2, 3 * i + 1
        right, wrong = str(x + y), str(x + y + 1)

        def t(agent: str, rnd: int, ok: bool, x=x, y=y, right=right, wrong=wrong) -> Turn:
            agree = "I agree with the others. " if rnd else ""
            return turn(
                agent,
                rnd,
                ok,
                f"{agree}Agent {agent} adds {x} and {y}: {right if ok else wrong}.",
                right if ok else wrong,
            )

        out.append(
            Discussion(
                id=f"d{i}",
                task="gsm8k",
                question=f"What is {x} + {y}?",
                gold_answer=right,
                turns=[
                    t("a", 0, True),
                    t("b", 0, True),
                    t("c", 0, False),
                    t("a", 1, True),
                    t("b", 1, True),
                    t("c", 1, True),
                ],
            )
        )
    return out


def write_export(path: Path, discussions: list[Discussion]) -> Path:
    with open(path, "w", encoding="utf-8") as fh:
        write_jsonl(((d, None) for d in discussions), fh)
    return path


def penguins() -> Discussion:
    """strategyqa, gold "no", 3 agents x 2 rounds: confidences, a human label, an unparseable answer."""
    turns = [
        Turn("a", 0, "Birds fly, so yes.", "yes", 0.95),
        Turn("b", 0, "No.", "no", 0.7, label="incorrect", label_source="human"),
        Turn("c", 0, "Unsure.", "maybe", None),
        Turn("a", 1, "Still yes.", "Yes.", 0.6),
        Turn("b", 1, "I agree with a.", "yes", 0.5),
        Turn("c", 1, "Definitely not.", "no", 1.0),
    ]
    return Discussion("d1", "strategyqa", "Do penguins fly?", "no", turns)

"""A toy store where three annotators answered nodes (agreement, adjudication)."""

from __future__ import annotations

from pathlib import Path

from app.services import responses, store
from app.services.auth import LOCAL, Actor, Role
from tests.utils import agree_flip_never, write_jsonl
from tests.utils.rows import node_id

C, X = "correct", "incorrect"
# node (discussion, agent, round) -> current responses; automatic labels in the comments
RESPONSES = {
    ("agree", "a", 0): {"ann1": C, "ann2": C, "ann3": C},  # auto correct: all agree
    ("agree", "b", 0): {"ann1": C, "ann2": X},  # auto correct: a tie, no consensus
    ("flip", "b", 0): {"ann1": X, "ann2": X, "ann3": C},  # auto incorrect: a split majority
    ("flip", "a", 1): {"ann1": C, "ann3": C},  # auto incorrect (parsed): consensus contradicts it
    ("never", "y", 0): {"ann2": C, "ann3": C},  # auto incorrect, unparseable: not confident
    ("never", "x", 1): {"ann1": "unsure", "ann2": X},  # auto incorrect
    ("never", "x", 0): {"ann3": "withdrawn"},  # taken back: no value
}


def add_responses(url: str, folder: Path) -> None:
    """The toy store (agree, flip, never) with the current responses of `RESPONSES`, each given
    through the service after an older, different response of the same annotator (only the newest
    counts); "withdrawn" takes that older one back."""
    store.import_file(write_jsonl(folder / "b.jsonl", agree_flip_never()), url=url, actor=LOCAL)
    for key, answers in RESPONSES.items():
        turn_id = node_id(url, *key)
        for who, value in answers.items():
            actor = Actor(who, Role.ANNOTATOR)
            assert responses.respond(turn_id, X if value == C else C, actor=actor, url=url).ok
            if value == "withdrawn":
                assert responses.withdraw(turn_id, actor=actor, url=url).ok
            else:
                assert responses.respond(turn_id, value, actor=actor, url=url).ok

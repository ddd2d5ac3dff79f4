"""Training data from MAGs: turns become chains; a level selects chains, pairs and graphs.

A chain is one turn written as a prompt (question and options) and a completion (the reasoning
and "So the answer is {answer}"; the EOS is added at encoding). One question is one training unit:

- `single-teacher`: the named agent's correct round-0 chain;
- `1`: correct round-0 chains of every agent;
- `2`: correct chains of every round;
- `3`: every labelled chain, correct ones for the next-token loss, and (correct, incorrect) pairs,
  the smaller side repeated cyclically to the length of the larger; no incorrect chain, no pair;
- `4`: as 3, plus the question's MAG over those chains (the turns' own edges).

A question without a correct chain at its level is dropped. Excluded and unlabelled turns are
skipped (an export carries neither; both are counted in the summary).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from magdi.answers import option_lines
from magdi.config import LEVELS, DistillConfig
from magdi.mag import Discussion, Turn, TurnKey

_AGREEMENT = re.compile(r"I\s+(?:dis)?agree\b", re.IGNORECASE)
_SENTENCE = re.compile(r"(?<=[.!?])(\s+)")


@dataclass(frozen=True)
class Chain:
    key: TurnKey
    prompt: str
    completion: str
    correct: bool


@dataclass
class Example:
    """One question at one level. Indices refer to `chains`; with a graph, chains are its nodes."""

    id: str
    chains: list[Chain]
    positives: list[int]
    pairs: list[tuple[int, int]] = field(default_factory=list)
    edges: list[tuple[int, int]] | None = None  # (source, target): target responds to source


def drop_agreement(text: str) -> str:
    """Remove the sentences that start "I agree" / "I disagree", keeping the rest as written."""
    parts = _SENTENCE.split(text.strip())
    kept = [(parts[i], parts[i + 1] if i + 1 < len(parts) else "") for i in range(0, len(parts), 2)]
    return "".join(s + sep for s, sep in kept if not _AGREEMENT.match(s)).strip()


def format_question(question: str, options: list[str] | None, task: str) -> str:
    """The question, then its options one per line, labelled 1) .. for ECQA and A) .. otherwise."""
    if not options:
        return question
    return question + "\nOptions:\n" + "\n".join(option_lines(options, task))


def make_prompt(cfg: DistillConfig, question: str, options: list[str] | None = None, task: str = "") -> str:
    """The prompt shared by training chains and generation."""
    return cfg.prompt_template.format(question=format_question(question, options, task))


def make_chain(cfg: DistillConfig, d: Discussion, turn: Turn) -> Chain:
    reasoning = drop_agreement(turn.reasoning) if cfg.drop_agreement_sentences else turn.reasoning.strip()
    return Chain(
        key=turn.key,
        prompt=make_prompt(cfg, d.question, d.options, d.task),
        completion=cfg.completion_template.format(reasoning=reasoning, answer=turn.answer),
        correct=turn.label == "correct",
    )


def repeat_pairs(correct: list[int], incorrect: list[int]) -> list[tuple[int, int]]:
    """Zip correct with incorrect, the shorter list repeated cyclically; empty if either is."""
    if not correct or not incorrect:
        return []
    n = max(len(correct), len(incorrect))
    return [(correct[i % len(correct)], incorrect[i % len(incorrect)]) for i in range(n)]


def build_example(cfg: DistillConfig, d: Discussion, level: str | None = None) -> Example | None:
    """The question's training unit at `level` (default cfg.level); None when it has no correct chain."""
    level = level or cfg.level
    turns = [t for t in d.turns if not t.excluded and t.label is not None]
    if level in ("3", "4"):
        chosen = turns
    elif level == "2":
        chosen = [t for t in turns if t.label == "correct"]
    else:
        chosen = [
            t
            for t in turns
            if t.label == "correct" and t.round == 0 and (level == "1" or t.agent == cfg.teacher)
        ]
    chains = [make_chain(cfg, d, t) for t in chosen]
    positives = [i for i, c in enumerate(chains) if c.correct]
    if not positives:
        return None
    example = Example(id=d.id, chains=chains, positives=positives)
    if level in ("3", "4"):
        example.pairs = repeat_pairs(positives, [i for i, c in enumerate(chains) if not c.correct])
    if level == "4":
        example.edges = graph_edges(d, chains)
    return example


def graph_edges(d: Discussion, chains: list[Chain]) -> list[tuple[int, int]]:
    """The MAG's edges between the given chains' turns, as (source, target) chain indices."""
    index = {c.key: i for i, c in enumerate(chains)}
    return [(index[s], index[t]) for s, t in d.edges() if s in index and t in index]


def _counts(examples: list[Example]) -> dict[str, int]:
    return {
        "questions": len(examples),
        "chains": sum(len(e.positives) for e in examples),
        "negative_chains": sum(len(e.chains) - len(e.positives) for e in examples),
        "pairs": sum(len(e.pairs) for e in examples),
        "graphs": sum(e.edges is not None for e in examples),
        "nodes": sum(len(e.chains) for e in examples if e.edges is not None),
        "edges": sum(len(e.edges) for e in examples if e.edges is not None),
    }


def build_examples(
    cfg: DistillConfig, discussions: Iterable[Discussion]
) -> tuple[list[Example], dict[str, Any]]:
    """Examples at cfg.level and a summary: counts at this level and at every level, for comparison.

    `chains` counts next-token (correct) chains; `negative_chains` the incorrect chains that pairs use.
    """
    discussions = list(discussions)
    levels = [lv for lv in LEVELS if lv != "single-teacher" or cfg.teacher]
    per_level = {
        lv: [e for d in discussions if (e := build_example(cfg, d, lv)) is not None] for lv in levels
    }
    examples = per_level[cfg.level]
    summary: dict[str, Any] = {
        "level": cfg.level,
        "teacher": cfg.teacher,
        "agents": sorted({t.agent for d in discussions for t in d.turns}),
        "questions_total": len(discussions),
        "questions_dropped": len(discussions) - len(examples),
        "turns_total": sum(len(d.turns) for d in discussions),
        "turns_excluded": sum(t.excluded for d in discussions for t in d.turns),
        "turns_unlabelled": sum(t.label is None and not t.excluded for d in discussions for t in d.turns),
        **_counts(examples),
        "by_level": {lv: _counts(exs) for lv, exs in per_level.items()},
    }
    return examples, summary


def encode_chain(tokenizer: Any, chain: Chain, max_length: int) -> tuple[list[int], int, bool]:
    """Token ids of prompt + completion + EOS cut to max_length, the prompt's length, whether cut.

    The chain is tokenised whole, as its text reads: tokenised apart, the completion (" reasoning
    …") would start with a stray "▁" on SentencePiece tokenizers (Llama-2, Mistral). The prompt's
    length is the common prefix of these ids and the prompt's own (what generation is given): all
    of the prompt when it is a token prefix, else up to the token that straddles the boundary,
    which then takes the loss.
    """
    prompt = encode_prompt(tokenizer, chain.prompt)
    ids = encode_prompt(tokenizer, chain.prompt + chain.completion) + [tokenizer.eos_token_id]
    n_prompt = next((i for i, (a, b) in enumerate(zip(prompt, ids)) if a != b), len(prompt))
    return ids[:max_length], min(n_prompt, max_length), len(ids) > max_length


def encode_prompt(tokenizer: Any, prompt: str) -> list[int]:
    """Prompt ids as generation sees them: BOS (when the tokenizer has one) and the text, no EOS."""
    bos = [tokenizer.bos_token_id] if tokenizer.bos_token_id is not None else []
    return bos + tokenizer.encode(prompt, add_special_tokens=False)


@dataclass
class EncodedExample:
    """An Example as token ids. `uids` name unique chain texts across the data set (for dedupe)."""

    ids: list[list[int]]
    prompt_lens: list[int]
    uids: list[int]
    positives: list[int]
    pairs: list[tuple[int, int]]
    edges: list[tuple[int, int]] | None
    node_labels: list[int]


def encode_examples(
    examples: list[Example], tokenizer: Any, max_length: int
) -> tuple[list[EncodedExample], int]:
    """Tokenise every chain once; returns the encoded examples and how many chains were cut."""
    uid: dict[tuple[str, str], int] = {}
    cache: dict[int, tuple[list[int], int, bool]] = {}
    out = []
    for e in examples:
        uids = [uid.setdefault((c.prompt, c.completion), len(uid)) for c in e.chains]
        for u, c in zip(uids, e.chains):
            if u not in cache:
                cache[u] = encode_chain(tokenizer, c, max_length)
        out.append(
            EncodedExample(
                ids=[cache[u][0] for u in uids],
                prompt_lens=[cache[u][1] for u in uids],
                uids=uids,
                positives=e.positives,
                pairs=e.pairs,
                edges=e.edges,
                node_labels=[int(c.correct) for c in e.chains],
            )
        )
    return out, sum(cut for _, _, cut in cache.values())

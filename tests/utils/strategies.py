"""Hypothesis strategies: discussions of any shape and text, for lossless round-trip tests."""

from __future__ import annotations

from hypothesis import strategies as st

from magdi.mag import Discussion, Turn

# Any text but lone surrogates and NUL, which the readers refuse (UTF-8 and PostgreSQL cannot hold them).
chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")
text = st.text(chars, max_size=40)
agents = st.text(chars, min_size=1, max_size=12).filter(str.strip)


@st.composite
def discussions(draw) -> Discussion:
    names = draw(st.lists(agents, min_size=1, max_size=4, unique=True))
    n_rounds = draw(st.integers(1, 4))
    turns = []
    for r in range(n_rounds):
        present = [a for a in names if r == 0 or draw(st.booleans())] or names[:1]
        for a in present:
            earlier = [t.key for t in turns if t.round < r]
            responds = draw(st.none() | st.lists(st.sampled_from(earlier), unique=True)) if earlier else None
            label = draw(st.sampled_from([None, "correct", "incorrect"]))
            turns.append(
                Turn(
                    agent=a,
                    round=r,
                    reasoning=draw(text),
                    answer=draw(text),
                    confidence=draw(st.none() | st.floats(0, 1)),
                    responds_to=responds,
                    label=label,
                    label_source=None if label is None else draw(st.sampled_from(["auto", "human"])),
                    excluded=draw(st.booleans()),
                )
            )
    return Discussion(
        id=draw(text),
        task=draw(st.sampled_from(["gsm8k", "strategyqa", "ecqa", "x"])),
        question=draw(text),
        gold_answer=draw(text),
        turns=turns,
        options=draw(st.none() | st.lists(text, max_size=5)),
    )

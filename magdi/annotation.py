"""A node's effective label when several annotators answer it.

Each annotator's current response is "correct", "incorrect", "unsure" or "withdrawn" (taken back).
The human consensus is a strict majority of the correct/incorrect responses once at least
`min_responses` of them exist; unsure and withdrawn responses do not count, and a tie waits for an
adjudicator. The effective label is the adjudicated label if there is one, else the consensus, else
the automatic label.
"""

from __future__ import annotations

import os
from collections.abc import Iterable

VALUES = ("correct", "incorrect", "unsure", "withdrawn")
DEFAULT_CONSENSUS_MIN = 1  # one annotator's response decides: a store with one annotator works as before


def human_consensus(values: Iterable[str], min_responses: int) -> bool | None:
    """True / False by a strict majority of the correct/incorrect `values`, once there are at least
    `min_responses` of them; None on a tie or with too few."""
    if min_responses < 1:
        raise ValueError(f"min_responses must be >= 1, got {min_responses}")
    values = list(values)
    unknown = set(values) - set(VALUES)
    if unknown:
        raise ValueError(f"unknown response value(s) {sorted(unknown)}; expected one of {VALUES}")
    correct, incorrect = values.count("correct"), values.count("incorrect")
    if correct + incorrect < min_responses or correct == incorrect:
        return None
    return correct > incorrect


def human_label(adjudicated: bool | None, consensus: bool | None) -> bool | None:
    """The label humans gave a node (what the store keeps in `turn.human_label`): the adjudicated
    label, else the human consensus; None when neither exists, so the automatic label applies."""
    return consensus if adjudicated is None else adjudicated


def effective_label(adjudicated: bool | None, consensus: bool | None, auto: bool) -> bool:
    """The adjudicated label, else the human consensus, else the automatic label."""
    human = human_label(adjudicated, consensus)
    return auto if human is None else human


def consensus_min(environ: dict[str, str] | None = None) -> int:
    """k of the consensus rule, from MAGDI_CONSENSUS_MIN (default 1)."""
    raw = (os.environ if environ is None else environ).get("MAGDI_CONSENSUS_MIN", "").strip()
    if not raw:
        return DEFAULT_CONSENSUS_MIN
    try:
        k = int(raw)
    except ValueError:
        raise ValueError(f"MAGDI_CONSENSUS_MIN must be a whole number >= 1, got {raw!r}") from None
    if k < 1:
        raise ValueError(f"MAGDI_CONSENSUS_MIN must be >= 1, got {k}")
    return k

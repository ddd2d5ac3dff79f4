"""Seeded train / validation / test splits by question.

A question is named by its key "<dataset>/<external id>" (`question_key`). `split_keys` is a pure
function of (keys, fractions, seed): the sorted keys are shuffled with `random.Random(seed)` and cut
into parts of sizes rounded from the fractions, so the same inputs give the same split on any
machine, and the parts are disjoint and cover every key. With at least 3 questions, a part whose
fraction is above 0 gets at least one question; training keeps at least one, or it is an error.

The split file (`split.json`, written by `write_split`) holds {"seed", "fractions", "train",
"validation", "test", "counts"}, each part's keys sorted.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Any

PARTS = ("train", "validation", "test")
DEFAULT_SPLIT: dict[str, Any] = {"train": 0.8, "validation": 0.1, "test": 0.1, "seed": 0}
SPLIT_NAME = "split.json"


def question_key(dataset: str | None, external_id: str) -> str:
    return f"{dataset or ''}/{external_id}"


def check_split(spec: dict[str, Any] | None) -> dict[str, Any]:
    """The split settings with defaults filled in; fractions in [0, 1] summing to 1, an integer seed.

    Given only validation and test, train is the rest.
    """
    given = dict(spec or {})
    unknown = sorted(set(given) - set(DEFAULT_SPLIT))
    if unknown:
        raise ValueError(f"split: unknown key {unknown[0]!r} (known: {', '.join(DEFAULT_SPLIT)})")
    out = {**DEFAULT_SPLIT, **given}
    if "train" not in given and ("validation" in given or "test" in given):
        out["train"] = 1.0 - float(out["validation"]) - float(out["test"])
    for part in PARTS:
        value = out[part]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"split: {part} must be a fraction, got {value!r}")
        out[part] = round(float(value), 6)  # 1 - 0.1 - 0.1 is 0.7999999999999999
        if not 0.0 <= out[part] <= 1.0:
            raise ValueError(f"split: {part} must be between 0 and 1, got {value!r}")
    if not math.isclose(sum(out[p] for p in PARTS), 1.0, abs_tol=1e-6):
        raise ValueError(
            f"split: train, validation and test must add up to 1, got "
            f"{out['train']} + {out['validation']} + {out['test']}"
        )
    if out["train"] == 0:
        raise ValueError("split: train must be above 0")
    if isinstance(out["seed"], bool) or not isinstance(out["seed"], int):
        raise ValueError(f"split: seed must be an integer, got {out['seed']!r}")
    return out


def split_sizes(n: int, fractions: dict[str, float]) -> dict[str, int]:
    """Questions per part: rounded fractions, at least 1 in a non-empty held-out part when n >= 3."""
    held = {}
    for part in ("validation", "test"):
        size = round(fractions[part] * n)
        if n >= 3 and fractions[part] > 0:
            size = max(size, 1)
        held[part] = size
    train = n - held["validation"] - held["test"]
    if n == 0:
        raise ValueError("no questions to split: the selection is empty")
    if train < 1:
        raise ValueError(
            f"cannot split {n} question(s) into train {fractions['train']}, validation "
            f"{fractions['validation']}, test {fractions['test']}: no question is left "
            "for training (choose more questions or smaller held-out fractions)"
        )
    return {"train": train, **held}


def split_keys(keys: Iterable[str], fractions: dict[str, float], seed: int) -> dict[str, list[str]]:
    """{train, validation, test}: disjoint sorted lists of the keys (duplicates are an error)."""
    ordered = sorted(keys)
    if len(set(ordered)) != len(ordered):
        raise ValueError("split: question keys are not unique")
    sizes = split_sizes(len(ordered), fractions)
    random.Random(seed).shuffle(ordered)
    v, t = sizes["validation"], sizes["test"]
    return {
        "train": sorted(ordered[v + t :]),
        "validation": sorted(ordered[:v]),
        "test": sorted(ordered[v : v + t]),
    }


def make_split(keys: Iterable[str], spec: dict[str, Any] | None = None) -> dict[str, Any]:
    """The split file's content for these keys under the (checked) settings."""
    spec = check_split(spec)
    fractions = {p: spec[p] for p in PARTS}
    parts = split_keys(keys, fractions, spec["seed"])
    return {
        "seed": spec["seed"],
        "fractions": fractions,
        **parts,
        "counts": {p: len(parts[p]) for p in PARTS},
    }


def write_split(directory: Path, split: dict[str, Any]) -> Path:
    path = Path(directory) / SPLIT_NAME
    path.write_text(json.dumps(split, indent=1), encoding="utf-8")
    return path


def read_split(directory: Path) -> dict[str, Any]:
    return json.loads((Path(directory) / SPLIT_NAME).read_text(encoding="utf-8"))


def part_of(split: dict[str, Any]) -> dict[str, str]:
    """key -> the part holding it."""
    return {k: p for p in PARTS for k in split[p]}

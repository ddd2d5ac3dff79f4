"""Seeded splits by question: disjoint, covering, deterministic, sized by the fractions."""

from __future__ import annotations

import pytest

from magdi.splits import DEFAULT_SPLIT, check_split, make_split, split_keys, split_sizes

KEYS = [f"ds{i % 3}/q{i:03d}" for i in range(40)]
FRACTIONS = {"train": 0.8, "validation": 0.1, "test": 0.1}


def test_parts_are_disjoint_cover_every_key_and_follow_the_fractions():
    parts = split_keys(KEYS, FRACTIONS, seed=0)
    sets = [set(parts[p]) for p in ("train", "validation", "test")]
    assert sum(map(len, sets)) == len(KEYS) and set.union(*sets) == set(KEYS)
    assert [len(s) for s in sets] == [32, 4, 4]
    assert all(parts[p] == sorted(parts[p]) for p in parts)


def test_the_split_depends_on_the_seed_and_not_on_the_order_given():
    a = split_keys(KEYS, FRACTIONS, seed=0)
    assert split_keys(list(reversed(KEYS)), FRACTIONS, seed=0) == a
    assert split_keys(KEYS, FRACTIONS, seed=1) != a
    assert a["test"] == ["ds1/q004", "ds2/q008", "ds2/q023", "ds2/q035"]  # fixed across versions


def test_small_selections_keep_one_question_per_held_out_part_or_fail_clearly():
    assert split_sizes(3, FRACTIONS) == {"train": 1, "validation": 1, "test": 1}
    assert split_sizes(2, FRACTIONS) == {"train": 2, "validation": 0, "test": 0}
    assert split_sizes(5, {"train": 1.0, "validation": 0.0, "test": 0.0})["train"] == 5
    with pytest.raises(ValueError, match="no question is left for training"):
        split_sizes(4, {"train": 0.2, "validation": 0.4, "test": 0.4})
    with pytest.raises(ValueError, match="selection is empty"):
        split_keys([], FRACTIONS, seed=0)


def test_settings_are_checked_and_defaults_filled():
    assert check_split(None) == DEFAULT_SPLIT
    assert check_split({"validation": 0.2, "test": 0.1})["train"] == 0.7
    for bad, message in (
        ({"train": 0.5}, "add up to 1"),
        ({"test": -0.1, "validation": 0.1}, "between 0 and 1"),
        ({"seed": "x"}, "seed must be an integer"),
        ({"dev": 0.1}, "unknown key 'dev'"),
        ({"train": 0.0, "validation": 0.5, "test": 0.5}, "train must be above 0"),
    ):
        with pytest.raises(ValueError, match=message):
            check_split(bad)


def test_the_split_file_records_seed_fractions_parts_and_counts():
    split = make_split(KEYS, {"seed": 3})
    assert split["seed"] == 3 and split["fractions"] == FRACTIONS
    assert split["counts"] == {p: len(split[p]) for p in ("train", "validation", "test")}
    with pytest.raises(ValueError, match="not unique"):
        make_split(KEYS + KEYS[:1])

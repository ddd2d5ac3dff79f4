"""The Browse filter's one declaration (`app.services.filters`) and what is derived from it: the URL
codec, `describe`, the widgets, the store's conditions; old query strings and stored job configs."""

from dataclasses import dataclass, replace
from urllib.parse import parse_qs

import pytest
from sqlalchemy import select

from app.services import browse, jobs, store
from app.services.filters import (
    Filter,
    FilterOptions,
    OneOf,
    declare,
    stored_filter,
    to_browse_filter,
    widget_rows,
)
from app.train_cli import _filter
from db import browsing
from db.engine import session_scope
from db.models import Dataset, Discussion, Turn

OPTIONS = FilterOptions(datasets=["ecqa", "gsm8k"], tasks=["gsm8k"], agents=["bard", "gpt4"], max_round=2)
EVERY = Filter(  # every field set: a field added to the declaration must be added here
    datasets=("gsm8k", "ecqa"),
    task="gsm8k",
    agent="bard",
    majority_correct=False,
    round0_disagree=True,
    consensus_round=-1,
    flip="wrong_right",
    has_human=False,
    needs_review=True,
    search="muffins cookies",
)


@pytest.fixture
def demo(db_url):
    store.load_demo_if_empty(db_url)
    return db_url


def test_every_declared_field_goes_through_every_derived_place():
    declared = Filter.declared()
    assert [name for name, _, _ in EVERY.restrictions()] == [name for name, _, _ in declared]
    assert Filter.from_query(EVERY.to_query()) == EVERY
    assert list(EVERY.to_query()) == list(Filter.query_keys())
    assert EVERY.describe() == (
        "dataset gsm8k or ecqa, task gsm8k, agent bard, majority wrong, round-0 disagreement, never agree, "
        "flip wrong→right, no human corrections, waiting for review, text “muffins cookies”"
    )
    assert Filter().describe() == "everything" and Filter().to_query() == {} and Filter().is_empty()
    widgets = [name for row in widget_rows() for name, _ in row]
    assert sorted(widgets) == sorted(name for name, _, _ in declared)
    for name, spec, default in declared:
        value = getattr(EVERY, name)
        shown = spec.shown(value, OPTIONS)
        assert spec.read(shown) == value, name
        assert spec.read(spec.shown(default, OPTIONS)) == default, name
        if spec.widget != "text_input":
            offered = spec.widget_args(OPTIONS, value)["options"]
            assert set(shown if isinstance(shown, list) else [shown]) <= set(offered), name
    conditions = {spec.db or name for name, spec, _ in declared}
    assert conditions == set(browsing.CONDITIONS), (
        "every field has its SQL condition in db.browsing, and back"
    )
    assert EVERY.labels_matter() and not Filter(datasets=("gsm8k",), round0_disagree=True).labels_matter()


@dataclass(frozen=True)
class WithColour(Filter):
    colour: str | None = declare(OneOf("colour", "Colour", source="agents", row=0))


def test_a_field_added_to_the_declaration_appears_everywhere(sqlite_url):
    f = WithColour(task="gsm8k", colour="gpt4")
    assert f.to_query() == {"task": "gsm8k", "colour": "gpt4"}
    assert WithColour.from_query({"colour": ["red", "gpt4"]}) == WithColour(colour="gpt4")
    assert "colour" in WithColour.query_keys() and "colour" not in Filter.query_keys()
    assert f.describe() == "task gsm8k, colour gpt4"
    [first, _] = widget_rows(WithColour)
    [(name, spec)] = [w for w in first if w[0] == "colour"]
    assert spec.label == "Colour" and spec.widget_args(OPTIONS, None)["options"] == ["(any)", "bard", "gpt4"]
    with session_scope(sqlite_url) as s, pytest.raises(TypeError, match="unknown Browse filter 'colour'"):
        to_browse_filter(s, f)  # no SQL condition declared for it in db.browsing


def test_malformed_url_values_are_ignored():
    assert Filter.from_query({"cons": "x", "flip": "<script>", "maj": "maybe", "ds": ["", ""]}) == Filter()
    assert Filter.from_query({"cons": "-2", "r0": ["1", ""], "q": "  eggs "}) == Filter(search="eggs")


def test_an_old_filter_query_string_still_parses():
    # as the Browse URL and `--filter` wrote them before the declaration (commit 90d4df2)
    query = "ds=gsm8k&task=gsm8k&agent=bard&maj=0&r0=1&cons=-1&flip=right_wrong&human=0&review=1&q=eggs"
    expected = Filter(
        datasets=("gsm8k",),
        task="gsm8k",
        agent="bard",
        majority_correct=False,
        round0_disagree=True,
        consensus_round=-1,
        flip="right_wrong",
        has_human=False,
        needs_review=True,
        search="eggs",
    )
    assert Filter.from_query(parse_qs(query)) == expected
    assert _filter(query, ["ecqa"]) == replace(expected, datasets=("gsm8k", "ecqa"))
    assert Filter.from_query(parse_qs("maj=yes&human=false&review=no")) == Filter(
        majority_correct=True, has_human=False, needs_review=False
    )


OLD_CONFIG = {  # a train job's config as stored before the declaration (commit 90d4df2)
    "train": {"level": "multi-teacher", "max_steps": 10},
    "filter": {"dataset_ids": [3], "round0_disagree": True, "needs_review": True},
    "data": {"ds": ["strategyqa"], "r0": "1", "review": "1"},
    "nproc": 1,
    "split": {"validation": 0.1, "test": 0.1, "seed": 0},
}


def test_an_old_stored_job_config_still_reads(demo):
    with session_scope(demo) as s:
        assert s.get(Dataset, 3).name == "strategyqa"
        expected = list(
            s.execute(
                select(Discussion.id)
                .where(Discussion.dataset_id == 3, Discussion.round0_disagree, Discussion.n_review > 0)
                .order_by(Discussion.id)
            ).scalars()
        )
        found = browsing.matching_ids(s, browsing.BrowseFilter(**OLD_CONFIG["filter"]))
    assert expected and found == expected
    data = Filter.from_query(OLD_CONFIG["data"])
    assert browse.ordered_ids(data, url=demo) == expected
    assert stored_filter(data, demo) == OLD_CONFIG["filter"]  # what a new job stores is the same
    assert "--dataset strategyqa --filter 'r0=1&review=1'" in jobs.command_line(OLD_CONFIG)
    with pytest.raises(TypeError, match="unknown Browse filter 'colour'"):
        browsing.BrowseFilter(colour="red")


@pytest.mark.parametrize(
    "query, where",
    [
        (
            "agent=bard&cons=-1",
            (
                Discussion.consensus_round.is_(None),
                Discussion.id.in_(select(Turn.discussion_id).where(Turn.agent == "bard")),
            ),
        ),
        ("flip=right_wrong&ds=ecqa&ds=nope", (Discussion.flip_right_wrong, Discussion.dataset_id == 1)),
        ("ds=nope", (Discussion.id < 0,)),
        ("human=0&maj=1", (Discussion.n_human == 0, Discussion.majority_correct.is_(True))),
    ],
)
def test_each_condition_selects_what_it_says(demo, query, where):
    with session_scope(demo) as s:
        expected = set(s.execute(select(Discussion.id).where(*where)).scalars())
    assert set(browse.ordered_ids(Filter.from_query(parse_qs(query)), url=demo)) == expected


def test_a_long_search_is_described_in_short_but_searched_whole():
    long = "x" * 5000
    f = Filter(search=long)
    assert f.describe() == f"text “{'x' * 79}…” (5,000 characters)"
    assert Filter.from_query(f.to_query()).search == long

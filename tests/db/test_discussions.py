"""Discussions written turn by turn (db.discussions) on a real store: SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import select, text

from db import browsing, queries
from db import discussions as dq
from db.engine import session_scope
from db.models import Discussion, Edge
from magdi.mag import MAGError, Turn

OPTIONS = ["wet", "dry", "both"]


def _create(url: str, external_id: str = "q1") -> int:
    with session_scope(url, write=True) as s:
        return dq.create_discussion(
            s,
            dataset="gen",
            external_id=external_id,
            task="ecqa",
            question="Is the ocean damp or parched?",
            options=OPTIONS,
            gold_answer="1",
        )


def _append(url: str, did: int, turn: Turn) -> bool:
    with session_scope(url, write=True) as s:
        return dq.append_turn(s, discussion_id=did, turn=turn)


def test_turns_arrive_one_by_one_and_form_an_ordinary_mag(db_url):
    did = _create(db_url)
    assert _create(db_url) == did  # idempotent
    assert _create(db_url, "q2") != did
    r0 = [
        Turn("a", 0, "Oceans are water, so wet.", "1", 0.9, responds_to=[]),
        Turn("b", 0, "Salt dries things.", "2", 0.6, responds_to=[]),
        Turn("c", 0, "I cannot decide", "", None, responds_to=[]),
    ]  # unparseable
    shown = [("a", 0), ("b", 0)]
    r1 = [
        Turn("b", 1, "Agreed, wet.", "1", 0.8, responds_to=shown),
        Turn("a", 1, "Still wet.", "1", 0.95, responds_to=shown),
    ]
    assert all(_append(db_url, did, t) for t in r0 + r1)
    assert not _append(db_url, did, Turn("a", 0, "asked twice", "2", 0.1))

    with session_scope(db_url) as s:
        assert dq.load_turns(s, discussion_id=did) == r0 + r1
        row = s.get(Discussion, did)
        assert (row.n_turns, row.n_agents, row.n_rounds, row.majority_correct) == (5, 3, 2, True)
        assert (row.round0_disagree, row.flip_wrong_right) == (True, True)
        assert row.n_review >= 1  # the unparseable turn waits for review
        [(d, dataset)] = list(queries.iter_discussions(s, discussion_ids=[did]))
        edges = s.execute(select(Edge.position).where(Edge.discussion_id == did)).scalars().all()
        [stats] = queries.dataset_stats(s)
    assert (stats["turns"], stats["unparseable"]) == (5, 1)
    assert dataset == "gen" and sorted(edges) == [0, 0, 1, 1]
    assert [(t.key, t.label, t.label_source) for t in d.turns] == [
        (("a", 0), "correct", "auto"),
        (("b", 0), "incorrect", "auto"),
        (("c", 0), "incorrect", "auto"),
        (("b", 1), "correct", "auto"),
        (("a", 1), "correct", "auto"),
    ]
    assert d.turn(("a", 1)).responds_to == shown and d.options == OPTIONS and d.gold_answer == "1"


def test_full_text_search_and_meta_follow_new_turns(db_url):
    did = _create(db_url)
    _append(db_url, did, Turn("a", 0, "Seawater is plainly moist.", "1", 0.9, responds_to=[]))
    with session_scope(db_url) as s:
        assert browsing.matching_ids(s, browsing.BrowseFilter(search="moist")) == [did]
        assert browsing.matching_ids(s, browsing.BrowseFilter(search="parched")) == [did]
    _append(db_url, did, Turn("b", 0, "Evaporation leaves crystals.", "2", 0.7, responds_to=[]))
    with session_scope(db_url, write=True) as s:
        assert browsing.matching_ids(s, browsing.BrowseFilter(search="crystals")) == [did]
        assert browsing.matching_ids(s, browsing.BrowseFilter(search="moist")) == [did]  # kept
        if db_url.startswith("sqlite"):  # the index still matches the text it was built from
            s.execute(text("INSERT INTO discussion_fts (discussion_fts, rank) VALUES ('integrity-check', 1)"))
        dq.set_discussion_meta(s, discussion_id=did, meta={"reconcile": {"final_answer": "1"}})
    with session_scope(db_url) as s:
        [(d, _)] = list(queries.iter_discussions(s, discussion_ids=[did]))
    assert d.meta == {"reconcile": {"final_answer": "1"}}


def test_default_edges_and_bad_sources(db_url):
    did = _create(db_url)
    for t in (Turn("a", 0, "x", "1"), Turn("b", 0, "y", "3")):
        _append(db_url, did, t)
    _append(db_url, did, Turn("a", 1, "z", "1"))  # responds_to None: every turn of round 0
    with pytest.raises(MAGError, match=r"responds to \('zed', 0\)"):
        _append(db_url, did, Turn("b", 1, "w", "1", responds_to=[("a", 0), ("zed", 0)]))
    with pytest.raises(MAGError, match="earlier round"):
        _append(db_url, did, Turn("b", 1, "w", "1", responds_to=[("a", 1)]))
    with session_scope(db_url) as s:
        turns = dq.load_turns(s, discussion_id=did)
        [(d, _)] = list(queries.iter_discussions(s, discussion_ids=[did]))
    assert [t.key for t in turns] == [("a", 0), ("b", 0), ("a", 1)]  # the failures left nothing
    assert turns[2].responds_to is None
    assert sorted(d.edges()) == [(("a", 0), ("a", 1)), (("b", 0), ("a", 1))]
    with session_scope(db_url) as s:
        n = len(s.execute(select(Edge).where(Edge.discussion_id == did)).all())
    assert n == 2


def test_concurrent_writers_create_each_row_once(db_url):
    with ThreadPoolExecutor(6) as pool:
        ids = list(pool.map(lambda _: _create(db_url), range(12)))
        assert len(set(ids)) == 1
        added = list(pool.map(lambda i: _append(db_url, ids[0], Turn("a", 0, f"try {i}", "1")), range(12)))
    assert added.count(True) == 1
    with session_scope(db_url) as s:
        assert len(dq.load_turns(s, discussion_id=ids[0])) == 1
        assert [r["dataset"] for r in queries.dataset_stats(s)] == ["gen"]

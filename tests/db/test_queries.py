"""Store queries (db.queries) on a real store: discussions streamed back with effective labels,
chunk by chunk, by id or dataset; datasets by name; the label revision."""

import pytest

from app.services import annotate, store
from app.services.auth import LOCAL, Actor, Role
from db import queries
from db.engine import session_scope
from magdi.mag import label_text
from tests.utils import discussion, write_jsonl
from tests.utils.rows import disc_id, node_id


@pytest.fixture
def url(db_url, tmp_path) -> str:
    """Dataset "one": d1, d2, d3; dataset "two": d4, d5 (tests.utils.discussion, gold 18)."""
    store.import_file(
        write_jsonl(tmp_path / "one.jsonl", [discussion(id=f"d{i}") for i in (1, 2, 3)]),
        url=db_url,
        actor=LOCAL,
    )
    store.import_file(
        write_jsonl(tmp_path / "two.jsonl", [discussion(id=f"d{i}") for i in (4, 5)]), url=db_url, actor=LOCAL
    )
    return db_url


def test_discussions_stream_in_id_order_across_chunks(url, monkeypatch):
    monkeypatch.setattr(queries, "CHUNK", 2)  # five discussions: three chunks
    with session_scope(url) as s:
        every = [(d.id, ds) for d, ds in queries.iter_discussions(s)]
        picked = [
            d.id
            for d, _ in queries.iter_discussions(
                s, discussion_ids=[disc_id(url, x) for x in ("d5", "d1", "d3")]
            )
        ]
        two = [d.id for d, _ in queries.iter_discussions(s, dataset_ids=[queries.require_dataset(s, "two")])]
        none = list(queries.iter_discussions(s, discussion_ids=[]))
    assert every == [("d1", "one"), ("d2", "one"), ("d3", "one"), ("d4", "two"), ("d5", "two")]
    assert picked == ["d1", "d3", "d5"] and two == ["d4", "d5"] and none == []


def test_streamed_discussions_carry_effective_labels_and_may_drop_excluded_nodes(url):
    assert annotate.set_label(
        node_id(url, "d2", "b", 0), True, actor=Actor("ann", Role.ANNOTATOR), url=url
    ).ok
    assert annotate.set_excluded(
        node_id(url, "d2", "c", 1), True, actor=Actor("ann", Role.ANNOTATOR), url=url
    ).ok
    ids = [disc_id(url, "d2")]
    with session_scope(url) as s:
        [(kept, _)] = queries.iter_discussions(s, discussion_ids=ids)
        [(dropped, _)] = queries.iter_discussions(s, discussion_ids=ids, drop_excluded=True)
    b0 = next(t for t in kept.turns if t.key == ("b", 0))
    assert (b0.label, b0.label_source) == ("correct", "human")
    assert {t.label_source for t in kept.turns if t.key != ("b", 0)} == {"auto"}
    assert len(kept.turns) == 6 and [t.key for t in kept.turns if t.excluded] == [("c", 1)]
    assert len(dropped.turns) == 5 and ("c", 1) not in {t.key for t in dropped.turns}


def test_datasets_by_name_and_the_label_revision(url):
    with session_scope(url, write=True) as s:
        assert queries.dataset_names(s) == ["one", "two"]
        assert queries.get_or_create_dataset(s, "one") == queries.find_dataset(s, "one")
        new = queries.get_or_create_dataset(s, "three")
        assert queries.find_dataset(s, "three") == new and queries.find_dataset(s, "four") is None
        with pytest.raises(LookupError, match="no dataset named 'four'"):
            queries.require_dataset(s, "four")
        revision = queries.label_revision(s)
        assert queries.bump_revision(s) == revision + 1 == queries.label_revision(s)
    assert [label_text(v) for v in (True, False, None)] == ["correct", "incorrect", None]

"""The Overview service: counts per dataset, what waits for review, recent changes, accuracy."""

from app.services import annotate, overview, store
from app.services.auth import LOCAL, Actor, Role
from tests.utils import agree_flip_never, write_jsonl
from tests.utils.rows import node_id


def test_counts_recent_changes_and_accuracy_per_agent_and_round(db_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "b.jsonl", agree_flip_never()), url=db_url, actor=LOCAL)
    before = overview.overview(url=db_url)
    [b] = before.datasets
    assert (b["dataset"], b["discussions"], b["turns"], b["correct"], b["incorrect"]) == ("b", 3, 10, 5, 5)
    assert (before.waiting_for_review, before.recent) == (3, [])

    assert annotate.set_label(
        node_id(db_url, "flip", "b", 0), True, actor=Actor("ann", Role.ANNOTATOR), url=db_url
    ).ok
    after = overview.overview(recent=5, url=db_url)
    [change] = after.recent
    assert (change["who"], change["discussion"], change["agent"], change["round"]) == ("ann", "flip", "b", 0)
    assert after.revision == before.revision + 1 == store.revision(db_url)
    assert after.datasets[0]["human"] == 1 and after.datasets[0]["correct"] == 6

    rows = {(r["agent"], r["round"]): r for r in overview.accuracy(url=db_url)}
    assert (rows["a", 0]["nodes"], rows["a", 0]["accuracy"]) == (2, 1.0)
    assert (rows["y", 0]["unparseable"], rows["b", 0]["correct"]) == (1, 2)  # b's round 0: human label counts
    assert overview.accuracy("no such set", url=db_url) == []

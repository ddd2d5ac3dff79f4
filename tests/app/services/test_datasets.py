"""The datasets service: details, rename, delete (what goes, refused while a job uses it), merge,
copy with labels and history; on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select, text

from app.services import annotate, datasets, responses, store
from app.services.annotate import BulkScope
from app.services.auth import LOCAL, Actor, Role
from app.services.filters import Filter
from db import browsing
from db import jobs as job_queries
from db.engine import is_sqlite, session_scope
from db.models import Dataset, Discussion, Edge, LabelEvent, Response, Turn
from tests.utils import discussion, write_jsonl
from tests.utils.rows import node_id


@pytest.fixture
def two_sets(db_url, tmp_path) -> str:
    """'alpha' (q1, q2: 6 nodes each) and 'beta' (q3), searchable by the word in the question."""
    alpha = [discussion("q1", question="How many owls?"), discussion("q2", question="How many larks?")]
    store.import_file(write_jsonl(tmp_path / "alpha.jsonl", alpha), url=db_url, actor=LOCAL)
    store.import_file(
        write_jsonl(tmp_path / "beta.jsonl", [discussion("q3", question="How many wrens?")]),
        url=db_url,
        actor=LOCAL,
    )
    return db_url


def _export(url: str, name: str, *, responses: bool = False) -> list[str]:
    out = io.StringIO()
    store.export_discussions(out, dataset=name, responses=responses, url=url, actor=LOCAL)
    return out.getvalue().replace(f'"dataset": "{name}"', '"dataset": "?"').splitlines()


def _count(url: str, model, *where) -> int:
    with session_scope(url) as s:
        return s.execute(select(func.count()).select_from(model).where(*where)).scalar()


def _found(url: str, word: str) -> list[int]:
    with session_scope(url) as s:
        return browsing.matching_ids(s, browsing.BrowseFilter(search=word))


def _queue(url: str, config: dict, status: str = "queued") -> int:
    with session_scope(url, write=True) as s:
        job = job_queries.create_job(s, kind="discuss", config=config, name="talk")
        if status != "queued":
            job_queries.finish(s, job.id, status)
        return job.id


def _integrity(url: str) -> None:
    """SQLite: the search index agrees with its content and no row points at a missing one;
    PostgreSQL: the edge table's keys to the nodes (dropped while a dataset is deleted) are back."""
    with session_scope(url, write=True) as s:
        if is_sqlite(s.get_bind()):
            s.execute(text("INSERT INTO discussion_fts (discussion_fts, rank) VALUES ('integrity-check', 1)"))
            assert s.execute(text("PRAGMA foreign_key_check")).all() == []
        else:
            keys = s.execute(
                text(
                    "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f' AND "
                    "conrelid = 'edge'::regclass AND confrelid = 'turn'::regclass ORDER BY 1"
                )
            ).scalars()
            assert list(keys) == [
                "FOREIGN KEY (dst_id) REFERENCES turn(id) ON DELETE CASCADE",
                "FOREIGN KEY (src_id) REFERENCES turn(id) ON DELETE CASCADE",
            ]


def test_list_details_and_rename(two_sets):
    url = two_sets
    assert [
        (d.name, d.discussions, d.turns, d.human, d.description) for d in datasets.list_datasets(url)
    ] == [
        ("alpha", 2, 12, 0, None),
        ("beta", 1, 6, 0, None),
    ]
    datasets.set_details("alpha", description="  owls and larks ", source="tests", url=url, actor=LOCAL)
    [alpha, _] = datasets.list_datasets(url)
    assert (alpha.description, alpha.source) == ("owls and larks", "tests")
    datasets.set_details("alpha", description="", source="", url=url, actor=LOCAL)
    assert (datasets.list_datasets(url)[0].description, datasets.list_datasets(url)[0].source) == (None, None)

    with pytest.raises(ValueError, match="'beta' exists already"):
        datasets.rename("alpha", "beta", url=url, actor=LOCAL)
    for bad in ("  ", "a\x00b", "x" * 201):
        with pytest.raises(ValueError):
            datasets.rename("alpha", bad, url=url, actor=LOCAL)
    with pytest.raises(LookupError, match="no dataset named 'gamma'"):
        datasets.rename("gamma", "delta", url=url, actor=LOCAL)
    job = _queue(url, {"target_dataset": "alpha", "source": {"dataset": "beta"}})
    with pytest.raises(
        datasets.DatasetInUse, match=rf"cannot rename dataset 'alpha': job {job} \(discuss, queued"
    ):
        datasets.rename("alpha", "owls", url=url, actor=LOCAL)
    with session_scope(url, write=True) as s:
        job_queries.finish(s, job, "succeeded")
    assert datasets.rename("alpha", " owls ", url=url, actor=LOCAL) == "owls"
    assert [d.name for d in datasets.list_datasets(url)] == ["beta", "owls"]
    assert len(_export(url, "owls")) == 2


def test_delete_shows_what_goes_and_removes_only_that(two_sets):
    url = two_sets
    annotate.set_label(node_id(url, "q1", "b", 0), True, actor=Actor("ann", Role.ANNOTATOR), url=url)
    annotate.set_excluded(node_id(url, "q2", "a", 1), True, actor=Actor("ann", Role.ANNOTATOR), url=url)
    beta_label = annotate.set_label(
        node_id(url, "q3", "a", 0), False, actor=Actor("ann", Role.ANNOTATOR), url=url
    )
    done = _queue(url, {"source": {"dataset": "beta"}, "target_dataset": "alpha"}, status="succeeded")
    other = _queue(url, {"source": {"dataset": "beta"}, "target_dataset": "gamma"})
    beta_before = _export(url, "beta")

    plan = datasets.delete_plan("alpha", url=url)
    assert (plan.discussions, plan.turns, plan.human, plan.history, plan.predictions) == (2, 12, 1, 2, 0)
    assert [(j.id, j.status) for j in plan.jobs] == [(done, "succeeded")] and plan.blocking == []
    assert [j.id for j in datasets.delete_plan("beta", url=url).blocking] == [other]
    with pytest.raises(datasets.DatasetInUse, match=f"cannot delete dataset 'beta': job {other}"):
        datasets.delete("beta", url=url, actor=LOCAL)

    annotate.set_label(
        node_id(url, "q2", "c", 0), False, actor=Actor("bob", Role.ANNOTATOR), url=url
    )  # after the check
    with pytest.raises(ValueError, match="changed since you checked it"):
        datasets.delete("alpha", expected=plan, url=url, actor=LOCAL)
    assert _count(url, Discussion) == 3

    plan = datasets.delete("alpha", expected=datasets.delete_plan("alpha", url=url), url=url, actor=LOCAL)
    assert (plan.discussions, plan.human) == (2, 2)
    assert [d.name for d in datasets.list_datasets(url)] == ["beta"]
    assert (_count(url, Discussion), _count(url, Turn), _count(url, LabelEvent)) == (1, 6, 1)
    assert _count(url, Edge) == 9  # beta's own
    assert _export(url, "beta") == beta_before
    assert _found(url, "owls") == [] and len(_found(url, "wrens")) == 1
    _integrity(url)
    assert annotate.undo(
        beta_label.event_id, actor=Actor("ann", Role.ANNOTATOR), url=url
    ).ok  # beta's history still works
    with session_scope(url) as s:
        assert job_queries.get_job(s, done) is not None  # finished jobs are kept


def test_merge_moves_everything_or_refuses_a_clash(two_sets, tmp_path):
    url = two_sets
    annotate.set_label(
        node_id(url, "q3", "b", 0), True, actor=Actor("ann", Role.ANNOTATOR), note="units", url=url
    )
    store.import_file(
        write_jsonl(tmp_path / "gamma.jsonl", [discussion("q1"), discussion("q3")]), url=url, actor=LOCAL
    )
    before = {name: _export(url, name) for name in ("alpha", "beta", "gamma")}

    with pytest.raises(ValueError, match=r"both hold discussion id\(s\) 'q1'; rename or delete"):
        datasets.merge("gamma", "alpha", url=url, actor=LOCAL)
    with pytest.raises(ValueError, match="another dataset"):
        datasets.merge("alpha", "alpha", url=url, actor=LOCAL)
    assert {name: _export(url, name) for name in before} == before

    assert datasets.merge("beta", "alpha", url=url, actor=LOCAL) == 1
    assert [d.name for d in datasets.list_datasets(url)] == ["alpha", "gamma"]
    assert sorted(_export(url, "alpha")) == sorted(before["alpha"] + before["beta"])
    [event] = annotate_history(url, "q3")
    assert (event.who, event.note) == ("ann", "units")
    _integrity(url)


def annotate_history(url: str, ext: str) -> list[LabelEvent]:
    with session_scope(url) as s:
        return list(
            s.execute(
                select(LabelEvent)
                .join(Discussion, Discussion.id == LabelEvent.discussion_id)
                .where(Discussion.external_id == ext, LabelEvent.field == "label")
            ).scalars()
        )


def _copied(url: str, turn_id: int) -> int:
    """The node of "alpha copy" that copies `turn_id`."""
    with session_scope(url) as s:
        t = s.get(Turn, turn_id)
        ext = s.get(Discussion, t.discussion_id).external_id
        return s.execute(
            select(Turn.id)
            .join(Discussion)
            .join(Dataset)
            .where(Dataset.name == "alpha copy", Discussion.external_id == ext)
            .where(Turn.agent == t.agent, Turn.round == t.round)
        ).scalar_one()


def _responses(url: str, turn_id: int) -> list[tuple]:
    return [(r.annotator, r.value, r.note) for r in responses.response_history(turn_id, actor=LOCAL, url=url)]


def test_copy_keeps_labels_and_history_apart(two_sets, tmp_path):
    url = two_sets
    annotate.set_label(
        node_id(url, "q1", "b", 0), True, actor=Actor("ann", Role.ANNOTATOR), note="units", url=url
    )
    undone = annotate.set_label(
        node_id(url, "q1", "a", 1), False, actor=Actor("ann", Role.ANNOTATOR), url=url
    )
    annotate.undo(undone.event_id, actor=Actor("bob", Role.ANNOTATOR), url=url)
    bulk = annotate.bulk_label(
        BulkScope(Filter(datasets=("alpha",)), answer="18"),
        False,
        actor=Actor("eve", Role.ANNOTATOR),
        url=url,
    )
    datasets.set_details("alpha", description="birds", source="field notes", url=url, actor=LOCAL)
    b1 = node_id(url, "q2", "b", 1)
    responses.respond(b1, "correct", actor=Actor("ann", Role.ANNOTATOR), note="checked", url=url)
    responses.respond(b1, "incorrect", actor=Actor("bob", Role.ANNOTATOR), url=url)
    b0 = node_id(url, "q1", "b", 0)
    responses.withdraw(b0, actor=Actor("ann", Role.ANNOTATOR), url=url)
    responses.adjudicate(b1, False, reason="step 2 is wrong", actor=LOCAL, url=url)

    counts = datasets.copy("alpha", "alpha copy", url=url, actor=LOCAL)
    original = datasets.delete_plan("alpha", url=url)
    assert (counts["responses"], counts["adjudications"]) == (_count(url, Response) // 2, 1)
    assert counts["responses"] > 6
    assert _export(url, "alpha copy", responses=True) == _export(url, "alpha", responses=True)
    copied_b1 = _copied(url, b1)
    for node in (b1, b0):  # every response, withdrawals included
        assert _responses(url, _copied(url, node)) == _responses(url, node) and _copied(url, node) != node
    assert responses.adjudication(copied_b1, actor=LOCAL, url=url).reason == "step 2 is wrong"
    with session_scope(url) as s:  # the queue's counts come with the nodes
        assert s.get(Turn, copied_b1).n_responses == s.get(Turn, b1).n_responses == 3  # eve, ann, bob
    assert (counts["discussions"], counts["turns"], counts["edges"], counts["predictions"]) == (2, 12, 18, 0)
    assert (counts["human"], counts["history"]) == (original.human, original.history) and original.human > 1
    assert counts["history"] == _count(url, LabelEvent) // 2
    assert _export(url, "alpha copy") == _export(url, "alpha")
    info = {d.name: d for d in datasets.list_datasets(url)}
    assert (info["alpha copy"].description, info["alpha copy"].source, info["alpha copy"].human) == (
        "birds",
        "field notes",
        info["alpha"].human,
    )
    with pytest.raises(ValueError, match="exists already"):
        datasets.copy("alpha", "beta", url=url, actor=LOCAL)

    def history(name: str) -> list[tuple]:
        with session_scope(url) as s:
            events = s.execute(
                text(
                    "SELECT e.field, e.old, e.new, e.who, e.note, t.agent, t.round, d.external_id, "
                    "e.undoes IS NULL, u.field FROM labelevent e JOIN discussion d ON d.id = e.discussion_id "
                    "JOIN dataset ds ON ds.id = d.dataset_id LEFT JOIN turn t ON t.id = e.turn_id "
                    "LEFT JOIN labelevent u ON u.id = e.undoes WHERE ds.name = :n ORDER BY e.id"
                ),
                {"n": name},
            ).all()
            return [tuple(e) for e in events]

    assert history("alpha copy") == history("alpha") and len(history("alpha")) >= 4
    # The copy's bulk action is its own: undoing the original's leaves the copy's labels alone.
    actions = annotate.recent_bulk_actions(url=url)
    assert [a.nodes for a in actions] == [bulk.changed, bulk.changed] and actions[0].revision > bulk.revision
    annotate.undo_bulk(bulk.revision, actor=Actor("eve", Role.ANNOTATOR), url=url)
    assert _export(url, "alpha copy") != _export(url, "alpha")
    annotate.undo_bulk(actions[0].revision, actor=Actor("eve", Role.ANNOTATOR), url=url)
    assert _export(url, "alpha copy") == _export(url, "alpha")
    # New rows after the copy get fresh ids (PostgreSQL: the sequences moved past the copied ids).
    assert annotate.set_label(
        node_id(url, "q3", "a", 0), True, actor=Actor("ann", Role.ANNOTATOR), url=url
    ).ok
    store.import_file(
        write_jsonl(tmp_path / "more.jsonl", [discussion("q9")]), dataset="alpha copy", url=url, actor=LOCAL
    )
    assert len(_found(url, "owls")) == 2 and len(_export(url, "alpha copy")) == 3
    _integrity(url)

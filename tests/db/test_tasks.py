"""The queue and progress of an annotation task, on the store's own rows (SQLite and PostgreSQL)."""

from sqlalchemy import event, select

from app.services import store
from app.services.auth import LOCAL
from db import browsing, responses, tasks
from db.engine import session_scope
from db.models import Turn
from tests.utils import agree_flip_never, discussion, write_jsonl


def _store(url, folder, n=3):
    rows = [discussion(f"q{i}") for i in range(n)]
    store.import_file(write_jsonl(folder / "s.jsonl", rows), url=url, actor=LOCAL)


def _respond(url, turn_id, who, value="correct"):
    with session_scope(url, write=True) as s:
        responses.add_response(s, turn_id, who, value)


def _task(url, overlap, **filter_values):
    with session_scope(url, write=True) as s:
        t = tasks.create_task(
            s,
            name="t",
            filter_values=filter_values,
            overlap=overlap,
            participants=None,
            hide_others=True,
            created_by="boss",
        )
        return t.id


def _next(url, task_id, who, limit=100):
    with session_scope(url) as s:
        return [n.id for n in tasks.next_items(s, tasks.get_task(s, task_id), who, limit=limit)]


def test_queue_skips_own_and_full_nodes_and_withdrawn_responses_count_again(db_url, tmp_path):
    _store(db_url, tmp_path, n=2)
    tid = _task(db_url, 2)
    with session_scope(db_url) as s:
        all_nodes = s.execute(select(Turn.id)).scalars().all()
    queue = _next(db_url, tid, "ann")
    assert sorted(queue) == sorted(all_nodes)
    first, second = queue[0], queue[1]
    _respond(db_url, first, "ann")
    assert first not in _next(db_url, tid, "ann") and first in _next(db_url, tid, "bea")
    _respond(db_url, first, "bea")  # two current responses: full
    assert first not in _next(db_url, tid, "cid")
    _respond(db_url, first, "bea", "withdrawn")  # bea takes hers back: room for one more
    assert first in _next(db_url, tid, "cid") and first not in _next(db_url, tid, "ann")
    _respond(db_url, first, "ann", "withdrawn")
    assert first in _next(db_url, tid, "ann")
    _respond(db_url, second, "ann", "unsure")  # unsure is an answer
    assert second not in _next(db_url, tid, "ann")
    with session_scope(db_url) as s:
        n_nodes, counted, by = tasks.progress(s, tasks.get_task(s, tid))
    assert (n_nodes, counted, by) == (len(all_nodes), 1, {"ann": 1})


def test_queue_order_is_the_review_ranking_over_every_node(db_url, tmp_path):
    store.import_file(write_jsonl(tmp_path / "s.jsonl", agree_flip_never()), url=db_url, actor=LOCAL)
    tid = _task(db_url, 2)
    with session_scope(db_url) as s:
        rows = s.execute(select(Turn.id, browsing.review_score(), tasks.queue_rank(), Turn.confidence)).all()
    assert all(score == rank for _, score, rank, _ in rows)  # the index's spelling ranks alike
    assert len({score for _, score, _, _ in rows}) > 1
    best_first = sorted(rows, key=lambda r: (-r[1], r[3] is None, -(r[3] or 0), r[0]))
    assert _next(db_url, tid, "ann") == [r[0] for r in best_first]
    _respond(db_url, best_first[0][0], "bea")  # one response: still open, still first for others
    assert _next(db_url, tid, "ann", limit=2) == [r[0] for r in best_first[:2]]
    assert _next(db_url, tid, "bea", limit=1) == [best_first[1][0]]
    assert _next(db_url, _task_named_filter(db_url), "ann") == []


def test_queue_reads_the_queue_index(db_url, tmp_path):
    _store(db_url, tmp_path, n=2)
    with session_scope(db_url) as s:
        task = tasks.get_task(s, _task(db_url, 3))
        statement = []

        @event.listens_for(s.get_bind(), "before_cursor_execute")
        def keep(conn, cursor, sql, params, context, executemany):
            statement.append((sql, params))

        tasks.next_items(s, task, "ann")
        event.remove(s.get_bind(), "before_cursor_execute", keep)
        sql, params = statement[0]
        explain = "EXPLAIN QUERY PLAN " if s.get_bind().dialect.name == "sqlite" else "EXPLAIN "
        plan = " ".join(str(r) for r in s.connection().exec_driver_sql(explain + sql, params))
    assert plan.count("ix_turn_queue") == 3, plan  # one walk per count of responses below the overlap


def _task_named_filter(url):
    with session_scope(url, write=True) as s:
        return tasks.create_task(
            s,
            name="none",
            filter_values={"dataset_ids": [999]},
            overlap=1,
            participants=None,
            hide_others=False,
            created_by="boss",
        ).id

"""Annotation-task benchmark: the next queue item and a saved response, on synthetic MAGs
with 3 responses per node.

    .venv/bin/python bench/annotate_queue.py --n 100000 [--db sqlite:////tmp/bench.db] [--repeat 50]

Builds the store (bench/pages.py's generator: 3 agents, 2 to 4 rounds), gives every node 3
responses (annotators a1..a3, one INSERT ... SELECT each), creates a task over every node with
overlap 4, then times, as a fourth
annotator: fetching the next queue item (the service call, one query) and saving a response to
it (`responses.respond` with the version check), alternately, each `--repeat` times. Also times
the empty queues: an annotator for whom the task holds nothing (overlap 3: every node is full),
and one who has answered every node that is still open (a1 on the overlap-4 task: every node has
3 responses, one of them a1's), and the progress of a task over the whole store. Target: < 50 ms
for the next item and a save (median and p95). Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from app.services.auth import LOCAL, Actor, Role
from pages import generate

RESPONDERS = ("a1", "a2", "a3")


def figures(xs: list[float]) -> str:
    p95 = statistics.quantiles(xs, n=20, method="inclusive")[-1] if len(xs) > 1 else xs[0]
    return f"median {statistics.median(xs):7.1f} ms  p95 {p95:7.1f}  max {max(xs):7.1f}  ({len(xs)} tries)"


def _fill_responses(url: str) -> int:
    """Three responses per node, one statement per annotator, and the counts they make (what
    `db.responses.refresh_counts` would write, in one statement)."""
    from sqlalchemy import func, insert, literal, select, text, update

    from db.engine import get_engine, session_scope
    from db.models import Response, Turn

    with session_scope(url, write=True) as s:
        for who in RESPONDERS:
            s.execute(
                insert(Response).from_select(
                    ["turn_id", "discussion_id", "annotator", "value", "is_current", "created_at"],
                    select(
                        Turn.id,
                        Turn.discussion_id,
                        literal(who),
                        literal("correct"),
                        literal(True),
                        func.now(),
                    ),
                )
            )
        s.execute(update(Turn).values(n_responses=len(RESPONDERS)))
        n = s.execute(select(func.count(Response.id))).scalar_one()
    if not url.startswith("sqlite"):  # fresh statistics, as autovacuum would gather after such a load
        with get_engine(url).connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("ANALYZE"))
    return n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", help="SQLAlchemy URL (default: a new SQLite file in a temp dir)")
    ap.add_argument("--repeat", type=int, default=50)
    args = ap.parse_args()

    from app.services import responses, tasks
    from app.services.filters import Filter

    url = args.db or f"sqlite:///{tempfile.mkdtemp(prefix='magdi-bench-')}/bench.db"
    print(f"generating {args.n:,} discussions into {url}")
    took = generate(url, args.n)
    print(f"store: {args.n:,} MAGs imported in {took:.1f} s")
    start = time.perf_counter()
    n_responses = _fill_responses(url)
    took = time.perf_counter() - start
    print(f"responses: {n_responses:,} (3 per node, {n_responses // 3:,} nodes) in {took:.1f} s")

    open_task = tasks.create_task("bench overlap 4", Filter(), overlap=4, actor=LOCAL, url=url)
    full_task = tasks.create_task("bench overlap 3", Filter(), overlap=3, actor=LOCAL, url=url)
    me = Actor("a4", Role.ANNOTATOR)
    fetch, save = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        [item] = tasks.next_items(open_task.id, actor=me, url=url)
        fetch.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        res = responses.respond(item.node_id, "incorrect", actor=me, expected_version=item.version, url=url)
        save.append((time.perf_counter() - start) * 1000)
        assert res.ok, res.message
    print(f"next queue item (overlap 4, 3 responses per node)  {figures(fetch)}")
    print(f"save a response (respond, version check)          {figures(save)}")
    empty, done, progress = [], [], []
    first = Actor(RESPONDERS[0], Role.ANNOTATOR)
    for _ in range(min(args.repeat, 5)):
        start = time.perf_counter()
        assert tasks.next_items(full_task.id, actor=me, url=url) == []
        empty.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        assert tasks.next_items(open_task.id, actor=first, url=url) == []
        done.append((time.perf_counter() - start) * 1000)
    for _ in range(3):
        start = time.perf_counter()
        tasks.progress(open_task.id, actor=me, url=url)
        progress.append((time.perf_counter() - start) * 1000)
    print(f"empty queue (overlap 3: every node full)          {figures(empty)}")
    print(f"empty queue, worst case (a1 answered every open)  {figures(done)}")
    print(f"progress of the overlap-4 task (every node)       {figures(progress)}")


if __name__ == "__main__":
    main()

"""Store benchmark: bulk import, browse queries and a label change on synthetic 12-node MAGs.

    .venv/bin/python bench/store.py --n 100000 [--db sqlite:////tmp/bench.db] [--no-before]

Targets on a 2-core machine: import >= 5,000 MAGs/s into SQLite; the longest time the import
keeps another writer waiting for the write lock < 2 s; a browse query (filter + page) at 100,000
MAGs < 200 ms; a label change < 20 ms. The import is measured into a new SQLite store as it is now
(the rows staged in a side file before the lock, then copied in chunks, each its own short write
transaction, and published by a last one; the time each transaction holds the lock is printed)
and, unless --no-before, as it was at first (parsed before the lock, the rows inserted with
executemany in one transaction under it). A probe process meanwhile writes a one-row transaction
every 10 ms and records its longest wait for the lock. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from timing import ms, timed

from app.services.auth import LOCAL

AGENTS = ("claude", "gpt4", "bard")
WORDS = (
    "apple basket river mountain engine answer doubt count twelve seven paper tree "
    "because therefore however total cost price speed hour"
).split()


def synthetic_line(i: int, rng: random.Random) -> str:
    gold = rng.randint(1, 50)
    turns = []
    for rnd in range(4):
        for agent in AGENTS:
            answer = gold if rng.random() < 0.6 + 0.1 * rnd else rng.randint(1, 50)
            turns.append(
                {
                    "agent": agent,
                    "round": rnd,
                    "answer": f"{answer}",
                    "confidence": round(rng.random(), 2),
                    "reasoning": " ".join(rng.choices(WORDS, k=20)),
                }
            )
    return json.dumps(
        {
            "id": f"s{i}",
            "task": "gsm8k",
            "gold_answer": str(gold),
            "turns": turns,
            "question": f"Question {i}: " + " ".join(rng.choices(WORDS, k=12)),
        }
    )


# A writer beside the import: a one-row transaction every 10 ms; prints its longest wait (s).
PROBE = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=600)
conn.execute("CREATE TABLE IF NOT EXISTS bench_probe (t REAL)")
longest, n = 0.0, 0
print("ready", flush=True)
while not sys.stdin.closed:
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    longest = max(longest, time.perf_counter() - start)
    conn.execute("INSERT INTO bench_probe VALUES (?)", (start,))
    conn.execute("COMMIT")
    n += 1
    import select
    if select.select([sys.stdin], [], [], 0.01)[0]:
        break
print(longest, n, flush=True)
"""


def _with_probe(db_file: Path, work) -> tuple[float, float, int]:
    """Run `work()` while the probe writes beside it: (seconds of work, longest wait, writes)."""
    probe = subprocess.Popen(
        [sys.executable, "-c", PROBE, str(db_file)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert probe.stdout.readline().strip() == "ready"
    start = time.perf_counter()
    work()
    took = time.perf_counter() - start
    out, _ = probe.communicate("stop\n", timeout=600)
    longest, n = out.split()
    return took, float(longest), int(n)


def _import_as_before(path: Path, url: str) -> None:
    """The import as it was: the file parsed before the lock, then its rows inserted batch by
    batch (executemany) inside the write transaction."""
    from app.services import store
    from db import bulk
    from db.engine import session_scope

    with tempfile.TemporaryDirectory() as spill, store._gc_paused():
        batches = store._parsed(path, "bench", "auto", None, None, Path(spill))
        with session_scope(url, write=True, bulk_load=True) as s:
            bulk.import_batches(s, batches)


def _lock_holds(url: str, work) -> list[float]:
    """Run `work()`, timing each write transaction of the import: from its BEGIN IMMEDIATE (the
    write lock taken) to its COMMIT being issued (the commit itself shows in the probe's wait)."""
    from sqlalchemy import event

    from db.engine import get_engine

    holds: list[float] = []
    began: list[float] = []

    def after(conn, cursor, statement, *args) -> None:
        if statement == "BEGIN IMMEDIATE":
            began.append(time.perf_counter())

    def commit(conn) -> None:
        if began:
            holds.append(time.perf_counter() - began.pop())

    engine = get_engine(url)
    event.listen(engine, "after_cursor_execute", after)
    event.listen(engine, "commit", commit)
    try:
        work()
    finally:
        event.remove(engine, "after_cursor_execute", after)
        event.remove(engine, "commit", commit)
    return holds


def _import_figures(label: str, path: Path, db_file: Path, work) -> None:
    from app.services import store

    store.stats(f"sqlite:///{db_file}")  # the store made (migrated) beforehand
    holds: list[float] = []
    took, longest, writes = _with_probe(
        db_file, lambda: holds.extend(_lock_holds(f"sqlite:///{db_file}", work))
    )
    n = sum(1 for _ in open(path))
    print(
        f"import {label}: {n} MAGs in {took:.1f} s = {n / took:,.0f} MAGs/s; longest write-lock wait of "
        f"another writer {longest:.2f} s ({writes} probe writes)"
    )
    if holds:
        print(
            f"  write transactions of the import: {len(holds)}, holding the lock {sum(holds):.2f} s in all; "
            f"longest {max(holds):.2f} s, median {statistics.median(holds):.2f} s, "
            f"last (publish) {holds[-1]:.3f} s"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", help="SQLAlchemy URL (default: a new SQLite file in a temp dir)")
    ap.add_argument("--repeat", type=int, default=20)
    ap.add_argument("--no-before", action="store_true", help="skip the import as it was before")
    args = ap.parse_args()

    from sqlalchemy import select

    from app.services import store
    from db import browsing, labels
    from db.engine import session_scope
    from db.models import Turn

    tmp = Path(tempfile.mkdtemp(prefix="magdi-bench-"))
    url = args.db or f"sqlite:///{tmp / 'bench.db'}"
    path = tmp / "synthetic.jsonl"
    rng = random.Random(0)
    with open(path, "w") as fh:
        for i in range(args.n):
            fh.write(synthetic_line(i, rng) + "\n")
    print(f"store: {url}\nfile: {path} ({path.stat().st_size / 1e6:.0f} MB, {args.n} MAGs of 12 nodes)")

    if not args.no_before:
        before = tmp / "before.db"
        _import_figures(
            "as before (rows inserted under the lock)",
            path,
            before,
            lambda: _import_as_before(path, f"sqlite:///{before}"),
        )
        for f in tmp.glob("before.db*"):
            f.unlink()
    if url.startswith("sqlite:///"):
        db_file = Path(url.removeprefix("sqlite:///"))
        _import_figures(
            "now (rows staged, then copied in chunks and published)",
            path,
            db_file,
            lambda: store.import_file(path, dataset="bench", url=url, actor=LOCAL),
        )
    else:
        start = time.perf_counter()
        store.import_file(path, dataset="bench", url=url, actor=LOCAL)
        took = time.perf_counter() - start
        print(f"import: {args.n} MAGs in {took:.1f} s = {args.n / took:,.0f} MAGs/s")

    filters = {
        "no filter": browsing.BrowseFilter(),
        "majority wrong": browsing.BrowseFilter(majority_correct=False),
        "agent + round-0 disagreement": browsing.BrowseFilter(agent="bard", round0_disagree=True),
        "flip right→wrong, needs review": browsing.BrowseFilter(flip="right_wrong", needs_review=True),
        "full-text 'mountain engine'": browsing.BrowseFilter(search="mountain engine"),
    }
    print("browse: page 3 (50 per page), sorted by review count, descending")
    for name, f in filters.items():
        with session_scope(url) as s:

            def run(s=s, f=f):
                browsing.browse(s, f, sort="review", descending=True, offset=100, limit=50)

            print(f"browse {name:32s} {ms(timed(run, args.repeat))}")

    with session_scope(url) as s:
        ids = list(s.execute(select(Turn.id).limit(args.repeat * 2)).scalars())
    it = iter(ids)

    def relabel():
        with session_scope(url, write=True) as s:
            labels.set_label(s, next(it), True, who="bench", note="bench")

    print(f"label change (own transaction)     {ms(timed(relabel, args.repeat))}")


if __name__ == "__main__":
    main()

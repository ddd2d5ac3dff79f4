"""Store benchmark: bulk import, browse queries and a label change on synthetic 12-node MAGs.

    .venv/bin/python bench/store.py --n 100000 [--db sqlite:////tmp/bench.db]

Targets on a 2-core machine: import >= 5,000 MAGs/s into SQLite; a browse query (filter +
page) at 100,000 MAGs < 200 ms; a label change < 20 ms. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from pathlib import Path

from timing import ms, timed

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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", help="SQLAlchemy URL (default: a new SQLite file in a temp dir)")
    ap.add_argument("--repeat", type=int, default=20)
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

    start = time.perf_counter()
    report = store.import_file(path, dataset="bench", url=url)
    took = time.perf_counter() - start
    print(
        f"import: {args.n} MAGs in {took:.1f} s = {args.n / took:,.0f} MAGs/s "
        f"({report.turns:,} turns, {report.edges:,} edges)"
    )

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

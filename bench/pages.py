"""Page benchmark: the explorer and annotation pages on 100,000 synthetic discussions in SQLite.

    .venv/bin/python bench/pages.py [--n 100000] [--db sqlite:///bench/out/pages-100k.db]

Targets (issue 3): browse query + page render < 200 ms server time; the MAG page (graph + grid)
< 1 s; a label save < 50 ms end to end. Each figure is measured twice: the service calls a page
makes (query, table / graph / grid build, without Streamlit's cache) and the whole page script
run by Streamlit's AppTest (cold: caches cleared first). Prints the figures; asserts nothing.
The store is generated once (bench/out/ is ignored by git) and reused when it is complete.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from pathlib import Path

from timing import ms, timed

from app.services.auth import Actor, Role

ROOT = Path(__file__).resolve().parent.parent

AGENTS = ("claude", "gpt4", "bard")
WORDS = (
    "apple basket river mountain engine answer doubt count twelve seven paper tree because "
    "therefore however total cost price speed hour agree disagree think check again first "
    "second round each more less half double"
).split()
TASKS = (("gsm8k", "gsm8k"), ("strategyqa", "strategyqa"), ("ecqa", "ecqa"))


def synthetic(i: int, rng: random.Random):
    """One discussion: 3 agents, 2 to 4 rounds, answers drifting towards the gold answer."""
    from magdi.mag import Discussion, Turn

    dataset, task = TASKS[i % 3]
    if task == "gsm8k":
        gold = str(rng.randint(1, 60))
        pick = lambda: str(rng.randint(1, 60))  # noqa: E731
        options = None
    elif task == "strategyqa":
        gold = rng.choice(("yes", "no"))
        pick = lambda: rng.choice(("yes", "no"))  # noqa: E731
        options = None
    else:
        gold = str(rng.randint(1, 5))
        pick = lambda: str(rng.randint(1, 5))  # noqa: E731
        options = [" ".join(rng.choices(WORDS, k=2)) for _ in range(5)]
    turns = []
    for rnd in range(rng.randint(2, 4)):
        for agent in AGENTS:
            answer = gold if rng.random() < 0.55 + 0.12 * rnd else pick()
            if rng.random() < 0.01:
                answer = "I am not sure"
            turns.append(
                Turn(
                    agent=agent,
                    round=rnd,
                    answer=answer,
                    confidence=round(rng.random(), 2),
                    reasoning=" ".join(rng.choices(WORDS, k=25)),
                )
            )
    question = f"Question {i}: " + " ".join(rng.choices(WORDS, k=14)) + "?"
    return dataset, Discussion(
        id=f"b{i}", task=task, question=question, gold_answer=gold, turns=turns, options=options
    )


def generate(url: str, n: int, batch: int = 10_000) -> float:
    """Fill the store through the import path (db.bulk), in batches."""
    from db import bulk
    from db.engine import session_scope

    rng = random.Random(0)
    start = time.perf_counter()
    for lo in range(0, n, batch):
        items = [(i + 1, *synthetic(i, rng)) for i in range(lo, min(n, lo + batch))]
        with session_scope(url, write=True, bulk_load=True) as s:
            bulk.import_batches(s, [bulk.layout(items)])
        print(f"  imported {min(n, lo + batch):,}/{n:,} ({time.perf_counter() - start:.0f} s)", flush=True)
    return time.perf_counter() - start


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--db", help="SQLAlchemy URL (default: bench/out/pages-<n>.db, reused)")
    ap.add_argument("--repeat", type=int, default=7)
    args = ap.parse_args()
    url = args.db or f"sqlite:///{ROOT / 'bench' / 'out' / f'pages-{args.n}.db'}"
    os.environ["MAGDI_DATABASE_URL"] = url

    import pandas as pd
    from sqlalchemy import func, select

    from app import graph_view
    from app.services import annotate, browse, filters, history, mag_view, overview, review
    from db.engine import session_scope
    from db.models import Discussion, Turn

    with session_scope(url) as s:
        have = s.execute(select(func.count()).select_from(Discussion)).scalar()
    if have != args.n:
        if have:
            raise SystemExit(f"{url} holds {have} discussions, not {args.n}: pass another --db")
        print(f"generating {args.n:,} discussions into {url}")
        took = generate(url, args.n)
        print(f"  {args.n / took:,.0f} discussions/s")
    with session_scope(url) as s:
        turns = s.execute(select(func.count()).select_from(Turn)).scalar()
    print(f"store: {url}: {args.n:,} discussions, {turns:,} nodes\n")

    # ------------------------------------------------------------ browse
    cases = {
        "no filter": filters.Filter(),
        "dataset + majority wrong": filters.Filter(datasets=("gsm8k",), majority_correct=False),
        "agent + round-0 disagreement": filters.Filter(agent="bard", round0_disagree=True),
        "flip R→W + needs review": filters.Filter(flip="right_wrong", needs_review=True),
        "full text 'mountain engine'": filters.Filter(search="mountain engine"),
    }
    print("Browse: query + table (service; target < 200 ms)")
    for name, f in cases.items():
        for sort, desc, page in (("id", False, 1), ("review", True, 200)):

            def run(f=f, sort=sort, desc=desc, page=page):
                p = browse.browse(f, sort=sort, descending=desc, page=page, page_size=50, url=url)
                pd.DataFrame(p.rows)

            print(f"  {name:30s} sort {sort:6s} page {page:3d}  {ms(timed(run, args.repeat))}")

    import streamlit as st
    from streamlit.testing.v1 import AppTest

    def apptest(page: str, query: dict, annotator: str | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app" / "main.py"), default_timeout=120)
        if annotator:
            at.session_state["annotator"] = annotator
        at.run()
        at.switch_page(f"../pages/{page}.py")
        at.query_params.update(query)
        return at

    with session_scope(url) as s:
        other = s.execute(select(Turn.id).order_by(Turn.id)).scalars().first()
    flip = {"label": True}

    def page_run(at: AppTest, cold: bool | str) -> float:
        """cold=True: first visit (every cache empty); "edit": someone just saved a label
        elsewhere (the label revision changed: revision-keyed results are recomputed)."""
        if cold == "edit":
            annotate.set_label(other, flip["label"], actor=Actor("someone else", Role.ANNOTATOR), url=url)
            flip["label"] = not flip["label"]
        elif cold:
            st.cache_data.clear()
        t = time.perf_counter()
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return (time.perf_counter() - t) * 1000

    print("\nBrowse page script (AppTest, whole page; target < 200 ms)")
    for name, q in (
        ("no filter", {}),
        ("dataset + majority wrong", {"ds": "gsm8k", "maj": "0"}),
        ("full text, sorted by review", {"q": "mountain engine", "sort": "review", "desc": "1"}),
    ):
        at = apptest("browse", q)
        page_run(at, True)  # warm the imports and SQLite's page cache
        first = [page_run(at, True) for _ in range(args.repeat)]
        edit = [page_run(at, "edit") for _ in range(args.repeat)]
        warm = [page_run(at, False) for _ in range(args.repeat)]
        print(f"  {name}\n    first visit {ms(first)}\n    after an edit {ms(edit)}\n    cached {ms(warm)}")

    # ------------------------------------------------------------ MAG
    with session_scope(url) as s:
        did = (
            s.execute(select(Discussion.id).where(Discussion.n_rounds == 4).order_by(Discussion.id.desc()))
            .scalars()
            .first()
        )
    f = filters.Filter(datasets=("gsm8k",))

    def mag():
        view = mag_view.discussion(did, url)
        graph_view.graph_data(view, view.nodes[0].id)
        grid = pd.DataFrame(index=view.rounds, columns=view.agents, dtype=object)
        for n in view.nodes:
            grid.loc[n.round, n.agent] = f"{n.answer} {n.reasoning[:40]}"
        history.history(turn_id=view.nodes[0].id, url=url)
        browse.neighbours(browse.ordered_ids(f, url=url), did)

    print(
        f"\nMAG (12 nodes) services: discussion + graph data + grid + history + prev/next in "
        f"a 33k filter (target < 1 s)\n  {ms(timed(mag, args.repeat))}"
    )
    at = apptest("mag", {"d": str(did), "ds": "gsm8k"}, annotator="bench")
    page_run(at, True)
    first = [page_run(at, True) for _ in range(args.repeat)]
    edit = [page_run(at, "edit") for _ in range(args.repeat)]
    warm = [page_run(at, False) for _ in range(args.repeat)]
    print(
        f"MAG page script (AppTest, graph + grid + detail + history)\n"
        f"    first visit {ms(first)}\n    after an edit {ms(edit)}\n    cached {ms(warm)}"
    )

    # ------------------------------------------------------------ label save
    view = mag_view.discussion(did, url)
    node = view.nodes[0]
    state = {"label": True}

    def save():
        cur = mag_view.discussion(did, url).node(node.id)
        res = annotate.set_label(
            node.id,
            state["label"],
            actor=Actor("bench", Role.ANNOTATOR),
            note="bench",
            expected_version=cur.version,
            url=url,
        )
        assert res.ok, res.message
        state["label"] = not state["label"]

    plain = timed(
        lambda: annotate.set_label(node.id, True, actor=Actor("bench", Role.ANNOTATOR), url=url), args.repeat
    )
    print(f"\nLabel save (service: version check, update, history, summary; target < 50 ms)\n  {ms(plain)}")
    print(f"Label save incl. reloading the node first  {ms(timed(save, args.repeat))}")
    clicks = []
    for i in range(args.repeat):
        btn = "mag_correct" if i % 2 else "mag_incorrect"
        at.button(key=btn).click()
        clicks.append(page_run(at, False))
    print(f"Label save end to end (AppTest: click → saved → MAG page redrawn)  {ms(clicks)}")

    for turn_id in (node.id, other):  # back to the automatic labels (history keeps the rest)
        annotate.set_label(turn_id, None, actor=Actor("bench", Role.ANNOTATOR), url=url)
    print("\nbulk preview over all matches (strategyqa answer 'yes'):")
    scope = annotate.BulkScope(filter=filters.Filter(datasets=("strategyqa",)), answer="yes")
    annotator = Actor("bench", Role.ANNOTATOR)
    print(f"  {ms(timed(lambda: annotate.bulk_preview(scope, False, actor=annotator, url=url), 3))}")
    print("review queue page 1:")
    print(f"  {ms(timed(lambda: review.review_queue(url=url), 3))}")
    print("overview, fresh part (datasets, label split, backlog, recent changes):")
    print(f"  {ms(timed(lambda: overview.overview(url=url), 3))}")
    print("overview, accuracy per agent per round (cached, at most once a minute):")
    print(f"  {ms(timed(lambda: overview.accuracy(url=url), 3))}")
    at = apptest("overview", {})
    page_run(at, True)
    print(
        "Overview page script (AppTest)\n"
        f"    first visit {ms([page_run(at, True) for _ in range(3)])}"
        f"\n    after an edit {ms([page_run(at, 'edit') for _ in range(3)])}"
        f"\n    cached {ms([page_run(at, False) for _ in range(3)])}"
    )


if __name__ == "__main__":
    main()

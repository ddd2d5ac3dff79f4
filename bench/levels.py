"""Level ablation on the synthetic benchmark, end to end, exactly as pre-registered.

    .venv/bin/python bench/levels.py [experiments/synthetic-levels.yaml] [--workers 1]

Builds a throw-away store under bench/out/levels/ (removed first), generates the questions
(`magdi.synthetic`), has the simulated teachers discuss them (`magdi.simulated`), imports the
discussions, creates the experiment of the file, runs job workers until every cell is done, and
prints the table and the paired tests; writes levels.html (the plot, plotly inlined: no CDN),
levels.csv and levels.json to bench/out/. Prints the figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

from app.services.auth import LOCAL

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


def build_store(spec: dict, url: str, work: Path) -> str:
    """Generate, discuss and import the benchmark; the dataset's name."""
    from app.services import store
    from magdi import simulated, synthetic

    gen, teachers = spec["generator"], spec["teachers"]
    questions = synthetic.make_questions(gen["kind"], gen["n"], gen["seed"])
    discussions = simulated.simulate_discussions(questions, rounds=teachers["rounds"], seed=teachers["seed"])
    dataset = f"synthetic-{gen['kind']}"
    path = work / f"{dataset}.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in discussions), encoding="utf-8")
    print(store.import_file(path, dataset=dataset, url=url, actor=LOCAL), flush=True)
    return dataset


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("spec", nargs="?", default=str(ROOT / "experiments" / "synthetic-levels.yaml"))
    ap.add_argument("--workers", type=int, default=1, help="worker processes (one job each)")
    args = ap.parse_args(argv)
    spec = yaml.safe_load(Path(args.spec).read_text())
    work = OUT / "levels"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    url = f"sqlite:///{work / 'store.db'}"
    os.environ["MAGDI_DATABASE_URL"], os.environ["MAGDI_RUNS_DIR"] = url, str(work / "runs")
    from app.services import experiments
    from app.services.filters import Filter

    started = time.monotonic()
    dataset = build_store(spec, url, work)
    train = {**spec.get("train", {}), **{k: v for k, v in spec["student"].items() if v is not None}}
    experiment_id = experiments.create(
        data=Filter(datasets=(dataset,)),
        variants=[str(v) for v in spec["variants"]],
        seeds=spec["seeds"],
        train=train,
        teacher=spec["teacher"],
        split=spec["split"],
        sc_k=spec["eval"].get("sc_k", 1),
        max_new_tokens=spec["eval"].get("max_new_tokens"),
        name=spec["name"],
        url=url,
        actor=LOCAL,
    )
    print(
        f"experiment {experiment_id}: data and split frozen in {time.monotonic() - started:.0f} s", flush=True
    )
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "app", "worker", "--until-idle", "--poll", "0.5"],
            cwd=ROOT,
            env=dict(os.environ),
            stdout=open(work / f"worker-{i}.log", "wb"),
            stderr=subprocess.STDOUT,
        )
        for i in range(args.workers)
    ]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # so that `finally` stops the workers
    try:
        while any(w.poll() is None for w in workers):
            view = experiments.get(experiment_id, url=url)
            print(
                f"{time.monotonic() - started:6.0f} s  {view.done}/{len(view.cells)} cells done", flush=True
            )
            time.sleep(15)
    finally:
        for w in workers:  # a worker stops its running job's process group on SIGTERM
            w.terminate()
        for w in workers:
            w.wait(60)
    experiments.advance(experiment_id, url=url, actor=LOCAL)
    view = experiments.get(experiment_id, url=url)
    print(f"experiment {experiment_id}: {view.status} after {time.monotonic() - started:.0f} s", flush=True)
    res = experiments.results(experiment_id, url=url)
    from app.experiment_cli import print_table

    print(f"\n{res.questions} test questions × {len(spec['seeds'])} seeds")
    print_table(res.rows)
    print("\npaired, adjacent variants (McNemar's exact test over (seed, question) pairs)")
    print_table(res.paired)
    experiments.figure(res.rows).write_html(OUT / "levels.html", include_plotlyjs=True)
    (OUT / "levels.csv").write_text(res.to_csv())
    (OUT / "levels.json").write_text(res.to_json())
    print(f"\nwrote {OUT / 'levels.html'}, levels.csv and levels.json")
    return 0 if view.status == "finished" else 1


if __name__ == "__main__":
    sys.exit(main())

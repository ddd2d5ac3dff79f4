"""`python -m app experiment create|list|show|cancel|resume`: level ablations (the worker runs them)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from app.services import experiments
from app.services.auth import LOCAL
from app.train_cli import _filter, _settings


def build_parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="python -m app experiment", description="Level ablations: variants × seeds on one frozen split."
    )
    ap.add_argument("--db", metavar="URL")
    sub = ap.add_subparsers(dest="action", required=True)
    p = sub.add_parser("create", help="freeze the data and queue every cell's training job")
    p.add_argument("--dataset", nargs="+", action="extend", default=[], metavar="NAME")
    p.add_argument(
        "--filter", default="", metavar="QUERY", help="the Browse page's filter, as its URL writes it"
    )
    p.add_argument(
        "--variants",
        nargs="+",
        default=["1", "2", "3", "4-frozen", "4-joint"],
        choices=list(experiments.VARIANTS),
        metavar="VARIANT",
        help=f"of {', '.join(experiments.VARIANTS)} (default: all but single-teacher)",
    )
    p.add_argument("--teacher", help="the agent distilled by the single-teacher variant")
    p.add_argument("--seeds", type=int, default=3, help="training seeds per variant (default 3)")
    p.add_argument(
        "--split",
        nargs="+",
        action="extend",
        default=[],
        metavar="KEY=VALUE",
        help="train, validation, test shares and seed (default 0.8, 0.1, 0.1, seed 0)",
    )
    p.add_argument(
        "--set",
        dest="overrides",
        nargs="+",
        action="extend",
        default=[],
        metavar="KEY=VALUE",
        help="shared DistillConfig fields (student model, max_steps, lr, ...)",
    )
    p.add_argument("--sc-k", type=int, default=1, help="also evaluate with self-consistency over k samples")
    p.add_argument("--max-new-tokens", type=int)
    p.add_argument("--name", default="")
    p.add_argument("--wait", action="store_true", help="wait until every cell is done, then show the table")
    sub.add_parser("list", help="experiments, newest first")
    p = sub.add_parser("show", help="cells and, as cells finish, the table and the paired tests")
    p.add_argument("id", type=int)
    p.add_argument("--csv", type=Path, help="write the table as CSV")
    p.add_argument("--json", type=Path, help="write table, paired tests and settings as JSON")
    for action in ("cancel", "resume"):
        sub.add_parser(action, help=f"{action} every job of the experiment").add_argument("id", type=int)
    return ap


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.db:
        os.environ["MAGDI_DATABASE_URL"] = args.db
    try:
        return ACTIONS[args.action](args)
    except (ValueError, TypeError, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


def _create(args) -> int:
    experiment_id = experiments.create(
        data=_filter(args.filter, args.dataset),
        variants=args.variants,
        seeds=args.seeds,
        train=_settings(args.overrides, "--set"),
        teacher=args.teacher,
        split=_settings(args.split, "--split"),
        sc_k=args.sc_k,
        max_new_tokens=args.max_new_tokens,
        name=args.name,
        actor=LOCAL,
    )
    print(f"created experiment {experiment_id}")
    if not args.wait:
        return 0
    while (view := experiments.get(experiment_id)).status == "running":
        experiments.advance(experiment_id, actor=LOCAL)
        print(f"experiment {experiment_id}: {view.done}/{len(view.cells)} cells done", flush=True)
        time.sleep(5)
    args.id, args.csv, args.json = experiment_id, None, None
    return _show(args) or (0 if view.status == "finished" else 1)


def _list(args) -> int:
    for e in experiments.list_all():
        print(f"{e.id}\t{e.status}\t{e.done}/{len(e.cells)} cells\t{e.name}")
    return 0


def _show(args) -> int:
    experiments.advance(args.id, actor=LOCAL)
    view = experiments.get(args.id)
    print(f"experiment {view.id} {view.name!r}: {view.status}")
    print_table(experiments.for_display(view))
    res = experiments.results(args.id)
    if res.questions:
        print(
            f"\ntest questions: {res.questions}; accuracy over (seed, question) with a 95% two-way bootstrap"
        )
        print_table(res.rows)
        print("\npaired (McNemar's exact test over (seed, question) pairs; bootstrap 95% CI of b − a)")
        print_table(res.paired)
    if args.csv:
        args.csv.write_text(res.to_csv())
    if args.json:
        args.json.write_text(res.to_json())
    return 0


def print_table(rows: list[dict]) -> None:
    if not rows:
        return

    def text(v) -> str:
        return "—" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)

    cols = list(rows[0])
    widths = [max(len(c), *(len(text(r.get(c))) for r in rows)) for c in cols]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    for r in rows:
        print("  ".join(text(r.get(c)).ljust(w) for c, w in zip(cols, widths)))


def _cancel(args) -> int:
    print(f"experiment {args.id}: {experiments.cancel(args.id, actor=LOCAL)} jobs cancelled")
    return 0


def _resume(args) -> int:
    print(f"experiment {args.id}: {len(experiments.resume(args.id, actor=LOCAL))} jobs queued")
    return 0


ACTIONS = {"create": _create, "list": _list, "show": _show, "cancel": _cancel, "resume": _resume}

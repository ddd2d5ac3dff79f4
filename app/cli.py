"""`python -m app …`: import, export and inspect the store from the command line."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time

from app.services import store
from app.services.auth import LOCAL
from db import migrations
from db.engine import StoreBusy
from magdi.formats import FormatError


def _with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument(
        "--db",
        metavar="URL",
        help="SQLAlchemy URL (default: $MAGDI_DATABASE_URL or the SQLite file var/magdi.db)",
    )
    return p


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description="MAGDi Studio")
    sub = parser.add_subparsers(dest="command", required=True)

    p = _with_db(sub.add_parser("import", help="import discussions (all or nothing per file)"))
    p.add_argument("path")
    p.add_argument("--dataset", help="dataset name (default: the line's own, else the file name)")
    p.add_argument("--format", choices=["auto", "jsonl", "magdi", "reconcile"], default="auto")
    p.add_argument("--task", help="task of a MAGDi file (default: guessed from the file name)")
    p.add_argument(
        "--questions",
        metavar="FILE",
        help="a ReConcile run pickle ({dataset}_round_{r}.pkl): the question file it was run on",
    )
    p.add_argument(
        "--skip-existing",
        action="store_true",
        help="skip discussions whose id is already in the dataset instead of failing",
    )

    p = _with_db(sub.add_parser("export", help="export discussions with their current labels"))
    p.add_argument("path")
    p.add_argument("--dataset")
    p.add_argument("--format", choices=["jsonl", "magdi"], default="jsonl")
    p.add_argument(
        "--for-reference",
        action="store_true",
        help="MAGDi format for the authors' loader: `answer` gives our labels under its exact "
        "answer == gold_answer test, the turn's own answer kept as `raw_answer`",
    )
    p.add_argument(
        "--responses", action="store_true", help="JSONL: each turn also lists every annotator's response"
    )

    _with_db(sub.add_parser("stats", help="discussions, turns and labels per dataset"))
    _with_db(sub.add_parser("demo", help="load the demonstration set into an empty store"))
    p = _with_db(sub.add_parser("db", help="the store's schema: upgrade it, show its revision"))
    p.add_argument("action", choices=["upgrade", "current", "history"])
    p = _with_db(
        sub.add_parser("labels", help="recompute: every node's label again under MAGDI_CONSENSUS_MIN")
    )
    p.add_argument("action", choices=["recompute"])
    for name, (_, text) in DELEGATED.items():
        sub.add_parser(name, help=f"{text} (see: python -m app {name} --help)", add_help=False)
    return parser


# Subcommands with their own argument parsers: python -m app NAME ... -> module.main(argv).
DELEGATED = {
    "serve": ("app.serve_cli", "start the web app (a non-loopback address needs sign-in)"),
    "worker": ("app.worker", "run queued jobs in background processes"),
    "train": ("app.train_cli", "queue a distillation job for the worker"),
    "experiment": ("app.experiment_cli", "level ablations: variants × seeds on one frozen split"),
    "serve-model": ("app.serve_model", "serve a trained student via an OpenAI-compatible API"),
}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in DELEGATED:
        try:
            return importlib.import_module(DELEGATED[argv[0]][0]).main(argv[1:])
        except migrations.StoreTooNew as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
    args = build_parser().parse_args(argv)
    if args.db:
        os.environ["MAGDI_DATABASE_URL"] = args.db
    try:
        return COMMANDS[args.command](args)
    except (FormatError, LookupError, migrations.StoreTooNew) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (store.ParserDied, StoreBusy) as exc:  # nothing was written; trying again may work
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except FileNotFoundError as exc:
        print(f"error: {exc.filename}: no such file", file=sys.stderr)
        return 2


def _import(args) -> int:
    report = store.import_file(
        args.path,
        dataset=args.dataset,
        fmt=args.format,
        task=args.task,
        questions=args.questions,
        skip_existing=args.skip_existing,
        progress=ImportProgress(),
        actor=LOCAL,
    )
    print(report)
    return 0


class ImportProgress:
    """A line on stderr every few seconds while a long import reads its file."""

    def __init__(self, every_s: float = 2.0):
        self.every_s = every_s
        self.start = self.last = time.monotonic()

    def __call__(self, read: int) -> None:
        now = time.monotonic()
        if now - self.last >= self.every_s:
            self.last = now
            print(
                f"… {read:,} discussions read ({read / (now - self.start):,.0f}/s)",
                file=sys.stderr,
                flush=True,
            )


def _export(args) -> int:
    if args.for_reference and args.format != "magdi":
        print("error: --for-reference is a MAGDi export: add --format magdi", file=sys.stderr)
        return 2
    if args.responses and args.format != "jsonl":
        print("error: --responses is a JSONL export", file=sys.stderr)
        return 2
    n = store.export_file(
        args.path,
        fmt=args.format,
        dataset=args.dataset,
        for_reference=args.for_reference,
        responses=args.responses,
        actor=LOCAL,
    )
    print(f"wrote {n} discussions to {args.path}")
    return 0


def _stats(args) -> int:
    rows = store.stats()
    if not rows:
        print("the store is empty")
        return 0
    cols = list(rows[0])
    widths = [max(len(c), *(len(str(r[c])) for r in rows)) for c in cols]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    for r in rows:
        print("  ".join(str(r[c]).ljust(w) for c, w in zip(cols, widths)))
    print(f"label revision: {store.revision()}")
    return 0


def _demo(args) -> int:
    reports = store.load_demo_if_empty()
    for r in reports:
        print(r)
    if not reports:
        print("the store is not empty: demo not loaded")
    return 0


def _db(args) -> int:
    if args.action == "history":
        print("\n".join(migrations.history()))
        return 0
    from db.engine import database_url, schema_engine

    engine = schema_engine(database_url())
    if args.action == "upgrade":
        done = migrations.upgrade(engine)
        if done is None:
            print(f"the store is up to date (revision {migrations.head()})")
        else:
            print(done)
        return 0
    with engine.connect() as conn:
        found = migrations.stored_revision(conn)
    head = migrations.head()
    state = (
        "up to date"
        if found == head
        else f"the code's is {head}"
        if migrations.known(found)
        else f"newer than this code, whose newest is {head}"
    )
    print(f"{found or 'no revision (a new store, or one made before migrations)'} ({state})")
    return 0


def _labels(args) -> int:
    from app.services import responses

    done = responses.recompute_labels(actor=LOCAL)
    print(
        f"recomputed {done.nodes:,} answered nodes under MAGDI_CONSENSUS_MIN={done.consensus_min}: "
        f"{done.changed:,} labels changed" + (f" (label revision {done.revision})" if done.revision else "")
    )
    return 0


COMMANDS = {
    "import": _import,
    "export": _export,
    "stats": _stats,
    "demo": _demo,
    "db": _db,
    "labels": _labels,
}

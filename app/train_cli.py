"""`python -m app train`: queue a distillation job (the worker runs it)."""

from __future__ import annotations

import argparse
import os
import sys
import time
from dataclasses import replace
from urllib.parse import parse_qs

import yaml

from app.services import jobs
from app.services.auth import LOCAL
from app.services.filters import Filter


def _filter(query: str, datasets: list[str]) -> Filter:
    """The Browse filter of `--filter` plus the `--dataset` names; a key it cannot read is an error."""
    given = parse_qs(query, keep_blank_values=True)
    unknown = sorted(set(given) - set(Filter.query_keys()))
    if unknown:
        raise ValueError(f"--filter: unknown key {unknown[0]!r} (known: {', '.join(Filter.query_keys())})")
    f = Filter.from_query(given)
    unread = sorted(set(given) - set(f.to_query()))
    if unread:
        raise ValueError(f"--filter: cannot read {unread[0]}={given[unread[0]][-1]!r}")
    return replace(f, datasets=f.datasets + tuple(d for d in datasets if d not in f.datasets))


def _settings(items: list[str], flag: str) -> dict:
    """KEY=VALUE arguments as a dict, each value read as YAML (numbers, booleans, lists)."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep:
            raise ValueError(f"{flag} {item!r} is not KEY=VALUE")
        out[key.strip()] = yaml.safe_load(value)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        prog="python -m app train", description="Queue a MAGDi distillation job for the worker."
    )
    ap.add_argument("--db", metavar="URL")
    ap.add_argument(
        "--dataset",
        nargs="+",
        action="extend",
        default=[],
        metavar="NAME",
        help="train on these datasets (default all)",
    )
    ap.add_argument(
        "--filter",
        default="",
        metavar="QUERY",
        help="the Browse page's filter as its URL writes it, e.g. 'task=gsm8k&maj=0&q=eggs'",
    )
    ap.add_argument(
        "--set",
        dest="overrides",
        nargs="+",
        action="extend",
        default=[],
        metavar="KEY=VALUE",
        help="DistillConfig fields (python -m magdi.train --fields lists them)",
    )
    ap.add_argument(
        "--split",
        nargs="+",
        action="extend",
        default=[],
        metavar="KEY=VALUE",
        help="the split by question: train, validation, test fractions and seed "
        "(default train=0.8 validation=0.1 test=0.1 seed=0)",
    )
    ap.add_argument("--nproc", type=int, default=1, help="processes (DDP) for the job")
    ap.add_argument("--name", default="")
    ap.add_argument("--wait", action="store_true", help="wait for the job and print its progress")
    args = ap.parse_args(argv)
    if args.db:
        os.environ["MAGDI_DATABASE_URL"] = args.db
    try:
        data = _filter(args.filter, args.dataset)
        config = jobs.train_config(
            _settings(args.overrides, "--set"),
            data=data,
            nproc=args.nproc,
            split=_settings(args.split, "--split"),
        )
        job_id = jobs.submit(config, name=args.name, actor=LOCAL)  # refused when it would have nothing to do
    except (ValueError, TypeError, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"queued job {job_id}")
    if not args.wait:
        return 0
    while True:
        job = jobs.get(job_id)
        print(f"job {job_id}: {job.status} step {job.step}/{job.total_steps or '?'}", flush=True)
        if not job.active:
            if job.error:
                print(job.error, file=sys.stderr)
            return 0 if job.status == "succeeded" else 1
        time.sleep(2)

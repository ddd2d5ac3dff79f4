"""`python -m app train`: queue a distillation job (the worker runs it)."""

from __future__ import annotations

import argparse
import os
import sys
import time

import yaml

from app.services import jobs
from app.services.explore import Filter


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m app train",
                                 description="Queue a MAGDi distillation job for the worker.")
    ap.add_argument("--db", metavar="URL")
    ap.add_argument("--dataset", action="append", help="train on this dataset (repeatable; default all)")
    ap.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY=VALUE",
                    help="a DistillConfig field (python -m magdi.train --fields lists them)")
    ap.add_argument("--nproc", type=int, default=1, help="processes (DDP) for the job")
    ap.add_argument("--name", default="")
    ap.add_argument("--wait", action="store_true", help="wait for the job and print its progress")
    args = ap.parse_args(argv)
    if args.db:
        os.environ["MAGDI_DATABASE_URL"] = args.db
    try:
        overrides = {}
        for item in args.overrides:
            key, sep, value = item.partition("=")
            if not sep:
                raise ValueError(f"--set {item!r} is not KEY=VALUE")
            overrides[key.strip()] = yaml.safe_load(value)
        data = Filter(datasets=tuple(args.dataset or ()))
        config = jobs.train_config(overrides, data=data, nproc=args.nproc)
    except (ValueError, TypeError, LookupError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    job_id = jobs.submit(config, name=args.name)
    print(f"queued job {job_id}")
    if not args.wait:
        return 0
    while True:
        job = jobs.get(job_id)
        print(f"job {job_id}: {job.status} step {job.step}/{job.total_steps or '?'}", flush=True)
        if job.status in ("succeeded", "failed", "cancelled"):
            if job.error:
                print(job.error, file=sys.stderr)
            return 0 if job.status == "succeeded" else 1
        time.sleep(2)

"""Store services shared by the CLI, the pages and the worker: import, export, statistics."""

from __future__ import annotations

import functools
import io
import itertools
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from db import queries
from db.engine import session_scope
from magdi import formats
from magdi.formats import FormatError

ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = ROOT / "data" / "demo"


@dataclass
class ImportReport:
    path: str
    added: dict[str, int]
    skipped: int
    turns: int
    edges: int

    def __str__(self) -> str:
        added = ", ".join(f"{n} into {ds!r}" for ds, n in self.added.items()) or "nothing"
        text = f"{self.path}: added {added} ({self.turns} turns, {self.edges} edges)"
        return text + (f"; skipped {self.skipped} already stored" if self.skipped else "")


def import_file(path: str | Path, *, dataset: str | None = None,
                fmt: Literal["auto", "jsonl", "magdi"] = "auto", task: str | None = None,
                skip_existing: bool = False, url: str | None = None) -> ImportReport:
    """Import one file in a single transaction; FormatError leaves the store as it was.

    The dataset is `dataset` if given, else the line's own `dataset` field, else the file stem.
    Large JSONL files are parsed and labelled in a second process while this one inserts.
    """
    default = dataset or Path(path).stem
    fmt = formats.detect_format(path) if fmt == "auto" else fmt
    if fmt == "jsonl" and Path(path).stat().st_size > PARALLEL_BYTES:
        incoming = _parallel_jsonl(path, dataset, default)
    else:
        incoming = (queries.to_incoming(loc, dataset or line_ds or default, d)
                    for loc, d, line_ds in formats.read_discussions(path, fmt, task))
    try:
        with session_scope(url, write=True) as session:
            result = queries.import_discussions(session, incoming, skip_existing=skip_existing)
    except queries.StoreError as exc:
        raise FormatError(path, exc.location, exc.reason) from None
    return ImportReport(str(path), result.added, result.skipped, result.turns, result.edges)


PARALLEL_BYTES = 4 << 20  # below this, starting a process costs more than it saves
_LINES_PER_CHUNK = 500


def _parse_chunk(path: str, dataset: str | None, default: str,
                 lines: list[tuple[int, str]]) -> tuple[list[queries.Incoming], tuple | None]:
    """Worker side: parse and label lines; stop at the first bad one and report it."""
    out = []
    for lineno, line in lines:
        if not line.strip():
            continue
        try:
            d, line_ds = formats.parse_jsonl_line(path, lineno, line)
        except FormatError as exc:
            return out, (exc.line, exc.reason)
        out.append(queries.to_incoming(lineno, dataset or line_ds or default, d))
    return out, None


def _parallel_jsonl(path, dataset: str | None, default: str) -> Iterator[queries.Incoming]:
    """Yield rows in file order while a forked process parses ahead (the insert is the limit)."""
    def chunks():
        with open(path, encoding="utf-8") as fh:
            numbered = enumerate(fh, start=1)
            while chunk := list(itertools.islice(numbered, _LINES_PER_CHUNK)):
                yield chunk

    work = functools.partial(_parse_chunk, str(path), dataset, default)
    with multiprocessing.get_context("fork").Pool(max(1, min(2, os.cpu_count() or 1))) as pool:
        for items, error in pool.imap(work, chunks()):
            yield from items
            if error is not None:
                raise FormatError(path, *error)


def export_discussions(out: io.TextIOBase, *, fmt: Literal["jsonl", "magdi"] = "jsonl",
                       dataset: str | None = None, discussion_ids: Iterable[int] | None = None,
                       drop_excluded: bool = False, url: str | None = None) -> int:
    """Write discussions with their current effective labels; returns how many."""
    with session_scope(url) as session:
        dataset_ids = None
        if dataset is not None:
            ds_id = dataset_id(session, dataset)
            dataset_ids = [ds_id]
        items = queries.iter_discussions(session, dataset_ids=dataset_ids,
                                         discussion_ids=discussion_ids, drop_excluded=drop_excluded)
        if fmt == "magdi":
            return formats.write_magdi((d for d, _ in items), out)
        return formats.write_jsonl(items, out)


def export_file(path: str | Path, **kwargs) -> int:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        return export_discussions(fh, **kwargs)


def dataset_id(session, name: str) -> int:
    found = queries.find_dataset(session, name)
    if found is None:
        raise LookupError(f"no dataset named {name!r}")
    return found


def stats(url: str | None = None) -> list[dict]:
    with session_scope(url) as session:
        return queries.dataset_stats(session)


def revision(url: str | None = None) -> int:
    with session_scope(url) as session:
        return queries.label_revision(session)


def demo_files() -> Iterator[Path]:
    return iter(sorted(DEMO_DIR.glob("*.jsonl")))


def load_demo_if_empty(url: str | None = None) -> list[ImportReport]:
    """First start: an empty store gets the demonstration set."""
    if stats(url):
        return []
    return [import_file(p, url=url) for p in demo_files()]

"""Store services shared by the CLI, the pages and the worker: import, export, statistics."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from db import queries
from db.engine import session_scope
from magdi import formats
from magdi.formats import FormatError
from magdi.summary import prepare

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
    """
    default = dataset or Path(path).stem
    records = formats.read_discussions(path, fmt, task)
    incoming = (queries.Incoming(loc, dataset or line_ds or default, d, prepare(d))
                for loc, d, line_ds in records)
    try:
        with session_scope(url, write=True) as session:
            result = queries.import_discussions(session, incoming, skip_existing=skip_existing)
    except queries.StoreError as exc:
        raise FormatError(path, exc.location, exc.reason) from None
    return ImportReport(str(path), result.added, result.skipped, result.turns, result.edges)


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

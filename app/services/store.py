"""Store services shared by the CLI, the pages and the worker: import, export, statistics."""

from __future__ import annotations

import functools
import gc
import io
import itertools
import multiprocessing
import os
import pickle
import tempfile
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from app.services.auth import LOCAL, Actor, Role, require
from db import bulk, queries
from db import responses as db_responses
from db.engine import database_url, session_scope, snapshot_scope
from magdi import formats
from magdi.formats import FormatError

ROOT = Path(__file__).resolve().parents[2]
DEMO_DIR = ROOT / "data" / "demo"
# The demonstration sets a first start loads: the team-written discussions and the synthetic set of
# simulated teachers (scripts/make_synthetic_demo.py).
DEMO_SETS = {"demo": DEMO_DIR, "synthetic": ROOT / "data" / "synthetic"}


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


def import_file(
    path: str | Path,
    *,
    dataset: str | None = None,
    fmt: Literal["auto", "jsonl", "magdi", "reconcile"] = "auto",
    task: str | None = None,
    questions: str | Path | None = None,
    skip_existing: bool = False,
    actor: Actor,
    url: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one file, all or nothing; FormatError leaves the store as it was.

    The dataset is `dataset` if given, else the line's own `dataset` field, else the file stem.
    The whole file is parsed, validated and labelled (large JSONL files in forked processes) and,
    on SQLite, its rows written to a side file before the store's write lock is taken; they are then
    copied in chunks, each a short transaction, and published at once (`db.bulk.import_parsed`):
    other writers (label saves, worker heartbeats) wait at most for one chunk, and readers see
    none of the rows until they are published. `progress` gets the number of discussions read
    so far, batch by batch. A ReConcile run pickle needs `questions`, the question file it was run on
    (`magdi.formats.read_reconcile`).
    """
    return import_files(
        [path],
        dataset=dataset,
        fmt=fmt,
        task=task,
        questions=questions,
        skip_existing=skip_existing,
        actor=actor,
        url=url,
        progress=progress,
    )[0]


def import_files(
    paths: Sequence[str | Path],
    *,
    dataset: str | None = None,
    fmt: Literal["auto", "jsonl", "magdi", "reconcile"] = "auto",
    task: str | None = None,
    questions: str | Path | None = None,
    skip_existing: bool = False,
    actor: Actor,
    url: str | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[ImportReport]:
    """Import several files all or nothing, each as `import_file` imports one: a FormatError
    (naming its file) leaves the store as it was, whatever the files before it held. Every file is
    parsed and checked before the write lock is taken; an id that a later file repeats in the same
    dataset is refused as already stored. `progress` counts the discussions of all files. Admins
    only: it reads files on the server and makes datasets."""
    require(actor, Role.ADMIN, "import discussions")
    with tempfile.TemporaryDirectory(prefix="magdi-import-") as spill:
        ahead = not bulk.stages_rows(url)  # else parsed while the rows are staged
        parsed = [_parsed(p, dataset, fmt, task, questions, Path(spill), ahead) for p in paths]
        try:
            with _gc_paused():
                results = bulk.import_parsed(
                    url, parsed, Path(spill), skip_existing=skip_existing, progress=progress
                )
        except bulk.StoreError as exc:
            raise FormatError(paths[exc.file], exc.location, exc.reason) from None
    return [
        ImportReport(str(p), r.added, r.skipped, r.turns, r.edges)
        for p, r in zip(paths, results, strict=True)
    ]


def _parsed(
    path: str | Path,
    dataset: str | None,
    fmt: str,
    task: str | None,
    questions: str | Path | None,
    spill: Path,
    ahead: bool = True,
) -> Iterator[bulk.ImportBatch]:
    """The file's batches, parsed, validated and labelled now (a FormatError comes before any
    lock), or for a large JSONL file not `ahead`, as they are read (forked parsers a few blocks
    ahead; the error then comes while reading, for imports that read everything before the lock)."""
    default = dataset or Path(path).stem
    fmt = formats.detect_format(path) if fmt == "auto" else fmt
    if fmt == "jsonl" and Path(path).stat().st_size > PARALLEL_BYTES:
        spilled = _parallel_jsonl(path, dataset, default, spill)
        return _unspill(list(spilled) if ahead else spilled)
    items = (
        (loc, dataset or line_ds or default, d)
        for loc, d, line_ds in formats.read_discussions(path, fmt, task, questions)
    )
    return iter(list(map(bulk.layout, _batched(items, _BATCH))))


class ParserDied(RuntimeError):
    """A forked parser of a large import was killed; the import was rolled back."""


PARALLEL_BYTES = 4 << 20  # below this, starting processes costs more than it saves
_BATCH = 500  # discussions per batch of rows
_BLOCK_BYTES = 1 << 20  # bytes of a large JSONL file that one worker task parses


def _batched(items: Iterable, n: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, n)):
        yield chunk


@contextmanager
def _gc_paused() -> Iterator[None]:
    """A bulk load allocates millions of acyclic rows; the cycle collector would only rescan them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _blocks(path: str | Path) -> Iterator[tuple[int, int, int]]:
    """(byte offset, length, first line number) of consecutive blocks of whole lines."""
    with open(path, "rb") as fh:
        offset, line = 0, 1
        while block := fh.read(_BLOCK_BYTES):
            block += fh.readline()
            yield offset, len(block), line
            offset += len(block)
            line += block.count(b"\n")


def _parse_block(
    path: str, dataset: str | None, default: str, block: tuple[int, int, int]
) -> tuple[list[bulk.ImportBatch], tuple | None]:
    """Worker side: parse, label and lay out a block; stop at the first bad line and report it."""
    offset, length, first = block
    with open(path, "rb") as fh:
        fh.seek(offset)
        lines = fh.read(length).split(b"\n")
    items, error = [], None
    try:
        for lineno, line in formats.jsonl_lines(path, lines, first):
            d, line_ds = formats.parse_jsonl_line(path, lineno, line)
            items.append((lineno, dataset or line_ds or default, d))
    except FormatError as exc:
        error = (exc.line, exc.reason)
    return [bulk.layout(chunk) for chunk in _batched(items, _BATCH)], error


def _spill_block(
    spill: Path, path: str, dataset: str | None, default: str, block: tuple[int, int, int]
) -> tuple[Path, tuple | None]:
    """Worker side: `_parse_block`, its batches pickled into a file of `spill` (not sent back)."""
    batches, error = _parse_block(path, dataset, default, block)
    with tempfile.NamedTemporaryFile("wb", dir=spill, suffix=".batches", delete=False) as fh:
        pickle.dump(batches, fh, protocol=pickle.HIGHEST_PROTOCOL)
    return Path(fh.name), error


def _unspill(files: list[Path]) -> Iterator[bulk.ImportBatch]:
    """The batches of spilled blocks, in order; each file is removed once read."""
    for file in files:
        with open(file, "rb") as fh:
            batches = pickle.load(fh)
        file.unlink()
        yield from batches


def _parallel_jsonl(
    path, dataset: str | None, default: str, spill: Path, parsers: int | None = None
) -> Iterator[Path]:
    """Yield the files of `spill` holding the file's batches, in file order, while forked
    processes parse a few blocks ahead; FormatError after the blocks before a bad line.

    Nothing is inserted meanwhile, so the parsers get every core (up to 4), and at most two
    blocks per parser are in flight, however large the file.
    """
    parsers = parsers or max(1, min(4, os.cpu_count() or 1))
    work = functools.partial(_spill_block, spill, str(path), dataset, default)
    blocks = _blocks(path)
    try:
        with ProcessPoolExecutor(
            parsers, multiprocessing.get_context("fork"), initializer=gc.disable
        ) as pool:
            pending = deque(pool.submit(work, b) for b in itertools.islice(blocks, 2 * parsers))
            while pending:
                file, error = pending.popleft().result()
                if (block := next(blocks, None)) is not None:
                    pending.append(pool.submit(work, block))
                yield file
                if error is not None:
                    raise FormatError(path, *error)
    except BrokenProcessPool:
        raise ParserDied(f"{path}: a parser process died (out of memory?); nothing was imported") from None


def export_discussions(
    out: io.TextIOBase,
    *,
    fmt: Literal["jsonl", "magdi"] = "jsonl",
    dataset: str | None = None,
    discussion_ids: Iterable[int] | None = None,
    drop_excluded: bool = False,
    for_reference: bool = False,
    responses: bool = False,
    actor: Actor,
    url: str | None = None,
) -> int:
    """Write discussions with their current effective labels, as of one moment; returns how many.
    `for_reference` (MAGDi format only): answers that the MAGDi reference loader's exact
    `answer == gold_answer` test reads as these labels (`magdi.formats.reference_answer`).
    `responses` (JSONL only): each turn also lists every annotator's current response
    ("responses": annotator, value, note, at); an import reads the turn's label and ignores them.
    Annotators and above: the whole store, labels and notes, leaves with it."""
    require(actor, Role.ANNOTATOR, "export discussions")
    if for_reference and fmt != "magdi":
        raise ValueError("a reference export is in the MAGDi format")
    if responses and fmt != "jsonl":
        raise ValueError("responses are exported in the JSONL format")
    with snapshot_scope(url) as session:
        dataset_ids = None if dataset is None else [queries.require_dataset(session, dataset)]
        items = queries.iter_discussions(
            session, dataset_ids=dataset_ids, discussion_ids=discussion_ids, drop_excluded=drop_excluded
        )
        if fmt == "magdi":
            return formats.write_magdi((d for d, _ in items), out, for_reference=for_reference)
        if not responses:
            return formats.write_jsonl(items, out)
        found: dict = {}

        def fetched(items):  # the responses of each chunk of discussions, read before it is written
            while chunk := list(itertools.islice(items, queries.CHUNK)):
                found.clear()
                found.update(db_responses.exported_responses(session, [(ds, d.id) for d, ds in chunk]))
                yield from chunk

        def of(d, ds) -> list[list[dict]]:
            return [found.get((ds, d.id, t.agent, t.round), []) for t in d.turns]

        return formats.write_jsonl(fetched(items), out, turn_responses=of)


def export_file(path: str | Path, **kwargs) -> int:
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        return export_discussions(fh, **kwargs)


def dataset_names(url: str | None = None) -> list[str]:
    with session_scope(url) as session:
        return queries.dataset_names(session)


def stats(url: str | None = None) -> list[dict]:
    with session_scope(url) as session:
        return queries.dataset_stats(session)


def store_url() -> str:
    """The store this process uses (MAGDI_DATABASE_URL, else the default SQLite file)."""
    return database_url()


def revision(url: str | None = None) -> int:
    with session_scope(url) as session:
        return queries.label_revision(session)


def demo_sets() -> list[str]:
    """The sets named in $MAGDI_DEMO_SETS (comma-separated, e.g. "demo"), else all of DEMO_SETS."""
    names = [n.strip() for n in os.environ.get("MAGDI_DEMO_SETS", "").split(",") if n.strip()]
    if unknown := sorted(set(names) - set(DEMO_SETS)):
        raise ValueError(
            f"MAGDI_DEMO_SETS: unknown demonstration sets {unknown}; expected some of {', '.join(DEMO_SETS)}"
        )
    return names or list(DEMO_SETS)


def demo_files(sets: Iterable[str] | None = None) -> Iterator[Path]:
    for name in demo_sets() if sets is None else sets:
        yield from sorted(DEMO_SETS[name].glob("*.jsonl"))


def remove_abandoned_imports(url: str | None = None) -> list[int]:
    """Remove the rows of every import whose process died between two of its chunks (SQLite; no
    reader ever saw them); the ids of those imports. The server does this when it starts, and every
    import before it copies (`db.bulk.sweep_abandoned`)."""
    return bulk.sweep_abandoned(url) if bulk.stages_rows(url) else []


def load_demo_if_empty(url: str | None = None, sets: Iterable[str] | None = None) -> list[ImportReport]:
    """First start: an empty store gets the demonstration sets (`demo_sets()` unless named). The
    server does this itself, as the local user: nobody's request asks for it."""
    if dataset_names(url):
        return []
    return [import_file(p, actor=LOCAL, url=url) for p in demo_files(sets)]

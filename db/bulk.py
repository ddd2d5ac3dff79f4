"""Bulk import: discussions laid out as rows where the file is parsed, then stored all or nothing.

`layout` runs in the parsing process (a forked worker for large files): it labels and summarises
each discussion (`magdi.summary`) and lays it out as rows whose ids count from 0 within the batch.
`import_parsed` stores whole files. On SQLite it first writes their rows to a side SQLite file,
checking every discussion id against the files and the store, with no lock on the store; then it
copies them in chunks of a few thousand discussions, each chunk one short transaction (ids checked
again), and publishes them all with one last short transaction. Until then no reader sees any of
them (`db.visibility`); a failure removes the chunks copied, and the next import removes those of
an import whose process died. Other writers thus wait at most for one chunk. `import_batches`
(PostgreSQL, which has no store-wide write lock) checks and inserts the batches inside the
importing transaction. Either way the id bases are integer literals of the statements, so the rows
go from the parser to the database untouched.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import socket
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, func, select, text, update
from sqlmodel import Session

from db.engine import CACHE_KIB, PAGE_BYTES, StoreBusy, get_engine, is_sqlite, session_scope
from db.models import Dataset, Discussion, PendingImport, Turn, utcnow
from db.queries import bump_revision, find_dataset, get_or_create_dataset
from db.visibility import ALL_ROWS
from magdi import mag
from magdi.summary import SUMMARY_COLUMNS, prepare


class StoreError(ValueError):
    """A problem with a discussion of an import; `location` is its line or item index, `file` the
    index of its file among the files imported together."""

    def __init__(self, location: int, reason: str, file: int = 0):
        self.location, self.reason, self.file = location, reason, file
        super().__init__(reason)


# Columns in row order after the batch-relative ids; constant columns are written by the SQL.
_DISCUSSION_COLS = (
    "external_id",
    "task",
    "question",
    "gold_answer",
    "options",
    "meta",
    *SUMMARY_COLUMNS,
)
_TURN_COLS = (
    "agent",
    "round",
    "reasoning",
    "answer",
    "answer_norm",
    "confidence",
    "explicit_edges",
    "auto_label",
    "human_label",
    "excluded",
    "needs_review",
)


@dataclass
class ImportBatch:
    """Rows of consecutive discussions for one step of an import (not a training micro-batch,
    `magdi.model.Batch`); ids are offsets from the batch's bases."""

    heads: list[tuple[int, str, str]] = field(default_factory=list)  # location, dataset, id
    discussions: list[tuple] = field(default_factory=list)  # offset, dataset, *_DISCUSSION_COLS
    turns: list[tuple] = field(default_factory=list)  # offset, discussion offset, *_TURN_COLS
    edges: list[tuple[int, int, int, int]] = field(default_factory=list)  # disc, dst, pos, src
    search: list[tuple[int, str, str]] = field(default_factory=list)  # disc, question, reasoning
    n_turns: int = 0

    def without(self, skipped: set[int]) -> ImportBatch:
        """The batch minus the discussions at the given offsets (ids keep their gaps)."""
        keep = [h for i, h in enumerate(self.heads) if i not in skipped]
        return ImportBatch(
            keep,
            [r for r in self.discussions if r[0] not in skipped],
            [r for r in self.turns if r[1] not in skipped],
            [r for r in self.edges if r[0] not in skipped],
            [r for r in self.search if r[0] not in skipped],
            self.n_turns,
        )


def layout(items: Iterable[tuple[int, str, mag.Discussion]]) -> ImportBatch:
    """Label and summarise (location, dataset, discussion) items and lay them out as rows."""
    b = ImportBatch()
    for d_off, (location, dataset, d) in enumerate(items):
        p = prepare(d)
        b.heads.append((location, dataset, d.id))
        b.discussions.append(
            (
                d_off,
                dataset,
                d.id,
                d.task,
                d.question,
                d.gold_answer,
                None if d.options is None else json.dumps(d.options, ensure_ascii=False),
                json.dumps(d.meta, ensure_ascii=False) if d.meta else None,
                *p.summary.values(),
            )
        )
        first = b.n_turns
        b.turns.extend(
            (
                first + i,
                d_off,
                t.agent,
                t.round,
                t.reasoning,
                t.answer,
                node.answer_norm,
                t.confidence,
                t.responds_to is not None,
                node.auto_label,
                node.human_label,
                t.excluded,
                flag,
            )
            for i, (t, node, flag) in enumerate(zip(d.turns, p.nodes, p.review))
        )
        b.edges.extend((d_off, first + dst, pos, first + src) for dst, pos, src in p.edges)
        # The same text, in the same order, as the discussion_text view that the index reads.
        b.search.append((d_off, d.question, "\n".join(t.reasoning for t in d.turns)))
        b.n_turns += len(d.turns)
    return b


@dataclass
class ImportResult:
    added: dict[str, int] = field(default_factory=dict)  # dataset -> discussions added
    skipped: int = 0
    turns: int = 0
    edges: int = 0


def import_batches(
    session: Session,
    batches: Iterable[ImportBatch],
    *,
    skip_existing: bool = False,
    progress: Callable[[int], None] | None = None,
    file: int = 0,
) -> ImportResult:
    """Store the batches inside the caller's transaction.

    Raises StoreError (with `file`) for an id repeated in the input or already stored in the same
    dataset (unless `skip_existing`); the caller's rollback then leaves the store untouched.
    `progress` is called after each batch with the number of discussions read so far.
    """
    postgres = not is_sqlite(session.get_bind())
    if postgres:  # serialise importers so the ids we hand out stay ours (SQLite: BEGIN IMMEDIATE)
        session.execute(text("LOCK TABLE discussion, turn IN EXCLUSIVE MODE"))
    else:  # the turn, edge and search indexes outgrow the default cache at ~10^5 MAGs
        session.connection().exec_driver_sql(f"PRAGMA cache_size=-{4 * CACHE_KIB}")
    try:
        result = _import(session, batches, skip_existing, progress, file)
    finally:
        if not postgres:
            session.connection().exec_driver_sql(f"PRAGMA cache_size=-{CACHE_KIB}")
    if postgres:
        for table in ("discussion", "turn"):
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"GREATEST((SELECT MAX(id) FROM {table}), 1))"
                )
            )
    if result.turns:
        bump_revision(session)
    return result


def _next_id(session: Session, model) -> int:
    """The next free id, unpublished imports' rows counted (`db.visibility`)."""
    top = session.execute(select(func.max(model.id)), execution_options={ALL_ROWS: True}).scalar()
    return (top or 0) + 1


def _import(
    session: Session,
    batches: Iterable[ImportBatch],
    skip_existing: bool,
    progress: Callable[[int], None] | None,
    file: int,
) -> ImportResult:
    result = ImportResult()
    known: dict[str, set[str]] = {}  # dataset -> external ids stored before this import

    def stored(dataset: str) -> set[str]:
        if dataset not in known:
            known[dataset] = _open_dataset(session, dataset)
        return known[dataset]

    base_d, base_t = _next_id(session, Discussion), _next_id(session, Turn)
    for batch, rows in _checked(batches, stored, skip_existing, result, file):
        _insert(session, rows, base_d, base_t)
        base_d += len(batch.heads)
        base_t += batch.n_turns
        if progress is not None:
            progress(sum(result.added.values()) + result.skipped)
    return result


def _checked(
    batches: Iterable[ImportBatch],
    stored: Callable[[str], set[str]],
    skip_existing: bool,
    result: ImportResult,
    file: int,
) -> Iterator[tuple[ImportBatch, ImportBatch]]:
    """(batch, its rows to store) for each batch of a file, counted into `result`: the rows are
    the batch's minus the discussions whose id `stored(dataset)` holds (with `skip_existing`).
    StoreError for an id repeated in the file, or stored (unless `skip_existing`)."""
    seen: set[tuple[str, str]] = set()
    for batch in batches:
        skipped = set()
        for offset, (location, dataset, ext) in enumerate(batch.heads):
            if (dataset, ext) in seen:
                raise StoreError(location, f"discussion id {ext!r} appears twice in this file", file)
            seen.add((dataset, ext))
            if ext in stored(dataset):
                if not skip_existing:
                    raise StoreError(location, _already(ext, dataset), file)
                skipped.add(offset)
                result.skipped += 1
                continue
            result.added[dataset] = result.added.get(dataset, 0) + 1
        rows = batch.without(skipped) if skipped else batch
        result.turns += len(rows.turns)
        result.edges += len(rows.edges)
        yield batch, rows


def _open_dataset(session: Session, dataset: str) -> set[str]:
    """Create `dataset` if need be; the external ids it already holds."""
    found = find_dataset(session, dataset)
    if found is None:
        get_or_create_dataset(session, dataset)
        return set()
    return set(
        session.execute(select(Discussion.external_id).where(Discussion.dataset_id == found)).scalars()
    )


def _insert(session: Session, b: ImportBatch, base_d: int, base_t: int) -> None:
    """Plain DB-API executemany; the id bases are integer literals of the statements."""
    sqlite = is_sqlite(session.get_bind())
    mark = "?" if sqlite else "%s"

    def insert(table: str, cols: tuple[str, ...], values: list[str], rows: list[tuple]) -> None:
        if rows:
            values += [mark] * (len(cols) - len(values))
            sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join(values)})"
            session.connection().exec_driver_sql(sql, rows)

    d_id, t_id = f"{mark} + {base_d}", f"{mark} + {base_t}"
    insert(
        "discussion",
        ("id", "version", "dataset_id", *_DISCUSSION_COLS),
        [d_id, "0", f"(SELECT id FROM dataset WHERE name = {mark})"],
        b.discussions,
    )
    insert("turn", ("id", "discussion_id", "version", *_TURN_COLS), [t_id, d_id, "0"], b.turns)
    insert("edge", ("discussion_id", "dst_id", "position", "src_id"), [d_id, t_id, mark, t_id], b.edges)
    if sqlite:
        insert("discussion_fts", ("rowid", "question", "reasoning"), [d_id], b.search)
    else:
        session.connection().exec_driver_sql(
            "INSERT INTO discussion_search (discussion_id, tsv) "
            f"VALUES (%s + {base_d}, to_tsvector('english', %s || ' ' || %s))",
            b.search,
        )


# ---------------------------------------------------------------- imports of whole files


def stages_rows(url: str | None) -> bool:
    """Whether an import into this store stages its rows before taking the lock (SQLite), so that
    its files may still be being parsed while it reads them (PostgreSQL: read them first)."""
    return is_sqlite(get_engine(url))


def import_parsed(
    url: str | None,
    files: Sequence[Iterable[ImportBatch]],
    spill: Path,
    *,
    skip_existing: bool = False,
    progress: Callable[[int], None] | None = None,
    copied: Callable[[int], None] | None = None,
) -> list[ImportResult]:
    """Store the parsed files (each an iterable of batches): all or nothing, as readers see it.

    SQLite: the rows of any import whose process died are removed first (`sweep_abandoned`); the
    rows are written to a side file in `spill` (`_stage`, no lock on the store), then copied in
    chunks of about CHUNK_NODES nodes, each its own short transaction, and published by a last one
    (`_copy_staged`): readers see none of them before (`db.visibility`), and a failure removes the
    chunks copied. `copied` gets the discussions copied so far after each chunk. PostgreSQL (no
    store-wide write lock): the batches are inserted in one importing transaction. A StoreError's
    `file` is the index of its file; `progress` gets the discussions read so far, over all files.
    """
    if stages_rows(url):
        sweep_abandoned(url)
        staged = spill / "staged.db"
        try:
            results, chunks = _stage(url, staged, files, skip_existing, progress)
            return _copy_staged(url, staged, results, chunks, skip_existing, copied)
        finally:
            staged.unlink(missing_ok=True)
    results: list[ImportResult] = []
    with session_scope(url, write=True) as session:
        for index, batches in enumerate(files):
            done = sum(sum(r.added.values()) + r.skipped for r in results)
            counted = None if progress is None else functools.partial(_offset_progress, progress, done)
            results.append(
                import_batches(session, batches, skip_existing=skip_existing, progress=counted, file=index)
            )
    return results


def _offset_progress(progress: Callable[[int], None], done: int, n: int) -> None:
    progress(done + n)


# The side file's tables: the store's columns, ids counted from 0 over the whole import.
_STAGED_TABLES = (
    f"CREATE TABLE discussion (off INTEGER PRIMARY KEY, loc, file, dataset, {', '.join(_DISCUSSION_COLS)})",
    f"CREATE TABLE turn (off INTEGER PRIMARY KEY, disc, {', '.join(_TURN_COLS)})",
    "CREATE TABLE edge (disc, dst, pos, src)",  # rowids 1, 2, ... in discussion order
    "CREATE TABLE search (off INTEGER PRIMARY KEY, question, reasoning)",
)

CHUNK_NODES = 40_000  # nodes per copy transaction: ~0.4 s at 100,000 MAGs (bench/store.py)


@dataclass
class _Chunk:
    """Offsets of the side file's rows that one transaction copies: discussions [d_lo, d_hi),
    turns [t_lo, t_hi), edges of rowid (e_lo, e_hi]. Whole discussions, whole batches."""

    d_lo: int
    t_lo: int
    e_lo: int
    d_hi: int = 0
    t_hi: int = 0
    e_hi: int = 0


def _stage(
    url: str | None,
    staged: Path,
    files: Sequence[Iterable[ImportBatch]],
    skip_existing: bool,
    progress: Callable[[int], None] | None,
) -> tuple[list[ImportResult], list[_Chunk]]:
    """Write the files' rows to a new SQLite file `staged`, checking ids against the files and the
    store as it is now (`_copy_staged` checks again under the lock), and cut them into chunks of
    about CHUNK_NODES nodes. No lock on the store."""
    known: dict[str, set[str]] = {}  # dataset -> external ids stored now, or by an earlier file

    def stored(dataset: str) -> set[str]:
        if dataset not in known:
            known[dataset] = _stored_ids(url, dataset)
        return known[dataset]

    out: list[ImportResult] = []
    chunks = [_Chunk(0, 0, 0)]
    base_d = base_t = n_edges = 0
    conn = sqlite3.connect(staged, isolation_level=None)
    try:
        for pragma in ("journal_mode=OFF", "synchronous=OFF", f"page_size={PAGE_BYTES}"):
            conn.execute(f"PRAGMA {pragma}")
        for sql in _STAGED_TABLES:
            conn.execute(sql)
        conn.execute("BEGIN")
        for index, batches in enumerate(files):
            out.append(result := ImportResult())
            ids: list[tuple[str, str]] = []
            for batch, rows in _checked(batches, stored, skip_existing, result, index):
                _write_staged(conn, rows, base_d, base_t, index)
                ids.extend((dataset, ext) for _, dataset, ext in batch.heads)
                base_d += len(batch.heads)
                base_t += batch.n_turns
                n_edges += len(rows.edges)
                last = chunks[-1]
                last.d_hi, last.t_hi, last.e_hi = base_d, base_t, n_edges
                if base_t - last.t_lo >= CHUNK_NODES:
                    chunks.append(_Chunk(base_d, base_t, n_edges))
                if progress is not None:
                    progress(sum(sum(r.added.values()) + r.skipped for r in out))
            for dataset, ext in ids:  # a later file that holds these ids repeats them
                known[dataset].add(ext)
        conn.execute("COMMIT")
    finally:
        conn.close()
    return out, [c for c in chunks if c.d_hi > c.d_lo]


def _stored_ids(url: str | None, dataset: str) -> set[str]:
    """The external ids `dataset` holds now, unpublished imports' included (none if there is no
    such dataset yet)."""
    with session_scope(url) as session:
        session.info[ALL_ROWS] = True
        found = find_dataset(session, dataset)
        if found is None:
            return set()
        return set(
            session.execute(select(Discussion.external_id).where(Discussion.dataset_id == found)).scalars()
        )


def _already(ext: str, dataset: str) -> str:
    return f"discussion id {ext!r} is already in dataset {dataset!r} (use --skip-existing to skip it)"


def _write_staged(conn: sqlite3.Connection, b: ImportBatch, base_d: int, base_t: int, file: int) -> None:
    """A batch's rows into the side file; the id bases are integer literals of the statements."""

    def insert(table: str, values: list[str], width: int, rows: Iterable[tuple]) -> None:
        marks = ", ".join([*values, *["?"] * (width - len(values))])
        conn.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)

    d_id, t_id = f"? + {base_d}", f"? + {base_t}"
    # heads and discussions hold the same discussions in the same order (`ImportBatch.without`)
    rows = ((d[0], h[0], *d[1:]) for h, d in zip(b.heads, b.discussions, strict=True))
    insert("discussion", [d_id, "?", str(file)], len(_DISCUSSION_COLS) + 4, rows)
    insert("turn", [t_id, d_id], len(_TURN_COLS) + 2, b.turns)
    insert("edge", [d_id, t_id, "?", t_id], 4, b.edges)
    insert("search", [d_id], 3, b.search)


class ImportInterrupted(StoreBusy):
    """The store changed under an import in a way that stops it (a dataset it was filling was
    deleted, or its import was taken for abandoned); nothing was imported."""

    def __init__(self, why: str):
        RuntimeError.__init__(self, f"the import was stopped: {why}; nothing was imported, try again")


def _copy_staged(
    url: str | None,
    staged: Path,
    results: list[ImportResult],
    chunks: list[_Chunk],
    skip_existing: bool,
    copied: Callable[[int], None] | None,
) -> list[ImportResult]:
    """Copy the side file's rows into the store chunk by chunk, each chunk its own short
    transaction, then publish them all in one more: the only times the import holds the write
    lock. Ids another import stored meanwhile are refused (or skipped). On any failure the chunks
    copied are removed (`discard`); if the process dies instead, the next import (or the app's
    server, when it starts) removes them (`sweep_abandoned`)."""
    engine = get_engine(url).execution_options(sqlite_immediate=True, bulk_load=True)
    pending = None  # the import's PendingImport id, once its first chunk is committed
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        raw.execute("ATTACH DATABASE ? AS staged", (str(staged),))  # not possible in a transaction
        raw.execute(f"PRAGMA cache_size=-{4 * CACHE_KIB}")  # the indexes outgrow the default
        try:
            for chunk in chunks:
                with Session(bind=conn, info={ALL_ROWS: True}) as session, session.begin():
                    new = _copy_chunk(session, chunk, pending, results, skip_existing)
                pending = new
                if copied is not None:
                    copied(chunk.d_hi)
            if pending is not None:
                with Session(bind=conn, info={ALL_ROWS: True}) as session, session.begin():
                    _publish(session, pending, any(r.turns for r in results))
        except BaseException:
            if pending is not None:
                _discard_after_failure(url, pending)
            raise
        finally:
            try:
                raw.execute(f"PRAGMA cache_size=-{CACHE_KIB}")
                raw.execute("DETACH DATABASE staged")
            except sqlite3.Error:  # a connection in a bad state: not back into the pool
                conn.invalidate()
    return results


def _copy_chunk(
    session: Session, c: _Chunk, pending: int | None, results: list[ImportResult], skip_existing: bool
) -> int:
    """Copy one chunk (the first one also registers the import and makes its new datasets,
    hidden); the import's PendingImport id."""
    conn = session.connection()
    if pending is None:
        pending = _begin_import(session)
    elif not session.execute(
        update(PendingImport).where(PendingImport.id == pending).values(heartbeat_at=utcnow())
    ).rowcount:
        raise ImportInterrupted("another process took it for abandoned and removed its rows")
    late = conn.exec_driver_sql(
        "SELECT s.off, s.loc, s.file, s.dataset, s.external_id FROM staged.discussion s "
        "JOIN temp.import_dataset ds ON ds.name = s.dataset "
        "JOIN main.discussion d ON d.dataset_id = ds.id AND d.external_id = s.external_id "
        f"WHERE s.off >= {c.d_lo} AND s.off < {c.d_hi} ORDER BY s.off"
    ).all()
    keep = ""
    if late:  # stored by another import since `_stage` looked
        if not skip_existing:
            _, loc, file, dataset, ext = late[0]
            raise StoreError(loc, _already(ext, dataset), file)
        _skip_late(conn, results, late, c)
        keep = " AND {} NOT IN (SELECT off FROM temp.late)"  # earlier chunks' offsets lie outside this one
    base_d, base_t = _next_id(session, Discussion), _next_id(session, Turn)
    d, t = base_d - c.d_lo, base_t - c.t_lo  # offset -> id
    in_d = f"BETWEEN {c.d_lo} AND {c.d_hi - 1}"
    d_cols, t_cols = ", ".join(_DISCUSSION_COLS), ", ".join(_TURN_COLS)
    for sql in (
        f"INSERT INTO main.discussion (id, version, dataset_id, {d_cols}) "
        f"SELECT s.off + {d}, 0, ds.id, {', '.join('s.' + c for c in _DISCUSSION_COLS)} "
        f"FROM staged.discussion s JOIN temp.import_dataset ds ON ds.name = s.dataset "
        f"WHERE s.off {in_d}{keep.format('s.off')} ORDER BY s.off",
        f"INSERT INTO main.turn (id, discussion_id, version, {t_cols}) "
        f"SELECT off + {t}, disc + {d}, 0, {t_cols} FROM staged.turn "
        f"WHERE off BETWEEN {c.t_lo} AND {c.t_hi - 1}{keep.format('disc')} ORDER BY off",
        "INSERT INTO main.edge (discussion_id, dst_id, position, src_id) "
        f"SELECT disc + {d}, dst + {t}, pos, src + {t} FROM staged.edge "
        f"WHERE rowid > {c.e_lo} AND rowid <= {c.e_hi}{keep.format('disc')}",
        "INSERT INTO main.discussion_fts (rowid, question, reasoning) "
        f"SELECT off + {d}, question, reasoning FROM staged.search WHERE off {in_d}{keep.format('off')} "
        "ORDER BY off",
    ):
        conn.exec_driver_sql(sql)
    top = conn.exec_driver_sql("SELECT max(id) FROM main.discussion").scalar()
    if top is not None and top >= base_d:  # the ids just taken (none if every one was skipped)
        extended = conn.exec_driver_sql(
            "UPDATE pending_range SET last_id = ? WHERE import_id = ? AND last_id = ?",
            (top, pending, base_d - 1),
        ).rowcount
        if not extended:
            conn.exec_driver_sql("INSERT INTO pending_range VALUES (?, ?, ?)", (pending, base_d, top))
    return pending


def _begin_import(session: Session) -> int:
    """Register the import (pending) and resolve its datasets by name into temp.import_dataset,
    making the missing ones hidden (`Dataset.import_id`); the import's id."""
    row = PendingImport(owner=_owner())
    session.add(row)
    session.flush()
    conn = session.connection()
    for sql in (
        "CREATE TEMP TABLE IF NOT EXISTS import_dataset (name TEXT PRIMARY KEY, id INTEGER NOT NULL)",
        "CREATE TEMP TABLE IF NOT EXISTS late (off INTEGER PRIMARY KEY)",
        "DELETE FROM temp.import_dataset",
        "DELETE FROM temp.late",
    ):
        conn.exec_driver_sql(sql)
    for (name,) in conn.exec_driver_sql("SELECT DISTINCT dataset FROM staged.discussion").all():
        found = find_dataset(session, name)  # a dataset another pending import made included
        if found is None:
            made = Dataset(name=name, import_id=row.id)
            session.add(made)
            session.flush()
            found = made.id
        conn.exec_driver_sql("INSERT INTO temp.import_dataset VALUES (?, ?)", (name, found))
    return row.id


def _publish(session: Session, pending: int, labelled: bool) -> None:
    """Make every row of the import visible at once: its datasets and its id ranges."""
    conn = session.connection()
    gone = conn.exec_driver_sql(
        "SELECT name FROM temp.import_dataset WHERE id NOT IN (SELECT id FROM main.dataset) ORDER BY name"
    ).first()
    if gone is not None:
        raise ImportInterrupted(f"dataset {gone[0]!r} was deleted while the import copied its rows")
    conn.exec_driver_sql("DELETE FROM pending_range WHERE import_id = ?", (pending,))
    if not conn.exec_driver_sql("DELETE FROM pending_import WHERE id = ?", (pending,)).rowcount:
        raise ImportInterrupted("another process took it for abandoned and removed its rows")
    conn.exec_driver_sql(
        "UPDATE main.dataset SET import_id = NULL WHERE id IN (SELECT id FROM temp.import_dataset)"
    )
    if labelled:
        bump_revision(session)


def _skip_late(conn: Connection, results: list[ImportResult], late: list, c: _Chunk) -> None:
    """Leave out discussions stored by another import since staging (with `skip_existing`):
    their offsets go to temp.late, and their files' counts drop."""
    conn.exec_driver_sql("INSERT INTO temp.late VALUES (?)", [(off,) for off, *_ in late])
    for _, _, file, dataset, _ in late:
        r = results[file]
        r.added[dataset] -= 1
        if not r.added[dataset]:
            del r.added[dataset]
        r.skipped += 1
    offs = ", ".join(str(off) for off, *_ in late)
    for table, where in (
        ("turn", f"t.off BETWEEN {c.t_lo} AND {c.t_hi - 1}"),
        ("edge", f"t.rowid > {c.e_lo} AND t.rowid <= {c.e_hi}"),
    ):
        for file, n in conn.exec_driver_sql(
            f"SELECT d.file, count(*) FROM staged.{table} t JOIN staged.discussion d ON d.off = t.disc "
            f"WHERE {where} AND t.disc IN ({offs}) GROUP BY d.file"
        ).all():
            setattr(results[file], f"{table}s", getattr(results[file], f"{table}s") - n)


# ---------------------------------------------------------------- unpublished imports removed

ABANDONED_S = 600  # an import whose heartbeat is older (its chunks come seconds apart) is dead
_DISCARD_IDS = 4000  # discussions removed per transaction


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def _abandoned(owner: str, heartbeat: datetime) -> bool:
    """Whether a pending import's process is gone: a process of this host that no longer runs,
    or no heartbeat for ABANDONED_S (another host's, or a reused process id)."""
    host, _, pid = owner.rpartition(":")
    if host == socket.gethostname():
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # alive, another user's
            pass
    if heartbeat.tzinfo is None:
        heartbeat = heartbeat.replace(tzinfo=UTC)
    return (utcnow() - heartbeat).total_seconds() > ABANDONED_S


def sweep_abandoned(url: str | None) -> list[int]:
    """Remove the rows of every import whose process died before publishing them (killed between
    two chunks, say); the ids of those imports. Readers never saw those rows."""
    with session_scope(url) as session:
        rows = session.execute(
            select(PendingImport.id, PendingImport.owner, PendingImport.heartbeat_at)
        ).all()
    dead = [i for i, owner, beat in rows if _abandoned(owner, beat)]
    for pending in dead:
        discard(url, pending)
    return dead


def discard(url: str | None, pending: int) -> None:
    """Remove a pending import's rows, _DISCARD_IDS discussions (with their nodes, edges and
    search rows) per short transaction, its ranges shrinking as they go so that an interrupted
    removal resumes where it stopped; then the datasets it made that are left empty, and the
    import itself."""
    while True:
        with session_scope(url, write=True, bulk_load=True) as session:
            conn = session.connection()
            row = conn.exec_driver_sql(
                "SELECT first_id, last_id FROM pending_range WHERE import_id = ? ORDER BY first_id LIMIT 1",
                (pending,),
            ).first()
            if row is None:
                _drop_import(conn, pending)
                return
            lo, hi = row
            top = min(hi, lo + _DISCARD_IDS - 1)
            ids = f"BETWEEN {lo} AND {top}"
            # the search index reads the text it removes from discussion_text: before the rows go
            conn.exec_driver_sql(
                f"DELETE FROM discussion_fts WHERE rowid IN (SELECT id FROM discussion WHERE id {ids})"
            )
            for table, column in (("edge", "discussion_id"), ("turn", "discussion_id"), ("discussion", "id")):
                conn.exec_driver_sql(f"DELETE FROM {table} WHERE {column} {ids}")
            if top == hi:
                conn.exec_driver_sql(
                    "DELETE FROM pending_range WHERE import_id = ? AND first_id = ?", (pending, lo)
                )
            else:
                conn.exec_driver_sql(
                    "UPDATE pending_range SET first_id = ? WHERE import_id = ? AND first_id = ?",
                    (top + 1, pending, lo),
                )


def _drop_import(conn: Connection, pending: int) -> None:
    """The import's datasets left empty go; one that another pending import's rows went into
    stays hidden, as that import's (it publishes or removes it)."""
    conn.exec_driver_sql(
        "DELETE FROM dataset WHERE import_id = ? AND NOT EXISTS "
        "(SELECT 1 FROM discussion d WHERE d.dataset_id = dataset.id)",
        (pending,),
    )
    conn.exec_driver_sql(
        "UPDATE dataset SET import_id = (SELECT r.import_id FROM discussion d JOIN pending_range r "
        "ON d.id BETWEEN r.first_id AND r.last_id WHERE d.dataset_id = dataset.id LIMIT 1) "
        "WHERE import_id = ?",
        (pending,),
    )
    conn.exec_driver_sql("DELETE FROM pending_import WHERE id = ?", (pending,))


def _discard_after_failure(url: str | None, pending: int) -> None:
    """`discard` on the error path; if even that fails (the store busy, say), the rows stay
    unpublished, invisible, until the next import removes them."""
    try:
        discard(url, pending)
    except Exception:
        logging.getLogger(__name__).warning(
            "could not remove the rows of failed import %s yet", pending, exc_info=True
        )

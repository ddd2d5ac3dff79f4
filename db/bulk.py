"""Bulk import: discussions laid out as rows where the file is parsed, inserted in one transaction.

`layout` runs in the parsing process (a forked worker for large files): it labels and summarises
each discussion (`magdi.summary`) and lays it out as rows whose ids count from 0 within the batch.
`import_batches` runs in the importing transaction: it checks every discussion id against the
file and the store, then adds the batch's id bases inside the INSERT statements, so the rows go
from the parser to the database driver untouched (the importing process is the bottleneck).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select, text
from sqlmodel import Session

from db.engine import CACHE_KIB, is_sqlite
from db.models import Discussion, Turn
from db.queries import bump_revision, find_dataset, get_or_create_dataset
from magdi import mag
from magdi.summary import SUMMARY_COLUMNS, prepare


class StoreError(ValueError):
    """A problem with a discussion of an import; `location` is its line or item index."""

    def __init__(self, location: int, reason: str):
        self.location, self.reason = location, reason
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
) -> ImportResult:
    """Store the batches inside the caller's transaction.

    Raises StoreError for an id repeated in the input or already stored in the same dataset
    (unless `skip_existing`); the caller's rollback then leaves the store untouched.
    `progress` is called after each batch with the number of discussions read so far.
    """
    postgres = not is_sqlite(session.get_bind())
    if postgres:  # serialise importers so the ids we hand out stay ours (SQLite: BEGIN IMMEDIATE)
        session.execute(text("LOCK TABLE discussion, turn IN EXCLUSIVE MODE"))
    else:  # the turn, edge and search indexes outgrow the default cache at ~10^5 MAGs
        session.connection().exec_driver_sql(f"PRAGMA cache_size=-{4 * CACHE_KIB}")
    try:
        result = _import(session, batches, skip_existing, progress)
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
    return (session.execute(select(func.max(model.id))).scalar() or 0) + 1


def _import(
    session: Session,
    batches: Iterable[ImportBatch],
    skip_existing: bool,
    progress: Callable[[int], None] | None,
) -> ImportResult:
    result = ImportResult()
    known: dict[str, set[str]] = {}  # dataset -> external ids stored before this import
    seen: set[tuple[str, str]] = set()
    base_d, base_t = _next_id(session, Discussion), _next_id(session, Turn)
    for batch in batches:
        skipped = set()
        for offset, (location, dataset, ext) in enumerate(batch.heads):
            if (dataset, ext) in seen:
                raise StoreError(location, f"discussion id {ext!r} appears twice in this file")
            seen.add((dataset, ext))
            if dataset not in known:
                known[dataset] = _open_dataset(session, dataset)
            if ext in known[dataset]:
                if not skip_existing:
                    raise StoreError(
                        location,
                        f"discussion id {ext!r} is already in dataset "
                        f"{dataset!r} (use --skip-existing to skip it)",
                    )
                skipped.add(offset)
                result.skipped += 1
                continue
            result.added[dataset] = result.added.get(dataset, 0) + 1
        rows = batch.without(skipped) if skipped else batch
        _insert(session, rows, base_d, base_t)
        result.turns += len(rows.turns)
        result.edges += len(rows.edges)
        base_d += len(batch.heads)
        base_t += batch.n_turns
        if progress is not None:
            progress(len(seen))
    return result


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

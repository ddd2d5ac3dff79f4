"""Which rows readers see: none of an import that has not published yet.

A SQLite import copies its rows in short transactions (`db.bulk`), so between them the store holds
rows of an unfinished import: discussions with their nodes, edges and search rows (the id ranges of
`PendingRange`), and the datasets it made (`Dataset.import_id`). While any import is pending, every
ORM SELECT (and INSERT ... SELECT) of a session gets criteria that leave those rows out wherever
Discussion, Turn, Edge or Dataset appear in it, joins and subqueries included: counts, Browse,
search, the queues, exports and training data all read the store as it was before the import. When
nothing is pending (the usual case) a statement gets no criteria, for one lookup of ~10 µs.
PostgreSQL imports are one transaction, so nothing is ever pending there and no lookup is made.

UPDATE and DELETE are not filtered: deleting a dataset removes a pending import's rows in it too
(that import then stops). The import itself, and whatever allocates ids, needs every row: such a
statement or session carries `ALL_ROWS` (an execution option, or a key of `Session.info`). Raw SQL
(`text`, `exec_driver_sql`) is never filtered; the full-text matches are read only through a
filtered `Discussion.id IN (...)`.
"""

from __future__ import annotations

from sqlalchemy import Connection, and_, event
from sqlalchemy.orm import ORMExecuteState, Session, with_loader_criteria

from db.models import Dataset, Discussion, Edge, Turn

ALL_ROWS = "magdi_all_rows"


_PENDING = (
    "SELECT r.first_id, r.last_id FROM pending_import p LEFT JOIN pending_range r ON r.import_id = p.id"
)


def pending_ranges(conn: Connection) -> list[tuple[int, int]] | None:
    """The discussion id ranges of pending imports; None when no import is pending. (A raw
    cursor: this runs before every ORM SELECT, and costs a few microseconds so.)"""
    rows = conn.connection.driver_connection.execute(_PENDING).fetchall()
    if not rows:
        return None
    return [(lo, hi) for lo, hi in rows if lo is not None]


@event.listens_for(Session, "do_orm_execute")
def _published_only(state: ORMExecuteState) -> None:
    if not (state.is_select or state.is_insert):  # an INSERT ... SELECT copies only what readers see
        return
    if state.execution_options.get(ALL_ROWS) or state.session.info.get(ALL_ROWS):
        return
    conn = state.session.connection(bind_arguments=state.bind_arguments)
    if conn.dialect.name != "sqlite":
        return
    ranges = pending_ranges(conn)
    if ranges is None:
        return

    def outside(column):
        return and_(*(~column.between(lo, hi) for lo, hi in ranges))

    state.statement = state.statement.options(
        with_loader_criteria(Dataset, Dataset.import_id.is_(None)),
        *(
            with_loader_criteria(model, outside(column))
            for model, column in (
                (Discussion, Discussion.id),
                (Turn, Turn.discussion_id),
                (Edge, Edge.discussion_id),
            )
            if ranges
        ),
    )

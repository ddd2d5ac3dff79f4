"""Alembic's migration environment, run by `db.migrations` (the app) or the `alembic` command.

The app hands over an open connection (in a transaction it holds the schema lock for) as
`config.attributes["connection"]`; the `alembic` command (see alembic.ini) connects to
$MAGDI_DATABASE_URL or var/magdi.db itself, for `alembic revision --autogenerate`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from db import models  # noqa: F401  (registers the tables)
from db.migrations import include_object


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
        include_object=include_object,
        compare_server_default=False,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from db.engine import database_url

    with create_engine(database_url()).connect() as conn:
        _run(conn)
        conn.commit()

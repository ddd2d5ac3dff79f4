"""Imports in short transactions: pending imports, their id ranges, and the datasets they made.

A SQLite import copies its rows in chunks, each its own short transaction, and publishes them at
the end (`db.bulk`); until then readers see none of them (`db.visibility`). `pending_import` holds
each unpublished import (its process and last heartbeat), `pending_range` the discussion ids it
copied, `dataset.import_id` the pending import that made a dataset (NULL: published). Existing
datasets are published (NULL); nothing is computed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_TIME = sqlmodel.sql.sqltypes.UTCDateTime()


def upgrade() -> None:
    op.create_table(
        "pending_import",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("owner", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("started_at", _TIME, nullable=False),
        sa.Column("heartbeat_at", _TIME, nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "pending_range",
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("first_id", sa.Integer(), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["pending_import.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("import_id", "first_id"),
    )
    with op.batch_alter_table("dataset", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dataset", schema=None) as batch_op:
        batch_op.drop_column("import_id")
    op.drop_table("pending_range")
    op.drop_table("pending_import")

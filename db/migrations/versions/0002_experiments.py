"""Experiments: the experiment table, and job.experiment_id naming the experiment a job is a cell of.

On SQLite, adding the foreign key copies the job table (batch mode; see docs/developing.md).

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders SQLModel column types as sqlmodel.sql.sqltypes)
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "experiment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("directory", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("experiment_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_job_experiment_id"), ["experiment_id"], unique=False)
        batch_op.create_foreign_key("fk_job_experiment_id", "experiment", ["experiment_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("job", schema=None) as batch_op:
        batch_op.drop_constraint("fk_job_experiment_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_job_experiment_id"))
        batch_op.drop_column("experiment_id")
    op.drop_table("experiment")

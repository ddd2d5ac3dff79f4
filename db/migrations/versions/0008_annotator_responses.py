"""Several annotators per node: responses, adjudications and annotation tasks.

`response` holds each annotator's responses to a node (append-only; the newest per annotator is
current), `adjudication` an adjudicator's final labels (newest wins), `annotationtask` the handed-out
work (a stored Browse filter, an overlap, optional participants). `turn.human_label` stays the node's
effective human label. Each existing human label becomes a response of the annotator its newest
label edit (not undone) was recorded for, or of "local" when the history has none.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_STRING = sqlmodel.sql.sqltypes.AutoString()
_TIME = sqlmodel.sql.sqltypes.UTCDateTime()

# The newest label edit of each turn that neither undoes another nor was undone.
_SEED = """
INSERT INTO response (turn_id, discussion_id, annotator, value, note, revision, created_at)
SELECT t.id, t.discussion_id, COALESCE(e.who, 'local'),
       CASE WHEN t.human_label THEN 'correct' ELSE 'incorrect' END, NULL, e.revision, COALESCE(e.at, :now)
FROM turn t
LEFT JOIN labelevent e ON e.id = (
    SELECT max(l.id) FROM labelevent l
    WHERE l.turn_id = t.id AND l.field = 'label' AND l.undoes IS NULL
      AND l.id NOT IN (SELECT u.undoes FROM labelevent u WHERE u.undoes IS NOT NULL)
)
WHERE t.human_label IS NOT NULL
ORDER BY t.id
"""


def upgrade() -> None:
    op.create_table(
        "response",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("turn_id", sa.Integer(), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("annotator", _STRING, nullable=False),
        sa.Column("value", _STRING, nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("created_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(["discussion_id"], ["discussion.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["turn_id"], ["turn.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.create_index("ix_response_turn_annotator_id", ["turn_id", "annotator", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_response_discussion_id"), ["discussion_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_response_annotator"), ["annotator"], unique=False)
    op.create_table(
        "adjudication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("turn_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("adjudicator", _STRING, nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.ForeignKeyConstraint(["turn_id"], ["turn.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("adjudication", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_adjudication_turn_id"), ["turn_id"], unique=False)
    op.create_table(
        "annotationtask",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", _STRING, nullable=False),
        sa.Column("filter", sa.Text(), nullable=False),
        sa.Column("overlap", sa.Integer(), nullable=False),
        sa.Column("participants", sa.Text(), nullable=True),
        sa.Column("hide_others", sa.Boolean(), nullable=False, server_default=sa.true()),
        sa.Column("created_by", _STRING, nullable=False),
        sa.Column("created_at", _TIME, nullable=False),
        sa.Column("archived_at", _TIME, nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("name"),
    )
    op.get_bind().execute(sa.text(_SEED).bindparams(sa.bindparam("now", datetime.now(UTC), type_=_TIME)))


def downgrade() -> None:
    op.drop_table("annotationtask")
    op.drop_table("adjudication")
    op.drop_table("response")

"""Response counts kept by the write path, for the annotation queue and task progress.

`response.is_current` marks each annotator's current response to a node (their newest row, unless
it withdraws), `turn.n_responses` counts a node's current responses. Both are computed here from
the existing responses and kept by every response write from now on (`db.responses.refresh_counts`).
Two indexes serve the queue: `ix_turn_queue` walks the nodes with a given number of responses in
the review ranking (the Review queue's score, then confidence, then id), `ix_response_current`
answers "has this annotator a current response to this node" from the index alone.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

# The review score of `db.browsing.review_score` (as of this revision), in SQL both dialects read alike.
_RANK = (
    "(CAST(answer_norm IS NULL AND needs_review AS INTEGER) * 8"
    " + CAST(coalesce(confidence, 0.0) >= 0.9 AND NOT coalesce(human_label, auto_label) AS INTEGER) * 2"
    " + CAST(needs_review AS INTEGER))"
)

_CURRENT = """
UPDATE response SET is_current = true
WHERE value <> 'withdrawn' AND id IN (SELECT max(r.id) FROM response r GROUP BY r.turn_id, r.annotator)
"""

_COUNTS = """
UPDATE turn SET n_responses = (SELECT count(*) FROM response r WHERE r.turn_id = turn.id AND r.is_current)
WHERE id IN (SELECT r.turn_id FROM response r WHERE r.is_current)
"""


def upgrade() -> None:
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_current", sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.add_column(sa.Column("n_responses", sa.Integer(), nullable=False, server_default="0"))
    op.execute(_CURRENT)
    op.execute(_COUNTS)
    op.create_index(
        "ix_response_current",
        "response",
        ["annotator", "turn_id"],
        sqlite_where=sa.text("is_current"),
        postgresql_where=sa.text("is_current"),
    )
    op.create_index(
        "ix_turn_queue",
        "turn",
        [
            "excluded",
            "n_responses",
            sa.text(f"{_RANK} DESC"),
            sa.text("(confidence IS NULL)"),
            sa.text("confidence DESC"),
            "id",
        ],
    )


def downgrade() -> None:
    op.drop_index("ix_turn_queue", table_name="turn")
    op.drop_index("ix_response_current", table_name="response")
    with op.batch_alter_table("turn", schema=None) as batch_op:
        batch_op.drop_column("n_responses")
    with op.batch_alter_table("response", schema=None) as batch_op:
        batch_op.drop_column("is_current")

"""Baseline: the schema of release 13b2f0b, the last one made without migrations.

Every statement creates only what is missing, so a store made before migrations (which has no
`alembic_version` table) passes through it unchanged and is stamped at this revision; a store
older than 13b2f0b gets the tables and indexes it lacks, and its old self-contained SQLite search
index is rebuilt over the `discussion_text` view.

Revision ID: 0001
Revises:
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
import sqlmodel  # noqa: F401  (autogenerate renders SQLModel column types as sqlmodel.sql.sqltypes)
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    _tables()
    if op.get_bind().dialect.name == "sqlite":
        _sqlite_search()
    else:
        _postgresql_search()
    op.execute(
        "INSERT INTO storemeta (key, value) SELECT 'label_revision', 0 "
        "WHERE NOT EXISTS (SELECT 1 FROM storemeta WHERE key = 'label_revision')"
    )


def _tables() -> None:
    op.create_table(
        "dataset",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index("ix_dataset_name", "dataset", ["name"], unique=True, if_not_exists=True)
    op.create_table(
        "job",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("config", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("started_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("finished_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("heartbeat_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("worker", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("pid", sa.Integer(), nullable=True),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("step", sa.Integer(), nullable=False),
        sa.Column("total_steps", sa.Integer(), nullable=True),
        sa.Column("eta_s", sa.Float(), nullable=True),
        sa.Column("label_revision", sa.Integer(), nullable=True),
        sa.Column("data_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("data_summary", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("run_dir", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("log_path", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("resume_of", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["resume_of"],
            ["job.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index("ix_job_status_id", "job", ["status", "id"], if_not_exists=True)
    op.create_table(
        "storemeta",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
        if_not_exists=True,
    )
    op.create_table(
        "discussion",
        sa.Column("n_turns", sa.Integer(), nullable=False),
        sa.Column("n_agents", sa.Integer(), nullable=False),
        sa.Column("n_rounds", sa.Integer(), nullable=False),
        sa.Column("majority_correct", sa.Boolean(), nullable=True),
        sa.Column("round0_disagree", sa.Boolean(), nullable=False),
        sa.Column("consensus_round", sa.Integer(), nullable=True),
        sa.Column("flip_right_wrong", sa.Boolean(), nullable=False),
        sa.Column("flip_wrong_right", sa.Boolean(), nullable=False),
        sa.Column("n_human", sa.Integer(), nullable=False),
        sa.Column("n_review", sa.Integer(), nullable=False),
        sa.Column("n_correct", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("dataset_id", sa.Integer(), nullable=False),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("task", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("options", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("gold_answer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("meta", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["dataset_id"], ["dataset.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("dataset_id", "external_id"),
        if_not_exists=True,
    )
    op.create_index("ix_discussion_consensus_round", "discussion", ["consensus_round"], if_not_exists=True)
    op.create_index("ix_discussion_dataset_id_id", "discussion", ["dataset_id", "id"], if_not_exists=True)
    op.create_index("ix_discussion_flip_right_wrong", "discussion", ["flip_right_wrong"], if_not_exists=True)
    op.create_index("ix_discussion_flip_wrong_right", "discussion", ["flip_wrong_right"], if_not_exists=True)
    op.create_index("ix_discussion_majority_correct", "discussion", ["majority_correct"], if_not_exists=True)
    op.create_index("ix_discussion_n_human", "discussion", ["n_human"], if_not_exists=True)
    op.create_index("ix_discussion_n_review", "discussion", ["n_review"], if_not_exists=True)
    op.create_index(
        "ix_discussion_review_desc",
        "discussion",
        [sa.literal_column("n_review DESC"), "id"],
        if_not_exists=True,
    )
    op.create_index("ix_discussion_round0_disagree", "discussion", ["round0_disagree"], if_not_exists=True)
    op.create_index("ix_discussion_task", "discussion", ["task"], if_not_exists=True)
    op.create_table(
        "evalrun",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.Column("run_dir", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("model", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("level", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("dataset", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("source", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("decoding", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("k", sa.Integer(), nullable=False),
        sa.Column("questions", sa.Integer(), nullable=False),
        sa.Column("correct", sa.Integer(), nullable=False),
        sa.Column("student_tokens", sa.Integer(), nullable=False),
        sa.Column("teacher_tokens", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["job.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("run_dir"),
        if_not_exists=True,
    )
    op.create_index("ix_evalrun_job_id", "evalrun", ["job_id"], if_not_exists=True)
    op.create_table(
        "evalquestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("eval_run_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("dataset", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=True),
        sa.Column("task", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("options", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("gold_answer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("tokens", sa.Integer(), nullable=False),
        sa.Column("teacher_tokens", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["discussion_id"], ["discussion.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["eval_run_id"], ["evalrun.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("eval_run_id", "key"),
        if_not_exists=True,
    )
    op.create_index("ix_evalquestion_discussion_id", "evalquestion", ["discussion_id"], if_not_exists=True)
    op.create_table(
        "prediction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("eval_run_id", sa.Integer(), nullable=False),
        sa.Column("question_key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sample", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("parsed", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("tokens", sa.Integer(), nullable=False),
        sa.Column("latency_s", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["eval_run_id"], ["evalrun.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index(
        "ix_prediction_run_key", "prediction", ["eval_run_id", "question_key", "sample"], if_not_exists=True
    )
    op.create_table(
        "turn",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("agent", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("reasoning", sa.Text(), nullable=False),
        sa.Column("answer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("answer_norm", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=True),
        sa.Column("explicit_edges", sa.Boolean(), nullable=False),
        sa.Column("auto_label", sa.Boolean(), nullable=False),
        sa.Column("human_label", sa.Boolean(), nullable=True),
        sa.Column("excluded", sa.Boolean(), nullable=False),
        sa.Column("needs_review", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["discussion_id"], ["discussion.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("discussion_id", "agent", "round"),
        if_not_exists=True,
    )
    op.create_table(
        "edge",
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("dst_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("src_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["discussion_id"], ["discussion.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["dst_id"], ["turn.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["src_id"], ["turn.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("discussion_id", "dst_id", "position"),
        sqlite_with_rowid=False,
        if_not_exists=True,
    )
    op.create_table(
        "labelevent",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("discussion_id", sa.Integer(), nullable=False),
        sa.Column("turn_id", sa.Integer(), nullable=True),
        sa.Column("field", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("old", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("new", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("who", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("note", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("undoes", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["discussion_id"], ["discussion.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["turn_id"], ["turn.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        if_not_exists=True,
    )
    op.create_index("ix_labelevent_at", "labelevent", ["at"], if_not_exists=True)
    op.create_index("ix_labelevent_discussion_id", "labelevent", ["discussion_id"], if_not_exists=True)
    op.create_index("ix_labelevent_turn_id_id", "labelevent", ["turn_id", "id"], if_not_exists=True)
    op.create_table(
        "nodeprediction",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("turn_id", sa.Integer(), nullable=False),
        sa.Column("p_correct", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(["job_id"], ["job.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["turn_id"], ["turn.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("job_id", "turn_id"),
        if_not_exists=True,
    )
    op.create_index("ix_nodeprediction_turn_id", "nodeprediction", ["turn_id"], if_not_exists=True)


# What the full-text index holds for a discussion: its question and its turns' reasoning in
# insertion order. SQLite's index reads this view (external content) instead of keeping a copy.
_SQLITE_TEXT_VIEW = (
    "CREATE VIEW IF NOT EXISTS discussion_text AS SELECT id, question, "
    "(SELECT group_concat(reasoning, char(10)) FROM (SELECT reasoning FROM turn "
    "WHERE turn.discussion_id = discussion.id ORDER BY turn.id)) AS reasoning FROM discussion"
)
_SQLITE_FTS = (
    "CREATE VIRTUAL TABLE discussion_fts USING fts5(question, reasoning, "
    "content='discussion_text', content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
)
_POSTGRES_TEXT_VIEW = (
    "CREATE OR REPLACE VIEW discussion_text AS SELECT id, question, "
    "(SELECT string_agg(reasoning, E'\\n' ORDER BY id) FROM turn "
    "WHERE turn.discussion_id = discussion.id) AS reasoning FROM discussion"
)


def _sqlite_search() -> None:
    """FTS5 over `discussion_text`, kept up to date by the code that writes discussions."""
    op.execute(_SQLITE_TEXT_VIEW)
    found = (
        op.get_bind().exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'discussion_fts'").scalar()
    )
    if found is not None and "content=" in found:
        return
    if found is not None:  # the index used to keep its own copy of the text
        op.execute("DROP TABLE discussion_fts")
    op.execute(_SQLITE_FTS)
    op.execute("INSERT INTO discussion_fts (discussion_fts) VALUES ('rebuild')")


def _postgresql_search() -> None:
    """A tsvector per discussion with a GIN index, written by the code that writes discussions."""
    op.execute(_POSTGRES_TEXT_VIEW)
    missing = not sa.inspect(op.get_bind()).has_table("discussion_search")
    op.execute(
        "CREATE TABLE IF NOT EXISTS discussion_search ("
        "discussion_id INTEGER PRIMARY KEY REFERENCES discussion(id) ON DELETE CASCADE,"
        " tsv tsvector NOT NULL)"
    )
    op.execute("CREATE INDEX IF NOT EXISTS ix_discussion_search_tsv ON discussion_search USING GIN (tsv)")
    if missing:  # a store older than the search table: index what it holds
        op.execute(
            "INSERT INTO discussion_search (discussion_id, tsv) SELECT id, "
            "to_tsvector('english', question || ' ' || coalesce(reasoning, '')) "
            "FROM discussion_text"
        )


def downgrade() -> None:
    """Back to an empty database (everything this revision creates is dropped)."""
    for name in ("discussion_fts", "discussion_search"):
        op.execute(f"DROP TABLE IF EXISTS {name}")
    op.execute("DROP VIEW IF EXISTS discussion_text")
    for table in (
        "nodeprediction",
        "labelevent",
        "edge",
        "turn",
        "prediction",
        "evalquestion",
        "evalrun",
        "discussion",
        "storemeta",
        "job",
        "dataset",
    ):
        op.drop_table(table)

"""web workflow: form submissions remembered by their one-time key; background speech renders

Revision ID: 0007_uhome
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import radio.db.types

revision: str = "0007_uhome"
down_revision: str | None = "0007_nfield"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "form_submissions",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("form_key", sa.String(length=64), nullable=False),
        sa.Column("endpoint", sa.String(length=64), nullable=False),
        sa.Column("location", sa.String(length=500), nullable=True),
        sa.Column("created_at", radio.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_form_submissions_user_id_users")),
        sa.PrimaryKeyConstraint("user_id", "form_key", name=op.f("pk_form_submissions")),
    )
    op.create_index(op.f("ix_form_submissions_created_at"), "form_submissions", ["created_at"])
    op.create_table(
        "render_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("requested_by", sa.Integer(), nullable=True),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("voice", sa.String(length=64), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("chars", sa.Integer(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", radio.db.types.UTCDateTime(), nullable=False),
        sa.Column("started_at", radio.db.types.UTCDateTime(), nullable=True),
        sa.Column("finished_at", radio.db.types.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], name=op.f("fk_render_jobs_article_id_articles")),
        sa.ForeignKeyConstraint(["requested_by"], ["users.id"], name=op.f("fk_render_jobs_requested_by_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_render_jobs")),
    )
    op.create_index(op.f("ix_render_jobs_article_id"), "render_jobs", ["article_id"])
    op.create_index(op.f("ix_render_jobs_state"), "render_jobs", ["state"])


def downgrade() -> None:
    op.drop_index(op.f("ix_render_jobs_state"), table_name="render_jobs")
    op.drop_index(op.f("ix_render_jobs_article_id"), table_name="render_jobs")
    op.drop_table("render_jobs")
    op.drop_index(op.f("ix_form_submissions_created_at"), table_name="form_submissions")
    op.drop_table("form_submissions")

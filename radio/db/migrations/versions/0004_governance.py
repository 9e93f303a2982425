"""approval workflow, audit log, API tokens, login attempts

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import radio.db.types

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = radio.db.types.UTCDateTime


def upgrade() -> None:
    # Plain ADD COLUMN on both databases: a batch rebuild of these tables would break the accounting triggers.
    # Articles written before the approval workflow existed were in use already: treat them as approved.
    op.add_column("articles", sa.Column("status", sa.String(16), nullable=False, server_default="approved"))
    op.add_column("articles", sa.Column("submitted_by", sa.Integer(), nullable=True))
    op.add_column("articles", sa.Column("submitted_at", UTC(), nullable=True))
    op.add_column("articles", sa.Column("reviewed_by", sa.Integer(), nullable=True))
    if op.get_bind().dialect.name != "sqlite":  # SQLite cannot add a constraint without a rebuild (see above)
        op.create_foreign_key("fk_articles_submitted_by_users", "articles", "users", ["submitted_by"], ["id"])
        op.create_foreign_key("fk_articles_reviewed_by_users", "articles", "users", ["reviewed_by"], ["id"])
    op.add_column("articles", sa.Column("reviewed_at", UTC(), nullable=True))
    op.add_column("articles", sa.Column("review_comment", sa.Text(), nullable=False, server_default=""))
    op.create_index("ix_articles_status", "articles", ["status"])
    op.add_column("bulletins", sa.Column("approval_skipped", sa.Boolean(), nullable=False,
                                         server_default=sa.false()))
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("action", sa.String(48), nullable=False),
        sa.Column("object_type", sa.String(32), nullable=False),
        sa.Column("object_id", sa.String(64), nullable=False),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("before", sa.JSON(), nullable=True),
        sa.Column("after", sa.JSON(), nullable=True),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("remote_addr", sa.String(64), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_audit_log_user_id_users"),
        sa.ForeignKeyConstraint(["area_id"], ["areas.id"], name="fk_audit_log_area_id_areas"),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    for col in ("at", "user_id", "action", "object_id", "area_id"):
        op.create_index(f"ix_audit_log_{col}", "audit_log", [col])
    op.create_table(
        "api_tokens",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("prefix", sa.String(12), nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTC(), nullable=False),
        sa.Column("last_used_at", UTC(), nullable=True),
        sa.Column("revoked_at", UTC(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name="fk_api_tokens_user_id_users"),
        sa.PrimaryKeyConstraint("id", name="pk_api_tokens"),
        sa.UniqueConstraint("token_hash", name="uq_api_tokens_token_hash"),
    )
    op.create_index("ix_api_tokens_user_id", "api_tokens", ["user_id"])
    op.create_index("ix_api_tokens_prefix", "api_tokens", ["prefix"])
    op.create_table(
        "login_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTC(), nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("remote_addr", sa.String(64), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("attempt_no", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_attempts"),
    )
    for col in ("at", "username", "remote_addr"):
        op.create_index(f"ix_login_attempts_{col}", "login_attempts", [col])


def downgrade() -> None:
    op.drop_table("login_attempts")
    op.drop_table("api_tokens")
    op.drop_table("audit_log")
    op.drop_column("bulletins", "approval_skipped")
    op.drop_index("ix_articles_status", "articles")
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint("fk_articles_reviewed_by_users", "articles", type_="foreignkey")
        op.drop_constraint("fk_articles_submitted_by_users", "articles", type_="foreignkey")
    for col in ("review_comment", "reviewed_at", "reviewed_by", "submitted_at", "submitted_by", "status"):
        op.drop_column("articles", col)

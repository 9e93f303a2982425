"""session versions (revocation on logout / password change), API rate-limit counters

Revision ID: 0005d
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005d"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN with a default works on SQLite too: no batch rebuild of users (other tables refer to it).
    op.add_column("users", sa.Column("session_version", sa.Integer(), nullable=False, server_default="0"))
    op.create_table(
        "api_rate_counters",
        sa.Column("key", sa.String(80), nullable=False),
        sa.Column("window_no", sa.BigInteger(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_api_rate_counters"),
    )
    op.create_index("ix_api_rate_counters_window_no", "api_rate_counters", ["window_no"])


def downgrade() -> None:
    op.drop_table("api_rate_counters")
    op.drop_column("users", "session_version")  # SQLite >= 3.35 drops a column in place

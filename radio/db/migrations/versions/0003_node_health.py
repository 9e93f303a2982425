"""node health from heartbeats

Revision ID: 0003
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import radio.db.types

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    sa.Column("heartbeat_at", radio.db.types.UTCDateTime(), nullable=True),
    sa.Column("volume", sa.Integer(), nullable=True),
    sa.Column("clock_offset_ms", sa.Integer(), nullable=True),
    sa.Column("cache_bytes", sa.BigInteger(), nullable=True),
    sa.Column("cache_limit_bytes", sa.BigInteger(), nullable=True),
    sa.Column("current_command_id", sa.String(length=36), nullable=True),
    sa.Column("uptime_s", sa.Integer(), nullable=True),
    sa.Column("outbox", sa.Integer(), nullable=True),
]


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild), so triggers on other tables that mention nodes stay valid.
    for column in COLUMNS:
        op.add_column("nodes", column)


def downgrade() -> None:
    with op.batch_alter_table("nodes") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column.name)

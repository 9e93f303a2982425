"""ingest safety: the played time a node reported beyond its item (clamped), and service health for /healthz

Revision ID: 0005a
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import radio.db.types

revision: str = "0005a"
down_revision: str | None = "0005d"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC = radio.db.types.UTCDateTime


def upgrade() -> None:
    # Plain ADD COLUMN on both databases: a batch rebuild of as_run would break the accounting triggers.
    op.add_column("as_run", sa.Column("played_reported_ms", sa.BigInteger(), nullable=True))
    op.create_table(
        "service_health",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("holder", sa.String(128), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC(), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("service_health")
    # Plain DROP COLUMN (SQLite ≥ 3.35): a batch rebuild would drop the accounting triggers on as_run.
    op.drop_column("as_run", "played_reported_ms")

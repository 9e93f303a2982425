"""node telemetry from the heartbeat: temperature, storage, position, signal, amplifier and mains power

Revision ID: 0008_telemetry
Revises: 0007_wwarn
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import radio.db.types

revision: str = "0008_telemetry"
down_revision: str | None = "0007_wwarn"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("temperature_c", sa.Float()),
    ("storage_free_bytes", sa.BigInteger()),
    ("storage_total_bytes", sa.BigInteger()),
    ("latitude", sa.Float()),
    ("longitude", sa.Float()),
    ("signal_dbm", sa.Integer()),
    ("network", sa.String(length=8)),
    ("amplifier_on", sa.Boolean()),
    ("mains_on", sa.Boolean()),
    ("mains_lost_at", radio.db.types.UTCDateTime()),
)


def upgrade() -> None:
    with op.batch_alter_table("nodes", schema=None) as batch_op:
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("nodes", schema=None) as batch_op:
        for name, _kind in reversed(COLUMNS):
            batch_op.drop_column(name)

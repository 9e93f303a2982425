"""node binding: clock estimate on as-run starts, node storage errors, per-node event keys

Revision ID: 0005b
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005b"
down_revision: str | None = "0005c"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AS_RUN = [
    # The correction the node applied to its clock for started_at_ms, and its bound on the error left.
    sa.Column("clock_offset_ms", sa.Integer(), nullable=True),
    sa.Column("clock_uncertainty_ms", sa.Integer(), nullable=True),
]
NODES = [
    sa.Column("storage_error", sa.String(length=500), nullable=True),  # from the heartbeat: e.g. disk full
    sa.Column("event_public_key", sa.Text(), nullable=True),  # Ed25519 PEM: the node signs its events
]


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild), so the rollup triggers that mention these tables stay valid.
    for column in AS_RUN:
        op.add_column("as_run", column)
    for column in NODES:
        op.add_column("nodes", column)


def downgrade() -> None:
    with op.batch_alter_table("nodes") as batch:
        for column in reversed(NODES):
            batch.drop_column(column.name)
    with op.batch_alter_table("as_run") as batch:
        for column in reversed(AS_RUN):
            batch.drop_column(column.name)

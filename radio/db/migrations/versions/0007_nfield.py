"""node time health from heartbeats: clock uncertainty, drift and source (issue 12)

Revision ID: 0007_nfield
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_nfield"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    sa.Column("clock_uncertainty_ms", sa.Integer(), nullable=True),
    sa.Column("clock_drift_ppm", sa.Float(), nullable=True),
    sa.Column("clock_source", sa.String(length=16), nullable=True),
]


def upgrade() -> None:
    # Plain ADD COLUMN (no batch rebuild), so triggers on other tables that mention nodes stay valid.
    for column in COLUMNS:
        op.add_column("nodes", column)


def downgrade() -> None:
    with op.batch_alter_table("nodes") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column.name)

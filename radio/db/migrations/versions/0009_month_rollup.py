"""month rollup acct_commune_month: sums of acct_commune_day per commune, local month and topic

Revision ID: 0009_month_rollup
Revises: 0008_telemetry
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from station.accounting.sql import DAY_SUMS, RollupSQL

revision: str = "0009_month_rollup"
down_revision: str | None = "0008_telemetry"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG = {"requested_ms", "played_ms", "airtime_requested_ms", "airtime_played_ms"}


def upgrade() -> None:
    op.create_table(
        "acct_commune_month",
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=True),
        *(sa.Column(c, sa.BigInteger() if c in BIG else sa.Integer(), nullable=False) for c in DAY_SUMS),
        sa.PrimaryKeyConstraint("commune_id", "month", "topic_id", name=op.f("pk_acct_commune_month")),
    )
    op.create_index("ix_acct_commune_month_province", "acct_commune_month", ["province_id", "topic_id", "month"])
    rollups = RollupSQL(op.get_bind().dialect.name)
    # The triggers that keep the month rows, then the fill, in the migration's one transaction. The fill reads only
    # acct_commune_day (a few million rows at 100 M as-run rows), not as_run: a large database upgrades in seconds.
    for statement in (*rollups.replace_triggers(), *rollups.fill_months()):
        op.execute(statement)


def downgrade() -> None:
    for statement in RollupSQL(op.get_bind().dialect.name, months=False).replace_triggers():
        op.execute(statement)
    op.drop_index("ix_acct_commune_month_province", table_name="acct_commune_month")
    op.drop_table("acct_commune_month")

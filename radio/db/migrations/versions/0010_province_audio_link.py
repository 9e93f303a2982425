"""province bulletins keep their audio link until the audio is fetched (pushed bulletins, failed fetches)

Revision ID: 0010_province_audio_link
Revises: 0009_month_rollup
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_province_audio_link"
down_revision: str | None = "0009_month_rollup"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("province_bulletins", schema=None) as batch_op:
        batch_op.add_column(sa.Column("audio_link", sa.String(length=2000), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("audio_tries", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("audio_error", sa.String(length=300), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("province_bulletins", schema=None) as batch_op:
        batch_op.drop_column("audio_error")
        batch_op.drop_column("audio_tries")
        batch_op.drop_column("audio_link")

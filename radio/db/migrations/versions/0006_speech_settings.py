"""speech settings: lexicon entries get a kind (acronym or loanword); per-commune voice defaults

Revision ID: 0006
Revises: 0005b
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import radio.db.types

revision: str = "0006"
down_revision: str | None = "0005b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every entry before this revision was an acronym (the form only accepted capitals).
    with op.batch_alter_table("lexicon_entries") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="acronym"))
    op.create_table(
        "commune_voices",
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("region", sa.String(length=8), nullable=False),
        sa.Column("rate_wpm", sa.Integer(), nullable=True),
        sa.Column("updated_by", sa.Integer(), nullable=True),
        sa.Column("updated_at", radio.db.types.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["commune_id"], ["areas.id"], name=op.f("fk_commune_voices_commune_id_areas")),
        sa.ForeignKeyConstraint(["updated_by"], ["users.id"], name=op.f("fk_commune_voices_updated_by_users")),
        sa.PrimaryKeyConstraint("commune_id", name=op.f("pk_commune_voices")),
    )


def downgrade() -> None:
    op.drop_table("commune_voices")
    # Loanword entries have no meaning for an older release, which would read them as acronyms.
    op.execute("DELETE FROM lexicon_entries WHERE kind <> 'acronym'")
    with op.batch_alter_table("lexicon_entries") as batch:
        batch.drop_column("kind")

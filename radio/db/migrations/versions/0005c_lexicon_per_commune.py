"""lexicon entries per commune (plus the national list, commune_id NULL)

Revision ID: 0005c
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005c"
down_revision: str | None = "0005a"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

NATIONAL = "commune_id IS NULL"


def upgrade() -> None:
    # Entries added before this revision were shared by every commune: they stay national (commune_id NULL),
    # where only admins may now change them. Batch mode: SQLite cannot drop a unique constraint in place
    # (no triggers hang on this table, so the rebuild is safe).
    with op.batch_alter_table("lexicon_entries") as batch:
        batch.add_column(sa.Column("commune_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_lexicon_entries_commune_id_areas", "areas", ["commune_id"], ["id"])
        batch.drop_constraint("uq_lexicon_entries_acronym", type_="unique")
        batch.create_unique_constraint("uq_lexicon_entries_commune_id_acronym", ["commune_id", "acronym"])
        batch.create_index("ix_lexicon_entries_commune_id", ["commune_id"])
        batch.create_index("ix_lexicon_entries_acronym", ["acronym"])
    # NULLs are distinct in a unique constraint: one national reading per acronym needs a partial index.
    op.create_index("uq_lexicon_entries_national_acronym", "lexicon_entries", ["acronym"], unique=True,
                    sqlite_where=sa.text(NATIONAL), postgresql_where=sa.text(NATIONAL))


def downgrade() -> None:
    op.drop_index("uq_lexicon_entries_national_acronym", table_name="lexicon_entries")
    # Commune entries cannot all fit back into one shared list without guessing which reading wins.
    op.execute("DELETE FROM lexicon_entries WHERE commune_id IS NOT NULL")
    with op.batch_alter_table("lexicon_entries") as batch:
        batch.drop_index("ix_lexicon_entries_acronym")
        batch.drop_index("ix_lexicon_entries_commune_id")
        batch.drop_constraint("uq_lexicon_entries_commune_id_acronym", type_="unique")
        batch.drop_constraint("fk_lexicon_entries_commune_id_areas", type_="foreignkey")
        batch.drop_column("commune_id")
        batch.create_unique_constraint("uq_lexicon_entries_acronym", ["acronym"])

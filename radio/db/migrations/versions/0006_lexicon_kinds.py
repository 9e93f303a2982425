"""lexicon entries get a kind: acronym or loanword

Revision ID: 0006
Revises: 0005b
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005b"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every entry before this revision was an acronym (the form only accepted capitals).
    with op.batch_alter_table("lexicon_entries") as batch:
        batch.add_column(sa.Column("kind", sa.String(16), nullable=False, server_default="acronym"))


def downgrade() -> None:
    # Loanword entries have no meaning for an older release, which would read them as acronyms.
    op.execute("DELETE FROM lexicon_entries WHERE kind <> 'acronym'")
    with op.batch_alter_table("lexicon_entries") as batch:
        batch.drop_column("kind")

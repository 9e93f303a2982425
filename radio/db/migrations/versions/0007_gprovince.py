"""province layer: bulletin metadata on articles, province-to-commune bulletins, the HTTT nguồn outbox

Revision ID: 0007_gprovince
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import radio.db.types

revision: str = "0007_gprovince"
down_revision: str | None = "0007_uhome"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('httt_cursors',
    sa.Column('province_code', sa.String(length=8), nullable=False),
    sa.Column('stream', sa.String(length=32), nullable=False),
    sa.Column('value', sa.String(length=64), nullable=False),
    sa.Column('updated_at', radio.db.types.UTCDateTime(), nullable=False),
    sa.PrimaryKeyConstraint('province_code', 'stream', name=op.f('pk_httt_cursors'))
    )
    op.create_table('httt_outbox',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_code', sa.String(length=8), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('idem_key', sa.String(length=128), nullable=False),
    sa.Column('ref_id', sa.BigInteger(), nullable=True),
    sa.Column('record', sa.JSON(), nullable=False),
    sa.Column('created_at', radio.db.types.UTCDateTime(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', radio.db.types.UTCDateTime(), nullable=False),
    sa.Column('sent_at', radio.db.types.UTCDateTime(), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_httt_outbox')),
    sa.UniqueConstraint('idem_key', name=op.f('uq_httt_outbox_idem_key'))
    )
    with op.batch_alter_table('httt_outbox', schema=None) as batch_op:
        batch_op.create_index('ix_httt_outbox_due', ['province_code', 'sent_at', 'next_attempt_at'], unique=False)
        batch_op.create_index('ix_httt_outbox_ref', ['kind', 'ref_id'], unique=False)

    op.create_table('province_bulletins',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('origin_area_id', sa.Integer(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('external_id', sa.String(length=64), nullable=True),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('field_category', sa.String(length=32), nullable=True),
    sa.Column('content_type', sa.String(length=16), nullable=False),
    sa.Column('author_name', sa.String(length=200), nullable=False),
    sa.Column('pen_name', sa.String(length=200), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=False),
    sa.Column('produced_at', radio.db.types.UTCDateTime(), nullable=True),
    sa.Column('language', sa.String(length=16), nullable=False),
    sa.Column('priority', sa.String(length=16), nullable=False),
    sa.Column('audio_id', sa.Integer(), nullable=True),
    sa.Column('mode', sa.String(length=16), nullable=False),
    sa.Column('window_start', radio.db.types.UTCDateTime(), nullable=True),
    sa.Column('window_end', radio.db.types.UTCDateTime(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', radio.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_province_bulletins_article_id_articles')),
    sa.ForeignKeyConstraint(['audio_id'], ['audio_assets.id'], name=op.f('fk_province_bulletins_audio_id_audio_assets')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_province_bulletins_created_by_users')),
    sa.ForeignKeyConstraint(['district_id'], ['district_groups.id'], name=op.f('fk_province_bulletins_district_id_district_groups')),
    sa.ForeignKeyConstraint(['origin_area_id'], ['areas.id'], name=op.f('fk_province_bulletins_origin_area_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_province_bulletins')),
    sa.UniqueConstraint('origin_area_id', 'external_id', name=op.f('uq_province_bulletins_origin_area_id_external_id'))
    )
    with op.batch_alter_table('province_bulletins', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_province_bulletins_origin_area_id'), ['origin_area_id'], unique=False)

    op.create_table('province_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('province_bulletin_id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', radio.db.types.UTCDateTime(), nullable=True),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_province_deliveries_article_id_articles')),
    sa.ForeignKeyConstraint(['commune_id'], ['areas.id'], name=op.f('fk_province_deliveries_commune_id_areas')),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_province_deliveries_decided_by_users')),
    sa.ForeignKeyConstraint(['province_bulletin_id'], ['province_bulletins.id'], name=op.f('fk_province_deliveries_province_bulletin_id_province_bulletins')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_province_deliveries')),
    sa.UniqueConstraint('province_bulletin_id', 'commune_id', name=op.f('uq_province_deliveries_province_bulletin_id_commune_id'))
    )
    with op.batch_alter_table('province_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_province_deliveries_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_province_deliveries_province_bulletin_id'), ['province_bulletin_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_province_deliveries_status'), ['status'], unique=False)

    op.create_table('province_airings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('delivery_id', sa.Integer(), nullable=False),
    sa.Column('bulletin_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletins.id'], name=op.f('fk_province_airings_bulletin_id_bulletins')),
    sa.ForeignKeyConstraint(['delivery_id'], ['province_deliveries.id'], name=op.f('fk_province_airings_delivery_id_province_deliveries')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_province_airings')),
    sa.UniqueConstraint('bulletin_id', name=op.f('uq_province_airings_bulletin_id'))
    )
    with op.batch_alter_table('province_airings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_province_airings_delivery_id'), ['delivery_id'], unique=False)

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('field_category', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('content_type', sa.String(length=16), server_default='text', nullable=False))
        batch_op.add_column(sa.Column('author_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('pen_name', sa.String(length=200), server_default='', nullable=False))
        batch_op.add_column(sa.Column('summary', sa.Text(), server_default='', nullable=False))
        batch_op.add_column(sa.Column('produced_at', radio.db.types.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('source', sa.String(length=300), server_default='', nullable=False))
        batch_op.create_index(batch_op.f('ix_articles_field_category'), ['field_category'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_field_category'))
        batch_op.drop_column('source')
        batch_op.drop_column('produced_at')
        batch_op.drop_column('summary')
        batch_op.drop_column('pen_name')
        batch_op.drop_column('author_name')
        batch_op.drop_column('content_type')
        batch_op.drop_column('field_category')

    with op.batch_alter_table('province_airings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_province_airings_delivery_id'))

    op.drop_table('province_airings')
    with op.batch_alter_table('province_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_province_deliveries_status'))
        batch_op.drop_index(batch_op.f('ix_province_deliveries_province_bulletin_id'))
        batch_op.drop_index(batch_op.f('ix_province_deliveries_commune_id'))

    op.drop_table('province_deliveries')
    with op.batch_alter_table('province_bulletins', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_province_bulletins_origin_area_id'))

    op.drop_table('province_bulletins')
    with op.batch_alter_table('httt_outbox', schema=None) as batch_op:
        batch_op.drop_index('ix_httt_outbox_ref')
        batch_op.drop_index('ix_httt_outbox_due')

    op.drop_table('httt_outbox')
    op.drop_table('httt_cursors')

"""staff alerts (incidents, read marks, preferences, weekly summaries sent) and disaster warnings

Revision ID: 0007_wwarn
Revises: 0006
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import radio.db.types

revision: str = "0007_wwarn"
down_revision: str | None = "0007_gprovince"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('alerts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=128), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=True),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('opened_at', radio.db.types.UTCDateTime(), nullable=False),
    sa.Column('resolved_at', radio.db.types.UTCDateTime(), nullable=True),
    sa.Column('emailed_at', radio.db.types.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_alerts_area_id_areas')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_alerts'))
    )
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_alerts_area_id'), ['area_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_emailed_at'), ['emailed_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_key'), ['key'], unique=False)
        batch_op.create_index('ix_alerts_key_open', ['key', 'resolved_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_alerts_opened_at'), ['opened_at'], unique=False)

    op.create_table('alert_preferences',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kinds', sa.JSON(), nullable=True),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('email_enabled', sa.Boolean(), nullable=False),
    sa.Column('weekly_summary', sa.Boolean(), nullable=False),
    sa.Column('updated_at', radio.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_alert_preferences_user_id_users')),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_alert_preferences'))
    )
    op.create_table('alert_reads',
    sa.Column('alert_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('read_at', radio.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['alert_id'], ['alerts.id'], name=op.f('fk_alert_reads_alert_id_alerts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_alert_reads_user_id_users')),
    sa.PrimaryKeyConstraint('alert_id', 'user_id', name=op.f('pk_alert_reads'))
    )
    op.create_table('weekly_summaries_sent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('week_start', sa.Date(), nullable=False),
    sa.Column('sent_at', radio.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_weekly_summaries_sent_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_weekly_summaries_sent')),
    sa.UniqueConstraint('user_id', 'week_start', name=op.f('uq_weekly_summaries_sent_user_id_week_start'))
    )
    op.create_table('disaster_warnings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('commune_id', sa.Integer(), nullable=False),
    sa.Column('hazard', sa.String(length=32), nullable=False),
    sa.Column('level', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('cap_identifier', sa.String(length=200), nullable=True),
    sa.Column('interval_s', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=True),
    sa.Column('audio_id', sa.Integer(), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.Column('created_at', radio.db.types.UTCDateTime(), nullable=False),
    sa.Column('activated_at', radio.db.types.UTCDateTime(), nullable=True),
    sa.Column('activated_by', sa.Integer(), nullable=True),
    sa.Column('next_air_at', radio.db.types.UTCDateTime(), nullable=True),
    sa.Column('ended_at', radio.db.types.UTCDateTime(), nullable=True),
    sa.Column('ended_by', sa.Integer(), nullable=True),
    sa.Column('replaced_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['activated_by'], ['users.id'], name=op.f('fk_disaster_warnings_activated_by_users')),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_disaster_warnings_article_id_articles')),
    sa.ForeignKeyConstraint(['audio_id'], ['audio_assets.id'], name=op.f('fk_disaster_warnings_audio_id_audio_assets')),
    sa.ForeignKeyConstraint(['commune_id'], ['areas.id'], name=op.f('fk_disaster_warnings_commune_id_areas')),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_disaster_warnings_created_by_users')),
    sa.ForeignKeyConstraint(['ended_by'], ['users.id'], name=op.f('fk_disaster_warnings_ended_by_users')),
    sa.ForeignKeyConstraint(['replaced_by_id'], ['disaster_warnings.id'], name=op.f('fk_disaster_warnings_replaced_by_id_disaster_warnings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_disaster_warnings'))
    )
    with op.batch_alter_table('disaster_warnings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_disaster_warnings_commune_id'), ['commune_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_disaster_warnings_next_air_at'), ['next_air_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_disaster_warnings_status'), ['status'], unique=False)

    op.create_table('warning_airings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('warning_id', sa.Integer(), nullable=False),
    sa.Column('bulletin_id', sa.Integer(), nullable=False),
    sa.Column('at', radio.db.types.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['bulletin_id'], ['bulletins.id'], name=op.f('fk_warning_airings_bulletin_id_bulletins')),
    sa.ForeignKeyConstraint(['warning_id'], ['disaster_warnings.id'], name=op.f('fk_warning_airings_warning_id_disaster_warnings')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_warning_airings')),
    sa.UniqueConstraint('bulletin_id', name=op.f('uq_warning_airings_bulletin_id'))
    )
    with op.batch_alter_table('warning_airings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_warning_airings_warning_id'), ['warning_id'], unique=False)

    op.create_table('warning_targets',
    sa.Column('warning_id', sa.Integer(), nullable=False),
    sa.Column('area_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['area_id'], ['areas.id'], name=op.f('fk_warning_targets_area_id_areas')),
    sa.ForeignKeyConstraint(['warning_id'], ['disaster_warnings.id'], name=op.f('fk_warning_targets_warning_id_disaster_warnings')),
    sa.PrimaryKeyConstraint('warning_id', 'area_id', name=op.f('pk_warning_targets'))
    )


def downgrade() -> None:
    op.drop_table('warning_targets')
    with op.batch_alter_table('warning_airings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_warning_airings_warning_id'))

    op.drop_table('warning_airings')
    with op.batch_alter_table('disaster_warnings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_disaster_warnings_status'))
        batch_op.drop_index(batch_op.f('ix_disaster_warnings_next_air_at'))
        batch_op.drop_index(batch_op.f('ix_disaster_warnings_commune_id'))

    op.drop_table('disaster_warnings')
    op.drop_table('weekly_summaries_sent')
    op.drop_table('alert_reads')
    op.drop_table('alert_preferences')
    with op.batch_alter_table('alerts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_alerts_opened_at'))
        batch_op.drop_index(batch_op.f('ix_alerts_kind'))
        batch_op.drop_index('ix_alerts_key_open')
        batch_op.drop_index(batch_op.f('ix_alerts_key'))
        batch_op.drop_index(batch_op.f('ix_alerts_emailed_at'))
        batch_op.drop_index(batch_op.f('ix_alerts_area_id'))

    op.drop_table('alerts')

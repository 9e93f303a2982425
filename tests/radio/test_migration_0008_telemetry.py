"""Migration 0008_telemetry (node telemetry columns) upgrades and downgrades on SQLite and PostgreSQL."""

from alembic import command
from sqlalchemy import inspect

from radio.db.migrate import alembic_config, upgrade
from radio.db.session import make_engine
from scheduler.health import TELEMETRY_COLUMNS


def _columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns("nodes")} & set(TELEMETRY_COLUMNS)
    finally:
        engine.dispose()


def test_0008_telemetry_upgrades_and_downgrades(db_url: str) -> None:
    assert _columns(db_url) == set(TELEMETRY_COLUMNS)
    command.downgrade(alembic_config(db_url), "0007_wwarn")
    assert _columns(db_url) == set()
    upgrade(db_url)
    assert _columns(db_url) == set(TELEMETRY_COLUMNS)

"""Migration 0007_nfield (node time health: clock uncertainty, drift, source) on SQLite and PostgreSQL."""

from alembic import command
from sqlalchemy import inspect

from radio.db.migrate import alembic_config, upgrade
from radio.db.session import make_engine

NEW = {"clock_uncertainty_ms", "clock_drift_ppm", "clock_source"}


def _node_columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns("nodes")}
    finally:
        engine.dispose()


def test_0007_nfield_upgrades_and_downgrades(db_url):
    assert _node_columns(db_url) >= NEW
    command.downgrade(alembic_config(db_url), "0006")
    assert not NEW & _node_columns(db_url)
    upgrade(db_url)
    assert _node_columns(db_url) >= NEW

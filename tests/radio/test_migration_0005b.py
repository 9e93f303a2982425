"""Migration 0005b (clock estimate on as_run, node storage error and event key) on SQLite and PostgreSQL."""

from alembic import command
from sqlalchemy import inspect

from radio.db.migrate import alembic_config, upgrade
from radio.db.session import make_engine

NEW = {"as_run": {"clock_offset_ms", "clock_uncertainty_ms"}, "nodes": {"storage_error", "event_public_key"}}


def _columns(url: str) -> dict[str, set[str]]:
    engine = make_engine(url)
    try:
        insp = inspect(engine)
        return {table: {c["name"] for c in insp.get_columns(table)} for table in NEW}
    finally:
        engine.dispose()


def test_0005b_upgrades_and_downgrades(db_url):
    cols = _columns(db_url)
    assert all(NEW[t] <= cols[t] for t in NEW)
    command.downgrade(alembic_config(db_url), "0004")
    cols = _columns(db_url)
    assert all(not NEW[t] & cols[t] for t in NEW)
    upgrade(db_url)
    assert all(NEW[t] <= _columns(db_url)[t] for t in NEW)

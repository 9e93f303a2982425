"""Migration 0007_uhome (form submissions by one-time key, background render jobs) on SQLite and PostgreSQL."""

from alembic import command
from sqlalchemy import inspect

from radio.db.migrate import alembic_config, upgrade
from radio.db.session import make_engine

TABLES = {"form_submissions", "render_jobs"}


def _tables(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return set(inspect(engine).get_table_names()) & TABLES
    finally:
        engine.dispose()


def test_0007_uhome_upgrades_and_downgrades(db_url):
    assert _tables(db_url) == TABLES
    command.downgrade(alembic_config(db_url), "0006")
    assert _tables(db_url) == set()
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        insp = inspect(engine)
        assert set(insp.get_pk_constraint("form_submissions")["constrained_columns"]) == {"user_id", "form_key"}
        assert {"article_id", "state", "chars", "started_at", "finished_at"} <= \
            {c["name"] for c in insp.get_columns("render_jobs")}
    finally:
        engine.dispose()

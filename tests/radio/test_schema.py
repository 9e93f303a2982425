"""One schema module (radio.db.schema) lists every table; Alembic's migrations build exactly those tables."""

from __future__ import annotations

from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from radio.db.migrate import alembic_config, upgrade
from radio.db.schema import metadata
from radio.db.session import make_engine

TRIGGERS = {"acct_as_run_ins", "acct_as_run_upd", "acct_as_run_del"}


def _head() -> str:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head() or ""


def _state(url: str) -> tuple[set[str], str, set[str]]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            tables = set(inspect(conn).get_table_names())
            revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
            if conn.dialect.name == "postgresql":
                sql = "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal"
            else:
                sql = "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            triggers = set(conn.execute(text(sql)).scalars())
    finally:
        engine.dispose()
    return tables, revision, triggers


def test_migrating_an_empty_database_builds_every_table_of_the_schema(db_url: str) -> None:
    tables, revision, triggers = _state(db_url)  # db_url is an empty database upgraded to head
    assert tables - {"alembic_version"} == set(metadata.tables)
    assert revision == _head()
    assert triggers >= TRIGGERS


def test_upgrading_a_database_already_at_head_changes_nothing(db_url: str) -> None:
    before = _state(db_url)
    upgrade(db_url)
    assert _state(db_url) == before


def test_a_database_at_an_earlier_revision_upgrades_to_head(db_url: str) -> None:
    # Downgrade path not needed: start over on a fresh schema at 0003, then move to head like an old install.
    engine = make_engine(db_url)
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    if db_url.startswith("sqlite:///"):
        for suffix in ("", "-wal", "-shm"):
            Path(db_url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    upgrade(db_url, "0003")
    assert _state(db_url)[1] == "0003"
    upgrade(db_url)
    tables, revision, triggers = _state(db_url)
    assert tables - {"alembic_version"} == set(metadata.tables)
    assert revision == _head()
    assert triggers >= TRIGGERS

"""Migration 0006 (lexicon entry kind, commune voices) on SQLite and PostgreSQL: old entries become acronyms."""

from alembic import command
from sqlalchemy import inspect, text

from radio.db.migrate import alembic_config, upgrade
from radio.db.session import make_engine


def _columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        insp = inspect(engine)
        tables = {"commune_voices"} if insp.has_table("commune_voices") else set()
        return {c["name"] for c in insp.get_columns("lexicon_entries")} | tables
    finally:
        engine.dispose()


def test_0006_upgrades_and_downgrades(db_url):
    assert {"kind", "commune_voices"} <= _columns(db_url)
    command.downgrade(alembic_config(db_url), "0005b")
    assert not {"kind", "commune_voices"} & _columns(db_url)
    engine = make_engine(db_url)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO lexicon_entries (acronym, expansion, created_at) "
                              "VALUES ('HTX', 'hợp tác xã', CURRENT_TIMESTAMP)"))
    finally:
        engine.dispose()
    upgrade(db_url)
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT kind FROM lexicon_entries WHERE acronym = 'HTX'")).scalar() == "acronym"
    finally:
        engine.dispose()

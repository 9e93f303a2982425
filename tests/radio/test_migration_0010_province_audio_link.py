"""Migration 0010_province_audio_link: a province bulletin filed before it keeps its row and gets an empty link
(nothing to fetch); downgrade removes the columns. SQLite and PostgreSQL."""

from alembic import command
from sqlalchemy import inspect, text

from radio.db.migrate import alembic_config, upgrade
from radio.db.session import make_engine

NEW = {"audio_link", "audio_tries", "audio_error"}


def _columns(url: str) -> set[str]:
    engine = make_engine(url)
    try:
        return {c["name"] for c in inspect(engine).get_columns("province_bulletins")} & NEW
    finally:
        engine.dispose()


def test_0010_upgrades_an_existing_bulletin_and_downgrades(db_url: str) -> None:
    assert _columns(db_url) == NEW
    command.downgrade(alembic_config(db_url), "0009_month_rollup")
    assert _columns(db_url) == set()
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO areas (code, name, level) VALUES ('77', 'Tỉnh', 'province')"))
        province = conn.execute(text("SELECT id FROM areas WHERE code = '77'")).scalar_one()
        conn.execute(text("INSERT INTO province_bulletins (origin_area_id, external_id, title, body, summary, "
                          "content_type, author_name, pen_name, source, language, priority, mode, created_at) VALUES "
                          "(:p, '5', 'Tin cũ', '', '', 'text', '', '', '', 'vi', 'normal', 'for_use', "
                          "CURRENT_TIMESTAMP)"), {"p": province})
    upgrade(db_url)
    assert _columns(db_url) == NEW
    with engine.connect() as conn:
        row = conn.execute(text("SELECT audio_link, audio_tries, audio_error FROM province_bulletins "
                                "WHERE external_id = '5'")).one()
    engine.dispose()
    assert tuple(row) == ("", 0, "")

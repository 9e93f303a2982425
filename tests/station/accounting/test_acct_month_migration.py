"""Migration 0009 (acct_commune_month) on a database that already has rollups, on SQLite and PostgreSQL: the
upgrade fills the month rows from the day rows; the downgrade drops them and leaves triggers that work without."""

from __future__ import annotations

from datetime import date

from acct_support import local, month_rows_off, world
from alembic import command
from sqlalchemy import func, inspect, select, update

from radio.db.migrate import alembic_config, upgrade
from radio.db.models import AsRun
from radio.db.planning import CommuneDayRollup, CommuneMonthRollup
from radio.db.session import make_engine, make_sessionmaker


def _played(s) -> int:
    return int(s.scalar(select(func.sum(CommuneDayRollup.bulletins_played)).where(CommuneDayRollup.topic_id == 0)))


def test_0009_fills_month_rows_from_the_day_rows_and_downgrades(db_url):
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    try:
        with sessions() as s:
            w = world(s)
            w.commune("38001", {"Đông": 2})
            w.commune("38002", {"Bắc": 1})
            for d in (date(2025, 10, 31), date(2025, 11, 1), date(2025, 11, 20), date(2026, 1, 1)):
                b = w.bulletin(local(d, 23))
                w.run(b, "Đông-1", "completed", 60)
                w.run(b, "Bắc-1", "missed")
            s.commit()
        command.downgrade(alembic_config(db_url), "0008_telemetry")
        assert "acct_commune_month" not in inspect(engine).get_table_names()
        with sessions() as s:
            # The triggers as of 0008 still keep the day rows, and do not need the month table.
            before = _played(s)
            s.execute(update(AsRun).where(AsRun.node_id == "Bắc-1").values(outcome="completed", played_ms=60_000))
            s.commit()
            assert _played(s) == before + 4
        upgrade(db_url)
        with sessions() as s:
            assert month_rows_off(s) == {}
            months = {(str(m), t) for m, t in s.execute(select(CommuneMonthRollup.month, CommuneMonthRollup.topic_id))}
            assert months == {("2025-10-01", 0), ("2025-11-01", 0), ("2026-01-01", 0)}
            # ... and the new triggers keep them.
            s.execute(update(AsRun).where(AsRun.node_id == "Đông-1").values(outcome="missed", played_ms=0))
            s.commit()
            assert month_rows_off(s) == {}
            assert s.scalar(select(func.sum(CommuneMonthRollup.bulletins_played))) == 4
    finally:
        engine.dispose()

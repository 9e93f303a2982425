"""Moving a loudspeaker to another village (re-provisioning it) refreshes the airtime rollups in the same
transaction, on SQLite and PostgreSQL; `radio accounting rebuild` recomputes all of them, or a scope."""

from __future__ import annotations

from datetime import date

from acct_support import local, two_provinces
from sqlalchemy import delete, select, update

from launcher.cli import main as radio_main
from radio.db.models import Node
from radio.db.planning import (
    CommuneArticleMonthRollup,
    CommuneBulletinRollup,
    CommuneDayRollup,
    CommuneMonthRollup,
)
from station.accounting import periods
from station.accounting.queries import area_scope, commune_figures
from station.accounting.rollups import move_node, rebuild, rebuild_scope
from station.provision import upsert_node

NOV = periods.month(2025, 11)
TABLES = (CommuneBulletinRollup, CommuneDayRollup, CommuneMonthRollup, CommuneArticleMonthRollup)


def _scenario(s):
    """Province 38: commune 38001 (Đông: 2 loudspeakers, Tây: 1), commune 38002 (Bắc: 1); province 39:
    commune 39001 (Nam: 1). A month of bulletins on two days, one article aired on both."""
    w, article = two_provinces(s)
    for day in (date(2025, 11, 3), date(2025, 11, 20)):
        b = w.bulletin(local(day, 6), article=article)
        w.run(b, "Đông-1", "completed", 60)
        w.run(b, "Đông-2", "interrupted", 20)
        w.run(b, "Tây-1", "completed", 60)
        w.run(b, "Bắc-1", "missed")
        w.run(b, "Nam-1", "completed", 60)
    s.commit()
    return w


def _snapshot(s):
    out = {}
    for table in TABLES:
        cols = table.__table__.columns
        out[table.__tablename__] = sorted(tuple(str(v) for v in row) for row in s.execute(select(*cols)))
    return out


def _assert_equals_full_rebuild(sessions):
    """The rollups as kept equal a full rebuild from as_run (which runs in a transaction rolled back)."""
    with sessions() as s:
        kept = _snapshot(s)
        s.rollback()
    with sessions() as s:
        rebuild(s.connection())
        rebuilt = _snapshot(s)
        s.rollback()
    assert kept == rebuilt
    return kept


def test_moving_a_node_to_another_commune_moves_its_airtime_at_once(sessions):
    with sessions() as s:
        w = _scenario(s)
        a, b = w.communes["38001"].id, w.communes["38002"].id
        before = commune_figures(s, area_scope(s, w.communes["38001"]), NOV)[a]
        assert (before.nodes_targeted, before.completed) == (6, 4)
        assert commune_figures(s, area_scope(s, w.communes["38002"]), NOV)[b].bulletins_played == 0
        upsert_node(s, "Tây-1", "38002-01", None)  # as `radio node provision` does, in its transaction
        s.commit()
    _assert_equals_full_rebuild(sessions)
    with sessions() as s:
        assert s.get(Node, "Tây-1").village_id == w.villages["Bắc"].id
        old = commune_figures(s, area_scope(s, w.communes["38001"]), NOV)[a]
        new = commune_figures(s, area_scope(s, w.communes["38002"]), NOV)[b]
        assert (old.nodes_targeted, old.completed, old.interrupted) == (4, 2, 2)
        assert (new.nodes_targeted, new.completed, new.missed, new.bulletins_played) == (4, 2, 2, 2)
        assert new.articles_aired == 1 and new.airtime_played_ms == 120_000


def test_moving_a_node_to_another_province_and_back(sessions):
    with sessions() as s:
        w = _scenario(s)
        assert move_node(s.connection(), "Bắc-1", w.villages["Nam"].id) == 4  # 2 bulletins x 2 communes
        s.commit()
    kept = _assert_equals_full_rebuild(sessions)
    assert not any(row[1] == str(w.communes["38002"].id) for row in kept["acct_commune_bulletin"])
    with sessions() as s:
        assert move_node(s.connection(), "Bắc-1", w.villages["Bắc"].id) == 4
        s.commit()
    _assert_equals_full_rebuild(sessions)


def test_moving_within_the_commune_changes_no_rollup(sessions):
    with sessions() as s:
        w = _scenario(s)
        before = _snapshot(s)
        assert move_node(s.connection(), "Đông-2", w.villages["Tây"].id) == 0
        s.commit()
    assert _assert_equals_full_rebuild(sessions) == before


def test_a_move_rolled_back_leaves_the_rollups_as_they_were(sessions):
    with sessions() as s:
        w = _scenario(s)
        before = _snapshot(s)
        move_node(s.connection(), "Tây-1", w.villages["Nam"].id)
        assert _snapshot(s) != before
        s.rollback()
    with sessions() as s:
        assert _snapshot(s) == before


def _stale_move(s, node_id, village_id):
    """A move as it was done before: nodes row changed, rollups left as they were."""
    s.execute(update(Node).where(Node.id == node_id).values(village_id=village_id))
    s.commit()


def test_scoped_rebuild_repairs_a_stale_move_commune_by_commune(sessions):
    with sessions() as s:
        w = _scenario(s)
        _stale_move(s, "Tây-1", w.villages["Bắc"].id)
        stale = _snapshot(s)
    with sessions() as s:
        rebuild(s.connection())
        full = _snapshot(s)
        s.rollback()
    assert stale != full
    with sessions() as s:
        rebuild_scope(s.connection(), [w.communes["38001"].id])
        s.commit()
        assert _snapshot(s) != full  # 38002 not rebuilt yet
        rebuild_scope(s.connection(), [w.communes["38002"].id])
        s.commit()
        assert _snapshot(s) == full


def test_scoped_rebuild_by_dates_touches_only_those_days(sessions):
    with sessions() as s:
        w = _scenario(s)
        _stale_move(s, "Tây-1", w.villages["Bắc"].id)
        rebuild_scope(s.connection(), first_day=date(2025, 11, 1), last_day=date(2025, 11, 10))
        s.commit()
        days = {(str(r.commune_id), str(r.day)): r for r in s.scalars(
            select(CommuneDayRollup).where(CommuneDayRollup.topic_id == 0))}
        b = str(w.communes["38002"].id)
        assert days[(b, "2025-11-03")].nodes_targeted == 2  # rebuilt: Tây-1 now counts in 38002
        assert days[(b, "2025-11-20")].nodes_targeted == 1  # outside the dates: as it was
        rebuild_scope(s.connection(), first_day=date(2025, 11, 11))
        s.commit()
    _assert_equals_full_rebuild(sessions)


def test_scoped_rebuild_recreates_rows_deleted_by_hand(sessions):
    with sessions() as s:
        w = _scenario(s)
        full = _snapshot(s)
        for table in TABLES:
            s.execute(delete(table))
        s.commit()
        rebuild_scope(s.connection(), [c.id for c in w.communes.values()], last_day=date(2025, 12, 31))
        s.commit()
        assert _snapshot(s) == full


def test_cli_accounting_rebuild(sessions, db_url, tmp_path, capsys, monkeypatch):
    with sessions() as s:
        w = _scenario(s)
        _stale_move(s, "Tây-1", w.villages["Bắc"].id)
    config = tmp_path / "server.toml"
    config.write_text(f'data_dir = "{tmp_path / "data"}"\ndatabase_url = "{db_url}"\n')
    monkeypatch.delenv("RADIO_DATABASE_URL", raising=False)
    assert radio_main(["accounting", "rebuild", "--config", str(config), "--area", "38002",
                       "--from", "2025-11-01", "--to", "2025-11-30"]) == 0
    assert "38002" in capsys.readouterr().out
    assert radio_main(["accounting", "rebuild", "--config", str(config)]) == 0
    assert "all" in capsys.readouterr().out
    _assert_equals_full_rebuild(sessions)
    assert radio_main(["accounting", "rebuild", "--config", str(config), "--area", "nowhere"]) == 2
    assert radio_main(["accounting", "rebuild", "--config", str(config), "--from", "2025-12-01",
                       "--to", "2025-11-01"]) == 2


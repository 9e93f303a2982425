"""The accounting rules on hand-built scenarios, on SQLite and PostgreSQL: rollups (kept by triggers), the
full rebuild and the pure rules must agree with each other and with the numbers worked out by hand."""

from __future__ import annotations

import json
from datetime import date

import pytest
from acct_support import local, world
from sqlalchemy import delete, select, update

from radio.db.models import AsRun, DistrictGroup, DistrictMember
from radio.db.planning import ArticleTopic, CommuneDayRollup, Topic
from station.accounting import periods
from station.accounting.periods import Period
from station.accounting.queries import (
    area_scope,
    commune_figures,
    district_scope,
    facts,
    missed_bulletins,
    reasons,
    village_figures,
    weekly_airtime,
)
from station.accounting.rollups import rebuild
from station.accounting.rules import Figures, fold

DAY = date(2025, 11, 20)
NOV = periods.month(2025, 11)


def _scenario(s):
    """Commune A: village Đông (2 loudspeakers), Tây (1); commune B: Bắc (1)."""
    w = world(s)
    w.commune("38001", {"Đông": 2, "Tây": 1})
    w.commune("38002", {"Bắc": 1})
    return w


def _check_agree(s, w, period, expected_by_commune):
    scope = area_scope(s, w.province)
    from_rollups = commune_figures(s, scope, period)
    from_rules = fold(facts(s, period, commune_ids=list(scope.commune_ids)))
    for code, expected in expected_by_commune.items():
        cid = w.communes[code].id
        for name, value in expected.items():
            assert getattr(from_rollups.get(cid, Figures()), name) == value, (code, name)
            assert getattr(from_rules.get(cid, Figures()), name) == value, (code, name, "rules")
    s.commit()
    with s.bind.begin() as conn:
        rebuild(conn)
    rebuilt = commune_figures(s, scope, period)
    assert rebuilt == from_rollups


def test_loudspeakers_of_one_village_count_once_toward_airtime(sessions):
    with sessions() as s:
        w = _scenario(s)
        b = w.bulletin(local(DAY, 6))
        w.run(b, "Đông-1", "completed", 60)
        w.run(b, "Đông-2", "completed", 60)
        w.run(b, "Tây-1", "interrupted", 20, detail=json.dumps({"played_ms": 20000, "reason": "stop"}))
        _check_agree(s, w, NOV, {"38001": {
            "airtime_played_ms": 60_000, "airtime_requested_ms": 60_000,
            "played_ms": 140_000, "requested_ms": 180_000, "nodes_targeted": 3, "nodes_completed": 2,
            "bulletins_sent": 1, "bulletins_played": 1, "completed": 2, "interrupted": 1}})
        villages = village_figures(s, w.communes["38001"].id, NOV)
        assert villages[w.villages["Đông"].id].airtime_played_ms == 60_000
        assert villages[w.villages["Tây"].id].airtime_played_ms == 20_000
        assert villages[w.villages["Đông"].id].played_ms == 120_000


def test_replay_after_interruption_completes_without_double_counting(sessions):
    with sessions() as s:
        w = _scenario(s)
        b = w.bulletin(local(DAY, 6), priority="normal")
        w.run(b, "Bắc-1", "interrupted", 20, detail=json.dumps({"played_ms": 20000, "reason": "emergency"}))
        w.run(b, "Bắc-1", "completed", 60, attempt=2)
        _check_agree(s, w, NOV, {"38002": {
            "airtime_played_ms": 60_000, "played_ms": 80_000, "requested_ms": 120_000, "node_rows": 2,
            "nodes_targeted": 1, "nodes_completed": 1, "bulletins_played": 1, "interrupted": 1, "completed": 1}})
        assert reasons(s, [w.communes["38002"].id], NOV) == [("interrupted", "emergency", 1)]


def test_urgent_missed_cancelled_late_and_jingles(sessions):
    with sessions() as s:
        w = _scenario(s)
        urgent = w.bulletin(local(DAY, 7), priority="emergency", duration_ms=30_000)
        w.run(urgent, "Đông-1", "completed", 30, late_ms=5_000)
        w.run(urgent, "Tây-1", "missed", detail="media not ready")
        lost = w.bulletin(local(DAY, 8))
        w.run(lost, "Đông-1", "missed", detail="no report from the node")
        w.run(lost, "Tây-1", "failed", detail="player crashed")
        dropped = w.bulletin(local(DAY, 9))
        w.run(dropped, "Đông-1", "cancelled", detail="Bản tin đã bị huỷ.")
        jingle = w.bulletin(local(DAY, 6), kind="sign_on", duration_ms=10_000)
        w.run(jingle, "Đông-1", "completed", 10)
        _check_agree(s, w, NOV, {"38001": {
            "bulletins_sent": 2, "bulletins_played": 1, "urgent_sent": 1, "urgent_played": 1,
            "bulletins_missed": 1, "missed": 2, "failed": 1, "cancelled": 1, "late": 1,
            "airtime_played_ms": 40_000, "requested_ms": 30_000 * 2 + 60_000 * 2 + 10_000}})
        scope = area_scope(s, w.province)
        missed = missed_bulletins(s, scope, NOV)
        assert [m.bulletin_id for m in missed] == [lost.id]
        assert ("missed", "no report from the node", 1) in reasons(s, [w.communes["38001"].id], NOV)


def test_period_boundaries_are_local_midnight(sessions):
    with sessions() as s:
        w = _scenario(s)
        before = w.bulletin(local(date(2025, 12, 31), 23, 59, 59))  # 16:59:59 UTC
        after = w.bulletin(local(date(2026, 1, 1), 0, 0, 0))  # 17:00:00 UTC on 31/12
        assert after.start_at.day == 31
        w.run(before, "Bắc-1", "completed", 60)
        w.run(after, "Bắc-1", "completed", 60)
        q4, q1 = periods.quarter(2025, 4), periods.quarter(2026, 1)
        _check_agree(s, w, q4, {"38002": {"bulletins_played": 1}})
        _check_agree(s, w, q1, {"38002": {"bulletins_played": 1}})
        days = set(s.scalars(select(CommuneDayRollup.day).where(CommuneDayRollup.topic_id == 0)))
        assert days == {date(2025, 12, 31), date(2026, 1, 1)}


def test_distinct_articles_and_topics(sessions):
    with sessions() as s:
        w = _scenario(s)
        a1, a2 = w.article("Giảm nghèo 1"), w.article("Giảm nghèo 2")
        for d in (date(2025, 11, 3), date(2025, 11, 20)):
            b = w.bulletin(local(d, 6), article=a1)
            w.run(b, "Đông-1", "completed", 60)
            w.run(b, "Đông-2", "completed", 60)
        b2 = w.bulletin(local(date(2025, 12, 1), 6), article=a2)
        w.run(b2, "Đông-1", "completed", 60)
        b3 = w.bulletin(local(date(2025, 11, 21), 6), article=a2)
        w.run(b3, "Đông-1", "missed")  # not aired: does not count as an article aired
        cid = w.communes["38001"].id
        scope = area_scope(s, w.province)
        assert commune_figures(s, scope, NOV)[cid].articles_aired == 1
        assert commune_figures(s, scope, Period(date(2025, 11, 4), date(2025, 11, 19), "x")).get(cid) is None
        assert commune_figures(s, scope, Period(date(2025, 11, 20), date(2025, 12, 1), "x"))[cid].articles_aired == 2
        assert commune_figures(s, scope, periods.quarter(2025, 4))[cid].articles_aired == 2
        topic = Topic(code="gntt", name="Giảm nghèo về thông tin")
        s.add(topic)
        s.flush()
        s.add(ArticleTopic(article_id=a1.id, topic_id=topic.id))  # tagged after airing
        s.flush()
        tagged = commune_figures(s, scope, periods.quarter(2025, 4), topic.id)[cid]
        assert (tagged.articles_aired, tagged.bulletins_played, tagged.airtime_played_ms) == (1, 2, 120_000)
        s.execute(delete(ArticleTopic))
        s.flush()
        assert commune_figures(s, scope, periods.quarter(2025, 4), topic.id) == {}
        _check_agree(s, w, periods.quarter(2025, 4), {"38001": {"bulletins_played": 3, "bulletins_sent": 4}})


def test_rollups_follow_updates_and_deletes(sessions):
    with sessions() as s:
        w = _scenario(s)
        b = w.bulletin(local(DAY, 6))
        row = w.run(b, "Bắc-1", "pending")
        cid = w.communes["38002"].id
        scope = area_scope(s, w.province)
        assert commune_figures(s, scope, NOV)[cid].open == 1
        s.execute(update(AsRun).where(AsRun.id == row.id).values(outcome="completed", played_ms=60_000))
        fig = commune_figures(s, scope, NOV)[cid]
        assert (fig.open, fig.completed, fig.airtime_played_ms, fig.bulletins_played) == (0, 1, 60_000, 1)
        s.execute(delete(AsRun).where(AsRun.id == row.id))
        assert commune_figures(s, scope, NOV) == {}


def test_district_grouping_counts_its_communes_within_its_dates(sessions):
    with sessions() as s:
        w = _scenario(s)
        d = DistrictGroup(code="380-01", name="Huyện Cũ", province_id=w.province.id,
                          valid_from=date(2021, 1, 1), valid_to=date(2025, 11, 15))
        s.add(d)
        s.flush()
        s.add(DistrictMember(district_id=d.id, commune_id=w.communes["38001"].id))
        for day in (date(2025, 11, 10), date(2025, 11, 20)):
            b = w.bulletin(local(day, 6))
            w.run(b, "Đông-1", "completed", 60)
            w.run(b, "Bắc-1", "completed", 60)
        s.flush()
        figs = commune_figures(s, district_scope(s, d), NOV)
        assert list(figs) == [w.communes["38001"].id]
        assert figs[w.communes["38001"].id].bulletins_played == 1  # 20/11 is after the district ended


def test_weekly_airtime_buckets_monday_to_sunday(sessions):
    with sessions() as s:
        w = _scenario(s)
        for day in (date(2025, 11, 16), date(2025, 11, 17)):  # Sunday, Monday
            b = w.bulletin(local(day, 6))
            w.run(b, "Bắc-1", "completed", 60)
        s.flush()
        weekly = weekly_airtime(s, area_scope(s, w.province), Period(date(2025, 11, 10), date(2025, 11, 23), "x"))
        assert [v for _w, v in weekly] == [60_000, 60_000]


@pytest.mark.parametrize("hour", [0, 23])
def test_fact_days_use_local_dates(sessions, hour):
    with sessions() as s:
        w = _scenario(s)
        b = w.bulletin(local(DAY, hour))
        w.run(b, "Bắc-1", "completed", 60)
        s.flush()
        assert [f.day for f in facts(s, NOV, commune_ids=[w.communes["38002"].id])] == [DAY]

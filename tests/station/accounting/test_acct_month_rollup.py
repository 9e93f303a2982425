"""The month rollup (acct_commune_month) stays the sum of its day rows after every kind of write, on SQLite and
PostgreSQL, and commune_figures reading it gives what a plain sum over acct_commune_day gives, for any period."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta

from acct_support import local, month_rows_off, ms, two_provinces, world
from acct_support import node_event as _ev
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, func, insert, select, text, update

from radio.db.models import AsRun, DistrictGroup, DistrictMember, Node
from radio.db.planning import ArticleTopic, CommuneDayRollup, CommuneMonthRollup, Topic
from radio.protocol import EventKind
from scheduler.ingest import apply_to_as_run, insert_new_events
from station.accounting.periods import Period
from station.accounting.queries import (
    SUMMED,
    Scope,
    area_scope,
    article_counts,
    commune_figures,
    district_scope,
    split_months,
)
from station.accounting.rollups import move_node, rebuild, rebuild_scope
from station.accounting.rules import Figures
from station.accounting.sql import RollupSQL

# Local times around month and year ends: 23:59 on 31 October is October's, 00:00 on 1 November November's.
TIMES = ((date(2025, 10, 31), 23, 59), (date(2025, 11, 1), 0, 0), (date(2025, 11, 20), 6, 0),
         (date(2025, 12, 31), 23, 30), (date(2026, 1, 1), 6, 0))


def _scenario(s):
    """Province 38: 38001 (Đông: 2 loudspeakers, Tây: 1), 38002 (Bắc: 1); province 39: 39001 (Nam: 1)."""
    w, article = two_provinces(s)
    for d, hh, mm in TIMES:
        b = w.bulletin(local(d, hh, mm), article=article)
        w.run(b, "Đông-1", "completed", 60)
        w.run(b, "Đông-2", "interrupted", 20)
        w.run(b, "Tây-1", "completed", 60)
        w.run(b, "Bắc-1", "missed")
        w.run(b, "Nam-1", "completed", 60)
    s.commit()
    return w, article


def _assert_months_match(s):
    assert month_rows_off(s) == {}
    assert s.scalar(select(func.count()).select_from(CommuneMonthRollup)) > 0


def test_month_rows_follow_as_run_inserts_updates_and_deletes(sessions):
    with sessions() as s:
        _scenario(s)
        _assert_months_match(s)
        months = set(s.scalars(select(CommuneMonthRollup.month).where(CommuneMonthRollup.topic_id == 0)))
        assert months == {date(2025, 10, 1), date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1)}
        s.execute(update(AsRun).where(AsRun.node_id == "Bắc-1").values(outcome="completed", played_ms=60_000))
        s.commit()
        _assert_months_match(s)
        # A row moved to another month refreshes the month it leaves and the one it joins.
        moved = s.scalars(select(AsRun).where(AsRun.node_id == "Tây-1").order_by(AsRun.scheduled_start)).first()
        s.execute(update(AsRun).where(AsRun.id == moved.id)
                  .values(scheduled_start=moved.scheduled_start + timedelta(days=1)))
        s.commit()
        _assert_months_match(s)
        s.execute(delete(AsRun).where(AsRun.node_id == "Đông-2"))
        s.commit()
        _assert_months_match(s)
        s.execute(delete(AsRun))
        s.commit()
        assert month_rows_off(s) == {}
        assert s.scalar(select(func.count()).select_from(CommuneMonthRollup)) == 0


def test_month_rows_follow_topic_tagging(sessions):
    with sessions() as s:
        _w, article = _scenario(s)
        topic = Topic(code="gntt", name="Giảm nghèo về thông tin")
        s.add(topic)
        s.flush()
        s.add(ArticleTopic(article_id=article.id, topic_id=topic.id))
        s.commit()
        _assert_months_match(s)
        tagged = s.scalar(select(func.count()).select_from(CommuneMonthRollup)
                          .where(CommuneMonthRollup.topic_id == topic.id))
        assert tagged == 3 * 4  # three communes, four months
        s.execute(delete(ArticleTopic))
        s.commit()
        _assert_months_match(s)
        assert not s.scalar(select(func.count()).select_from(CommuneMonthRollup)
                            .where(CommuneMonthRollup.topic_id == topic.id))


def test_month_rows_follow_the_ingest(sessions):
    """SQLite: the ingest's deferred keyed refresh; PostgreSQL: the statement trigger, once per batch."""
    with sessions() as s:
        w = world(s)
        w.commune("38001", {"Đông": 2, "Tây": 1})
        bulletins = [w.bulletin(local(d, 23, 30)) for d in (date(2025, 11, 30), date(2025, 12, 1))]
        for b in bulletins:
            for node in ("Đông-1", "Đông-2", "Tây-1"):
                w.run(b, node, "pending")
        s.commit()
        _assert_months_match(s)
        done = json.dumps({"played_ms": 60_000})
        for b in bulletins:
            t0 = ms(b.start_at)
            batch = [_ev(b, "Đông-1", EventKind.STARTED, t0), _ev(b, "Đông-1", EventKind.FINISHED, t0 + 60_000, done),
                     _ev(b, "Tây-1", EventKind.STARTED, t0 + 4000)]
            apply_to_as_run(s, insert_new_events(s, batch, b.start_at))
            s.commit()
            _assert_months_match(s)
        nov = s.scalars(select(CommuneMonthRollup).where(CommuneMonthRollup.month == date(2025, 11, 1),
                                                         CommuneMonthRollup.topic_id == 0)).one()
        assert (nov.completed, nov.open, nov.late, nov.bulletins_played) == (1, 2, 1, 1)


def test_month_rows_follow_move_node_and_rebuilds(sessions):
    with sessions() as s:
        w, _article = _scenario(s)
        move_node(s.connection(), "Tây-1", w.villages["Bắc"].id)
        s.commit()
        _assert_months_match(s)
        move_node(s.connection(), "Bắc-1", w.villages["Nam"].id)  # to another province
        s.commit()
        _assert_months_match(s)
        # A move done by hand, then repaired by a scoped rebuild over days that start and end mid-month.
        s.execute(update(Node).where(Node.id == "Đông-2").values(village_id=w.villages["Bắc"].id))
        s.commit()
        rebuild_scope(s.connection(), first_day=date(2025, 11, 15), last_day=date(2025, 12, 31))
        s.commit()
        _assert_months_match(s)
        rebuild_scope(s.connection(), [w.communes["38001"].id, w.communes["38002"].id])
        s.commit()
        _assert_months_match(s)
        rebuild_scope(s.connection(), first_day=date(2025, 10, 31))
        s.commit()
        _assert_months_match(s)
        # A day row without bulletins (written by hand), counted in its month: a scoped rebuild by dates deletes
        # it, and the month it was in must follow (the keyed refresh inside the rebuild ran before that delete).
        orphan = s.scalars(select(CommuneDayRollup).where(CommuneDayRollup.day == date(2025, 11, 20))).first()
        copy = {c.name: getattr(orphan, c.name) for c in CommuneDayRollup.__table__.columns}
        s.execute(insert(CommuneDayRollup).values(copy | {"day": date(2025, 11, 25)}))
        for statement in RollupSQL(s.bind.dialect.name).fill_months():
            s.execute(text(statement))
        s.commit()
        _assert_months_match(s)
        rebuild_scope(s.connection(), first_day=date(2025, 11, 15), last_day=date(2025, 11, 30))
        s.commit()
        assert not s.scalars(select(CommuneDayRollup).where(CommuneDayRollup.day == date(2025, 11, 25))).all()
        _assert_months_match(s)
        # rebuild() recomputes month rows that went wrong, and those deleted.
        s.execute(update(CommuneMonthRollup).values(node_rows=CommuneMonthRollup.node_rows + 1))
        s.execute(delete(CommuneMonthRollup).where(CommuneMonthRollup.month == date(2025, 11, 1)))
        s.commit()
        assert month_rows_off(s) != {}
        rebuild(s.connection())
        s.commit()
        _assert_months_match(s)


# --- commune_figures over any period ---------------------------------------------------------------------------
def _day_sums(s, scope: Scope, period: Period, topic_id: int) -> dict[int, Figures]:
    """commune_figures as it was before the month rollup: a plain sum over acct_commune_day."""
    clipped = period.clip(scope.valid_from, scope.valid_to)
    if clipped is None:
        return {}
    r = CommuneDayRollup
    out: dict[int, Figures] = {}
    for row in s.scalars(select(r).where(r.commune_id.in_(scope.commune_ids), r.topic_id == topic_id,
                                         r.day >= clipped.start, r.day <= clipped.end)):
        fig = out.setdefault(row.commune_id, Figures())
        for c in SUMMED:
            setattr(fig, c, getattr(fig, c) + getattr(row, c))
    for commune_id, count in article_counts(s, scope, clipped, topic_id):
        out.setdefault(commune_id, Figures()).articles_aired = count
    return out


FIRST, LAST = date(2024, 11, 10), date(2026, 2, 20)  # the days with bulletins
OUTCOMES = ("completed", "completed", "interrupted", "missed", "failed", "pending", "cancelled")


def _random_year(s, seed: int = 7):
    w = world(s)
    w.commune("38001", {"Đông": 2, "Tây": 1})
    w.commune("38002", {"Bắc": 1})
    w.commune("38003", {"Nam": 1})
    topic = Topic(code="gntt", name="Giảm nghèo về thông tin")
    s.add(topic)
    s.flush()
    articles = [w.article(f"Bài {i}") for i in range(4)]
    s.add_all([ArticleTopic(article_id=a.id, topic_id=topic.id) for a in articles[:2]])
    rnd = random.Random(seed)
    span = (LAST - FIRST).days
    # Month ends and starts always, so every split of a period finds rows on both sides of it.
    days = {FIRST, LAST, *(date(y, m, 1) for y, m in ((2025, 1), (2025, 4), (2025, 7), (2026, 1))),
            *(date(y, m, 1) - timedelta(days=1) for y, m in ((2025, 1), (2025, 4), (2025, 7), (2026, 1))),
            *(FIRST + timedelta(days=rnd.randrange(span)) for _ in range(70))}
    for d in sorted(days):
        b = w.bulletin(local(d, rnd.choice((0, 6, 17, 23))), article=rnd.choice([None, *articles]),
                       priority=rnd.choice(("normal", "normal", "emergency")))
        for node in rnd.sample(sorted(w.nodes), rnd.randint(1, len(w.nodes))):
            outcome = rnd.choice(OUTCOMES)
            w.run(b, node, outcome, 60 if outcome == "completed" else rnd.choice((0, 20)),
                  late_ms=rnd.choice((0, 5000)))
    district = DistrictGroup(code="380-01", name="Huyện Cũ", province_id=w.province.id,
                             valid_from=date(2025, 2, 14), valid_to=date(2025, 11, 20))
    s.add(district)
    s.flush()
    s.add_all([DistrictMember(district_id=district.id, commune_id=w.communes[c].id) for c in ("38001", "38003")])
    s.commit()
    return w, topic, district


def _day(lo: date, hi: date) -> st.SearchStrategy[date]:
    """Any day, with month starts and ends (the edges of the split) drawn often."""
    edges = st.dates(lo, hi).flatmap(lambda d: st.sampled_from((d, d.replace(day=1),
                                                                (d.replace(day=28) + timedelta(days=4)).replace(day=1)
                                                                - timedelta(days=1))))
    return st.one_of(st.dates(lo, hi), edges)


def test_commune_figures_with_month_rows_equal_day_sums_for_any_period(sessions):
    with sessions() as s:
        w, topic, district = _random_year(s)
        assert month_rows_off(s) == {}
        scopes = (area_scope(s, w.province), district_scope(s, district))
        seen = {"months": 0, "days": 0}

        @settings(max_examples=50, deadline=None, database=None)
        @given(start=_day(FIRST - timedelta(days=40), LAST + timedelta(days=40)), days=st.integers(0, 500))
        def check(start: date, days: int) -> None:
            period = Period(start, start + timedelta(days=days), "x")
            day_ranges, months = split_months(period.start, period.end)
            seen["months"] += months is not None
            seen["days"] += bool(day_ranges)
            for scope in scopes:
                for topic_id in (0, topic.id):
                    assert commune_figures(s, scope, period, topic_id) == _day_sums(s, scope, period, topic_id), (
                        period, scope.label, topic_id)

        check()
        assert seen["months"] and seen["days"]
        # Periods named on purpose: a year, a quarter, one whole month, one day, across a year end, mid-month to
        # mid-month, a month's last day to the next month's first, and outside the district's dates.
        for start, end in ((date(2025, 1, 1), date(2025, 12, 31)), (date(2025, 4, 1), date(2025, 6, 30)),
                           (date(2025, 2, 1), date(2025, 2, 28)), (date(2025, 3, 31), date(2025, 3, 31)),
                           (date(2024, 12, 15), date(2026, 1, 15)), (date(2025, 1, 31), date(2025, 2, 1)),
                           (date(2025, 5, 17), date(2025, 9, 3)), (date(2024, 1, 1), date(2025, 2, 13))):
            for scope in scopes:
                for topic_id in (0, topic.id):
                    period = Period(start, end, "x")
                    assert commune_figures(s, scope, period, topic_id) == _day_sums(s, scope, period, topic_id)
        assert commune_figures(s, scopes[0], Period(date(2025, 1, 1), date(2025, 12, 31), "x"))


def test_split_months_covers_the_period_once():
    for start, end, days, months in (
        (date(2025, 1, 1), date(2025, 12, 31), [], (date(2025, 1, 1), date(2025, 12, 1))),
        (date(2025, 1, 15), date(2025, 3, 10), [(date(2025, 1, 15), date(2025, 1, 31)),
                                                (date(2025, 3, 1), date(2025, 3, 10))], (date(2025, 2, 1),) * 2),
        (date(2025, 1, 15), date(2025, 2, 10), [(date(2025, 1, 15), date(2025, 2, 10))], None),
        (date(2025, 1, 2), date(2025, 1, 31), [(date(2025, 1, 2), date(2025, 1, 31))], None),
        (date(2024, 12, 31), date(2025, 1, 31), [(date(2024, 12, 31), date(2024, 12, 31))], (date(2025, 1, 1),) * 2),
    ):
        assert split_months(start, end) == (days, months)

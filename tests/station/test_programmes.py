from datetime import date, datetime, time, timedelta

import pytest

from station.programmes import TZ, PlanItem, occurrences, order_items, plan_occurrence


def test_weekday_slots_fire_at_local_time_not_utc():
    # Friday 20/11/2026 to Tuesday 24/11/2026.
    after = datetime(2026, 11, 20, 0, 0, tzinfo=TZ)
    until = datetime(2026, 11, 24, 23, 59, tzinfo=TZ)
    found = occurrences(time(6, 0), "mon-fri", after, until)
    assert [d.strftime("%a %d %H:%M") for d in found] == ["Fri 20 06:00", "Mon 23 06:00", "Tue 24 06:00"]
    assert found[0].utcoffset() == timedelta(hours=7)


def test_validity_dates_bound_the_slot():
    after = datetime(2026, 11, 1, tzinfo=TZ)
    until = datetime(2026, 11, 30, tzinfo=TZ)
    found = occurrences(time(17, 0), "sun", after, until, valid_from=date(2026, 11, 10), valid_to=date(2026, 11, 22))
    assert [d.day for d in found] == [15, 22]


def test_numeric_days_are_refused():
    with pytest.raises(ValueError):
        occurrences(time(6), "0-4", datetime(2026, 1, 1, tzinfo=TZ), datetime(2026, 1, 9, tzinfo=TZ))


def test_programme_items_play_back_to_back_with_priority_first():
    start = datetime(2026, 11, 23, 6, 0, tzinfo=TZ)
    items = [
        PlanItem(1, "sign_off", "normal", 0, 5000),
        PlanItem(2, "item", "normal", 1, 60000),
        PlanItem(3, "item", "priority", 2, 30000),
        PlanItem(4, "sign_on", "normal", 0, 4000),
        PlanItem(5, "item", "normal", 0, 10000),
    ]
    assert [i.key for i in order_items(items)] == [4, 3, 5, 2, 1]
    plan = plan_occurrence(start, items)
    assert plan[4] == start
    assert plan[3] == start + timedelta(seconds=5)         # 4 s jingle + 1 s gap
    assert plan[5] == start + timedelta(seconds=36)
    assert plan[2] == start + timedelta(seconds=47)
    assert plan[1] == start + timedelta(seconds=108)

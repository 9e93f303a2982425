from datetime import UTC, datetime, time, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from station.policy.rules import (
    TZ,
    Airing,
    AreaPolicy,
    check_airing,
    check_caps,
    check_quiet_hours,
    find_overlap,
    merge_policies,
    queue_after,
    sessions,
)


def local(y, mo, d, h, mi=0, s=0):
    return datetime(y, mo, d, h, mi, s, tzinfo=TZ)


def airing(start, minutes, title="x"):
    return Airing(start, start + timedelta(minutes=minutes), title=title)


NIGHT = AreaPolicy(quiet_start=time(21, 30), quiet_end=time(5, 30))


@pytest.mark.parametrize(("start", "minutes", "blocked"), [
    (local(2026, 11, 22, 4, 30), 10, True),    # the 4:30 am complaint
    (local(2026, 11, 22, 5, 30), 10, False),   # ends exactly when quiet hours end
    (local(2026, 11, 22, 5, 25), 10, True),    # starts inside, ends outside
    (local(2026, 11, 22, 21, 25), 10, True),   # runs into quiet hours
    (local(2026, 11, 22, 21, 15), 15, False),  # ends exactly at 21:30
    (local(2026, 11, 22, 23, 59), 1, True),
    (local(2026, 11, 22, 12, 0), 30, False),
])
def test_quiet_hours_wrap_midnight_in_local_time(start, minutes, blocked):
    assert (check_quiet_hours(NIGHT, airing(start, minutes)) is not None) is blocked


def test_quiet_hours_are_read_in_vietnam_time_not_utc():
    # 22:00 UTC is 05:00 the next morning in Vietnam: inside quiet hours.
    a = Airing(datetime(2026, 11, 21, 22, 0, tzinfo=UTC), datetime(2026, 11, 21, 22, 5, tzinfo=UTC))
    v = check_quiet_hours(NIGHT, a)
    assert v is not None and "21:30" in v.message and "05:30" in v.message


def test_session_length_cap_counts_the_whole_session():
    policy = AreaPolicy(max_session_minutes=15, session_gap_minutes=10)
    existing = [airing(local(2026, 11, 22, 6, 0), 10)]
    assert check_caps(policy, existing, airing(local(2026, 11, 22, 6, 11), 4)) == []
    over = check_caps(policy, existing, airing(local(2026, 11, 22, 6, 11), 6))
    assert [v.code for v in over] == ["max_session_minutes"]
    # Far enough apart: a new session, each within the cap.
    assert check_caps(policy, existing, airing(local(2026, 11, 22, 17, 0), 15)) == []


def test_sessions_per_day_cap_uses_the_local_day():
    policy = AreaPolicy(max_sessions_per_day=2, session_gap_minutes=10)
    existing = [airing(local(2026, 11, 22, 6, 0), 10), airing(local(2026, 11, 22, 17, 0), 10)]
    assert [v.code for v in check_caps(policy, existing, airing(local(2026, 11, 22, 20, 0), 5))] == [
        "max_sessions_per_day"]
    # Joining an existing session does not open a third one.
    assert check_caps(policy, existing, airing(local(2026, 11, 22, 17, 12), 5)) == []
    # 00:30 local on the 23rd is a different day even though it is the 22nd in UTC.
    assert check_caps(policy, existing, airing(local(2026, 11, 23, 0, 30), 5)) == []


def test_overlap_is_found_and_queue_moves_back_to_back():
    existing = [airing(local(2026, 11, 22, 6, 0), 10, "A"), airing(local(2026, 11, 22, 6, 10, 1), 5, "B")]
    new = airing(local(2026, 11, 22, 6, 5), 3)
    assert find_overlap(existing, new).title == "A"
    queued = queue_after(existing, new)
    assert queued.start == local(2026, 11, 22, 6, 15, 2)
    assert find_overlap(existing, queued) is None
    assert [v.code for v in check_airing(AreaPolicy(), existing, new)] == ["overlap"]


def test_merge_takes_the_nearest_area_that_sets_each_rule():
    village = AreaPolicy(max_session_minutes=15)
    commune = AreaPolicy(max_session_minutes=45, max_sessions_per_day=2, quiet_start=time(22), quiet_end=time(5))
    merged = merge_policies([village, None, commune])
    assert merged.max_session_minutes == 15
    assert merged.max_sessions_per_day == 2
    assert merged.quiet_start == time(22)
    assert merged.interrupted == "replay"


starts = st.datetimes(min_value=datetime(2026, 1, 1), max_value=datetime(2026, 12, 31)).map(
    lambda d: d.replace(tzinfo=TZ))


@given(st.lists(st.tuples(starts, st.integers(1, 120)), max_size=8), starts, st.integers(1, 60))
def test_queued_airing_never_overlaps_and_never_moves_earlier(existing_raw, start, minutes):
    existing = [airing(s, m) for s, m in existing_raw]
    new = airing(start, minutes)
    queued = queue_after(existing, new)
    assert find_overlap(existing, queued) is None
    assert queued.start >= new.start
    assert queued.end - queued.start == new.end - new.start


@given(st.lists(st.tuples(starts, st.integers(1, 120)), min_size=1, max_size=10))
def test_sessions_partition_airings(raw):
    items = [airing(s, m) for s, m in raw]
    groups = sessions(items, timedelta(minutes=10))
    assert sorted(a.start for g in groups for a in g) == sorted(a.start for a in items)


@given(starts, st.integers(1, 600))
def test_nothing_passes_quiet_hours(start, minutes):
    a = airing(start, minutes)
    if check_quiet_hours(NIGHT, a) is None:
        for t in (a.start, a.end - timedelta(seconds=1)):
            lt = t.astimezone(TZ).time()
            assert time(5, 30) <= lt < time(21, 30)

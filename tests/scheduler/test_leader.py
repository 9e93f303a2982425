from datetime import UTC, datetime, timedelta

from scheduler.leader import LeaderLease


class Clock:
    def __init__(self):
        self.now = datetime(2026, 1, 1, tzinfo=UTC)

    def __call__(self):
        return self.now


def test_only_one_holder_until_the_lease_expires(sessions):
    clock = Clock()
    a = LeaderLease(sessions, "a", 6, clock)
    b = LeaderLease(sessions, "b", 6, clock)
    assert a.try_acquire()
    assert not b.try_acquire()
    clock.now += timedelta(seconds=4)
    assert a.try_acquire()  # renewal
    clock.now += timedelta(seconds=5)
    assert not b.try_acquire()  # renewed lease still valid
    clock.now += timedelta(seconds=2)
    assert b.try_acquire()  # a stopped renewing: taken over
    assert not a.try_acquire()


def test_release_lets_the_standby_take_over_at_once(sessions):
    clock = Clock()
    a = LeaderLease(sessions, "a", 6, clock)
    b = LeaderLease(sessions, "b", 6, clock)
    assert a.try_acquire()
    a.release()
    assert b.try_acquire()

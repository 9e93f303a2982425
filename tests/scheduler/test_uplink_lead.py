"""The uplink plan: a bulletin for many nodes is dispatched early enough for its media to cross the uplink."""

from datetime import UTC, datetime, timedelta

import pytest

from factories import make_audio, make_bulletin, make_commune
from scheduler.engine import Engine
from scheduler.lead import SETTLE_S, TRANSFER_MARGIN, dispatch_lead_s, transfer_s


@pytest.mark.parametrize(("size", "nodes", "mbit", "expected_s"), [
    (2_000_000, 1000, 100.0, 160.0),  # the province case of issue 13
    (2_000_000, 1, 100.0, 0.16),
    (2_000_000, 1000, 0.0, 0.0),  # no uplink configured: no plan
    (0, 1000, 100.0, 0.0),
])
def test_transfer_time_is_size_times_nodes_over_uplink(size, nodes, mbit, expected_s):
    assert transfer_s(size, nodes, mbit) == pytest.approx(expected_s)


def test_lead_grows_only_when_the_uplink_needs_it():
    assert dispatch_lead_s(120, 2_000_000, 10, 100) == 120  # 1.6 s of transfer: the usual lead
    assert dispatch_lead_s(120, 2_000_000, 1000, 100) == pytest.approx(160 * TRANSFER_MARGIN + SETTLE_S)
    assert dispatch_lead_s(120, 2_000_000, 1000, 0) == 120


class Recorder:
    def __init__(self):
        self.calls: list[int] = []

    def dispatch(self, bid):
        self.calls.append(bid)


def test_engine_dispatches_a_large_bulletin_at_the_uplink_lead(sessions):
    now = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)
    with sessions() as s:
        _c, villages, nodes = make_commune(s, villages=4, nodes_per_village=5)
        audio = make_audio(s)
        audio.size_bytes = 2_000_000
        # 20 nodes x 2 MB through 1 Mbit/s: 320 s of transfer, 490 s of lead with the margin.
        early = make_bulletin(s, audio, now + timedelta(seconds=400), villages)
        later = make_bulletin(s, audio, now + timedelta(hours=1), villages)
        s.commit()
    lead = timedelta(seconds=dispatch_lead_s(60, 2_000_000, len(nodes), 1.0))
    assert lead == timedelta(seconds=490)
    for uplink, expect_now in ((0.0, []), (1.0, [early.id])):
        recorder = Recorder()
        engine = Engine(sessions, recorder, lambda: now, timezone="Asia/Ho_Chi_Minh", lead_s=60, poll_s=0.5,
                        uplink_mbit=uplink)
        engine.aps.start(paused=True)
        try:
            engine.reconcile()
            assert recorder.calls == expect_now
            job = engine.aps.get_job(f"dispatch:{later.id}")
            assert job.next_run_time == later.start_at - (lead if uplink else timedelta(seconds=60))
        finally:
            engine.aps.shutdown(wait=False)

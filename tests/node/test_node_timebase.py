"""The node's time base: offset and drift from round-trip-filtered samples, steps, outages, external clocks."""

from __future__ import annotations

import json
import random
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from launcher.field import FieldClock, LinkModel
from radio.node.timebase import External, TimeBase, WallOnlyClock, parse_chrony_tracking, sample_server
from radio.protocol.clock import server_seconds

T0 = 1_800_000_000.0


class Virtual:
    """Virtual true time, so hours of field conditions take milliseconds."""

    def __init__(self) -> None:
        self.t = T0

    def __call__(self) -> float:
        return self.t


def feed(base: TimeBase, clock: FieldClock, link: LinkModel, true: Virtual, *, minutes: float,
         every_s: float = 60.0, burst: int = 6) -> None:
    """Bursts of GET /time exchanges through the link model, every `every_s` of virtual time."""
    end = true.t + minutes * 60
    while true.t < end:
        samples = []
        for _ in range(burst):
            ex = link.exchange(true.t)
            if ex is not None:
                at_server, back = ex
                samples.append((clock.mono_at(true.t), at_server, clock.mono_at(back)))  # server clock = true
                true.t = back + 0.05
        base.add_burst(samples)
        true.t += every_s


def error_ms(base: TimeBase, true: Virtual) -> float:
    return (base.now() - true.t) * 1000


def no_chrony() -> External | None:
    return None


@pytest.mark.parametrize("seed", range(5))
def test_offset_and_drift_survive_asymmetric_jitter_within_half_the_fixed_asymmetry(seed):
    rng = random.Random(seed)
    true = Virtual()
    clock = FieldClock(offset_s=rng.uniform(-2, 2), drift_ppm=rng.uniform(-50, 50), true=true, epoch=T0)
    link = LinkModel(base_s=rng.uniform(0.03, 0.3), asymmetry_s=0.004, rng=rng)
    base = TimeBase(clock, source="server", external=no_chrony)
    feed(base, clock, link, true, minutes=20)
    # Jitter is filtered out; the fixed asymmetry (4 ms) biases by half its size, and no more than 2 ms besides.
    assert abs(error_ms(base, true) - 2.0) < 2.0  # up is the slow direction: server time reads ahead
    st = base.status()
    assert st.source == "server" and abs(st.drift_ppm - clock.drift_ppm) < 3
    assert abs(st.offset_ms - (true.t - clock.wall()) * 1000) < 4
    assert st.uncertainty_ms is not None and st.uncertainty_ms < 10


def test_a_badly_delayed_burst_does_not_move_the_estimate():
    true = Virtual()
    clock = FieldClock(offset_s=1.5, drift_ppm=20, true=true, epoch=T0)
    link = LinkModel(base_s=0.05, asymmetry_s=0.0, rng=random.Random(1))
    base = TimeBase(clock, source="server", external=no_chrony)
    feed(base, clock, link, true, minutes=10)
    before = error_ms(base, true)
    # One exchange whose answer sat 400 ms in a queue: taken alone it would be 200 ms wrong.
    t = true.t
    base.add_burst([(clock.mono_at(t), t + 0.05, clock.mono_at(t + 0.5))])
    assert abs(error_ms(base, true) - before) < 1.0


@pytest.mark.parametrize("step_s", [1.0, -1.0])
def test_a_step_of_the_box_clock_does_not_move_server_time_but_shows_in_the_offset(step_s):
    true = Virtual()
    clock = FieldClock(offset_s=0.3, drift_ppm=-30, true=true, epoch=T0)
    link = LinkModel(base_s=0.1, asymmetry_s=0.0, rng=random.Random(2))
    base = TimeBase(clock, source="server", external=no_chrony)
    feed(base, clock, link, true, minutes=10)
    offset_before = base.status().offset_ms
    before = error_ms(base, true)
    clock.step(step_s)
    assert abs(error_ms(base, true) - before) < 0.5  # the schedule runs on the monotonic timeline
    assert abs(base.status().offset_ms - (offset_before - step_s * 1000)) < 2


def test_without_the_server_the_box_clock_is_used_and_its_steps_are_followed_and_counted():
    true = Virtual()
    clock = FieldClock(offset_s=0.25, true=true, epoch=T0)
    base = TimeBase(clock, source="server", external=no_chrony)
    assert base.now() == clock.wall() and base.status().source == "box" and base.estimate() == (None, None)
    clock.step(-1.0)
    assert base.now() == clock.wall() and base.status().steps == 1


def test_an_outage_carries_on_from_the_last_estimate_with_an_uncertainty_growing_with_age():
    true = Virtual()
    clock = FieldClock(offset_s=-1.2, drift_ppm=45, true=true, epoch=T0)
    link = LinkModel(base_s=0.2, asymmetry_s=0.002, rng=random.Random(3))
    base = TimeBase(clock, source="server", external=no_chrony)
    feed(base, clock, link, true, minutes=30)
    fresh = base.status().uncertainty_ms
    true.t += 600  # the time server unreachable for 10 minutes
    st = base.status()
    assert st.age_s == pytest.approx(600 + 60, abs=2) and st.uncertainty_ms > fresh
    # The measured drift carries it: still within the start targets, and within the stated uncertainty.
    assert abs(error_ms(base, true)) < min(5.0, st.uncertainty_ms)


def test_before_drift_is_measured_the_uncertainty_assumes_the_worst_crystal():
    true = Virtual()
    clock = FieldClock(offset_s=0.5, drift_ppm=50, true=true, epoch=T0)
    base = TimeBase(clock, source="server", external=no_chrony)
    base.add_burst([(clock.mono_at(true.t), true.t + 0.03, clock.mono_at(true.t + 0.06))])
    first = base.status()
    assert first.drift_ppm is None
    true.t += 100
    assert base.status().uncertainty_ms == pytest.approx(first.uncertainty_ms + 100 * 50 / 1000, abs=0.1)


def test_a_link_whose_delay_jumps_keeps_the_estimate_from_before_the_jump():
    true = Virtual()
    clock = FieldClock(offset_s=0.8, drift_ppm=-10, true=true, epoch=T0)
    link = LinkModel(base_s=0.03, asymmetry_s=0.0, rng=random.Random(4))
    base = TimeBase(clock, source="server", external=no_chrony)
    feed(base, clock, link, true, minutes=10)
    link.base_s = 0.3
    feed(base, clock, link, true, minutes=5)
    assert abs(error_ms(base, true)) < 2.0


CHRONY_SYNCED = "C0A80101,192.168.1.1,3,1700000000.1,0.000150,0.0001,0.0002,-12.3,0.001,0.05,0.004,0.0008,64.5,Normal"
CHRONY_UNSYNCED = "00000000,,0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,1.0,1.0,0.0,Not synchronised"


def test_chrony_tracking_is_trusted_only_when_synchronised():
    ext = parse_chrony_tracking(CHRONY_SYNCED)
    assert ext is not None and ext.name == "chrony" and ext.uncertainty_ms == pytest.approx(0.15 + 2 + 0.8)
    assert parse_chrony_tracking(CHRONY_UNSYNCED) is None and parse_chrony_tracking("garbage") is None


def test_auto_uses_chrony_when_better_and_the_server_estimate_when_not():
    true = Virtual()
    clock = FieldClock(offset_s=0.0, true=true, epoch=T0)
    verdict: list[External | None] = [External("chrony", 1.0)]
    base = TimeBase(clock, source="auto", external=lambda: verdict[0])
    base.refresh("")  # no server: chrony alone
    assert base.status().source == "chrony" and base.now() == clock.wall()
    verdict[0] = External("chrony", 40.0)  # chrony over 4G: tens of ms
    base.refresh("")
    feed(base, clock, LinkModel(base_s=0.05, asymmetry_s=0.0, rng=random.Random(5)), true, minutes=5)
    assert base.status().source == "server"


def test_an_external_clock_is_trusted_as_declared():
    base = TimeBase(WallOnlyClock(lambda: 123.0), source="external", external_uncertainty_ms=0.5)
    st = base.status()
    assert (st.source, st.uncertainty_ms, base.now()) == ("external", 0.5, 123.0)


def test_sample_server_times_one_request_not_the_connection():
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            body = json.dumps({"now_ms": int(time.time() * 1000)}).encode()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        base = TimeBase(WallOnlyClock(lambda: time.time() - 2.0), source="server", external=no_chrony)
        assert base.refresh(f"http://127.0.0.1:{httpd.server_address[1]}")
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert abs(base.status().offset_ms - 2000) <= 5
    assert sample_server("http://127.0.0.1:9", time.monotonic, count=2, timeout_s=0.5) == []


@pytest.mark.parametrize(("answer", "expected"), [
    ({"now_ms": 1_700_000_000_123, "now_us": 1_700_000_000_123_900}, 1_700_000_000.1239),
    ({"now_ms": 1_700_000_000_123}, 1_700_000_000.123),  # a server without now_us (protocol 1.0)
    ({"now_ms": 1_700_000_000_123, "now_us": 1_700_000_005_000_000}, 1_700_000_000.123),  # inconsistent: ignored
    ({"now_ms": 1_700_000_000_123, "now_us": "1700000000123900"}, 1_700_000_000.123),
    ({"now_ms": 1_700_000_000_123, "now_us": True}, 1_700_000_000.123),
])
def test_server_seconds_takes_microseconds_only_when_they_agree_with_the_milliseconds(answer, expected):
    assert server_seconds(answer) == pytest.approx(expected, abs=1e-7)


def test_server_seconds_refuses_an_answer_without_a_time():
    with pytest.raises((KeyError, TypeError, ValueError)):
        server_seconds({"now_us": 1})
    with pytest.raises((KeyError, TypeError, ValueError)):
        server_seconds({"now_ms": None})

"""The node's estimate of server time: a measured offset is applied only when it proves the clock wrong."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from radio.node.health import ClockSample, ServerClock, measure_clock

pytestmark = pytest.mark.security


def test_a_clock_seconds_off_is_corrected_and_the_estimate_says_by_how_much():
    clock = ServerClock(lambda: 1000.0, threshold_ms=50)
    assert clock.estimate() == (None, None) and clock.now() == 1000.0  # never measured: raw clock, no claim
    clock.update(ClockSample(offset_ms=-3000, rtt_ms=4))
    assert clock.now() == 997.0
    assert clock.estimate() == (-3000, 3)  # applied offset, rtt/2 + 1


def test_a_small_offset_inside_the_dead_band_is_left_to_ntp_but_counted_in_the_uncertainty():
    clock = ServerClock(lambda: 1000.0, threshold_ms=50)
    clock.update(ClockSample(offset_ms=30, rtt_ms=10))
    assert clock.now() == 1000.0
    assert clock.estimate() == (0, 30 + 6)


def test_an_offset_smaller_than_its_own_noise_is_not_applied():
    clock = ServerClock(lambda: 1000.0, threshold_ms=0)
    clock.update(ClockSample(offset_ms=80, rtt_ms=200))  # a slow 4G sample: good only to ±100 ms
    assert clock.now() == 1000.0
    clock.update(ClockSample(offset_ms=800, rtt_ms=200))
    assert clock.now() == 1000.8


def test_measure_clock_against_get_time():
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
        sample = measure_clock(f"http://127.0.0.1:{httpd.server_address[1]}", lambda: time.time() - 2.0)
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert sample is not None and abs(sample.offset_ms - 2000) <= 20 and sample.rtt_ms >= 0
    assert measure_clock("http://127.0.0.1:9", timeout_s=0.5) is None


def test_a_new_offset_wakes_whoever_waits_on_the_clock():
    woken = []
    clock = ServerClock(lambda: 1000.0, threshold_ms=50)
    clock.on_change = lambda: woken.append(clock.now())
    clock.update(ClockSample(offset_ms=2000, rtt_ms=4))
    clock.update(ClockSample(offset_ms=2001, rtt_ms=4))
    clock.update(ClockSample(offset_ms=10, rtt_ms=4))  # back inside the dead band: the offset goes
    assert woken == [1002.0, 1002.001, 1000.0]

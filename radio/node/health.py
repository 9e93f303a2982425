"""Node health: clock offset against the server (NTP-style), the corrected clock, and the periodic heartbeat."""

from __future__ import annotations

import json
import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from radio.node import tls

log = logging.getLogger(__name__)
Clock = Callable[[], float]


@dataclass(frozen=True)
class ClockSample:
    offset_ms: int  # server clock minus ours
    rtt_ms: int  # round trip of the sample: the offset is right within rtt / 2


def measure_clock(server_url: str, clock: Clock = time.time, *, samples: int = 3,
                  timeout_s: float = 5.0, ca_file: str | Path | None = None) -> ClockSample | None:
    """Server clock minus ours, from `GET {server_url}/time`; None when the server cannot be asked.

    Like NTP: the server's reading is taken to be at the midpoint of the round trip, and of several samples
    the one with the shortest round trip wins, since its midpoint assumption is the least wrong.
    """
    best: tuple[float, float] | None = None
    for _ in range(samples):
        try:
            t0 = clock()
            # Over https the same CA and host-name check as media: a forged /time would move the node's clock.
            with tls.urlopen(f"{server_url.rstrip('/')}/time", timeout=timeout_s, ca_file=ca_file) as resp:
                body = resp.read()
            t1 = clock()
            server_ms = int(json.loads(body)["now_ms"])
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.debug("clock offset sample failed: %s", exc)
            continue
        rtt = t1 - t0
        offset = server_ms - (t0 + t1) / 2 * 1000
        if best is None or rtt < best[0]:
            best = (rtt, offset)
    return None if best is None else ClockSample(round(best[1]), math.ceil(best[0] * 1000))


def measure_clock_offset(server_url: str, clock: Clock = time.time, *, samples: int = 3,
                         timeout_s: float = 5.0) -> int | None:
    sample = measure_clock(server_url, clock, samples=samples, timeout_s=timeout_s)
    return None if sample is None else sample.offset_ms


class ServerClock:
    """The node's estimate of server time: its own clock plus the measured offset, when that offset matters.

    A box with chrony is within tens of ms; an HTTP sample over 4G is only good to half its round trip. Applying
    every noisy sample would make in-step loudspeakers drift apart, so the offset is applied only when the
    measurement proves the clock wrong: |offset| > max(threshold, uncertainty). A box without NTP that is
    seconds off is corrected; a good one is left alone. The schedule, expiry checks and every reported time
    use this clock, so a wrong box clock can neither start early nor hide its error.
    """

    def __init__(self, clock: Clock = time.time, *, threshold_ms: int = 50,
                 ca_file: str | Path | None = None) -> None:
        self.clock = clock
        self.ca_file = ca_file  # the CA that must have signed an https server's certificate
        self.threshold_ms = threshold_ms
        self._applied_ms = 0
        self._sample: ClockSample | None = None
        self._measured_mono: float | None = None
        self._lock = threading.Lock()
        self.on_change: Callable[[], None] | None = None  # called when the applied offset changes

    def now(self) -> float:
        """Server time in seconds, as well as this node knows it."""
        return self.clock() + self._applied_ms / 1000

    def update(self, sample: ClockSample) -> None:
        uncertainty = sample.rtt_ms // 2 + 1
        with self._lock:
            self._sample = sample
            self._measured_mono = time.monotonic()
            # Inside the dead band the clock is trusted as it is (its error is at most the band or the noise).
            significant = abs(sample.offset_ms) > max(self.threshold_ms, uncertainty)
            before, self._applied_ms = self._applied_ms, sample.offset_ms if significant else 0
        if self._applied_ms != before and self.on_change is not None:
            self.on_change()
        if significant:
            log.warning("clock is %d ms off the server's: corrected; check NTP (chrony)", sample.offset_ms)

    def refresh(self, server_url: str) -> ClockSample | None:
        sample = measure_clock(server_url, self.clock, ca_file=self.ca_file) if server_url else None
        if sample is not None:
            self.update(sample)
        return sample

    def age_s(self) -> float | None:
        return None if self._measured_mono is None else time.monotonic() - self._measured_mono

    @property
    def measured_offset_ms(self) -> int | None:
        return None if self._sample is None else self._sample.offset_ms

    @property
    def sample_uncertainty_ms(self) -> int | None:
        """How far the measured offset itself may be off: half the sample's round trip."""
        return None if self._sample is None else self._sample.rtt_ms // 2 + 1

    def estimate(self) -> tuple[int | None, int | None]:
        """(correction applied to our clock, bound on the error left) for events; (None, None) if never measured."""
        with self._lock:
            sample, applied = self._sample, self._applied_ms
        if sample is None:
            return None, None
        residual = abs(sample.offset_ms - applied)  # what the dead band knowingly leaves uncorrected
        return applied, residual + sample.rtt_ms // 2 + 1


class Ticker:
    """Calls a function every period seconds on its own thread, and at once when poked."""

    def __init__(self, period_s: float, func: Callable[[], None], name: str) -> None:
        self.period_s = period_s
        self.func = func
        self._poke = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def poke(self) -> None:
        self._poke.set()

    def stop(self) -> None:
        self._stop.set()
        self._poke.set()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._poke.wait(self.period_s)
            self._poke.clear()
            if self._stop.is_set():
                return
            try:
                self.func()
            except Exception:  # a failed heartbeat must not end the heartbeats
                log.exception("%s failed", self._thread.name)

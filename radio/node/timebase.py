"""The node's time base: its estimate of server time (offset and drift), built on the box's monotonic clock.

Why monotonic: an NTP step of the box's wall clock (±1 s mid-day) must not move a start. Every server-time
sample is taken on `BoxClock.mono()` and the estimate maps that timeline to server time, so a wall step changes
only what we report as the box's offset, never when the loudspeaker starts.

Why the round-trip filter: over 4G one sample's two directions see different jitter, so a single sample is wrong
by up to half its round trip. A sample whose round trip is the link's shortest had the least jitter in both
directions: each sample is weighted by how much its round trip exceeds the shortest one seen (a delayed sample
counts for next to nothing), and a weighted line through the last hour of samples (offset against local time)
gives offset and drift. What round trips cannot
see is a *fixed* asymmetry of the link: it biases every sample by half its size. A box whose clock is
disciplined externally (chrony synchronised, or a GPS/PPS source) has no such bias, so the node uses that clock
when it says it is better (`time_source`, docs/node.md).
"""

from __future__ import annotations

import http.client
import json
import logging
import math
import shutil
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from radio.node import tls
from radio.protocol.clock import server_seconds

log = logging.getLogger(__name__)

SOURCES = ("auto", "server", "external")
DRIFT_BOUND_PPM = 50.0  # what a crystal may drift before we have measured it (PRODUCT: tens of ppm)
MEASURED_DRIFT_BOUND_PPM = 5.0  # what a measured drift may still change (temperature) while we cannot measure
ASYMMETRY_ALLOWANCE_MS = 2.0  # half of the ±4 ms fixed asymmetry a 4G link may have: invisible to round trips
STEP_THRESHOLD_S = 0.02  # a wall-vs-monotonic jump larger than this between two readings is a clock step
FIT_WINDOW_S = 2 * 3600.0
MAX_SAMPLES = 512  # an hour of 8-sample bursts a minute
ERR_FLOOR_S = 0.001  # timer and server granularity: no sample is better than this


class BoxClock(Protocol):
    """The box's own clocks. Every time reading of a node goes through one of these (injectable in tests)."""

    def wall(self) -> float:
        """The box's wall clock (seconds since the epoch): may be off, drift and step."""
        ...

    def mono(self) -> float:
        """The box's monotonic clock: drifts with the crystal but never steps."""
        ...


class SystemClock:
    """The real box: time.time and time.monotonic."""

    def wall(self) -> float:
        return time.time()

    def mono(self) -> float:
        return time.monotonic()


class WallOnlyClock:
    """A box clock given as one wall-clock function (older callers and tests); it serves as the monotonic too."""

    def __init__(self, wall: Callable[[], float]) -> None:
        self._wall = wall

    def wall(self) -> float:
        return self._wall()

    def mono(self) -> float:
        return self._wall()


@dataclass(frozen=True)
class Sample:
    """One GET /time exchange on the local monotonic timeline."""

    local_s: float  # midpoint of the exchange on mono()
    offset_s: float  # server time minus local time at the midpoint
    rtt_s: float


@dataclass(frozen=True)
class External:
    """An externally disciplined wall clock: chrony synchronised, or declared GPS/PPS."""

    name: str  # "chrony" or "external"
    uncertainty_ms: float


@dataclass(frozen=True)
class TimeStatus:
    source: str  # "server", "chrony", "external", or "box" (nothing measured: the box's own clock)
    offset_ms: float | None  # server time minus the box's wall clock
    uncertainty_ms: float | None  # how far our server time may be off now (grows with the age of the estimate)
    drift_ppm: float | None  # how fast the box's clock runs against the server's, ppm (+: fast; None: unmeasured)
    age_s: float | None  # since the last sample the estimate rests on
    steps: int  # wall-clock steps seen since start
    bursts: int = 0  # bursts of samples the estimate rests on


def read_chrony() -> External | None:
    """chrony's verdict on the wall clock, when chronyc is installed and says it is synchronised."""
    exe = shutil.which("chronyc")
    if exe is None:
        return None
    try:
        out = subprocess.run([exe, "-c", "tracking"], capture_output=True, text=True, timeout=2).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return parse_chrony_tracking(out)


def parse_chrony_tracking(csv_line: str) -> External | None:
    """Parse `chronyc -c tracking`: synchronised (Normal leap status, a real reference) → error bound.

    The bound is chrony's own: |system time offset| + root delay / 2 + root dispersion (chrony.conf(5))."""
    fields = csv_line.strip().split(",")
    if len(fields) < 14:
        return None
    try:
        ref_id, stratum = fields[0], int(fields[2])
        offset_s, root_delay_s, root_disp_s = float(fields[4]), float(fields[10]), float(fields[11])
    except ValueError:
        return None
    if fields[13].strip() != "Normal" or ref_id in ("00000000", "7F7F0101") or not 0 < stratum < 16:
        return None
    return External("chrony", (abs(offset_s) + root_delay_s / 2 + root_disp_s) * 1000)


class TimeBase:
    """Server time as well as this node knows it, with an honest uncertainty."""

    def __init__(self, clock: BoxClock, *, source: str = "auto", external_uncertainty_ms: float = 1.0,
                 samples_per_refresh: int = 8, external: Callable[[], External | None] = read_chrony,
                 timeout_s: float = 5.0, ca_file: str | Path | None = None) -> None:
        if source not in SOURCES:
            raise ValueError(f"time source must be one of {', '.join(SOURCES)}")
        self.clock = clock
        self.source = source
        self.external_uncertainty_ms = external_uncertainty_ms
        self.samples_per_refresh = samples_per_refresh
        self.timeout_s = timeout_s
        self.ca_file = ca_file  # over https: the CA that must have signed the server (a forged /time moves the clock)
        self._read_external = external
        self._external: External | None = None
        self._samples: deque[Sample] = deque(maxlen=MAX_SAMPLES)
        self._count = 0  # bursts taken
        self._min_rtt_s: float | None = None
        self._fit: tuple[float, float, float, float, bool] | None = None  # ref, offset, drift, base error, drift?
        self._wall_minus_mono = clock.wall() - clock.mono()
        self._steps = 0
        self._lock = threading.Lock()
        self.on_change: Callable[[], None] | None = None  # a jump of our server time: wake whoever waits on it

    # --- reading the time ---------------------------------------------------------------------------
    def now(self) -> float:
        """Server time in seconds, by the best source we have."""
        mono = self.clock.mono()
        # No lock: a refit replaces `_fit` whole (one reference), so a reader never waits behind a refit in
        # progress. The reader that matters is the player's writer thread in the last milliseconds before air:
        # waiting on a lock held by a thread that lost the CPU made starts 10+ ms late (bench/field_agents.py).
        used = self._use_external()
        fit = self._fit
        if used is not None or fit is None:
            return self._wall_checked(mono)
        ref, offset, drift, _, _ = fit
        return mono + offset + drift * (mono - ref)

    def _use_external(self) -> External | None:
        """The external clock when it is better than our own estimate (or when we are told to trust it)."""
        if self.source == "external":
            return External("external", self.external_uncertainty_ms)
        ext = self._external if self.source == "auto" else None
        if ext is None:
            return None
        ours = self._server_uncertainty_ms(self.clock.mono())
        return ext if ours is None or ext.uncertainty_ms <= ours else None

    def _wall_checked(self, mono: float) -> float:
        """The wall clock, noting a step (a wall clock that jumped against the monotonic one)."""
        wall = self.clock.wall()
        jump = (wall - mono) - self._wall_minus_mono
        if abs(jump) > STEP_THRESHOLD_S:
            self._wall_minus_mono = wall - mono
            self._steps += 1
            log.warning("the box's clock stepped by %+.0f ms", jump * 1000)
        return wall

    # --- samples ------------------------------------------------------------------------------------
    def add_burst(self, samples: list[tuple[float, float, float]]) -> None:
        """Take one burst of (t0 mono, server time, t1 mono) exchanges (a burst with no answer changes nothing)."""
        good = [(t0, server, t1) for t0, server, t1 in samples if t1 >= t0]
        if not good:
            return
        last = max(t1 for _, _, t1 in good)
        with self._lock:
            before = self._now_locked(last)
            for t0, server, t1 in good:
                mid = (t0 + t1) / 2
                self._samples.append(Sample(mid, server - mid, t1 - t0))
            self._count += 1
            self._refit(last)
            after = self._now_locked(last)
        if before is not None and after is not None and abs(after - before) > 0.005 and self.on_change:
            self.on_change()

    def _now_locked(self, mono: float) -> float | None:
        if self._fit is None:
            return None
        ref, offset, drift, _, _ = self._fit
        return mono + offset + drift * (mono - ref)

    def _refit(self, mono_now: float) -> None:
        while self._samples and mono_now - self._samples[0].local_s > FIT_WINDOW_S:
            self._samples.popleft()
        pts = list(self._samples)
        if not pts:
            self._fit = None
            return
        self._min_rtt_s = min(p.rtt_s for p in pts)
        # A sample's jitter error is at most half of what its round trip exceeds the link's best round trip.
        errs = [(p.rtt_s - self._min_rtt_s) / 2 + ERR_FLOOR_S for p in pts]
        weights = [1 / e**2 for e in errs]
        best = min(range(len(pts)), key=lambda i: (errs[i], -pts[i].local_s))
        ref = pts[best].local_s
        sw = sum(weights)
        mx = sum(w * (p.local_s - ref) for w, p in zip(weights, pts, strict=True)) / sw
        my = sum(w * p.offset_s for w, p in zip(weights, pts, strict=True)) / sw
        if pts[-1].local_s - pts[0].local_s < 30:
            # Too short a span to see a drift: the weighted mean, placed at the samples' weighted mean time.
            self._fit = (ref + mx, my, 0.0, errs[best], False)
            return
        sxx = sum(w * (p.local_s - ref - mx) ** 2 for w, p in zip(weights, pts, strict=True))
        sxy = sum(w * (p.local_s - ref - mx) * (p.offset_s - my) for w, p in zip(weights, pts, strict=True))
        drift = sxy / sxx if sxx > 0 else 0.0
        drift = max(-2 * DRIFT_BOUND_PPM, min(2 * DRIFT_BOUND_PPM, drift * 1e6)) / 1e6
        self._fit = (ref, my - drift * mx, drift, errs[best], True)

    def _server_uncertainty_ms(self, mono: float) -> float | None:
        if self._fit is None:
            return None
        ref, _, _, base_err, has_drift = self._fit
        # With a measured drift the line is good up to the last burst; without, the best sample stands alone.
        last = self._last_sample_s(ref) if has_drift else ref
        age = max(0.0, mono - last)
        bound = MEASURED_DRIFT_BOUND_PPM if has_drift else DRIFT_BOUND_PPM
        return base_err * 1000 + ASYMMETRY_ALLOWANCE_MS + age * bound / 1000

    def _last_sample_s(self, default: float) -> float:
        try:  # read without the lock (see now): a deque read is atomic, but it may have just been emptied
            return self._samples[-1].local_s
        except IndexError:
            return default

    def refresh(self, server_url: str) -> bool:
        """One burst of GET /time exchanges, and chrony's verdict; True if the server answered."""
        if self.source == "auto":
            ext = self._read_external()
            with self._lock:
                self._external = ext
        if not server_url or self.source == "external":
            return False
        burst = sample_server(server_url, self.clock.mono, count=self.samples_per_refresh, timeout_s=self.timeout_s,
                              ca_file=self.ca_file)
        if burst:
            self.add_burst(burst)
        return bool(burst)

    # --- what we tell the server --------------------------------------------------------------------
    def status(self) -> TimeStatus:
        mono = self.clock.mono()
        wall = self._wall_checked(mono)
        with self._lock:
            used = self._use_external()
            fit = self._fit
            if used is not None:
                return TimeStatus(used.name, 0.0, used.uncertainty_ms, None, None, self._steps)
            if fit is None:
                return TimeStatus("box", None, None, None, None, self._steps)
            ref, offset, drift, _, has_drift = fit
            server = mono + offset + drift * (mono - ref)
            last = self._last_sample_s(ref)
            return TimeStatus("server", (server - wall) * 1000, self._server_uncertainty_ms(mono),
                              -drift * 1e6 if has_drift else None, max(0.0, mono - last), self._steps,
                              self._count)

    def estimate(self) -> tuple[int | None, int | None]:
        """(server minus box wall clock, error bound) in whole ms for events; (None, None) when unmeasured."""
        st = self.status()
        if st.offset_ms is None or st.uncertainty_ms is None:
            return None, None
        return round(st.offset_ms), math.ceil(st.uncertainty_ms)

    def age_s(self) -> float | None:
        return self.status().age_s


def sample_server(server_url: str, mono: Callable[[], float], *, count: int = 6, timeout_s: float = 5.0,
                  ca_file: str | Path | None = None) -> list[tuple[float, float, float]]:
    """`count` exchanges with GET {server_url}/time: (t0, server seconds, t1) with t0, t1 on `mono`.

    The connection is opened before t0 (and TLS done), so the timed part is one request and its answer: a
    handshake inside it would put the server's reading off the midpoint by a whole round trip."""
    parts = urlsplit(server_url)
    path = (parts.path.rstrip("/") or "") + "/time"
    out: list[tuple[float, float, float]] = []
    for _ in range(count):
        conn: http.client.HTTPConnection
        if parts.scheme == "https":  # the node's CA and host-name check, as for media (radio.node.tls)
            conn = http.client.HTTPSConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout_s,
                                               context=tls.client_context(ca_file))
        else:
            conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=timeout_s)
        try:
            conn.connect()
            t0 = mono()
            conn.request("GET", path)
            resp = conn.getresponse()
            body = resp.read()
            t1 = mono()
            if resp.status != 200:
                continue
            out.append((t0, server_seconds(json.loads(body)), t1))
        except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException) as exc:
            log.debug("time sample failed: %s", exc)
        finally:
            conn.close()
    return out

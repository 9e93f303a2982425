"""Node health: clock offset against the server (NTP-style) and the periodic heartbeat."""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable

log = logging.getLogger(__name__)
Clock = Callable[[], float]


def measure_clock_offset(server_url: str, clock: Clock = time.time, *, samples: int = 3,
                         timeout_s: float = 5.0) -> int | None:
    """Server clock minus ours (ms), from `GET {server_url}/time`; None when the server cannot be asked.

    Like NTP: the server's reading is taken to be at the midpoint of the round trip, and of several samples
    the one with the shortest round trip wins, since its midpoint assumption is the least wrong.
    """
    best: tuple[float, float] | None = None
    for _ in range(samples):
        try:
            t0 = clock()
            with urllib.request.urlopen(f"{server_url.rstrip('/')}/time", timeout=timeout_s) as resp:
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
    return None if best is None else round(best[1])


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

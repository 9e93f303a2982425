"""Node health: the ticker behind the periodic heartbeat (the clock estimate is radio/node/timebase.py)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)


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

    def stop(self, wait_s: float = 5.0) -> None:
        """Stop and wait for a call in flight: the caller closes what that call uses (the state DB) next."""
        self._stop.set()
        self._poke.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(wait_s)

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

"""The per-process start timer: every virtual node due at an instant starts at that instant.

Precision comes from three choices, each against a measured cause of lateness:
- sleep coarsely, then spin on the clock for the last millisecond (time.sleep alone wakes 0.1-1 ms late);
- pause the network loop thread first, so this thread does not wait for the GIL (the interpreter hands the
  GIL over only every 5 ms while the loop thread is busy validating or publishing);
- no garbage collection during the burst (a full collection over thousands of paho clients takes ms).
Nodes due together are started back to back and each records its own actual start time.

A node here is anything with `begin(command, now_s) -> float | None`: None when it handled the command
(started, or found it too late), else the time to try again (it is still playing an earlier item).
"""

from __future__ import annotations

import gc
import heapq
import itertools
import threading
import time
from collections.abc import Callable
from typing import Any

from launcher.sim.loop import Multiplexer

PREPARE_S = 0.05  # pause the loop this long before air time (enough to finish the packet it is handling)
SPIN_S = 0.001  # poll the clock for the last millisecond
Started = Callable[[list[tuple[Any, Any]]], None]  # [(node, command)] handled in this burst


class StartTimer:
    def __init__(self, mux: Multiplexer, on_started: Started) -> None:
        self.mux = mux
        self.on_started = on_started  # runs on the loop thread, after the burst
        self._items: list[tuple[float, int, Any, Any]] = []
        self._seq = itertools.count()
        self._cond = threading.Condition()
        self._stopping = False
        # One record per start burst: did the loop pause in time, how late the first node, how long it took.
        self.bursts: list[dict[str, Any]] = []
        self._thread = threading.Thread(target=self._run, name="sim-start", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._thread.join(timeout=5)

    def add(self, start_s: float, node: Any, command: Any) -> None:
        with self._cond:
            heapq.heappush(self._items, (start_s, next(self._seq), node, command))
            self._cond.notify()

    def _run(self) -> None:
        while True:
            with self._cond:
                if self._stopping:
                    return
                if not self._items:
                    self._cond.wait(1.0)
                    continue
                due = self._items[0][0]
                remaining = due - time.time()
                if remaining > PREPARE_S:
                    self._cond.wait(min(remaining - PREPARE_S, 1.0))
                    continue
            self._burst(due)

    def _burst(self, due: float) -> None:
        t_request = time.time()
        paused = self.mux.request_pause(timeout=PREPARE_S * 0.8)
        t_paused = time.time()
        gc_enabled = gc.isenabled()
        gc.disable()
        started: list[tuple[Any, Any]] = []
        try:
            while (left := due - time.time()) > SPIN_S:
                time.sleep(left - SPIN_S)
            while time.time() < due:
                pass
            with self._cond:
                # Everything due by now, in start order; each node takes its own clock reading.
                while self._items and self._items[0][0] <= time.time():
                    _, _, node, command = heapq.heappop(self._items)
                    retry = node.begin(command, time.time())
                    if retry is None:
                        started.append((node, command))
                    else:
                        heapq.heappush(self._items, (retry, next(self._seq), node, command))
        finally:
            t_end = time.time()
            if gc_enabled:
                gc.enable()
            self.mux.resume()
        if started:
            # Nodes that found the command too late (missed) are handled but did not start.
            starts = [n.result.started_at_ms[c.id] for n, c in started if c.id in n.result.started_at_ms]
            self.bursts.append({
                "due_ms": due * 1000, "nodes": len(started), "started": len(starts), "paused": paused,
                "pause_wait_ms": round((t_paused - t_request) * 1000, 3),
                "first_late_ms": round(starts[0] - due * 1000, 3) if starts else None,
                "duration_ms": round((t_end - due) * 1000, 3),
            })
            self.mux.call_soon(lambda: self.on_started(started))

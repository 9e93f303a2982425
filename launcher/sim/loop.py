"""One thread multiplexing thousands of paho clients with `selectors` (epoll).

paho 2 supports external event loops: it reports socket open/close and "wants to write" through callbacks,
and we call loop_read / loop_write / loop_misc. Every paho call of a worker process happens on this one
thread (other threads hand work over with `call_soon`), so paho's per-client state is never touched from
two threads at once, and the process needs one thread for the network, not one per node.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import logging
import selectors
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Any

import paho.mqtt.client as mqtt

log = logging.getLogger(__name__)
Call = Callable[[], object]
_READ = selectors.EVENT_READ
_WRITE = selectors.EVENT_WRITE


class Multiplexer:
    def __init__(self) -> None:
        self.selector = selectors.DefaultSelector()
        # A socket pair wakes select() when another thread queues work (call_soon, pause requests).
        self._wake_r, self._wake_w = socket.socketpair()
        self._wake_r.setblocking(False)
        self._wake_w.setblocking(False)
        self.selector.register(self._wake_r, _READ, None)
        self._calls: deque[Call] = deque()
        self._timers: list[tuple[float, int, Call]] = []
        self._seq = itertools.count()
        self._stopping = False
        self._pause_req = threading.Event()
        self._paused = threading.Event()
        self._resume = threading.Event()
        self.thread: threading.Thread | None = None

    # --- client registration (paho callbacks; they run on the loop thread) ---------------------------
    def attach(self, client: mqtt.Client) -> None:
        client.on_socket_open = self._on_open
        client.on_socket_close = self._on_close
        client.on_socket_register_write = self._on_want_write
        client.on_socket_unregister_write = self._on_written

    def _on_open(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self.selector.register(sock, _READ, client)

    def _on_close(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        with contextlib.suppress(KeyError, ValueError):  # already unregistered
            self.selector.unregister(sock)

    def _on_want_write(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self._modify(sock, _READ | _WRITE, client)

    def _on_written(self, client: mqtt.Client, userdata: Any, sock: Any) -> None:
        self._modify(sock, _READ, client)

    def _modify(self, sock: Any, events: int, client: mqtt.Client) -> None:
        with contextlib.suppress(KeyError, ValueError):  # socket already closed and unregistered
            self.selector.modify(sock, events, client)

    # --- scheduling ------------------------------------------------------------------------------------
    def call_soon(self, fn: Call) -> None:
        """Thread-safe: run fn on the loop thread."""
        self._calls.append(fn)
        self._wake()

    def call_at(self, when_s: float, fn: Call) -> None:
        """Loop thread only: run fn at wall-clock time when_s (time.time())."""
        heapq.heappush(self._timers, (when_s, next(self._seq), fn))

    def run_sync(self, fn: Callable[[], Any], timeout: float = 30.0) -> Any:
        """Run fn on the loop thread and return its result (a consistent snapshot of loop-owned state)."""
        done = threading.Event()
        box: list[Any] = []

        def call() -> None:
            try:
                box.append(fn())
            finally:
                done.set()

        self.call_soon(call)
        if not done.wait(timeout):
            raise TimeoutError("simulator loop did not answer")
        return box[0]

    def _wake(self) -> None:
        with contextlib.suppress(BlockingIOError):  # already full of wake-ups
            self._wake_w.send(b"x")

    # --- pause: the start timer stops the loop so it owns the GIL at air time ----------------------------
    def request_pause(self, timeout: float) -> bool:
        """Block the loop thread at its next check point; True when it acknowledged within timeout."""
        self._resume.clear()
        self._paused.clear()
        self._pause_req.set()
        self._wake()
        return self._paused.wait(timeout)

    def resume(self) -> None:
        self._pause_req.clear()
        self._resume.set()

    def _check_pause(self) -> None:
        if self._pause_req.is_set():
            self._paused.set()
            self._resume.wait()

    # --- the loop ----------------------------------------------------------------------------------------
    def start(self) -> None:
        self.thread = threading.Thread(target=self.run, name="sim-loop", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self._stopping = True
        self.resume()
        self._wake()
        if self.thread is not None:
            self.thread.join(timeout=10)

    def run(self) -> None:
        while not self._stopping:
            self._check_pause()
            timeout = 0.0 if self._calls else self._next_timeout()
            for key, mask in self.selector.select(timeout):
                client = key.data
                if client is None:
                    self._drain_wake()
                    continue
                # paho handles errors itself (closes the socket, fires on_disconnect); we only keep going.
                if mask & _READ:
                    client.loop_read()
                if mask & _WRITE:
                    client.loop_write()
                self._check_pause()
            self._run_calls()
            self._run_timers()

    def _next_timeout(self) -> float:
        if not self._timers:
            return 0.5
        return min(0.5, max(0.0, self._timers[0][0] - time.time()))

    def _drain_wake(self) -> None:
        try:
            while self._wake_r.recv(4096):
                pass
        except BlockingIOError:
            pass

    def _run_calls(self) -> None:
        # Only what was queued before we started: a call that queues another must not starve the sockets.
        for _ in range(len(self._calls)):
            self._safe(self._calls.popleft())
            self._check_pause()

    def _run_timers(self) -> None:
        now = time.time()
        while self._timers and self._timers[0][0] <= now:
            _, _, fn = heapq.heappop(self._timers)
            self._safe(fn)
            self._check_pause()

    @staticmethod
    def _safe(fn: Call) -> None:
        try:
            fn()
        except Exception:
            log.exception("simulator task failed")

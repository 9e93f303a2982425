"""The ingest writer in a supervised child process, acknowledging to the broker only what the child stored.

Why a child: the MQTT thread's per-message work and the database writes would share one interpreter lock, which
caps ingest near 7,000 events/s on 2 cores (docs/benchmarks.md). The parent keeps every delivery until the child
reports it stored (then it acknowledges it to the broker), so nothing is lost when the child dies: the supervisor
starts a new child with backoff and hands it everything still unacknowledged. A delivery in flight at three child
deaths in a row is taken for what killed them and dropped (logged, counted). The child dies with its parent
(PR_SET_PDEATHSIG, and end of file on its input pipe), so a killed scheduler leaves no writer behind.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import logging
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from scheduler.transport import Delivery

log = logging.getLogger(__name__)
MAX_DEATHS_IN_FLIGHT = 3
# Writer threads (connections) in the child on PostgreSQL: two let the writer's Python and the server's work
# overlap (docs/benchmarks.md, "As-run ingest on PostgreSQL"); more only add contention on a small server.
DEFAULT_PG_WRITERS = 2
PR_SET_PDEATHSIG = 1
WireDelivery = tuple[str, bytes, int, bool, int]  # topic, payload, qos, retain, token (the child's mid)


class ProcessIngest:
    """start, stop, on_delivery/on_message, stored and health(), with the writer in a child process."""

    def __init__(self, db_url: str, *, acker: Callable[[list[Delivery]], None] | None = None,
                 on_change: Callable[[], None] | None = None, batch: int = 2000, flush_s: float = 0.1,
                 backoff_s: float = 0.5, max_backoff_s: float = 30.0, writers: int | None = None) -> None:
        self._ctx = multiprocessing.get_context("spawn")
        if writers is None:  # SQLite takes one writer at a time: a second would only wait for the file lock
            writers = DEFAULT_PG_WRITERS if db_url.startswith("postgresql") else 1
        self.writers = writers
        self._args = (db_url, batch, flush_s, writers)
        self._acker = acker
        self._on_change = on_change
        self._backoff = (backoff_s, max_backoff_s)
        self._lock = threading.Lock()
        self._tokens = itertools.count(1)
        self._pending: dict[int, Delivery] = {}  # token → delivery not yet stored by a child
        self._deaths: dict[int, int] = {}  # token → child deaths while it was in flight
        # To send to the child: plain tuples, which pickle several times faster than Delivery (WireDelivery).
        self._outbox: list[WireDelivery] = []
        self._stopping = threading.Event()
        self._supervisor = threading.Thread(target=self._supervise, name="ingest-supervisor", daemon=True)
        self._proc: Any = None
        self._child_stats: dict[str, Any] = {}
        self.restarts = 0
        self.quarantined = 0
        self.last_exit: str = ""
        self._ready = threading.Event()

    # --- interface ------------------------------------------------------------------------------------------
    @property
    def stored(self) -> int:
        return int(self._child_stats.get("stored", 0))

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.is_alive()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc is not None else None

    def health(self) -> dict[str, Any]:
        with self._lock:
            pending = len(self._pending)
        return {"alive": self.alive, "pid": self.pid, "restarts": self.restarts, "last_exit": self.last_exit,
                "pending": pending, "quarantined": self.quarantined} | self._child_stats

    def start(self, wait_s: float = 30.0) -> None:
        """Start the writer process; returns once it is ready to store (or has died, or after wait_s)."""
        self._supervisor.start()
        self._ready.wait(wait_s)

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stopping.set()
        self._supervisor.join(timeout=timeout_s + 5)
        if self._supervisor.is_alive() and self._proc is not None:
            # A child stuck (e.g. on a database that does not answer) must not hold up SIGTERM: what it has not
            # stored is unacknowledged, so the broker sends it again to the next scheduler.
            log.error("ingest writer did not stop within %.0f s: killing it", timeout_s + 5)
            self._proc.kill()

    def on_message(self, topic: str, payload: bytes) -> None:
        self.on_delivery(Delivery(topic, payload, qos=0))

    def on_delivery(self, delivery: Delivery) -> None:
        token = next(self._tokens)
        with self._lock:
            self._pending[token] = delivery
            self._outbox.append((delivery.topic, delivery.payload, delivery.qos, delivery.retain, token))

    # --- supervision ----------------------------------------------------------------------------------------
    def _supervise(self) -> None:
        wait = self._backoff[0]
        while not self._stopping.is_set():
            began = time.monotonic()
            reason = self._run_child()
            self._ready.set()  # a child that died before it was ready must not hold up start()
            if self._stopping.is_set():
                break
            self.restarts += 1
            self.last_exit = reason
            self._count_deaths()
            log.error("ingest writer died (%s): restarting in %.1f s", reason, wait)
            self._changed()
            if time.monotonic() - began > 60:
                wait = self._backoff[0]  # it had run fine for a while: this is not a crash loop
            if self._stopping.wait(wait):
                break
            wait = min(wait * 2, self._backoff[1])
        self._ready.set()

    def _run_child(self) -> str:
        """Start a child, feed it until it dies or we stop; returns why it ended."""
        child_in, feed = self._ctx.Pipe(duplex=False)
        results, child_out = self._ctx.Pipe(duplex=False)
        proc = self._ctx.Process(target=_ingest_child, args=(*self._args, child_in, child_out, os.getpid()),
                                 name="ingest-writer", daemon=True)
        proc.start()
        # Our copies of the child's ends closed: its death is then end of file here, ours end of file there.
        child_in.close()
        child_out.close()
        self._proc = proc
        with self._lock:  # a new child gets everything still unacknowledged, oldest first
            self._outbox = [(d.topic, d.payload, d.qos, d.retain, t) for t, d in sorted(self._pending.items())]
        reader = threading.Thread(target=self._read_results, args=(results,), name="ingest-results", daemon=True)
        reader.start()
        self._changed()
        reason = ""
        try:
            while proc.is_alive() and not self._stopping.is_set():
                with self._lock:
                    chunk, self._outbox = self._outbox, []
                if chunk:
                    feed.send(chunk)
                else:
                    time.sleep(0.01)
            if self._stopping.is_set():
                with self._lock:
                    chunk, self._outbox = self._outbox, []
                if chunk:
                    feed.send(chunk)
                feed.send(None)
        except OSError as exc:  # broken pipe: the child is gone
            reason = f"pipe: {exc}"
        proc.join(timeout=10 if self._stopping.is_set() else 1)
        if proc.is_alive():
            proc.kill()
            proc.join(5)
        reader.join(timeout=5)  # its acknowledgements are sent before the next child starts
        feed.close()
        return reason or f"exit code {proc.exitcode}"

    def _read_results(self, results: Any) -> None:
        while True:
            try:
                kind, value = results.recv()
            except (EOFError, OSError):
                break
            if kind == "done":
                tokens, stored = value
                # The child's stored count comes with each acknowledgement, so `stored` is never behind what
                # was acknowledged (the full stats follow twice a second).
                self._child_stats = self._child_stats | {"stored": stored}
                with self._lock:
                    deliveries = [d for t in tokens if (d := self._pending.pop(t, None)) is not None]
                    for t in tokens:
                        self._deaths.pop(t, None)
                if self._acker is not None and deliveries:
                    self._acker(deliveries)  # one call per stored batch: the transport sends its PUBACKs together
            elif kind == "ready":
                self._ready.set()
            elif kind == "stats":
                self._child_stats = value
        results.close()

    def _count_deaths(self) -> None:
        dropped: list[Delivery] = []
        with self._lock:
            for token in list(self._pending):
                self._deaths[token] = self._deaths.get(token, 0) + 1
                if self._deaths[token] >= MAX_DEATHS_IN_FLIGHT:
                    dropped.append(self._pending.pop(token))
                    del self._deaths[token]
        for d in dropped:
            log.error("dropping a message on %s in flight at %d writer deaths: %r", d.topic, MAX_DEATHS_IN_FLIGHT,
                      d.payload[:200])
            self.quarantined += 1
        if self._acker is not None and dropped:
            self._acker(dropped)

    def _changed(self) -> None:
        if self._on_change is not None:
            try:
                self._on_change()
            except Exception:
                log.exception("reporting the ingest's state failed")


def die_with_parent(parent_pid: int) -> None:
    """Ask Linux to SIGKILL us when the parent dies; exit now if it already has (race with the prctl call)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:
        os._exit(1)


def _ingest_child(db_url: str, batch: int, flush_s: float, writers: int, inbox: Any, out: Any, parent_pid: int
                  ) -> None:
    die_with_parent(parent_pid)
    # SIGTERM/SIGINT to the process group (Ctrl-C, a service manager) must not cut a batch: the parent stops us.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from radio.db.session import make_engine, make_sessionmaker
    from scheduler.event_keys import EventKeyring
    from scheduler.ingest_writer import EventIngest

    engine = make_engine(db_url)
    send_lock = threading.Lock()

    def send(kind: str, value: Any) -> None:
        with send_lock:
            out.send((kind, value))

    sessions = make_sessionmaker(engine)
    ingest = EventIngest(sessions, lambda: datetime.now(UTC), batch=batch, flush_s=flush_s, writers=writers,
                         acker=lambda ds: send("done", ([d.mid for d in ds], ingest.stored)),
                         keyring=EventKeyring(sessions))
    ingest.start()
    # Ready only once keys, map and connections are loaded: until then the parent's start() waits, so the
    # scheduler's first burst is not also the writer's start-up.
    ingest.warm_up()
    send("ready", None)
    last_stats = 0.0
    try:
        while True:
            if inbox.poll(0.2):
                chunk = inbox.recv()  # EOFError when the parent is gone
                if chunk is None:
                    break
                ingest.on_deliveries([Delivery(*wire) for wire in chunk])
            if not ingest.alive:
                raise RuntimeError("the writer thread ended")
            if time.monotonic() - last_stats > 0.5:
                send("stats", ingest.stats())
                last_stats = time.monotonic()
    except EOFError:
        return  # parent gone: nothing we store could be acknowledged; the broker sends it all again
    ingest.stop()
    send("stats", ingest.stats())
    engine.dispose()

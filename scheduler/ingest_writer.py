"""The ingest writer: decodes node messages, stores them in batches, acknowledges each only once it is stored.

Failures are per message. A payload that does not decode, an event the server does not believe
(scheduler/ingest_accept.py) or a message the database refuses is logged, counted and acknowledged on its own;
it never fails the batch it arrived in. Only a database that does not answer holds messages back, unacknowledged,
so the broker sends them again to whoever stores them next.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from radio.protocol import (
    Heartbeat,
    NodeEvent,
    NodeStatus,
    ProtocolError,
    decode_event,
    decode_heartbeat,
    decode_status,
    topics,
)
from scheduler.event_keys import EventKeyring
from scheduler.health import apply_heartbeats
from scheduler.ingest import apply_status, apply_to_as_run, insert_new_events
from scheduler.ingest_accept import accept_events, identity_problem
from scheduler.ingest_parallel import CommunePartitioner, InOrderRelease
from scheduler.transport import Delivery

log = logging.getLogger(__name__)
Message = NodeEvent | NodeStatus | Heartbeat
Acker = Callable[[list[Delivery]], None]
DECODE_PIECE = 250
POISON_TRIES = 3  # a message the database refuses this often, while it stores others, is dropped


@dataclass(frozen=True)
class Item:
    delivery: Delivery
    msg: Message | None  # None: refused at decoding; only to be counted and acknowledged


def is_retained_report(delivery: Delivery) -> bool:
    """A retained message on an event or heartbeat topic: never valid (only status is retained)."""
    return delivery.retain and not delivery.topic.endswith("/status")


class EventIngest:
    """Receives deliveries (any thread), writes them in batches on its own thread, then acknowledges them.

    With writers > 1 (PostgreSQL; SQLite has one writer at a time anyway) the gathering thread splits each batch
    by commune among that many writer threads, each on its own connection (scheduler/ingest_parallel.py)."""

    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime], *, acker: Acker | None = None,
                 batch: int = 2000, flush_s: float = 0.05, keyring: EventKeyring | None = None,
                 writers: int = 1) -> None:
        self.sessions = sessions
        # Per-node event signatures (docs/architecture.md): a node with a key on record must sign its events.
        self.keyring = keyring
        self.clock = clock
        self.acker = acker
        self.batch = batch
        self.flush_s = flush_s
        # Lists of items, not items: a chunk from the writer process's pipe is one put and one get, not one per
        # message (two lock round trips each, ~5 µs at 20,000 events/s).
        self._queue: queue.Queue[list[Item] | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="ingest", daemon=True)
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._counts: Counter[str] = Counter()
        self._reasons: Counter[str] = Counter()
        self.writers = max(1, writers)
        self._partitioner = CommunePartitioner(sessions, self.writers)
        self._release: InOrderRelease[Item] = InOrderRelease(self._acknowledge)
        # Two batches waiting per writer at most: the gatherer then waits, and the backlog stays in the queue.
        self._inboxes: list[queue.Queue[list[Item] | None]] = [queue.Queue(maxsize=2) for _ in range(self.writers)]
        self._writer_threads = [threading.Thread(target=self._write_loop, args=(box,), name=f"ingest-writer-{i}",
                                                 daemon=True) for i, box in enumerate(self._inboxes)]

    @property
    def stored(self) -> int:
        return self._counts["stored"]

    @property
    def alive(self) -> bool:
        return self._thread.is_alive() and (self.writers == 1 or all(t.is_alive() for t in self._writer_threads))

    def stats(self) -> dict[str, Any]:
        with self._lock:
            return dict(self._counts) | {"rejected_by_reason": dict(self._reasons)}

    def start(self) -> None:
        self._thread.start()
        if self.writers > 1:
            for t in self._writer_threads:
                t.start()

    def warm_up(self) -> None:
        """Read now what the first batch would otherwise wait for: the node keys, the commune map and one
        connection per writer. A database that does not answer yet is not an error here: the writers retry."""
        try:
            if self.keyring is not None:
                self.keyring.refresh()
            if self.writers > 1:
                self._partitioner.warm()
            with contextlib.ExitStack() as held:  # all at once, so the pool opens one connection per writer
                for _ in range(self.writers):
                    held.enter_context(self.sessions()).execute(text("SELECT 1"))
        except Exception as exc:
            log.warning("ingest warm-up failed (%s); the writers retry on their own", exc)

    def stop(self, timeout_s: float = 10.0) -> None:
        self._stopping.set()
        self._queue.put(None)
        self._thread.join(timeout=timeout_s)
        if self.writers > 1:
            for t in self._writer_threads:
                t.join(timeout=timeout_s)

    def on_message(self, topic: str, payload: bytes) -> None:
        """A message that needs no acknowledgement (tests, tools)."""
        self.on_delivery(Delivery(topic, payload, qos=0))

    def on_delivery(self, delivery: Delivery) -> None:
        self._queue.put([Item(delivery, self._decode(delivery))])

    def on_deliveries(self, deliveries: list[Delivery]) -> None:
        """Several deliveries at once, in their order (the writer process gets them in chunks)."""
        # In pieces: the writers start on the first piece while the rest is still being decoded.
        for i in range(0, len(deliveries), DECODE_PIECE):
            self._queue.put([Item(d, self._decode(d)) for d in deliveries[i:i + DECODE_PIECE]])

    def _decode(self, delivery: Delivery) -> Message | None:
        topic = delivery.topic
        topic_node = topics.node_id_from_topic(topic)
        if is_retained_report(delivery):
            # A retained event would come back to every scheduler that subscribes: refused, and cleared upstream.
            self._refuse(topic, "retained", "a retained event or heartbeat")
            return None
        try:
            if topic.endswith("/event"):
                msg: Message = decode_event(delivery.payload)
            elif topic.endswith("/status"):
                msg = decode_status(delivery.payload)
            elif topic.endswith("/heartbeat"):
                msg = decode_heartbeat(delivery.payload)
            else:
                return None
        except ProtocolError as exc:
            self._refuse(topic, "malformed", str(exc))
            return None
        if isinstance(msg, NodeEvent):
            problem = identity_problem(msg, topic_node)
            if problem is None and self.keyring is not None and topic_node is not None:
                problem = self.keyring.problem(topic_node, delivery.payload)
        else:
            problem = None if msg.node_id == topic_node else "node id differs from the topic's node"
        if problem:
            self._refuse(topic, "rejected", problem)
            return None
        return msg

    def _refuse(self, topic: str, counter: str, reason: str) -> None:
        log.warning("refusing a message on %s (%s): %s", topic, counter, reason)
        with self._lock:
            self._counts[counter] += 1
            if counter == "rejected":
                self._reasons[reason] += 1

    def _run(self) -> None:
        running = True
        pending: list[Item] = []  # received, not yet handed to a writer (a chunk can be larger than a batch)
        while running or pending:
            if not pending:
                try:
                    first = self._queue.get(timeout=1.0)
                except queue.Empty:
                    continue
                if first is None:
                    break
                pending = first
            # Gather for up to flush_s after the first message: under load, one transaction per few thousand
            # events instead of one per handful (the per-transaction cost would otherwise dominate).
            deadline = time.monotonic() + self.flush_s
            while running and len(pending) < self.batch:
                try:
                    nxt = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if nxt is None:
                    running = False
                    break
                pending.extend(nxt)
            items, pending = pending[:self.batch], pending[self.batch:]
            if self.writers == 1:
                self._write_and_acknowledge(items, in_order=False)
            else:
                self._hand_out(items)
        if self.writers > 1:
            for box in self._inboxes:
                box.put(None)

    def _hand_out(self, items: list[Item]) -> None:
        """Split a gathered batch by commune among the writers; acknowledgements follow arrival order."""
        self._release.register(items)
        parts: list[list[Item]] = [[] for _ in range(self.writers)]
        for item in items:
            parts[self._partitioner.writer_for(item.delivery.topic)].append(item)
        for box, part in zip(self._inboxes, parts, strict=True):
            if part:
                box.put(part)

    def _write_loop(self, inbox: queue.Queue[list[Item] | None]) -> None:
        while (items := inbox.get()) is not None:
            self._write_and_acknowledge(items, in_order=True)

    def _write_and_acknowledge(self, items: list[Item], *, in_order: bool) -> None:
        try:
            done = self._write(items)
        except Exception:  # never let a writer thread die: the process would go on without storing
            log.exception("ingest batch of %d failed unexpectedly; not acknowledged", len(items))
            if in_order:  # left for the broker to send again, without holding back later acknowledgements
                self._release.finish([], unreleased=items)
            return
        if in_order:
            self._release.finish(done)
        else:
            self._acknowledge(done)

    def _acknowledge(self, items: list[Item]) -> None:
        if items and self.acker is not None:
            self.acker([i.delivery for i in items])

    def _write(self, items: list[Item]) -> list[Item]:
        """Store a batch; returns the items that may be acknowledged (stored, refused, or dropped as poison)."""
        try:
            self._store(items)
            return items
        except Exception as exc:
            log.warning("storing a batch of %d failed (%s): storing one by one", len(items), exc)
        done: list[Item] = []
        for item in items:
            if self._store_alone(item):
                done.append(item)
        return done

    def _store_alone(self, item: Item) -> bool:
        """Store one message; False only when stopping while the database is unreachable (left unacknowledged)."""
        tries, wait = 0, 0.2
        while True:
            try:
                self._store([item])
                return True
            except Exception as exc:
                if self._database_answers():
                    tries += 1
                    if tries >= POISON_TRIES:
                        log.error("dropping a message on %s the database refuses: %s (payload %r)",
                                  item.delivery.topic, exc, item.delivery.payload[:200])
                        with self._lock:
                            self._counts["store_failed"] += 1
                        return True
                    time.sleep(0.05)
                    continue
                log.warning("database unreachable: holding %s (%s)", item.delivery.topic, exc)
                if self._stopping.wait(wait):
                    return False
                wait = min(wait * 2, 5.0)

    def _database_answers(self) -> bool:
        try:
            with self.sessions() as session:
                session.execute(text("SELECT 1"))
            return True
        except Exception:
            return False

    def _store(self, items: list[Item]) -> None:
        now = self.clock()
        events = [i.msg for i in items if isinstance(i.msg, NodeEvent)]
        with self.sessions() as session:
            acceptance = accept_events(session, events, now)
            accepted, rejected = acceptance.accepted, acceptance.rejected
            new = insert_new_events(session, accepted, now)
            clamped = apply_to_as_run(session, new, acceptance.rows)
            for item in items:
                if isinstance(item.msg, NodeStatus):
                    apply_status(session, item.msg, now)
            telemetry_refused = apply_heartbeats(session, (i.msg for i in items if isinstance(i.msg, Heartbeat)), now)
            session.commit()
        for r in rejected:
            log.warning("rejected event %s from %s: %s", r.event.event_id, r.event.node_id, r.reason)
        with self._lock:
            self._counts["stored"] += len(new)
            self._counts["duplicates"] += len(accepted) - len(new)
            self._counts["rejected"] += len(rejected)
            self._counts["clamped"] += clamped
            if telemetry_refused:  # fields out of bounds, each logged with its node (scheduler.health)
                self._counts["telemetry_refused"] += telemetry_refused
            self._reasons.update(r.reason for r in rejected)

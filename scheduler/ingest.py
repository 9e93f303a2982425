"""As-run ingest: node events stored exactly once (unique event_id) and folded into the as_run rows.

Events are decoded on the MQTT thread and written in batches by one writer thread, so a burst from a
thousand nodes costs a few transactions, not a thousand.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from radio.db.models import AsRun, CommandRow, Node, NodeEventRow, Outcome
from radio.protocol import (
    EventKind,
    NodeEvent,
    NodeStatus,
    ProtocolError,
    decode_event,
    decode_status,
    topics,
)

log = logging.getLogger(__name__)

FINAL_BY_KIND = {
    EventKind.FINISHED: Outcome.COMPLETED,
    EventKind.INTERRUPTED: Outcome.INTERRUPTED,
    EventKind.FAILED: Outcome.FAILED,
    EventKind.MISSED: Outcome.MISSED,
    EventKind.REJECTED: Outcome.REJECTED,
}


def insert_new_events(session: Session, events: list[NodeEvent], now: datetime) -> list[NodeEvent]:
    """Insert events, skipping ids already stored; return only those that were new."""
    if not events:
        return []
    unique = {e.event_id: e for e in events}
    rows = [
        {"event_id": e.event_id, "node_id": e.node_id, "kind": str(e.kind), "command_id": e.command_id,
         "at_ms": e.at_ms, "received_at": now, "detail": e.detail}
        for e in unique.values()
    ]
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(NodeEventRow).on_conflict_do_nothing(index_elements=["event_id"]).returning(NodeEventRow.event_id)
    new_ids = set(session.scalars(stmt, rows).all())
    return [e for e in unique.values() if e.event_id in new_ids]


def apply_to_as_run(session: Session, events: Iterable[NodeEvent]) -> None:
    for event in events:
        if event.command_id is None or event.kind == EventKind.RECEIVED:
            continue
        row = session.scalars(
            select(AsRun).where(AsRun.command_id == event.command_id, AsRun.node_id == event.node_id)
        ).first()
        if row is None:
            command = session.get(CommandRow, event.command_id)
            if command is None or command.bulletin_id is None or session.get(Node, event.node_id) is None:
                log.warning("event %s for unknown command or node", event.event_id)
                continue
            row = AsRun(command_id=command.id, bulletin_id=command.bulletin_id, node_id=event.node_id,
                        scheduled_start=command.start_at or command.issued_at, requested_ms=0, played_ms=0,
                        outcome=Outcome.PENDING, detail="")
            session.add(row)
        if event.kind == EventKind.STARTED:
            row.started_at_ms = event.at_ms
            if row.outcome == Outcome.PENDING:
                row.outcome = Outcome.STARTED
        elif event.kind in FINAL_BY_KIND:
            row.outcome = FINAL_BY_KIND[event.kind]
            row.ended_at_ms = event.at_ms
            row.played_ms = _played_ms(event, row)
            if event.kind != EventKind.FINISHED:
                row.detail = event.detail
        session.flush()


def _played_ms(event: NodeEvent, row: AsRun) -> int:
    try:
        return int(json.loads(event.detail).get("played_ms", 0))
    except (ValueError, AttributeError, TypeError):
        if row.started_at_ms is not None:
            return max(0, event.at_ms - row.started_at_ms)
        return 0


def apply_status(session: Session, status: NodeStatus, now: datetime) -> None:
    node = session.get(Node, status.node_id)
    if node is None:
        return
    node.online = status.online
    node.status_at = now
    if status.online:
        node.last_seen_at = now
    if status.agent_version:
        node.agent_version = status.agent_version


class EventIngest:
    """Receives raw MQTT messages, writes them in batches on its own thread."""

    def __init__(self, sessions: sessionmaker[Session], clock: Callable[[], datetime], *, batch: int = 2000,
                 flush_s: float = 0.05) -> None:
        self.sessions = sessions
        self.clock = clock
        self.batch = batch
        self.flush_s = flush_s
        self._queue: queue.Queue[NodeEvent | NodeStatus | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="ingest", daemon=True)
        self.stored = 0

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)

    def on_message(self, topic: str, payload: bytes) -> None:
        topic_node = topics.node_id_from_topic(topic)
        try:
            if topic.endswith("/event"):
                msg: NodeEvent | NodeStatus = decode_event(payload)
            elif topic.endswith("/status"):
                msg = decode_status(payload)
            else:
                return
        except ProtocolError as exc:
            log.warning("dropping malformed message on %s: %s", topic, exc)
            return
        # The broker's ACL proves who published on the topic; the payload must agree with it.
        if msg.node_id != topic_node:
            log.warning("node id %s in payload does not match topic %s", msg.node_id, topic)
            return
        self._queue.put(msg)

    def _run(self) -> None:
        running = True
        while running:
            items: list[NodeEvent | NodeStatus] = []
            try:
                first = self._queue.get(timeout=1.0)
            except queue.Empty:
                continue
            if first is None:
                break
            items.append(first)
            while len(items) < self.batch:
                try:
                    nxt = self._queue.get(timeout=self.flush_s if len(items) < 2 else 0.0)
                except queue.Empty:
                    break
                if nxt is None:
                    running = False
                    break
                items.append(nxt)
            self._write(items)

    def _write(self, items: list[NodeEvent | NodeStatus]) -> None:
        # The broker has already been acknowledged: retry (e.g. a locked SQLite file) instead of dropping.
        for attempt in range(5):
            try:
                self._write_once(items)
                return
            except Exception:
                log.exception("storing %d node messages failed (attempt %d)", len(items), attempt + 1)
                time.sleep(0.2 * 2**attempt)

    def _write_once(self, items: list[NodeEvent | NodeStatus]) -> None:
        now = self.clock()
        events = [i for i in items if isinstance(i, NodeEvent)]
        statuses = [i for i in items if isinstance(i, NodeStatus)]
        with self.sessions() as session:
            new = insert_new_events(session, events, now)
            apply_to_as_run(session, new)
            for status in statuses:
                apply_status(session, status, now)
            session.commit()
        self.stored += len(new)

"""As-run ingest, the database side: node events stored exactly once (unique event_id), folded into as_run.

Only events that passed scheduler/ingest_accept.py arrive here. The writer (scheduler/ingest_writer.py) batches
them, so a burst from a thousand nodes costs a few transactions, not a thousand; scheduler/ingest_process.py
runs that writer in a supervised child process.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, aliased

from radio.db.models import Area, AsRun, AudioAssetRow, Bulletin, CommandRow, Node, NodeEventRow, Outcome
from radio.db.planning import NodeStatusChange
from radio.protocol import EventKind, NodeEvent, NodeStatus
from scheduler.ingest_rows import RowKey, RowState, load_rows, pg_int_array, pg_text_array
from station.accounting.rollups import deferred

log = logging.getLogger(__name__)

PLAYED_TOLERANCE_MS = 1000  # a reported played time beyond the item by more than this is flagged
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
    dialect = session.get_bind().dialect.name
    if dialect == "sqlite":
        return _insert_new_sqlite(session, unique, now)
    if dialect == "postgresql":
        return _insert_new_postgres(session, unique, now)
    rows = [
        {"event_id": e.event_id, "node_id": e.node_id, "kind": str(e.kind), "command_id": e.command_id,
         "at_ms": e.at_ms, "received_at": now, "detail": e.detail}
        for e in unique.values()
    ]
    insert_ = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert_(NodeEventRow).on_conflict_do_nothing(index_elements=["event_id"]).returning(NodeEventRow.event_id)
    new_ids = set(session.scalars(stmt, rows).all())
    return [e for e in unique.values() if e.event_id in new_ids]


def _insert_new_sqlite(session: Session, unique: dict[str, NodeEvent], now: datetime) -> list[NodeEvent]:
    # SQLite cannot RETURNING from executemany; one writer at a time holds the file, so "not there yet" read in
    # this transaction is "new", and INSERT OR IGNORE still guards the unique id. Driver-level statements skip
    # SQLAlchemy's per-row processing, the larger part of the cost at 10k events/s.
    conn = session.connection()
    existing: set[str] = set()
    ids = list(unique)
    for chunk in _chunks(ids, 900):
        existing.update(r[0] for r in conn.exec_driver_sql(
            f"SELECT event_id FROM node_events WHERE event_id IN ({','.join('?' * len(chunk))})", tuple(chunk)))
    new = [e for e in unique.values() if e.event_id not in existing]
    if new:
        received = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")  # UTCDateTime's stored form
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO node_events (event_id, node_id, kind, command_id, at_ms, received_at, detail) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(e.event_id, e.node_id, str(e.kind), e.command_id, e.at_ms, received, e.detail) for e in new])
    return new


# A per-connection staging table: rows are COPYed in (one round trip, no per-row statement), then moved with one
# INSERT … SELECT … ON CONFLICT DO NOTHING that returns the ids actually inserted. ON COMMIT DELETE ROWS empties it
# at the end of each transaction, so a batch never sees another's rows; temporary tables are never WAL-logged.
_PG_STAGE = "ingest_events_stage"
_PG_STAGE_DDL = (
    f"CREATE TEMPORARY TABLE IF NOT EXISTS {_PG_STAGE} (event_id VARCHAR(128), node_id VARCHAR(64), "
    "kind VARCHAR(16), command_id VARCHAR(36), at_ms BIGINT, received_at TIMESTAMP WITHOUT TIME ZONE, detail TEXT) "
    "ON COMMIT DELETE ROWS"
)
_PG_STAGE_COLUMNS = "event_id, node_id, kind, command_id, at_ms, received_at, detail"


def _insert_new_postgres(session: Session, unique: dict[str, NodeEvent], now: datetime) -> list[NodeEvent]:
    conn = session.connection()
    raw = conn.connection.dbapi_connection
    assert raw is not None
    # Looked up each time rather than remembered per connection: a CREATE in a transaction that rolled back is gone.
    if conn.exec_driver_sql(f"SELECT to_regclass('pg_temp.{_PG_STAGE}')").scalar() is None:
        conn.exec_driver_sql(_PG_STAGE_DDL)
    received = now.astimezone(UTC).replace(tzinfo=None)  # UTCDateTime's stored form
    with raw.cursor() as cur:
        with cur.copy(f"COPY {_PG_STAGE} ({_PG_STAGE_COLUMNS}) FROM STDIN") as copy:
            for e in unique.values():
                copy.write_row((e.event_id, e.node_id, str(e.kind), e.command_id, e.at_ms, received, e.detail))
        # Several copies of one id in the stage cannot happen (unique is a dict); ON CONFLICT guards the stored ones.
        cur.execute(f"INSERT INTO node_events ({_PG_STAGE_COLUMNS}) SELECT {_PG_STAGE_COLUMNS} FROM {_PG_STAGE} "
                    "ON CONFLICT (event_id) DO NOTHING RETURNING event_id")
        new_ids = {r[0] for r in cur.fetchall()}
        cur.execute(f"DELETE FROM {_PG_STAGE}")  # also emptied at commit; a retried batch must start clean
    return [e for e in unique.values() if e.event_id in new_ids]


_CHUNK = 400


def _chunks(items: list[Any], size: int = _CHUNK) -> Iterable[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def apply_to_as_run(session: Session, events: Iterable[NodeEvent], rows: dict[RowKey, RowState] | None = None) -> int:
    """Fold new events into as_run in a few set-based statements (no query per event); returns how many played
    times were flagged (beyond their item's length by more than PLAYED_TOLERANCE_MS, or negative).

    Each (command, node, attempt) has its own row: a replay after an emergency (attempt 2) gets a row of its own,
    copying the request of the first attempt. An event for a command the node was not expected on (e.g. it
    joined the area after dispatch) creates the row, asking for the bulletin's full length.

    `rows`: the as_run rows of the events' (command, node) pairs, already read in this transaction
    (scheduler.ingest_accept.accept_events reads them); read here when not given.
    """
    relevant = [e for e in events if e.command_id is not None and e.kind != EventKind.RECEIVED]
    if not relevant:
        return 0
    keys = sorted({(e.command_id or "", e.node_id) for e in relevant})
    rows = load_rows(session, keys) if rows is None else rows
    firsts = {(k[0], k[1]): st for k, st in sorted(rows.items(), key=lambda kv: kv[0][2], reverse=True)}
    missing = sorted({k for k in keys if k not in firsts})
    templates = _templates_for_unknown(session, missing)
    clamped = 0
    for event in relevant:
        pair = (event.command_id or "", event.node_id)
        key = (*pair, event.attempt)
        row = rows.get(key)
        if row is None:
            base = firsts.get(pair) or templates.get(pair)
            if base is None:
                log.warning("event %s for unknown command or node", event.event_id)
                continue
            row = RowState(None, pair[0], pair[1], event.attempt, base.bulletin_id, base.scheduled_start,
                            base.requested_ms, Outcome.PENDING, None, None, 0, "", changed=True)
            rows[key] = row
            firsts.setdefault(pair, row)
        clamped += _apply(row, event)
    changed = [r for r in rows.values() if r.changed]
    with deferred(session.connection()) as keys:
        _write_rows(session, changed)
        if session.get_bind().dialect.name == "sqlite":
            keys.update(_rollup_keys(session, changed))
    return clamped


def _rollup_keys(session: Session, rows: list[RowState]) -> set[tuple[int, int]]:
    """(bulletin, commune) pairs of the changed rows, for the deferred rollup refresh."""
    node_ids = sorted({r.node_id for r in rows})
    commune_of: dict[str, int] = {}
    village = aliased(Area)
    for chunk in _chunks(node_ids):
        commune_of.update((n, c) for n, c in session.execute(
            select(Node.id, village.parent_id).join(village, village.id == Node.village_id).where(Node.id.in_(chunk))
        ))
    return {(r.bulletin_id, commune_of[r.node_id]) for r in rows if commune_of.get(r.node_id) is not None}


def _apply(row: RowState, event: NodeEvent) -> int:
    """Advance one row; returns 1 when the reported played time was flagged as impossible."""
    if event.kind == EventKind.STARTED:
        row.started_at_ms = event.at_ms
        row.clock_offset_ms, row.clock_uncertainty_ms = event.clock_offset_ms, event.clock_uncertainty_ms
        if row.outcome == Outcome.PENDING:
            row.outcome = Outcome.STARTED
        row.changed = True
    elif event.kind in FINAL_BY_KIND:
        row.outcome = FINAL_BY_KIND[event.kind]
        row.ended_at_ms = event.at_ms
        reported = _played_ms(event, row.started_at_ms)
        # Never more than the item, never negative: a node restarted mid-play once reported 48 s of an 11 s item.
        # The raw figure is kept beside the clamped one, so the anomaly stays visible; a player's few ms of
        # overshoot (timers, decoder) are clamped without a flag.
        row.played_ms = min(max(reported, 0), row.requested_ms)
        anomalous = reported < 0 or reported > row.requested_ms + PLAYED_TOLERANCE_MS
        row.played_reported_ms = reported if anomalous else None
        if event.kind != EventKind.FINISHED:
            row.detail = event.detail
        row.changed = True
        return 1 if row.played_reported_ms is not None else 0
    return 0


def _templates_for_unknown(session: Session, pairs: list[tuple[str, str]]) -> dict[tuple[str, str], RowState]:
    """Rows to create for events of known commands on known nodes that have no as_run row yet."""
    if not pairs:
        return {}
    command_ids = sorted({c for c, _n in pairs})
    node_ids = sorted({n for _c, n in pairs})
    commands = {}
    for chunk in _chunks(command_ids):
        for cid, bid, start, issued, duration in session.execute(
            select(CommandRow.id, CommandRow.bulletin_id, CommandRow.start_at, CommandRow.issued_at,
                   AudioAssetRow.duration_ms)
            .join(Bulletin, Bulletin.id == CommandRow.bulletin_id)
            .join(AudioAssetRow, AudioAssetRow.id == Bulletin.audio_id)
            .where(CommandRow.id.in_(chunk))
        ):
            commands[cid] = (bid, start or issued, duration)
    known_nodes: set[str] = set()
    for chunk in _chunks(node_ids):
        known_nodes.update(session.scalars(select(Node.id).where(Node.id.in_(chunk))))
    out = {}
    for cid, nid in pairs:
        if cid in commands and nid in known_nodes:
            bid, start, duration = commands[cid]
            out[(cid, nid)] = RowState(None, cid, nid, 1, bid, start, duration, Outcome.PENDING, None, None, 0, "")
    return out


def _write_rows(session: Session, rows: list[RowState]) -> None:
    new = [r for r in rows if r.id is None]
    old = [r for r in rows if r.id is not None]
    if new:
        session.execute(insert(AsRun), [
            {"command_id": r.command_id, "node_id": r.node_id, "attempt": r.attempt, "bulletin_id": r.bulletin_id,
             "scheduled_start": r.scheduled_start, "requested_ms": r.requested_ms, "outcome": r.outcome,
             "started_at_ms": r.started_at_ms, "ended_at_ms": r.ended_at_ms, "played_ms": r.played_ms,
             "played_reported_ms": r.played_reported_ms, "detail": r.detail, "clock_offset_ms": r.clock_offset_ms,
             "clock_uncertainty_ms": r.clock_uncertainty_ms} for r in new])
    if not old:
        return
    if session.get_bind().dialect.name == "postgresql":
        # One statement for the batch: the rollup trigger (per statement) then refreshes once, not per row.
        for chunk in _chunks(old, 5000):
            # Array literals built here, parsed by the server: psycopg's list dumper costs ~1 µs per element.
            session.connection().exec_driver_sql(_PG_BULK_UPDATE, (
                pg_int_array(r.id for r in chunk), pg_text_array(r.outcome for r in chunk),
                pg_int_array(r.started_at_ms for r in chunk), pg_int_array(r.ended_at_ms for r in chunk),
                pg_int_array(r.played_ms for r in chunk), pg_text_array(r.detail for r in chunk),
                pg_int_array(r.played_reported_ms for r in chunk), pg_int_array(r.clock_offset_ms for r in chunk),
                pg_int_array(r.clock_uncertainty_ms for r in chunk)))
    else:
        session.connection().exec_driver_sql(
            "UPDATE as_run SET outcome = ?, started_at_ms = ?, ended_at_ms = ?, played_ms = ?, detail = ?, "
            "played_reported_ms = ?, clock_offset_ms = ?, clock_uncertainty_ms = ? WHERE id = ?",
            [(r.outcome, r.started_at_ms, r.ended_at_ms, r.played_ms, r.detail, r.played_reported_ms,
              r.clock_offset_ms, r.clock_uncertainty_ms, r.id) for r in old])


_PG_BULK_UPDATE = (
    "UPDATE as_run SET outcome = v.outcome, started_at_ms = v.started, ended_at_ms = v.ended, played_ms = v.played, "
    "detail = v.detail, played_reported_ms = v.reported, clock_offset_ms = v.offset_ms, "
    "clock_uncertainty_ms = v.uncertainty_ms "
    "FROM unnest(CAST(%s AS INTEGER[]), CAST(%s AS VARCHAR[]), CAST(%s AS BIGINT[]), "
    "CAST(%s AS BIGINT[]), CAST(%s AS INTEGER[]), CAST(%s AS TEXT[]), CAST(%s AS BIGINT[]), "
    "CAST(%s AS INTEGER[]), CAST(%s AS INTEGER[])) "
    "AS v(id, outcome, started, ended, played, detail, reported, offset_ms, uncertainty_ms) WHERE as_run.id = v.id"
)


def _played_ms(event: NodeEvent, started_at_ms: int | None) -> int:
    """What the node says it played: detail's played_ms, else the time since its start (unbounded here)."""
    try:
        played = json.loads(event.detail).get("played_ms", 0)
        if isinstance(played, int | float) and not isinstance(played, bool) and abs(played) < 2**62:
            return int(played)
    except (ValueError, AttributeError, TypeError, RecursionError):
        pass
    if started_at_ms is not None:
        return max(0, event.at_ms - started_at_ms)
    return 0


def apply_status(session: Session, status: NodeStatus, now: datetime) -> None:
    node = session.get(Node, status.node_id)
    if node is None:
        return
    if node.status_at is None or node.online != status.online:
        session.add(NodeStatusChange(node_id=node.id, at=now, online=status.online))
    node.online = status.online
    node.status_at = now
    if status.online:
        node.last_seen_at = now
    if status.agent_version:
        node.agent_version = status.agent_version

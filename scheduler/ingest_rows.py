"""The as_run rows a batch of node events touches, read once per batch for both the acceptance checks
(scheduler/ingest_accept.py: was the command sent to this node?) and the fold (scheduler/ingest.py).

PostgreSQL gets the batch's (command, node) pairs as two array literals joined with unnest(): one round trip, no
SQL text to parse, and no per-element work in the driver (psycopg dumps a Python list element by element, which
cost more than the database's own work at 20,000 events/s). Elsewhere a row-value IN per chunk of 400.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from radio.db.models import AsRun

_CHUNK = 400
RowKey = tuple[str, str, int]  # (command id, node id, attempt)


@dataclass
class RowState:
    """The as_run columns an event can change, plus what a new attempt row copies from the first."""

    id: int | None
    command_id: str
    node_id: str
    attempt: int
    bulletin_id: int
    scheduled_start: datetime
    requested_ms: int
    outcome: str
    started_at_ms: int | None
    ended_at_ms: int | None
    played_ms: int
    detail: str
    played_reported_ms: int | None = None
    clock_offset_ms: int | None = None  # the node's clock estimate for started_at_ms (see scheduler/lateness.py)
    clock_uncertainty_ms: int | None = None
    changed: bool = False


ROW_COLUMNS = (AsRun.id, AsRun.command_id, AsRun.node_id, AsRun.attempt, AsRun.bulletin_id, AsRun.scheduled_start,
               AsRun.requested_ms, AsRun.outcome, AsRun.started_at_ms, AsRun.ended_at_ms, AsRun.played_ms,
               AsRun.detail, AsRun.played_reported_ms, AsRun.clock_offset_ms, AsRun.clock_uncertainty_ms)


def pg_text_array(values: Iterable[str | None]) -> str:
    """A PostgreSQL text[] literal: every element quoted, so any character is safe."""
    return "{" + ",".join("NULL" if v is None else '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
                          for v in values) + "}"


def pg_int_array(values: Iterable[int | None]) -> str:
    """A PostgreSQL integer[] / bigint[] literal (str(int) cannot inject anything)."""
    return "{" + ",".join("NULL" if v is None else str(int(v)) for v in values) + "}"


# ROW_COLUMNS at driver level: the batch's pairs as two array literals joined with unnest().
_PG_LOAD_ROWS = (
    f"SELECT {', '.join(f'a.{c.key}' for c in ROW_COLUMNS)} FROM as_run a "
    "JOIN unnest(CAST(%s AS VARCHAR[]), CAST(%s AS VARCHAR[])) AS u(c, n) ON a.command_id = u.c AND a.node_id = u.n"
)


def load_rows(session: Session, pairs: list[tuple[str, str]]) -> dict[RowKey, RowState]:
    """Every attempt's as_run row of these (command id, node id) pairs."""
    if pairs and session.get_bind().dialect.name == "postgresql":
        # Driver-level on the ingest's hot path: SQLAlchemy's statement and result processing cost more per row
        # than the database's own work. scheduled_start comes back naive UTC (UTCDateTime's stored form).
        rows = session.connection().exec_driver_sql(_PG_LOAD_ROWS, (pg_text_array(c for c, _n in pairs),
                                                                     pg_text_array(n for _c, n in pairs)))
        return {(r[1], r[2], r[3]): RowState(r[0], r[1], r[2], r[3], r[4], r[5].replace(tzinfo=UTC), *r[6:])
                for r in rows}
    query = select(*ROW_COLUMNS)
    return {(r.command_id, r.node_id, r.attempt): RowState(*r)
            for i in range(0, len(pairs), _CHUNK)
            for r in session.execute(query.where(tuple_(AsRun.command_id, AsRun.node_id).in_(pairs[i:i + _CHUNK])))}

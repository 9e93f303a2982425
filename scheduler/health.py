"""Health: node health from heartbeats (the latest one per node is kept on the node row), and the scheduler's
own health record (MQTT link, ingest writer and its counters) that the web's /healthz shows."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from radio.db.models import Node, ServiceHealth
from radio.protocol import Heartbeat


def apply_heartbeats(session: Session, heartbeats: Iterable[Heartbeat], now: datetime) -> None:
    """One UPDATE per node with its newest heartbeat of the batch (10,000 nodes beat every minute)."""
    latest: dict[str, Heartbeat] = {}
    for hb in heartbeats:
        if hb.node_id not in latest or hb.at_ms >= latest[hb.node_id].at_ms:
            latest[hb.node_id] = hb
    for hb in latest.values():
        session.execute(
            update(Node).where(Node.id == hb.node_id).values(
                heartbeat_at=now, last_seen_at=now, volume=hb.volume, clock_offset_ms=hb.clock_offset_ms,
                cache_bytes=hb.cache_bytes, cache_limit_bytes=hb.cache_limit_bytes,
                current_command_id=hb.current_command_id, uptime_s=hb.uptime_s, outbox=hb.outbox,
                **({"agent_version": hb.agent_version} if hb.agent_version else {}),
            )
        )


# --- the scheduler's own health, for /healthz --------------------------------------------------------------
SCHEDULER = "scheduler"
# The leader writes its record every leader_ttl_s / 3 (2 s by default); older than this, it is not running.
STALE_AFTER = timedelta(seconds=15)


def write_service_health(session: Session, name: str, holder: str, ok: bool, detail: dict[str, Any],
                         now: datetime, *, only_own: bool = False) -> None:
    """only_own: leave a record written by another holder alone (a leader that lost its lease saying "stopped"
    must not overwrite the new leader's record)."""
    row = session.get(ServiceHealth, name)
    if row is not None and only_own and row.holder != holder:
        return
    if row is None:
        row = ServiceHealth(name=name)
        session.add(row)
    row.holder, row.ok, row.updated_at, row.detail = holder, ok, now, detail
    session.commit()


def read_service_health(session: Session, name: str, now: datetime) -> dict[str, Any] | None:
    """What /healthz shows for a server process: None if it never reported, else its record, judged stale or not.
    ok is false when it says so, when it stopped, or when it stopped reporting (killed)."""
    row = session.get(ServiceHealth, name)
    if row is None:
        return None
    stale = now - row.updated_at > STALE_AFTER
    state = str(row.detail.get("state", "running"))
    return {"ok": row.ok and not stale and state == "running", "state": "not reporting" if stale else state,
            "holder": row.holder, "updated_at": row.updated_at.isoformat(timespec="seconds"),
            **{k: v for k, v in row.detail.items() if k != "state"}}

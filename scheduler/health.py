"""Node health from heartbeats: the latest one per node is kept on the node row."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from radio.db.models import Node
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
                clock_uncertainty_ms=hb.clock_uncertainty_ms, clock_drift_ppm=hb.clock_drift_ppm,
                clock_source=hb.clock_source,
                cache_bytes=hb.cache_bytes, cache_limit_bytes=hb.cache_limit_bytes,
                current_command_id=hb.current_command_id, uptime_s=hb.uptime_s, outbox=hb.outbox,
                storage_error=(hb.storage_error or "")[:500] or None,
                **({"agent_version": hb.agent_version} if hb.agent_version else {}),
            )
        )

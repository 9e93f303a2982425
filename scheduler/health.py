"""Node health from heartbeats: the latest one per node is kept on the node row."""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from radio.db.models import Node
from radio.protocol import Heartbeat

log = logging.getLogger(__name__)

INT64_MAX = 2**63 - 1
NETWORKS = frozenset({"2G", "3G", "4G", "5G", "Wi-Fi"})
EARLIEST_MAINS_LOSS = datetime(2020, 1, 1, tzinfo=UTC)  # before this a box's clock was simply not set
TELEMETRY_COLUMNS = ("temperature_c", "storage_free_bytes", "storage_total_bytes", "latitude", "longitude",
                     "signal_dbm", "network", "amplifier_on", "mains_on", "mains_lost_at")


def _number(value: Any, lo: float, hi: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return None
    return float(value) if lo <= value <= hi else None


def _integer(value: Any, lo: int, hi: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if lo <= value <= hi else None


def telemetry_values(raw: Mapping[str, Any] | None, now: datetime) -> tuple[dict[str, Any], list[str]]:
    """The node row's telemetry columns from a heartbeat's `telemetry`, and the fields refused.

    Never trusted: each field is checked on its own against what a box can really report (one bad field
    costs only that field), and a field the box did not send becomes NULL (the page then says nothing rather
    than showing a stale reading as current)."""
    raw = raw or {}
    refused: list[str] = []

    def take(name: str, value: Any) -> Any:
        if raw.get(name) is not None and value is None:
            refused.append(name)
        return value

    temperature = take("temperature_c", _number(raw.get("temperature_c"), -40.0, 125.0))
    free = take("storage_free_bytes", _integer(raw.get("storage_free_bytes"), 0, INT64_MAX))
    total = take("storage_total_bytes", _integer(raw.get("storage_total_bytes"), 1, INT64_MAX))
    if free is not None and total is not None and free > total:  # more free than there is: neither is right
        refused += ["storage_free_bytes", "storage_total_bytes"]
        free = total = None
    lat = take("latitude", _number(raw.get("latitude"), -90.0, 90.0))
    lon = take("longitude", _number(raw.get("longitude"), -180.0, 180.0))
    if (lat is None) != (lon is None):  # half a position is no position
        refused.append("longitude" if lon is None else "latitude")
        lat = lon = None
    network = raw.get("network")
    mains = take("mains_on", raw["mains_on"] if isinstance(raw.get("mains_on"), bool) else None)
    lost_at = None
    lost_ms = _integer(raw.get("mains_lost_at_ms"), 0, INT64_MAX)
    if lost_ms is not None and lost_ms // 1000 < 10**11:  # within datetime's range before converting
        lost_at = datetime.fromtimestamp(lost_ms / 1000, UTC)
        if not EARLIEST_MAINS_LOSS <= lost_at <= now + timedelta(days=1) or mains is not False:
            lost_at = None  # a loss in the future, in the past century, or while mains is on
    take("mains_lost_at_ms", lost_at)
    values = {
        "temperature_c": None if temperature is None else round(temperature, 1),
        "storage_free_bytes": free, "storage_total_bytes": total,
        "latitude": None if lat is None else round(lat, 6), "longitude": None if lon is None else round(lon, 6),
        "signal_dbm": take("signal_dbm", _integer(raw.get("signal_dbm"), -150, 0)),
        "network": take("network", network if network in NETWORKS else None),
        "amplifier_on": take("amplifier_on", raw["amplifier_on"] if isinstance(raw.get("amplifier_on"), bool)
                             else None),
        "mains_on": mains, "mains_lost_at": lost_at,
    }
    return values, refused


def apply_heartbeats(session: Session, heartbeats: Iterable[Heartbeat], now: datetime) -> int:
    """One UPDATE per node with its newest heartbeat of the batch (10,000 nodes beat every minute); returns
    how many telemetry fields were refused (each is also logged with its node)."""
    latest: dict[str, Heartbeat] = {}
    for hb in heartbeats:
        if hb.node_id not in latest or hb.at_ms >= latest[hb.node_id].at_ms:
            latest[hb.node_id] = hb
    refused_total = 0
    for hb in latest.values():
        telemetry, refused = telemetry_values(hb.telemetry, now)
        if refused:
            refused_total += len(refused)
            log.warning("node %s: telemetry field(s) out of range, not stored: %s", hb.node_id,
                        ", ".join(sorted(set(refused))))
        session.execute(
            update(Node).where(Node.id == hb.node_id).values(
                heartbeat_at=now, last_seen_at=now, volume=hb.volume, clock_offset_ms=hb.clock_offset_ms,
                clock_uncertainty_ms=hb.clock_uncertainty_ms, clock_drift_ppm=hb.clock_drift_ppm,
                clock_source=hb.clock_source,
                cache_bytes=hb.cache_bytes, cache_limit_bytes=hb.cache_limit_bytes,
                current_command_id=hb.current_command_id, uptime_s=hb.uptime_s, outbox=hb.outbox,
                storage_error=(hb.storage_error or "")[:500] or None,
                **telemetry,
                **({"agent_version": hb.agent_version} if hb.agent_version else {}),
            )
        )
    return refused_total

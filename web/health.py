"""Liveness probe for monitoring and the service manager; public, no login needed.

/healthz answers for the whole chain, not only for the web: the scheduler writes its own health (MQTT link,
ingest writer, counts of stored, refused and clamped node messages) every few seconds, and a scheduler that
stopped writing or whose ingest writer is down makes /healthz fail (503), so monitoring sees as-run recording
stop instead of a cheerful "ok".
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Blueprint
from flask.typing import ResponseReturnValue

from radio.protocol.clock import time_answer
from station.service_health import SCHEDULER, read_service_health
from web.context import get_db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    # No record: this web runs without a scheduler of its own (development, tests); nothing to judge.
    scheduler = read_service_health(get_db(), SCHEDULER, datetime.now(UTC))
    ok = scheduler is None or bool(scheduler["ok"])
    return {"ok": ok, "scheduler": scheduler}, 200 if ok else 503


@bp.get("/time")
def server_time() -> ResponseReturnValue:
    """Server wall clock, for nodes to measure their clock offset (NTP-style round trip)."""
    return time_answer()

"""Liveness probe for monitoring and the service manager; public, no session needed."""

from __future__ import annotations

import time

from flask import Blueprint
from flask.typing import ResponseReturnValue

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    return {"ok": True}


@bp.get("/time")
def server_time() -> ResponseReturnValue:
    """Server wall clock in epoch ms, for nodes to measure their clock offset (NTP-style round trip)."""
    return {"now_ms": time.time_ns() // 1_000_000}

"""Live updates for the loudspeaker pages: Server-Sent Events fed by polling the database.

The scheduler process writes node status, heartbeats and as-run rows; the web (possibly another process or
machine) reads them here about once a second, so no message bus between the two is needed. Each connection
sends only what changed since its last poll, a comment line as a keep-alive, and closes after
LIVE_MAX_S (10 minutes): EventSource reconnects by itself after `retry`, and a closed stream frees the
server thread a forgotten browser tab would otherwise hold for ever.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import Blueprint, Response, current_app, request, stream_with_context
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from radio.db.models import AsRun, Bulletin, Node, Outcome, Role
from radio.db.types import utcnow
from station.isolation import Scope, restrict
from web.authz import current_scope, register
from web.context import radio_ctx
from web.node_telemetry import device_summary, telemetry_facts
from web.timefmt import format_local

bp = Blueprint("live", __name__, url_prefix="/live")
POLL_S = 1.0
MAX_S = 600.0
RETRY_MS = 3000
KEEPALIVE_S = 15.0
PLAYING_LIMIT = 200
# Rows changed slightly before the previous poll (clocks of two processes, commit delays) are read again;
# the per-connection cache drops those that did not really change.
OVERLAP = timedelta(seconds=5)
CLOCK_WARN_MS = 50

register("live.stream", frozenset(Role))


def sse(event: str, data: Any) -> str:
    """One SSE message; JSON on a single data line (json.dumps never emits a raw newline)."""
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False, separators=(',', ':'))}\n\n"


def file_size(value: int | None) -> str:
    """Bytes the way a technician reads a disk: 1,5 GB, 320,0 MB (decimal units, Vietnamese decimal comma)."""
    if value is None:
        return "—"
    for unit, size in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if value >= size:
            return f"{value / size:.1f}".replace(".", ",") + f" {unit}"
    return f"{value} B"


def node_state(node: Node) -> dict[str, Any]:
    """What the pages show of a node, formatted here so the browser script only copies text in."""
    tz = radio_ctx().tz
    facts = telemetry_facts(node, tz)
    device = device_summary(facts)
    cache_pct = (min(100, round(100 * node.cache_bytes / node.cache_limit_bytes))
                 if node.cache_bytes is not None and node.cache_limit_bytes else None)
    return {
        "id": node.id,
        "online": bool(node.online),
        "status": _("Trực tuyến") if node.online else _("Mất kết nối"),
        "since": format_local(node.status_at, tz),
        "last_seen": format_local(node.last_seen_at, tz),
        "heartbeat": format_local(node.heartbeat_at, tz),
        "volume": "—" if node.volume is None else str(node.volume),
        "clock_offset": "—" if node.clock_offset_ms is None else f"{node.clock_offset_ms:+d} ms",
        "clock_warn": node.clock_offset_ms is not None and abs(node.clock_offset_ms) > CLOCK_WARN_MS,
        "cache_pct": cache_pct,
        "cache_text": "—" if cache_pct is None else
        f"{file_size(node.cache_bytes)} / {file_size(node.cache_limit_bytes)} ({cache_pct}%)",
        "outbox": "—" if node.outbox is None else str(node.outbox),
        "version": node.agent_version or "—",
        # The box's telemetry in words (web/node_telemetry.py): each fact for the loudspeaker's page, and the
        # one-line summary of what needs a visit for the list.
        "facts": [{"field": f.field, "text": f.text, "warn": f.warn} for f in facts],
        "device": device[0],
        "device_warn": device[1],
    }


def changed_nodes(session: Session, since: datetime | None, node_id: str | None, scope: Scope = None) -> list[Node]:
    query = restrict(select(Node), Node, scope).order_by(Node.id)
    if node_id is not None:
        query = query.where(Node.id == node_id)
    if since is not None:
        query = query.where(or_(Node.status_at >= since, Node.last_seen_at >= since, Node.heartbeat_at >= since))
    return list(session.scalars(query))


def now_playing(session: Session, node_id: str | None, scope: Scope = None) -> list[dict[str, Any]]:
    """As-run rows a node has started and not finished: what is on air right now (on the scope's nodes)."""
    query = (
        restrict(select(AsRun.node_id, Node.name, AsRun.bulletin_id, Bulletin.title, Bulletin.priority,
                        AsRun.started_at_ms), AsRun, scope)
        .join(Node, AsRun.node_id == Node.id).join(Bulletin, AsRun.bulletin_id == Bulletin.id)
        .where(AsRun.outcome == Outcome.STARTED, AsRun.started_at_ms.is_not(None), AsRun.ended_at_ms.is_(None))
        .order_by(AsRun.node_id).limit(PLAYING_LIMIT)
    )
    if node_id is not None:
        query = query.where(AsRun.node_id == node_id)
    return [{"node_id": n, "node": name, "bulletin_id": b, "title": title, "priority": priority, "started_ms": ms}
            for n, name, b, title, priority, ms in session.execute(query)]


@dataclass
class Stream:
    """One connection's view of what it has already sent."""

    node_id: str | None
    poll_s: float
    max_s: float
    keepalive_s: float
    nodes: dict[str, dict[str, Any]]
    playing: list[dict[str, Any]] | None = None
    # The user's areas, fixed when the stream opens (the generator runs outside the request's login).
    scope: Scope = None

    def events(self) -> Iterator[str]:
        sessions = radio_ctx().sessionmaker
        started = last_sent = time.monotonic()
        since: datetime | None = None
        yield f"retry: {RETRY_MS}\n\n"
        while time.monotonic() - started < self.max_s:
            polled_at = utcnow()
            # A fresh session per poll: each read sees what the scheduler has committed since the last one.
            with sessions() as session:
                out = self._node_events(changed_nodes(session, since, self.node_id, self.scope))
                out += self._playing_event(now_playing(session, self.node_id, self.scope))
            since = polled_at - OVERLAP
            if out:
                last_sent = time.monotonic()
                yield "".join(out)
            elif time.monotonic() - last_sent >= self.keepalive_s:
                last_sent = time.monotonic()
                yield f": keep-alive {int(time.time())}\n\n"
            time.sleep(self.poll_s)
        yield sse("bye", {"reconnect_ms": RETRY_MS})

    def _node_events(self, nodes: list[Node]) -> list[str]:
        out = []
        for node in nodes:
            state = node_state(node)
            if self.nodes.get(node.id) != state:
                self.nodes[node.id] = state
                out.append(sse("node", state))
        return out

    def _playing_event(self, playing: list[dict[str, Any]]) -> list[str]:
        if playing == self.playing:
            return []
        self.playing = playing
        return [sse("playing", playing)]


@bp.get("/stream")
def stream() -> Response:
    """text/event-stream of "node" and "playing" events; ?node=<id> limits it to one loudspeaker."""
    config = current_app.config
    live = Stream(node_id=request.args.get("node") or None, poll_s=float(config.get("LIVE_POLL_S", POLL_S)),
                  max_s=float(config.get("LIVE_MAX_S", MAX_S)),
                  keepalive_s=float(config.get("LIVE_KEEPALIVE_S", KEEPALIVE_S)), nodes={}, scope=current_scope())
    response = Response(stream_with_context(live.events()), mimetype="text/event-stream")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Accel-Buffering"] = "no"  # nginx must pass events through, not buffer them
    return response

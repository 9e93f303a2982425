"""A server process's own health record (the scheduler's MQTT link, ingest writer and its counters): written by
the process every few seconds, read by the web's /healthz. In station because both web and scheduler use it."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from radio.db.models import ServiceHealth

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

"""The audit trail: who wrote, approved, scheduled, changed or stopped what, with before and after.

Shared by the web, the REST API and the CLI. `record` only adds a row (never commits), so the entry is
written in the same transaction as the change it describes: both land, or neither does.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from radio.db.governance import AuditEntry
from radio.db.types import utcnow


@dataclass(frozen=True)
class Actor:
    """Who is acting: a snapshot of the user (web session or API token), never a session-bound ORM row."""

    user_id: int | None
    role: str
    area_id: int | None
    username: str


# Work the server does on its own behalf (CLI, scheduler): it has no user but is still recorded.
SYSTEM = Actor(None, "system", None, "system")


def _plain(value: Any) -> Any:
    """A JSON-safe value: the JSON column would otherwise fail on datetimes and times at flush."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    return value


def snapshot(obj: Any, fields: Iterable[str]) -> dict[str, Any]:
    """The named attributes of a row as a JSON-safe dict, for `before` / `after`."""
    return {name: _plain(getattr(obj, name, None)) for name in fields}


def record(
    session: Session,
    actor: Actor | None,
    action: str,
    obj_type: str,
    obj_id: object,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    detail: str = "",
    area_id: int | None = None,
    remote_addr: str = "",
) -> AuditEntry:
    """Add one audit entry (flushed so it has an id, not committed)."""
    who = actor or SYSTEM
    entry = AuditEntry(
        at=utcnow(), user_id=who.user_id, username=who.username[:64], action=action[:48],
        object_type=obj_type[:32], object_id=str(obj_id)[:64], area_id=area_id,
        before=_plain(before) if before is not None else None, after=_plain(after) if after is not None else None,
        detail=detail, remote_addr=(remote_addr or "")[:64],
    )
    session.add(entry)
    session.flush()
    return entry


@dataclass(frozen=True)
class AuditFilter:
    """What the audit page asks for; times are aware (the view converts the user's local dates)."""

    area_ids: set[int] | None = None  # None: every area and the entries without one (admin)
    user_id: int | None = None
    action: str = ""
    start: datetime | None = None
    end: datetime | None = None


def audit_query(flt: AuditFilter) -> Select[AuditEntry]:
    """Entries matching the filter, newest first."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if flt.area_ids is not None:
        query = query.where(AuditEntry.area_id.in_(flt.area_ids))
    if flt.user_id is not None:
        query = query.where(AuditEntry.user_id == flt.user_id)
    if flt.action:
        # "article" matches every article.* action; "article.approve" only itself.
        query = query.where(AuditEntry.action.startswith(flt.action) if "." not in flt.action
                            else AuditEntry.action == flt.action)
    if flt.start is not None:
        query = query.where(AuditEntry.at >= flt.start)
    if flt.end is not None:
        query = query.where(AuditEntry.at < flt.end)
    return query

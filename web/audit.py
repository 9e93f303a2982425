"""The audit log page and CSV export, and `log_action`, the one call views use to record a change.

Leaders and monitors see the entries of their own area (and below); admins see everything, including
entries tied to no area (user accounts, lexicon, logins of national accounts).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, Response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.governance import AuditEntry
from radio.db.models import Area, User
from station.audit import AuditFilter, audit_query, record
from web.audit_words import AuditWords
from web.authz import current_actor, remote_addr
from web.context import get_db, radio_ctx
from web.i18n import translate
from web.labels import ACTION_LABELS
from web.reports.exports import safe_cell
from web.scope import visible_area_ids, visible_communes
from web.timefmt import format_local

bp = Blueprint("audit", __name__, url_prefix="/audit")
PAGE_SIZE = 50
EXPORT_LIMIT = 100_000  # a year of a province's changes; more belongs in a database query, not Excel


def log_action(action: str, obj_type: str, obj_id: object, before: dict[str, Any] | None,
               after: dict[str, Any] | None, detail: str = "", area_id: int | None = None,
               session: Session | None = None) -> AuditEntry:
    """Record what the current user just did, in the request's transaction (the caller commits)."""
    return record(session or get_db(), current_actor(), action, obj_type, obj_id, before, after, detail,
                  area_id=area_id, remote_addr=remote_addr())


@dataclass(frozen=True)
class Query:
    """The page's filters as typed values, plus what is echoed back into the form."""

    flt: AuditFilter
    args: dict[str, str]
    page: int


def _local_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _parse(db: Session) -> Query:
    actor = current_actor()
    scope = visible_area_ids(db, actor.area_id)
    area_ids = scope
    chosen = request.args.get("area", type=int)
    if chosen is not None and (scope is None or chosen in scope):
        area_ids = visible_area_ids(db, chosen) or {chosen}  # an area and everything below it
    tz = radio_ctx().tz
    # Dates are the user's (Vietnam) days: "to 31/12" includes the whole of that local day.
    start_day, end_day = _local_day(request.args.get("from")), _local_day(request.args.get("to"))
    start = datetime.combine(start_day, time(), tz) if start_day else None
    end = datetime.combine(end_day + timedelta(days=1), time(), tz) if end_day else None
    flt = AuditFilter(area_ids=area_ids, user_id=request.args.get("user", type=int),
                      action=(request.args.get("action") or "").strip(), start=start, end=end)
    args = {k: request.args.get(k, "") for k in ("area", "user", "action", "from", "to")}
    return Query(flt, args, max(request.args.get("page", 1, type=int) or 1, 1))


def _area_names(db: Session, entries: list[AuditEntry]) -> dict[int, str]:
    ids = {e.area_id for e in entries if e.area_id is not None}
    return dict(db.execute(select(Area.id, Area.name).where(Area.id.in_(ids))).all()) if ids else {}


def _users_in_scope(db: Session) -> list[User]:
    scope = visible_area_ids(db, current_actor().area_id)
    query = select(User).order_by(User.username)
    if scope is not None:
        query = query.where(User.area_id.in_(scope))
    return list(db.scalars(query))


@bp.get("/")
def index() -> ResponseReturnValue:
    db = get_db()
    q = _parse(db)
    # One extra row tells whether a next page exists without a COUNT over the whole log.
    rows = list(db.scalars(audit_query(q.flt).offset((q.page - 1) * PAGE_SIZE).limit(PAGE_SIZE + 1)))
    entries = rows[:PAGE_SIZE]
    return render_template(
        "audit/list.html", entries=entries, page=q.page, has_next=len(rows) > PAGE_SIZE, has_prev=q.page > 1,
        args=q.args, areas=visible_communes(db, current_actor().area_id), users=_users_in_scope(db),
        area_names=_area_names(db, entries), actions=ACTION_LABELS, action_label=action_label,
        words=AuditWords(db, entries, radio_ctx().tz),
    )


def action_label(action: str) -> str:
    return _(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def _cell(value: Any) -> object:
    # Every exported spreadsheet shares one neutralisation (web.reports.exports.safe_cell).
    return safe_cell("" if value is None else str(value))


@bp.get("/export.csv")
def export_csv() -> ResponseReturnValue:
    db = get_db()
    q = _parse(db)
    entries = list(db.scalars(audit_query(q.flt).limit(EXPORT_LIMIT)))
    names = _area_names(db, entries)
    tz = radio_ctx().tz
    words = AuditWords(db, entries, tz)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Thời gian (giờ Việt Nam)"), _("Người thực hiện"), _("Hành động"), _("Đối tượng"), _("Mã"),
                     _("Khu vực"), _("Thay đổi"), _("Ghi chú"), _("Địa chỉ IP")])
    for e in entries:
        writer.writerow([_cell(v) for v in (
            format_local(e.at, tz), e.username, action_label(e.action), words.subject(e), e.object_id,
            names.get(e.area_id, "") if e.area_id else "", "; ".join(words.changes(e)), translate(e.detail),
            e.remote_addr)])
    # The BOM makes Excel open the file as UTF-8; without it Vietnamese letters turn into mojibake.
    body = "\ufeff" + out.getvalue()
    return Response(body.encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="nhat-ky-thao-tac.csv"'})

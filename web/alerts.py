"""Alerts for staff in the web: the bell (unread count, in every page's menu), the alerts page, preferences.

Rows come from the scheduler's evaluator (station/alerts); here they are only read, scoped by area through
station.isolation like every other list, and filtered by the user's chosen kinds.
"""

from __future__ import annotations

import re
from datetime import timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import Select, func, select
from sqlalchemy.dialects import postgresql, sqlite

from radio.db.alerts import Alert, AlertPreference, AlertRead
from radio.db.models import Role
from radio.db.types import utcnow
from station.alerts.kinds import AlertKind
from station.alerts.messages import TITLES, describe
from web.authz import register, scoped
from web.context import get_db, radio_ctx
from web.i18n import current_language

bp = Blueprint("alerts", __name__, url_prefix="/alerts")
EVERYONE = tuple(Role)
register("alerts.index", EVERYONE)
register("alerts.mark_read", (), EVERYONE)
register("alerts.preferences", EVERYONE, EVERYONE)
# The page and the bell look back this far: older alerts are history (the audit and reports keep the rest).
SHOWN_DAYS = 30
PAGE_SIZE = 100
EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s]{1,190}\.[^@\s]{2,}")


def _preference() -> AlertPreference | None:
    return get_db().get(AlertPreference, current_user.id)


def _visible() -> Select[tuple[Alert]]:
    """The user's alerts: in their area, of the kinds they want, recent."""
    query = scoped(select(Alert), Alert).where(Alert.opened_at >= utcnow() - timedelta(days=SHOWN_DAYS))
    pref = _preference()
    if pref is not None and pref.kinds is not None:
        query = query.where(Alert.kind.in_(pref.kinds or ["-"]))
    return query


def _unread(query: Select[tuple[Alert]]) -> Select[tuple[Alert]]:
    read = select(AlertRead.alert_id).where(AlertRead.user_id == current_user.id)
    return query.where(Alert.id.not_in(read))


def unread_count() -> int:
    """For the bell in the menu (templates/alerts/_bell.html); 0 when nobody is logged in."""
    if not current_user.is_authenticated:
        return 0
    subquery = _unread(_visible()).subquery()
    return int(get_db().scalar(select(func.count()).select_from(subquery)) or 0)


@bp.get("/")
def index() -> ResponseReturnValue:
    db = get_db()
    alerts = db.scalars(_visible().order_by(Alert.opened_at.desc(), Alert.id.desc()).limit(PAGE_SIZE)).all()
    unread = set(db.scalars(_unread(_visible()).with_only_columns(Alert.id)))
    tz, language = radio_ctx().tz, current_language()
    rows = [(a, *describe(a, tz, language), a.id in unread) for a in alerts]
    return render_template("alerts/list.html", rows=rows)


@bp.post("/read")
def mark_read() -> ResponseReturnValue:
    """Mark every alert the user sees as read (the page's one button)."""
    db = get_db()
    ids = list(db.scalars(_unread(_visible()).with_only_columns(Alert.id)))
    if ids:
        insert = postgresql.insert if db.get_bind().dialect.name == "postgresql" else sqlite.insert
        now = utcnow()
        db.execute(insert(AlertRead).values([{"alert_id": i, "user_id": current_user.id, "read_at": now}
                                             for i in ids]).on_conflict_do_nothing())
        db.commit()
    return redirect(url_for("alerts.index"))


@bp.route("/preferences", methods=["GET", "POST"])
def preferences() -> ResponseReturnValue:
    db = get_db()
    pref = _preference()
    error = ""
    if request.method == "POST":
        kinds = [k for k in request.form.getlist("kind") if k in set(AlertKind)]
        email = request.form.get("email", "").strip()[:254]
        email_enabled = request.form.get("email_enabled") == "on"
        if email and not EMAIL.fullmatch(email):
            error = _("Địa chỉ e-mail không hợp lệ.")
        elif email_enabled and not email:
            error = _("Hãy nhập địa chỉ e-mail để nhận cảnh báo qua e-mail.")
        else:
            if pref is None:
                pref = AlertPreference(user_id=current_user.id)
                db.add(pref)
            pref.kinds = None if len(kinds) == len(AlertKind) else kinds
            pref.email = email
            pref.email_enabled = email_enabled
            pref.weekly_summary = current_user.role == Role.MONITOR and request.form.get("weekly_summary") == "on"
            pref.updated_at = utcnow()
            db.commit()
            flash(_("Đã lưu cài đặt cảnh báo."), "success")
            return redirect(url_for("alerts.preferences"))
    chosen = set(AlertKind) if pref is None or pref.kinds is None else set(pref.kinds)
    index = 1 if current_language() == "en" else 0
    kinds = [(k.value, TITLES[k][index], k in chosen) for k in AlertKind]
    return render_template("alerts/preferences.html", pref=pref, kinds=kinds, error=error,
                           is_monitor=current_user.role == Role.MONITOR), 400 if error else 200

"""The weekly summary for monitors: last week's period report (XLSX, the same builder as the web's export)
and the week's alerts, e-mailed once per monitor per week."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from radio.db.alerts import Alert, AlertPreference, WeeklySummarySent
from radio.db.models import Area, AreaLevel, Role, User
from station.accounting.periods import Period
from station.accounting.queries import Scope, area_scope
from station.accounting.report_export import XLSX_MIME, table_xlsx
from station.accounting.report_table import DEFAULT_COLUMNS, build_table
from station.alerts.delivery import covers
from station.alerts.mailer import Attachment, Mailer

log = logging.getLogger(__name__)


def last_week(now: datetime, tz: ZoneInfo) -> Period:
    """Monday to Sunday of the last full week before `now` (local dates)."""
    today = now.astimezone(tz).date()
    start = today - timedelta(days=today.weekday() + 7)
    end = start + timedelta(days=6)
    return Period(start, end, f"Tuần {start:%d/%m} – {end:%d/%m/%Y}")


def _scope(session: Session, user: User) -> tuple[Scope, Area | None]:
    area = session.get(Area, user.area_id) if user.area_id is not None else None
    if area is not None:
        return area_scope(session, area), area
    communes = session.scalars(select(Area.id).where(Area.level == AreaLevel.COMMUNE).order_by(Area.code)).all()
    return Scope("Toàn quốc", tuple(communes)), None


def send_weekly(session: Session, mailer: Mailer, now: datetime, tz: ZoneInfo) -> int:
    """Mail last week's summary to every monitor who asked for it and has not had it yet; returns how many."""
    if not mailer.config.enabled:
        return 0
    period = last_week(now, tz)
    lo, hi = period.utc_bounds(tz)
    sent = 0
    monitors = session.execute(
        select(User, AlertPreference).join(AlertPreference, AlertPreference.user_id == User.id)
        .where(User.role == Role.MONITOR, User.active.is_(True), AlertPreference.weekly_summary.is_(True),
               AlertPreference.email != "")
    ).all()
    for user, pref in monitors:
        if session.scalar(select(func.count()).select_from(WeeklySummarySent)
                          .where(WeeklySummarySent.user_id == user.id, WeeklySummarySent.week_start == period.start)):
            continue
        scope, area = _scope(session, user)
        table = build_table(session, scope, area, period, "commune", list(DEFAULT_COLUMNS))
        data = table_xlsx(table, generated=now.astimezone(tz))
        alerts = [a for a in session.scalars(select(Alert).where(Alert.opened_at >= lo, Alert.opened_at < hi))
                  if covers(session, user, a.area_id)]
        body = (f"Báo cáo tuần {period.start:%d/%m} – {period.end:%d/%m/%Y} của {scope.label} (tệp đính kèm).\n"
                f"Số cảnh báo trong tuần: {len(alerts)}.\n\n"
                f"Weekly report for {period.start:%d/%m} – {period.end:%d/%m/%Y}, {scope.label} (attached).\n"
                f"Alerts this week: {len(alerts)}.\n")
        name = f"bao-cao-tuan-{period.start}-{period.end}.xlsx"
        try:
            mailer.send(pref.email, f"[Đài truyền thanh] Báo cáo tuần {period.start:%d/%m/%Y}", body,
                        (Attachment(name, XLSX_MIME, data),))
        except (smtplib.SMTPException, OSError):
            log.exception("could not mail the weekly summary to user %s: will try again", user.id)
            return sent
        session.add(WeeklySummarySent(user_id=user.id, week_start=period.start, sent_at=now))
        session.commit()
        sent += 1
    return sent

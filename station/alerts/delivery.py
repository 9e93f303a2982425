"""Who receives an alert, and sending the e-mails of new alerts (each alert is mailed once)."""

from __future__ import annotations

import logging
import smtplib
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.alerts import Alert, AlertPreference
from radio.db.models import User
from station.alerts.mailer import Mailer
from station.alerts.messages import describe
from station.isolation import scope_of

log = logging.getLogger(__name__)
# Alerts older than this that were never mailed (SMTP was down for a day) are not sent any more: stale news.
MAIL_MAX_AGE = timedelta(hours=24)


def wants(pref: AlertPreference | None, kind: str) -> bool:
    """No preference row, or kinds NULL: every kind. An empty list: none."""
    return pref is None or pref.kinds is None or kind in pref.kinds


def covers(session: Session, user: User, area_id: int | None) -> bool:
    """The alert's area lies in the user's scope (national accounts see every alert)."""
    scope = scope_of(session, user.area_id)
    return scope is None or (area_id is not None and area_id in scope)


def mail_recipients(session: Session, alert: Alert) -> list[tuple[User, AlertPreference]]:
    rows = session.execute(
        select(User, AlertPreference).join(AlertPreference, AlertPreference.user_id == User.id)
        .where(User.active.is_(True), AlertPreference.email_enabled.is_(True), AlertPreference.email != "")
    ).all()
    return [(u, p) for u, p in rows if wants(p, alert.kind) and covers(session, u, alert.area_id)]


def deliver_pending(session: Session, mailer: Mailer, now: datetime, tz: ZoneInfo) -> int:
    """E-mail every alert not yet mailed to the users who asked for its kind; returns messages sent. An alert
    whose sending failed stays pending and is tried again at the next run."""
    if not mailer.config.enabled:
        return 0
    sent = 0
    pending = session.scalars(select(Alert).where(Alert.emailed_at.is_(None), Alert.opened_at >= now - MAIL_MAX_AGE)
                              .order_by(Alert.id)).all()
    for alert in pending:
        try:
            for _user, pref in mail_recipients(session, alert):
                vi_title, vi_text = describe(alert, tz, "vi")
                _en_title, en_text = describe(alert, tz, "en")
                mailer.send(pref.email, f"[Đài truyền thanh] {vi_title}", f"{vi_text}\n\n{en_text}\n")
                sent += 1
        except (smtplib.SMTPException, OSError):
            log.exception("could not e-mail alert %s: will try again", alert.id)
            session.rollback()
            return sent
        alert.emailed_at = now
        session.commit()
    return sent

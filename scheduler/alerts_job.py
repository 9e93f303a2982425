"""The scheduler's alert and warning jobs: re-air due disaster warnings every poll; evaluate alert rules and
mail new alerts every alert_check_s; the weekly summary hourly (it is sent once per monitor and week, so a
restart or a missed hour only delays it)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from radio.settings import Settings
from station.alerts.delivery import deliver_pending
from station.alerts.evaluate import evaluate
from station.alerts.kinds import thresholds
from station.alerts.mailer import Mailer, smtp_config
from station.alerts.summary import send_weekly
from station.warnings.service import air_due

log = logging.getLogger(__name__)
SUMMARY_EVERY_S = 3600


class AlertJob:
    def __init__(self, sessions: sessionmaker[Session], settings: Settings, clock: Callable[[], datetime],
                 mailer: Mailer | None = None) -> None:
        self.sessions = sessions
        self.clock = clock
        self.thresholds = thresholds(settings)
        self.tz = ZoneInfo(settings.timezone)
        self.mailer = mailer or Mailer(smtp_config(settings))
        self.emergency_lead = timedelta(seconds=settings.emergency_lead_s)

    def warnings(self) -> None:
        """Re-air the disaster warnings whose interval has come round (station.warnings.service.air_due)."""
        try:
            with self.sessions() as session:
                air_due(session, self.clock(), self.emergency_lead)
        except Exception:
            log.exception("re-airing warnings failed")

    def run(self) -> None:
        """One pass; an error is logged and the next pass tries again (alerts must not stop the scheduler)."""
        try:
            with self.sessions() as session:
                evaluate(session, self.clock(), self.thresholds)
                deliver_pending(session, self.mailer, self.clock(), self.tz)
        except Exception:
            log.exception("alert evaluation failed")

    def weekly(self) -> None:
        try:
            with self.sessions() as session:
                send_weekly(session, self.mailer, self.clock(), self.tz)
        except Exception:
            log.exception("weekly summary failed")

"""The scheduler's alert jobs: evaluate rules and mail new alerts every alert_check_s; the weekly summary
hourly (it is sent once per monitor and week, so a restart or a missed hour only delays it)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session, sessionmaker

from radio.settings import Settings
from station.alerts.delivery import deliver_pending
from station.alerts.evaluate import evaluate
from station.alerts.kinds import thresholds
from station.alerts.mailer import Mailer, smtp_config
from station.alerts.summary import send_weekly

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

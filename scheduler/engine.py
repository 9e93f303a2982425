"""The scheduling engine: the database is the source of truth, APScheduler fires dispatches on time.

A reconcile job polls the bulletins every `poll_s` (so a bulletin saved by the web is seen within a second)
and keeps one APScheduler date job per upcoming bulletin at start - lead time. Jobs live in memory only:
after a restart they are rebuilt from the database, so nothing depends on a second job store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from radio.db.models import AsRun, Bulletin, BulletinStatus, Outcome
from scheduler.dispatch import Dispatcher

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


class Engine:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        dispatcher: Dispatcher,
        clock: Clock,
        *,
        timezone: str,
        lead_s: float,
        poll_s: float,
        late_tolerance_s: float = 5.0,
        report_grace_s: float = 30.0,
    ) -> None:
        self.sessions = sessions
        self.dispatcher = dispatcher
        self.clock = clock
        self.lead = timedelta(seconds=lead_s)
        self.poll_s = poll_s
        self.late_tolerance = timedelta(seconds=late_tolerance_s)
        self.report_grace = timedelta(seconds=report_grace_s)
        self.aps = BackgroundScheduler(timezone=ZoneInfo(timezone))
        self._planned: dict[int, datetime] = {}

    def start(self) -> None:
        self.aps.add_job(self.reconcile, "interval", seconds=self.poll_s, id="reconcile",
                         next_run_time=datetime.now(self.aps.timezone), max_instances=1, coalesce=True)
        self.aps.add_job(self.finalize, "interval", seconds=5, id="finalize", max_instances=1, coalesce=True)
        self.aps.start()

    def stop(self) -> None:
        if self.aps.running:
            self.aps.shutdown(wait=False)

    def reconcile(self) -> None:
        now = self.clock()
        with self.sessions() as session:
            rows = session.execute(
                select(Bulletin.id, Bulletin.start_at).where(Bulletin.status == BulletinStatus.SCHEDULED)
            ).all()
            scheduled = {bid: start for bid, start in rows}
            for bid, start in scheduled.items():
                if now > start + self.late_tolerance:
                    # Air time passed while no scheduler was running: say so instead of airing late.
                    session.execute(update(Bulletin).where(Bulletin.id == bid, Bulletin.status == "scheduled")
                                    .values(status=BulletinStatus.MISSED))
                    log.warning("bulletin %s missed its start %s (scheduler was not running)", bid, start)
            session.commit()
        for bid in list(self._planned):
            if bid not in scheduled:
                self._unplan(bid)
        for bid, start in scheduled.items():
            if now > start + self.late_tolerance:
                continue
            due = start - self.lead
            if due <= now:
                self._unplan(bid)
                self.dispatcher.dispatch(bid)
            elif self._planned.get(bid) != start:
                self.aps.add_job(self.dispatcher.dispatch, "date", run_date=due, args=[bid], id=f"dispatch:{bid}",
                                 replace_existing=True, misfire_grace_time=None)
                self._planned[bid] = start

    def _unplan(self, bid: int) -> None:
        if self._planned.pop(bid, None) is not None and self.aps.get_job(f"dispatch:{bid}"):
            self.aps.remove_job(f"dispatch:{bid}")

    def finalize(self) -> None:
        """Close what is over: nodes that never reported are 'missed'; finished bulletins become 'done'."""
        now = self.clock()
        with self.sessions() as session:
            open_rows = session.scalars(
                select(AsRun).where(AsRun.outcome == Outcome.PENDING, AsRun.scheduled_start < now)
            ).all()
            for row in open_rows:
                if now > row.scheduled_start + timedelta(milliseconds=row.requested_ms) + self.report_grace:
                    row.outcome = Outcome.MISSED
                    row.detail = "no report from the node"
            dispatched = session.scalars(select(Bulletin).where(Bulletin.status == BulletinStatus.DISPATCHED)).all()
            for bulletin in dispatched:
                end = bulletin.start_at + timedelta(milliseconds=bulletin.audio.duration_ms) + self.report_grace
                if now > end:
                    bulletin.status = BulletinStatus.DONE
            session.commit()

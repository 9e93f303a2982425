"""The scheduling engine: the database is the source of truth, APScheduler fires dispatches on time.

A reconcile job polls the bulletins every `poll_s` (so a bulletin saved by the web is seen within a second)
and keeps one APScheduler date job per upcoming bulletin at start - lead time. Jobs live in memory only:
after a restart they are rebuilt from the database, so nothing depends on a second job store.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased, sessionmaker

from radio.db.models import AsRun, Bulletin, BulletinStatus, CommandRow, ControlRequest, Outcome
from scheduler.dispatch import Dispatcher
from scheduler.lead import dispatch_lead_s
from station.airing import mark_aired
from station.policy.areas import policy_for_area
from station.targets import bulletin_nodes

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


def from_ms(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, tz=UTC)


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
        uplink_mbit: float = 0.0,
    ) -> None:
        self.sessions = sessions
        self.dispatcher = dispatcher
        self.clock = clock
        self.lead = timedelta(seconds=lead_s)
        self.uplink_mbit = uplink_mbit
        # bulletin id → (start, lead) for that start: media size x nodes is read once per planned start.
        self._leads: dict[int, tuple[datetime, timedelta]] = {}
        self.poll_s = poll_s
        self.late_tolerance = timedelta(seconds=late_tolerance_s)
        self.report_grace = timedelta(seconds=report_grace_s)
        self.aps = BackgroundScheduler(timezone=ZoneInfo(timezone))
        self._planned: dict[int, datetime] = {}

    def start(self) -> None:
        self.republish_unexpired()
        self.aps.add_job(self.reconcile, "interval", seconds=self.poll_s, id="reconcile",
                         next_run_time=datetime.now(self.aps.timezone), max_instances=1, coalesce=True)
        self.aps.add_job(self.finalize, "interval", seconds=5, id="finalize", max_instances=1, coalesce=True)
        self.aps.start()

    def stop(self) -> None:
        if self.aps.running:
            self.aps.shutdown(wait=False)

    def reconcile(self) -> None:
        """Bring APScheduler in line with the database; handle what a restart left behind."""
        now = self.clock()
        with self.sessions() as session:
            rows = session.execute(
                select(Bulletin.id, Bulletin.start_at).where(Bulletin.status == BulletinStatus.SCHEDULED)
            ).all()
            stops = self._cancelled_needing_stop(session, now)
            controls = session.scalars(select(ControlRequest.id).where(ControlRequest.sent_at.is_(None))).all()
        scheduled = {bid: start for bid, start in rows}
        for bid in list(self._planned):
            if bid not in scheduled:
                self._unplan(bid)
        for bid, start in scheduled.items():
            if now > start + self.late_tolerance:
                self._handle_overdue(bid, start, now)
                continue
            due = start - self._lead_for(bid, start)
            if due <= now:
                self._unplan(bid)
                self.dispatcher.dispatch(bid)
            elif self._planned.get(bid) != start:
                self.aps.add_job(self.dispatcher.dispatch, "date", run_date=due, args=[bid], id=f"dispatch:{bid}",
                                 replace_existing=True, misfire_grace_time=None)
                self._planned[bid] = start
        for bid in stops:
            self.dispatcher.send_stop(bid)
        for request_id in controls:
            self.dispatcher.send_control(request_id)

    def republish_unexpired(self) -> None:
        """After a restart, send again every stored command still valid and not yet started: the previous
        process may have died between storing and publishing. Same id and signature, so nodes drop repeats."""
        now = self.clock()
        with self.sessions() as session:
            rows = session.execute(
                select(CommandRow.bulletin_id, CommandRow.kind)
                .join(Bulletin, Bulletin.id == CommandRow.bulletin_id)
                .where(CommandRow.expires_at > now, CommandRow.payload != "",
                       Bulletin.status.in_((BulletinStatus.DISPATCHED, BulletinStatus.CANCELLED)))
            ).all()
        for bid, kind in rows:
            if kind == "play":
                self.dispatcher.dispatch(bid, resend=True)
            elif kind == "stop":
                self.dispatcher.send_stop(bid, resend=True)

    def _handle_overdue(self, bid: int, start: datetime, now: datetime) -> None:
        """Air time passed while no scheduler ran: air late if the area allows it, else record 'missed'."""
        self._unplan(bid)
        with self.sessions() as session:
            bulletin = session.get(Bulletin, bid)
            if bulletin is None:
                return
            nodes = bulletin_nodes(session, bulletin)
            window = policy_for_area(session, nodes[0].village_id).late_start_window_s if nodes else 0
        if window and now <= start + timedelta(seconds=window):
            log.warning("bulletin %s starts late (scheduled %s): within the area's late-start window", bid, start)
            self.dispatcher.dispatch(bid, late_start=True)
        else:
            local = start.astimezone(self.aps.timezone).strftime("%H:%M:%S %d/%m/%Y")
            self.dispatcher.record_missed(bid, f"Bộ lập lịch không chạy vào giờ phát ({local}).")
            log.warning("bulletin %s missed its start %s: the scheduler was not running", bid, start)

    def _cancelled_needing_stop(self, session: Session, now: datetime) -> list[int]:
        play = aliased(CommandRow)
        stop = aliased(CommandRow)
        return list(session.scalars(
            select(Bulletin.id)
            .join(play, (play.bulletin_id == Bulletin.id) & (play.kind == "play") & play.published_at.is_not(None))
            .outerjoin(stop, (stop.bulletin_id == Bulletin.id) & (stop.kind == "stop"))
            .where(Bulletin.status == BulletinStatus.CANCELLED, stop.id.is_(None), play.expires_at > now)
        ))

    def _lead_for(self, bid: int, start: datetime) -> timedelta:
        """The configured lead, or a longer one when the uplink needs it to bring the media to every node."""
        if self.uplink_mbit <= 0:
            return self.lead
        known = self._leads.get(bid)
        if known is not None and known[0] == start:
            return known[1]
        with self.sessions() as session:
            bulletin = session.get(Bulletin, bid)
            size = bulletin.audio.size_bytes if bulletin is not None and bulletin.audio is not None else 0
            nodes = len(bulletin_nodes(session, bulletin)) if bulletin is not None else 0
        lead = timedelta(seconds=dispatch_lead_s(self.lead.total_seconds(), size, nodes, self.uplink_mbit))
        if lead > self.lead:
            log.info("bulletin %s: %d node(s) x %d bytes through %.0f Mbit/s: command sent %.0f s before air",
                     bid, nodes, size, self.uplink_mbit, lead.total_seconds())
        self._leads[bid] = (start, lead)
        return lead

    def _unplan(self, bid: int) -> None:
        self._leads.pop(bid, None)
        if self._planned.pop(bid, None) is not None and self.aps.get_job(f"dispatch:{bid}"):
            self.aps.remove_job(f"dispatch:{bid}")

    def finalize(self) -> None:
        """Close what is over: nodes that never reported are 'missed', items whose end never came are
        'interrupted' (nothing stays "playing" for ever); finished bulletins become 'done'."""
        now = self.clock()
        with self.sessions() as session:
            open_rows = session.scalars(
                select(AsRun).where(AsRun.outcome.in_((Outcome.PENDING, Outcome.STARTED)),
                                    AsRun.scheduled_start < now)
            ).all()
            for row in open_rows:
                length = timedelta(milliseconds=row.requested_ms)
                if row.outcome == Outcome.PENDING:
                    if now > row.scheduled_start + length + self.report_grace:
                        row.outcome = Outcome.MISSED
                        row.detail = "no report from the node"
                    continue
                # Started (it may have waited for the speaker, so from its own start) but no end reported: the
                # node died mid-play or its report was lost. A late 'finished' still replaces this.
                began = row.scheduled_start
                if row.started_at_ms is not None:
                    began = max(began, from_ms(row.started_at_ms))
                if now > began + length + self.report_grace:
                    row.outcome = Outcome.INTERRUPTED
                    row.detail = "unknown end: the node reported its start but no end (closed by the server)"
            session.flush()
            dispatched = session.scalars(select(Bulletin).where(Bulletin.status == BulletinStatus.DISPATCHED)).all()
            # Bulletins whose every node has a final outcome: done now, not only after the report grace.
            still_open = set(session.scalars(
                select(AsRun.bulletin_id).where(AsRun.bulletin_id.in_([b.id for b in dispatched]),
                                                AsRun.outcome.not_in(Outcome.FINAL))
            ))
            # Done only once every node's row is final: the loop above closes late ones (missed, unknown end),
            # so a node that started late (it waited for its speaker) keeps the bulletin "playing" until it ends.
            finished = [b for b in dispatched if now > b.start_at and b.id not in still_open]
            for bulletin in finished:
                bulletin.status = BulletinStatus.DONE
            mark_aired(session, [b.id for b in finished])
            session.commit()

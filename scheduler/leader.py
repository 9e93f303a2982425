"""One active scheduler per database: a lease row that the leader renews and others take over when stale."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from radio.db.models import SchedulerLease

LEASE_NAME = "main"


class LeaderLease:
    def __init__(self, sessions: sessionmaker[Session], holder: str, ttl_s: float, clock: Callable[[], datetime]):
        self.sessions = sessions
        self.holder = holder
        self.ttl = timedelta(seconds=ttl_s)
        self.clock = clock

    def try_acquire(self) -> bool:
        """Take or renew the lease atomically; True while we hold it."""
        now = self.clock()
        with self.sessions() as session:
            result = session.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == LEASE_NAME)
                .where(or_(SchedulerLease.holder == self.holder, SchedulerLease.expires_at < now))
                .values(holder=self.holder, expires_at=now + self.ttl)
            )
            session.commit()
            if result.rowcount == 1:  # type: ignore[attr-defined]
                return True
            if session.get(SchedulerLease, LEASE_NAME) is not None:
                return False
            session.add(SchedulerLease(name=LEASE_NAME, holder=self.holder, expires_at=now + self.ttl))
            try:
                session.commit()
                return True
            except IntegrityError:
                session.rollback()
                return False

    def release(self) -> None:
        with self.sessions() as session:
            session.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == LEASE_NAME, SchedulerLease.holder == self.holder)
                .values(expires_at=self.clock() - timedelta(seconds=1))
            )
            session.commit()

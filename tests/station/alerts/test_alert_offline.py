"""Offline alerts are debounced: the evaluator runs every 30 s on an injected clock while the real ingest
function records a node's connection going up and down (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from factories import make_commune
from radio.db.alerts import Alert
from radio.protocol.messages import NodeStatus
from scheduler.ingest import apply_status
from station.alerts.evaluate import evaluate
from station.alerts.kinds import AlertKind, AlertThresholds

T0 = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
STEP = timedelta(seconds=30)
RULES = AlertThresholds()  # 5 min outage, 4 drops in 30 min, 15 min recovery


class Clock:
    """The test's time: the evaluator runs at every 30 s step, the node's status changes when told."""

    def __init__(self, session: Session, node_id: str) -> None:
        self.session, self.node_id, self.now = session, node_id, T0

    def status(self, online: bool) -> None:
        apply_status(self.session, NodeStatus(self.node_id, online, int(self.now.timestamp() * 1000)), self.now)
        self.session.commit()

    def run(self, duration: timedelta) -> None:
        end = self.now + duration
        while self.now < end:
            self.now += STEP
            evaluate(self.session, self.now, RULES)


@pytest.fixture
def clock(sessions: sessionmaker[Session]) -> Iterator[Clock]:
    with sessions() as session:
        _commune, _villages, nodes = make_commune(session, villages=1)
        session.commit()
        c = Clock(session, nodes[0].id)
        c.status(True)
        yield c


def offline_alerts(session: Session) -> list[Alert]:
    return list(session.scalars(select(Alert).where(Alert.kind == AlertKind.NODE_OFFLINE)))


def test_a_one_minute_drop_is_not_an_alert(clock: Clock) -> None:
    clock.run(timedelta(minutes=5))
    clock.status(False)
    clock.run(timedelta(seconds=60))
    clock.status(True)
    clock.run(timedelta(minutes=30))
    assert offline_alerts(clock.session) == []


def test_a_ten_minute_outage_is_one_alert_closed_after_recovery(clock: Clock) -> None:
    clock.status(False)
    clock.run(timedelta(minutes=4, seconds=30))
    assert offline_alerts(clock.session) == []  # still within the 5 min debounce
    clock.run(timedelta(minutes=5, seconds=30))
    (alert,) = offline_alerts(clock.session)
    assert alert.params["reason"] == "outage" and alert.params["since"] == T0.isoformat()
    assert alert.opened_at == T0 + timedelta(minutes=5) and alert.resolved_at is None
    clock.status(True)
    clock.run(timedelta(minutes=20))
    (alert,) = offline_alerts(clock.session)
    assert alert.resolved_at == clock.now - timedelta(minutes=5)  # 15 min back online closed it


def test_flapping_gives_one_alert_not_ten(clock: Clock) -> None:
    for _ in range(10):  # 10 drops of 2 minutes, 1 minute back in between
        clock.status(False)
        clock.run(timedelta(minutes=2))
        clock.status(True)
        clock.run(timedelta(minutes=1))
    alerts = offline_alerts(clock.session)
    assert len(alerts) == 1 and alerts[0].params["reason"] == "flapping"
    # Long outages while the incident is open join it too.
    clock.status(False)
    clock.run(timedelta(minutes=10))
    assert len(offline_alerts(clock.session)) == 1


def test_a_new_outage_after_recovery_is_a_new_alert(clock: Clock) -> None:
    clock.status(False)
    clock.run(timedelta(minutes=10))
    clock.status(True)
    clock.run(timedelta(minutes=16))
    clock.status(False)
    clock.run(timedelta(minutes=10))
    alerts = offline_alerts(clock.session)
    assert len(alerts) == 2 and alerts[0].resolved_at is not None and alerts[1].resolved_at is None

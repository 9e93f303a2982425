"""A real scheduler process killed at any moment loses no node event; its writer never outlives it, a dead writer
is restarted and shows in health, SIGTERM stops it promptly (issue 10 items 1 and 4)."""

import signal
import time

import pytest
from sqlalchemy import func, select

from ingest_support import (
    DURATION_MS,
    NodeClient,
    account,
    dispatched,
    event,
    health,
    node_id,
    now_ms,
    payload,
    pid_alive,
    scheduler_process,
    wait_for,
    wait_healthy,
)
from radio.db.models import AsRun, NodeEventRow
from radio.db.session import make_engine, make_sessionmaker
from radio.protocol import EventKind

pytestmark = [pytest.mark.integration, pytest.mark.security]
NODES = [node_id("38001", i) for i in range(12)]


@pytest.fixture
def rig(tmp_path, broker_factory, db_url):
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    cid = dispatched(sessions, tmp_path, villages=12)
    broker = broker_factory([account(n) for n in NODES])
    scheduler = scheduler_process(tmp_path, broker, db_url)
    nodes = [NodeClient(broker, account(n)) for n in NODES]
    yield sessions, cid, scheduler, nodes
    for n in nodes:
        n.close()
    scheduler.stop()
    engine.dispose()


def _outcomes(sessions, cid):
    with sessions() as s:
        return sorted(s.scalars(select(AsRun.outcome).where(AsRun.command_id == cid)))


def _events(sessions):
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(NodeEventRow))


def test_scheduler_killed_right_after_events_loses_none_and_its_writer_dies_with_it(rig):
    sessions, cid, scheduler, nodes = rig
    scheduler.start()
    child = wait_healthy(sessions, scheduler.proc.pid)["ingest"]["pid"]
    start = now_ms()
    for n in nodes:  # every 'started' reaches the broker (PUBACK), then the scheduler dies at once
        n.publish(payload(event(n.account.node_id, cid, EventKind.STARTED, start)))
    scheduler.kill()
    assert wait_for(lambda: not pid_alive(child), 5), "the ingest writer outlived its killed scheduler"
    stored_before_restart = _events(sessions)
    scheduler.start()
    wait_healthy(sessions, scheduler.proc.pid)
    assert wait_for(lambda: _events(sessions) == 12, 20), (stored_before_restart, _events(sessions))
    assert _outcomes(sessions, cid) == ["started"] * 12
    for n in nodes:
        n.publish(payload(event(n.account.node_id, cid, EventKind.FINISHED, start + DURATION_MS,
                                played_ms=DURATION_MS)))
    scheduler.kill()
    scheduler.start()
    wait_healthy(sessions, scheduler.proc.pid)
    assert wait_for(lambda: _outcomes(sessions, cid) == ["completed"] * 12, 20), _outcomes(sessions, cid)
    assert _events(sessions) == 24  # each stored once, whatever was redelivered


def test_a_dead_writer_shows_in_health_and_is_restarted_without_losing_events(rig):
    sessions, cid, scheduler, nodes = rig
    scheduler.start()
    first = wait_healthy(sessions, scheduler.proc.pid)["ingest"]
    assert first["restarts"] == 0
    import os

    os.kill(first["pid"], signal.SIGKILL)

    def down():  # what /healthz shows (web/health.py reads this record): not ok, writer not alive
        h = health(sessions)
        return h if h and not h["ok"] and not h["ingest"]["alive"] else None

    assert wait_for(down, 10, 0.02), "the writer's death never showed in the health record"
    start = now_ms()
    for n in nodes:  # published while the writer is dead or restarting
        n.publish(payload(event(n.account.node_id, cid, EventKind.STARTED, start)))
    after = wait_healthy(sessions, scheduler.proc.pid)["ingest"]
    assert after["restarts"] == 1 and after["pid"] != first["pid"] and "-9" in after["last_exit"]
    assert wait_for(lambda: _events(sessions) == 12, 20)
    assert "ingest writer died" in scheduler.log_text()


def test_sigterm_stops_the_scheduler_and_its_writer_promptly(rig):
    sessions, _cid, scheduler, _nodes = rig
    scheduler.start()
    child = wait_healthy(sessions, scheduler.proc.pid)["ingest"]["pid"]
    began = time.monotonic()
    scheduler.proc.send_signal(signal.SIGTERM)
    scheduler.proc.wait(15)
    assert time.monotonic() - began < 15
    assert wait_for(lambda: not pid_alive(child), 5)
    assert health(sessions)["state"] == "stopped"

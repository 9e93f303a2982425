"""Only one scheduler per database; a standby process takes over within 10 s when the leader dies."""

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest

from factories import make_audio, make_bulletin, make_commune
from radio.broker import SCHEDULER_USER
from radio.db.models import Bulletin, SchedulerLease
from radio.db.session import make_engine, make_sessionmaker

pytestmark = [pytest.mark.integration, pytest.mark.security]


def _spawn(tmp_path, broker, url, name):
    env = dict(os.environ, RADIO_DATA_DIR=str(tmp_path / "data"), RADIO_DATABASE_URL=url,
               RADIO_MQTT_PORT=str(broker.port), RADIO_MQTT_PASSWORD=broker.service_passwords[SCHEDULER_USER],
               RADIO_LEADER_TTL_S="6")
    with (tmp_path / f"{name}.log").open("w") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "launcher.cli", "scheduler"], env=env, stdout=log, stderr=log)


def _holder(sessions):
    with sessions() as s:
        lease = s.get(SchedulerLease, "main")
        if lease is None or lease.expires_at < datetime.now(UTC):
            return None
        return lease.holder


def _wait(pred, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(0.1)
    return None


def test_standby_takes_over_within_ten_seconds_of_the_leader_dying(tmp_path, broker_factory, sqlite_url):
    broker = broker_factory([])
    sessions = make_sessionmaker(make_engine(sqlite_url))
    with sessions() as s:
        _c, villages, _n = make_commune(s)
        audio = make_audio(s)
        s.commit()
    first = _spawn(tmp_path, broker, sqlite_url, "first")
    second = None
    try:
        leader = _wait(lambda: _holder(sessions), 15)
        assert leader and leader.endswith(f":{first.pid}")
        second = _spawn(tmp_path, broker, sqlite_url, "second")
        time.sleep(3)
        assert _holder(sessions) == leader  # the standby waits
        first.send_signal(signal.SIGKILL)  # dies without releasing the lease
        died = time.monotonic()
        new = _wait(lambda: (h := _holder(sessions)) and h.endswith(f":{second.pid}") and h, 15)
        assert new, "standby never took over"
        assert time.monotonic() - died <= 10.0
        # The new leader schedules: a bulletin saved now is dispatched within a second or so.
        with sessions() as s:
            b = make_bulletin(s, audio, datetime.now(UTC) + timedelta(seconds=30), villages)
            s.commit()
            bid = b.id

        def dispatched():
            with sessions() as s:
                return s.get(Bulletin, bid).status == "dispatched"

        assert _wait(dispatched, 5)
    finally:
        for proc in (first, second):
            if proc and proc.poll() is None:
                proc.terminate()
                proc.wait(10)

"""Nothing stays "playing" for ever, and /healthz tells when as-run recording stopped (issue 10 item 4)."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from ingest_support import DURATION_MS, dispatched, event, node_id
from radio.db.models import AsRun
from radio.protocol import EventKind
from radio.settings import load_settings
from scheduler.engine import Engine
from scheduler.ingest import apply_to_as_run
from station.service_health import SCHEDULER, read_service_health, write_service_health
from web import create_app

pytestmark = pytest.mark.security
T0 = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)
MS0 = int(T0.timestamp() * 1000)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


def test_rows_left_started_are_closed_after_the_items_end_and_a_late_finish_still_counts(sessions, tmp_path):
    clock = Clock()
    cid = dispatched(sessions, tmp_path, villages=2, clock=T0)  # starts at T0 + 10 s, 11 s long
    x, y = node_id("38001", 0), node_id("38001", 1)
    start_ms = MS0 + 10_000
    with sessions() as s:
        apply_to_as_run(s, [event(x, cid, EventKind.STARTED, start_ms), event(y, cid, EventKind.STARTED, start_ms)])
        s.commit()
    engine = Engine(sessions, None, clock, timezone="Asia/Ho_Chi_Minh", lead_s=60, poll_s=0.5)  # type: ignore[arg-type]
    clock.now = T0 + timedelta(seconds=10 + 11 + 29)  # end + 29 s: still within the report grace
    engine.finalize()
    with sessions() as s:
        assert {r.outcome for r in s.scalars(select(AsRun))} == {"started"}
    clock.now = T0 + timedelta(seconds=10 + 11 + 31)
    engine.finalize()
    with sessions() as s:
        rows = {r.node_id: r for r in s.scalars(select(AsRun))}
        assert {r.outcome for r in rows.values()} == {"interrupted"}
        assert "unknown end" in rows[x].detail
    # The node's outbox delivers the real end later: it replaces the server's guess.
    with sessions() as s:
        apply_to_as_run(s, [event(x, cid, EventKind.FINISHED, start_ms + DURATION_MS, played_ms=DURATION_MS)])
        s.commit()
        assert s.scalars(select(AsRun).where(AsRun.node_id == x)).one().outcome == "completed"


def test_service_health_is_stale_when_the_scheduler_stops_reporting(sessions):
    now = datetime.now(UTC)
    with sessions() as s:
        assert read_service_health(s, SCHEDULER, now) is None
        write_service_health(s, SCHEDULER, "h:1", True, {"state": "running", "ingest": {"alive": True}}, now)
        assert read_service_health(s, SCHEDULER, now)["ok"]
        late = read_service_health(s, SCHEDULER, now + timedelta(seconds=20))  # killed: no more writes
        assert (late["ok"], late["state"]) == (False, "not reporting")
        # A leader that lost its lease to h:2 says "stopped" on its way out: h:2's record stays.
        write_service_health(s, SCHEDULER, "h:2", True, {"state": "running"}, now)
        write_service_health(s, SCHEDULER, "h:1", False, {"state": "stopped"}, now, only_own=True)
        assert read_service_health(s, SCHEDULER, now)["holder"] == "h:2"


def test_healthz_fails_while_the_ingest_writer_is_down(db_url, tmp_path):
    settings = load_settings(env={}, data_dir=tmp_path / "data", database_url=db_url, secret_key="t")
    app = create_app(settings, test_config={"TESTING": True})
    client = app.test_client()
    assert client.get("/healthz").get_json() == {"ok": True, "scheduler": None}
    from radio.db.session import make_engine, make_sessionmaker

    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as s:
        write_service_health(s, SCHEDULER, "h:1", False, {
            "state": "running", "mqtt": {"connected": True},
            "ingest": {"alive": False, "restarts": 1, "last_exit": "exit code -9"}}, datetime.now(UTC))
    engine.dispose()
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["ok"] is False and body["scheduler"]["ingest"] == {"alive": False, "restarts": 1,
                                                                   "last_exit": "exit code -9"}

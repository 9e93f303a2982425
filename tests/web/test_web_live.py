"""GET /live/stream: node status and now-playing as Server-Sent Events, polled from the database (so the
scheduler's writes in another process show up), bounded per connection."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from live_support import read_until, stream
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed

from radio.db.models import AsRun, AudioAssetRow, Bulletin, CommandRow, Node, Outcome
from radio.db.types import utcnow
from web.timefmt import epoch_ms


@pytest.fixture(autouse=True)
def fast_stream(app: Flask) -> None:
    app.config.update(LIVE_POLL_S=0.02, LIVE_MAX_S=2.0, LIVE_KEEPALIVE_S=0.1)


def _playing(db: Session, node_id: str, title: str = "Tin bão khẩn") -> Bulletin:
    now = utcnow()
    bulletin = Bulletin(title=title, priority="emergency", start_at=now,
                        audio=AudioAssetRow(sha256="c" * 64, duration_ms=30_000, size_bytes=1, engine="upload"))
    db.add(bulletin)
    db.flush()
    command = CommandRow(id="cmd-1", bulletin_id=bulletin.id, kind="play", topics=[], payload="", issued_at=now,
                         start_at=now, expires_at=now + timedelta(minutes=5))
    db.add(command)
    db.flush()
    db.add(AsRun(command_id=command.id, bulletin_id=bulletin.id, node_id=node_id, scheduled_start=now,
                 requested_ms=30_000, started_at_ms=epoch_ms(now), outcome=Outcome.STARTED))
    db.commit()
    return bulletin


def test_stream_needs_a_login(client: FlaskClient, seed: Seed) -> None:
    response = client.get("/live/stream")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_first_events_give_retry_every_node_and_what_plays(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    events = read_until(stream(client, "/live/stream"), lambda e: e.kind == "playing")
    assert events[0].kind == "retry" and events[0].data >= 1000
    nodes = {e.data["id"]: e.data for e in events if e.kind == "node"}
    assert set(nodes) == {"loa-dong-1", "loa-tay-1"}  # Xã An Bình's: loa-bac-1 is Xã Phú Lộc's
    assert nodes["loa-dong-1"]["online"] is True and nodes["loa-dong-1"]["status"] == "Trực tuyến"
    assert nodes["loa-tay-1"]["status"] == "Mất kết nối"
    assert events[-1].data == []


def test_a_status_change_written_by_another_process_is_sent(client: FlaskClient, auth: AuthActions,
                                                            db: Session) -> None:
    auth.login()
    events = stream(client, "/live/stream")
    read_until(events, lambda e: e.kind == "playing")
    node = db.get(Node, "loa-dong-1")
    node.online, node.status_at = False, utcnow()
    node.heartbeat_at, node.clock_offset_ms, node.cache_bytes, node.cache_limit_bytes = utcnow(), 80, 50, 200
    db.commit()  # the scheduler's write, seen by the next poll
    changed = read_until(events, lambda e: e.kind == "node")[-1]
    assert changed.data["id"] == "loa-dong-1" and changed.data["online"] is False
    assert changed.data["clock_warn"] is True and changed.data["cache_pct"] == 25


def test_now_playing_lists_started_unfinished_rows(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    bulletin = _playing(db, "loa-dong-1")
    auth.login()
    playing = read_until(stream(client, "/live/stream"), lambda e: e.kind == "playing")[-1]
    assert playing.data == [{"node_id": "loa-dong-1", "node": "Cụm loa Đông 1", "bulletin_id": bulletin.id,
                             "title": "Tin bão khẩn", "priority": "emergency",
                             "started_ms": playing.data[0]["started_ms"]}]


def test_one_node_stream_sends_only_that_node(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    events = read_until(stream(client, "/live/stream?node=loa-tay-1"), lambda e: e.kind == "playing")
    assert [e.data["id"] for e in events if e.kind == "node"] == ["loa-tay-1"]
    # Another commune's loudspeaker named in the URL: nothing about it is sent.
    events = read_until(stream(client, "/live/stream?node=loa-bac-1"), lambda e: e.kind == "playing")
    assert [e for e in events if e.kind == "node"] == []


def test_quiet_stream_sends_keep_alive_comments_and_closes_by_itself(client: FlaskClient, auth: AuthActions,
                                                                     app: Flask) -> None:
    app.config["LIVE_MAX_S"] = 0.5
    auth.login()
    events = list(stream(client, "/live/stream"))  # ends on its own: the connection is bounded
    kinds = [e.kind for e in events]
    assert "comment" in kinds and kinds[-1] == "bye"
    assert kinds.count("node") == 2  # the commune's two nodes; unchanged nodes are not sent again


def test_events_follow_the_chosen_language(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    client.get("/nodes/?lang=en")
    nodes = [e.data for e in read_until(stream(client, "/live/stream"), lambda e: e.kind == "playing")
             if e.kind == "node"]
    assert {n["status"] for n in nodes} == {"Online", "Offline"}


def test_telemetry_changes_are_sent_in_words(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    """A heartbeat's telemetry reaches the open pages: each fact for the loudspeaker's page and the list's one-line
    summary, already in words and flagged when it needs a visit."""
    auth.login()
    events = stream(client, "/live/stream")
    read_until(events, lambda e: e.kind == "playing")
    node = db.get(Node, "loa-dong-1")
    node.heartbeat_at, node.amplifier_on, node.signal_dbm, node.network = utcnow(), False, -112, "3G"
    db.commit()
    changed = read_until(events, lambda e: e.kind == "node" and e.data["id"] == "loa-dong-1")[-1].data
    facts = {f["field"]: (f["text"], f["warn"]) for f in changed["facts"]}
    assert facts["amplifier"] == ("Không có điện: loa không kêu", True)
    assert facts["signal"] == ("3G \u2212112 dBm: yếu", True)
    assert changed["device_warn"] is True
    assert changed["device"] == "Bộ khuếch đại (amply): Không có điện: loa không kêu; Tín hiệu: 3G \u2212112 dBm: yếu"

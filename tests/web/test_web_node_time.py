"""Time health in words on the loudspeaker pages (issue 12): uncertainty, drift, source, out of step, storage."""

from __future__ import annotations

import json
from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from web_support import AuthActions

from radio.db.models import AsRun, AudioAssetRow, Bulletin, CommandRow, Node, NodeEventRow, Outcome
from radio.db.types import utcnow


def _beat(db: Session, node_id: str = "loa-dong-1", **changes: object) -> None:
    node = db.get(Node, node_id)
    values = {"heartbeat_at": utcnow(), "clock_offset_ms": -1712, "clock_uncertainty_ms": 4,
              "clock_drift_ppm": 23.15, "clock_source": "server", "status_at": utcnow()}
    for name, value in (values | changes).items():
        setattr(node, name, value)
    db.commit()


def test_a_node_in_step_shows_uncertainty_drift_and_source_in_words(client: FlaskClient, auth: AuthActions,
                                                                     db: Session) -> None:
    _beat(db)
    auth.login()
    html = client.get("/nodes/loa-dong-1").get_data(as_text=True)
    for text in ('data-field="clock_uncertainty">± 4 ms', "Chạy nhanh 2,0 giây mỗi ngày",
                 "Giờ máy chủ, đo qua mạng", 'data-field="storage_error">Bình thường'):
        assert text in html, text
    assert 'data-field="out_of_step"' not in html and "23.15" not in html and ">server<" not in html
    listing = client.get("/nodes/").get_data(as_text=True)
    assert "± 4 ms" in listing and "Không giữ được đồng bộ" not in listing


def test_a_node_too_uncertain_to_keep_in_step_is_flagged_on_both_pages(client: FlaskClient, auth: AuthActions,
                                                                       db: Session) -> None:
    _beat(db, clock_uncertainty_ms=34, clock_drift_ppm=None)
    _beat(db, "loa-tay-1", clock_source="box", clock_offset_ms=None, clock_uncertainty_ms=None)
    auth.login()
    html = client.get("/nodes/loa-dong-1").get_data(as_text=True)
    assert "Sai số đồng hồ ± 34 ms (giới hạn 20 ms)" in html and "Chưa đo được" in html
    html2 = client.get("/nodes/loa-tay-1").get_data(as_text=True)
    assert "Chưa đối chiếu được giờ với máy chủ" in html2 and "đồng hồ riêng của thiết bị" in html2
    listing = client.get("/nodes/").get_data(as_text=True)
    assert listing.count("Không giữ được đồng bộ") == 2


def test_english_words_for_the_time_health(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    _beat(db, clock_drift_ppm=-40.0)
    auth.login()
    html = client.get("/nodes/loa-dong-1?lang=en").get_data(as_text=True)
    assert "Runs 3.5 s a day slow" in html and "Server time, measured over the network" in html


def test_storage_error_and_as_run_start_timing_are_shown(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    now = utcnow()
    bulletin = Bulletin(title="Thông báo phòng chống bão", start_at=now,
                        audio=AudioAssetRow(sha256="e" * 64, duration_ms=20_000, size_bytes=1, engine="upload"))
    db.add(bulletin)
    db.flush()
    for cid in ("cmd-a", "cmd-b", "cmd-c"):
        db.add(CommandRow(id=cid, bulletin_id=bulletin.id, kind="play", topics=[], payload="", issued_at=now,
                          start_at=now, expires_at=now + timedelta(minutes=5)))
    db.flush()
    start_ms = int(now.timestamp() * 1000)
    rows = [("cmd-a", 3, 2), ("cmd-b", None, None), ("cmd-c", 120, 31)]
    for cid, offset, unc in rows:
        db.add(AsRun(command_id=cid, bulletin_id=bulletin.id, node_id="loa-dong-1", scheduled_start=now,
                     requested_ms=20_000, outcome=Outcome.COMPLETED, played_ms=20_000, started_at_ms=start_ms,
                     clock_offset_ms=offset, clock_uncertainty_ms=unc))
    db.add(NodeEventRow(event_id="loa-dong-1:cmd-c:started:1", node_id="loa-dong-1", kind="started",
                        command_id="cmd-c", at_ms=start_ms,
                        detail=json.dumps({"out_of_step": "clock uncertain by 31 ms (limit 20 ms)"})))
    _beat(db, storage_error="state disk full: database or disk is full")
    auth.login()
    html = client.get("/nodes/loa-dong-1").get_data(as_text=True)
    assert "Không ghi được: state disk full: database or disk is full" in html
    assert 'data-field="start_timing">± 2 ms' in html
    assert 'data-field="start_timing">Chưa kiểm chứng (giờ của thiết bị chưa đối chiếu)' in html
    assert 'data-field="start_timing">Có thể lệch: sai số ± 31 ms' in html

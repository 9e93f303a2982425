"""Nodes list and as-run log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed, add_article_with_audio

from radio.db.models import AsRun, Bulletin, BulletinStatus, CommandRow, Node, Outcome
from web.asrun import PAGE_SIZE

START = datetime(2025, 11, 21, 23, 0, tzinfo=UTC)  # 22/11/2025 06:00:00 in Vietnam
START_MS = 1_763_766_000_000
assert int(START.timestamp() * 1000) == START_MS


def add_bulletin_with_runs(db: Session, runs: list[dict[str, object]], title: str = "Tin sáng",
                           start: datetime = START) -> Bulletin:
    article = add_article_with_audio(db, sha=f"{len(title):064x}")
    bulletin = Bulletin(title=title, audio_id=article.audio_id, start_at=start, status=BulletinStatus.DONE)
    db.add(bulletin)
    db.flush()
    command = CommandRow(id=f"cmd-{bulletin.id}", bulletin_id=bulletin.id, kind="play", topics=[],
                         payload="{}", issued_at=start, start_at=start, expires_at=start + timedelta(hours=1))
    db.add(command)
    db.flush()
    for run in runs:
        db.add(AsRun(command_id=command.id, bulletin_id=bulletin.id, scheduled_start=start,
                     requested_ms=61_000, **run))
    db.commit()
    return bulletin


def test_nodes_list_shows_state_village_and_local_time(client: FlaskClient, auth: AuthActions, db: Session,
                                                       seed: Seed) -> None:
    node = db.get(Node, "loa-dong-1")
    assert node is not None
    node.last_seen_at = datetime(2025, 11, 21, 17, 30, 5, tzinfo=UTC)
    db.commit()
    auth.login()
    html = client.get("/nodes/").get_data(as_text=True)
    assert "1 / 2 cụm loa đang trực tuyến" in html  # Xã An Bình's two: Phú Lộc's loa-bac-1 is not theirs
    assert "Cụm loa Bắc 1" not in html
    dong = html[html.index("Cụm loa Đông 1"):html.index("Cụm loa Tây 1")]
    assert "Thôn Đông, Xã An Bình" in dong
    assert "Trực tuyến" in dong and "22/11/2025 00:30:05" in dong and "0.1.0" in dong
    tay = html[html.index("Cụm loa Tây 1"):]
    assert "Mất kết nối" in tay.split("</tr>")[0]


def test_as_run_list_formats_times_errors_and_outcomes(client: FlaskClient, auth: AuthActions, db: Session,
                                                       seed: Seed) -> None:
    add_bulletin_with_runs(db, [
        {"node_id": "loa-dong-1", "started_at_ms": START_MS + 7, "played_ms": 61_000,
         "outcome": Outcome.COMPLETED},
        {"node_id": "loa-tay-1", "started_at_ms": START_MS - 3, "played_ms": 12_345,
         "outcome": Outcome.INTERRUPTED},
        {"node_id": "loa-bac-1", "outcome": Outcome.MISSED},
    ])
    auth.login()
    assert "Cụm loa Bắc 1" not in client.get("/asrun/").get_data(as_text=True)  # Phú Lộc's, not An Bình's
    auth.logout()
    auth.login("quantri")
    html = client.get("/asrun/").get_data(as_text=True)
    rows = {name: html[html.index(name):].split("</tr>")[0] for name in
            ("Cụm loa Đông 1", "Cụm loa Tây 1", "Cụm loa Bắc 1")}
    dong = rows["Cụm loa Đông 1"]
    assert "Thôn Đông" in dong and "22/11/2025 06:00:00" in dong
    # A few milliseconds off is "on time" to a person (issue 14: no "+67344 ms" jargon).
    assert "22/11/2025 06:00:00.007" in dong and "đúng giờ" in dong and "hoàn thành" in dong and "61,0" in dong
    assert "ms" not in dong.replace("data-label", "")
    tay = rows["Cụm loa Tây 1"]
    assert "22/11/2025 05:59:59.997" in tay and "đúng giờ" in tay and "bị ngắt" in tay and "12,3" in tay
    bac = rows["Cụm loa Bắc 1"]
    assert "bỏ lỡ" in bac and "—" in bac
    assert "Tin sáng" in html


def test_as_run_is_newest_first_and_paginated(client: FlaskClient, auth: AuthActions, db: Session,
                                              seed: Seed) -> None:
    add_bulletin_with_runs(db, [{"node_id": "loa-dong-1", "outcome": Outcome.COMPLETED}], title="Tin cũ",
                           start=START - timedelta(days=1))
    # PAGE_SIZE newer rows push the old one onto page 2; one node per row needs distinct nodes.
    for i in range(PAGE_SIZE):
        db.add(Node(id=f"loa-them-{i:03d}", name=f"Cụm loa thêm {i:03d}", village_id=seed.village_dong_id))
    db.commit()
    add_bulletin_with_runs(db, [{"node_id": f"loa-them-{i:03d}", "outcome": Outcome.PENDING}
                                for i in range(PAGE_SIZE)], title="Tin mới nhất")
    auth.login()
    first = client.get("/asrun/").get_data(as_text=True)
    assert first.count("Tin mới nhất") == PAGE_SIZE and "Tin cũ" not in first
    assert "Trang sau" in first and "Trang trước" not in first
    second = client.get("/asrun/?page=2").get_data(as_text=True)
    assert "Tin cũ" in second and "Tin mới nhất" not in second
    assert "Trang trước" in second and "Trang sau" not in second
    assert client.get("/asrun/?page=abc").status_code == 200

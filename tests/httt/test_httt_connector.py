"""The HTTT nguồn connector against the reference province server over real HTTP on loopback: field names,
idempotency, outage, slow and malformed answers, expired tokens, inbound bulletins."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask
from httt_support import FakeClock, aired, connector, seed_province
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from launcher.province_ref import ProvinceServer
from radio.db.migrate import upgrade
from radio.db.models import Area, AsRun
from radio.db.province import DeliveryMode, HtttCursor, HtttOutbox, ProvinceBulletin, ProvinceDelivery
from radio.settings import load_settings
from web import create_app


def _unsent(sessions: sessionmaker[Session]) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(HtttOutbox).where(HtttOutbox.sent_at.is_(None))) or 0)


def test_play_logs_schedules_and_bulletins_reach_the_province_in_its_field_names(
        sessions: sessionmaker[Session], ref_server: ProvinceServer, clock: FakeClock) -> None:
    seed_province(sessions)
    bulletin_id = aired(sessions, clock.now - timedelta(minutes=30))
    conn = connector(sessions, ref_server, clock)
    conn.run_once()
    logs = list(ref_server.stored["play_log"].values())
    assert len(logs) == 2
    assert {log["CumLoaId"] for log in logs} == {"n38001-010", "n38001-020"}
    assert all(log["KetQua"] == 1 and log["ThoiLuongPhat"] == 30.0 and log["LichPhatId"] == bulletin_id
               and log["LinhVuc"] == 4 for log in logs)
    (schedule,) = ref_server.stored["schedule"].values()
    assert schedule["LichPhatId"] == bulletin_id and schedule["DanhSachDiaBanNhan"] == ["38001"]
    assert schedule["LichPhat"]["KieuLich"] == "once"
    (bulletin,) = ref_server.stored["bulletin"].values()
    assert bulletin["TieuDe"] == "Bản tin" and bulletin["TacGia"] == {"HoTen": "Lê Văn Tác", "ButDanh": "Thanh Tâm",
                                                                     "Email": ""}
    assert bulletin["MucDoUuTien"] == 3 and bulletin["LoaiNoiDung"] == 3
    assert _unsent(sessions) == 0
    # A second pass finds nothing new: the scans queue each record once.
    conn.run_once()
    assert ref_server.counts["created"] == 4 + len(ref_server.stored["status"]) and ref_server.counts["duplicate"] == 0


def test_a_two_hour_outage_loses_and_doubles_nothing(sessions: sessionmaker[Session], ref_server: ProvinceServer,
                                                    clock: FakeClock) -> None:
    seed_province(sessions)
    conn = connector(sessions, ref_server, clock)
    ref_server.mode = "down"
    outage_end = clock.now + timedelta(hours=2)
    airings = 0
    while clock.now < outage_end:  # 2 h in 1-minute steps; a bulletin airs every 10 minutes meanwhile
        if clock.now.minute % 10 == 0:
            aired(sessions, clock.now - timedelta(minutes=15), title=f"Bản tin {airings}")
            airings += 1
        conn.run_once()
        clock.advance(minutes=1)
    requests_during_outage = ref_server.counts["requests"]
    assert ref_server.counts["created"] == 0 and _unsent(sessions) > 0
    # Exponential backoff: far fewer tries than the 120 one-minute ticks (5 s doubling, capped at 10 min).
    assert requests_during_outage <= 25, requests_during_outage
    # It comes back, but the first answers are lost after storing (the worst case for doubling).
    ref_server.mode = "lost_reply"
    clock.advance(minutes=11)
    conn.run_once()
    assert ref_server.counts["lost_replies"] >= 1
    ref_server.mode = "ok"
    for _ in range(30):
        clock.advance(minutes=11)
        conn.run_once()
        if _unsent(sessions) == 0:
            break
    assert _unsent(sessions) == 0
    with sessions() as s:
        as_run_ids = set(s.scalars(select(AsRun.id)))
    assert {log["NhatKyId"] for log in ref_server.stored["play_log"].values()} == as_run_ids
    assert len(ref_server.stored["play_log"]) == 2 * airings
    assert len(ref_server.stored["schedule"]) == airings
    assert all(ref_server.doubles(kind) == 0 for kind in ref_server.stored)
    assert ref_server.counts["duplicate"] >= 1  # the lost answers' records came again and were recognised


def test_an_expired_token_is_renewed_by_logging_in_again(sessions: sessionmaker[Session], clock: FakeClock) -> None:
    seed_province(sessions)
    with ProvinceServer(clock=clock, token_ttl_s=120) as server:
        conn = connector(sessions, server, clock)
        aired(sessions, clock.now - timedelta(minutes=20), title="Một")
        conn.run_once()
        assert server.counts["logins"] == 1
        clock.advance(minutes=5)  # past the token's 120 s: renewed before use
        aired(sessions, clock.now - timedelta(minutes=20), title="Hai")
        conn.run_once()
        assert server.counts["logins"] == 2
        server.expire_tokens()  # revoked early: the 401 makes the connector log in again and retry once
        clock.advance(minutes=1)  # the next scan (every 30 s)
        aired(sessions, clock.now - timedelta(minutes=20), title="Ba")
        conn.run_once()
        assert server.counts["logins"] == 3 and server.counts["unauthorized"] >= 1
        assert len(server.stored["play_log"]) == 6 and _unsent(sessions) == 0


def test_slow_and_malformed_answers_are_retried_later_without_doubling(
        sessions: sessionmaker[Session], ref_server: ProvinceServer, clock: FakeClock) -> None:
    seed_province(sessions)
    aired(sessions, clock.now - timedelta(minutes=30))
    conn = connector(sessions, ref_server, clock, timeout_s=0.3)  # the server sleeps 1 s in "slow" mode
    ref_server.mode = "slow"
    conn.run_once()
    assert _unsent(sessions) > 0
    ref_server.mode = "malformed"
    clock.advance(minutes=1)
    conn.run_once()
    assert "JSON" in conn.stats()["38"]["last_error"]
    with sessions() as s:
        assert max(r.attempts for r in s.scalars(select(HtttOutbox))) >= 1
    ref_server.mode = "ok"
    for _ in range(5):
        clock.advance(minutes=11)
        conn.run_once()
    assert _unsent(sessions) == 0
    assert len(ref_server.stored["play_log"]) == 2 and ref_server.doubles("play_log") == 0


def test_an_invalid_record_stays_queued_with_the_province_reason(
        sessions: sessionmaker[Session], ref_server: ProvinceServer, clock: FakeClock) -> None:
    seed_province(sessions)
    aired(sessions, clock.now - timedelta(minutes=30))
    # A province whose code table lacks our outcome: the server refuses KetQua, the rows wait with its words.
    conn = connector(sessions, ref_server, clock, mapping={"codes": {"outcome": {"completed": 99}}})
    conn.run_once()
    with sessions() as s:
        waiting = s.scalars(select(HtttOutbox).where(HtttOutbox.sent_at.is_(None))).all()
    assert {r.kind for r in waiting} == {"play_log"}
    assert all("KetQua" in r.last_error for r in waiting)


def test_inbound_bulletins_reach_the_commune_inboxes_once(
        sessions: sessionmaker[Session], ref_server: ProvinceServer, clock: FakeClock) -> None:
    seed_province(sessions)
    start = clock.now + timedelta(hours=2)
    ref_server.send_down({"BanTinId": "T-2026-001", "TieuDe": "Phòng chống bão số 9", "LinhVuc": 2,
                          "NoiDungTomTat": "Tóm tắt", "LoaiNoiDung": 1, "MucDoUuTien": 2,
                          "DanhSachDiaBanNhan": ["38001", "38002", "99999"],
                          "LichPhat": {"ThoiGianBatDau": start.isoformat(),
                                       "ThoiGianKetThuc": (start + timedelta(hours=4)).isoformat()},
                          "TacGia": {"HoTen": "Sở VHTT", "ButDanh": ""}})
    ref_server.send_down({"BanTinId": "T-2026-002", "TieuDe": "", "DanhSachDiaBanNhan": ["38001"]})
    conn = connector(sessions, ref_server, clock)
    result = conn.pull(conn.states[0])
    assert len(result.created) == 1 and "T-2026-002" in result.refused and result.unknown_areas == {"99999"}
    with sessions() as s:
        item = s.scalars(select(ProvinceBulletin)).one()
        assert (item.title, item.field_category, item.mode, item.priority) == (
            "Phòng chống bão số 9", "urgent", DeliveryMode.MUST_AIR, "priority")
        assert item.window_start == start
        assert s.scalar(select(func.count()).select_from(ProvinceDelivery)) == 2
    # Pulled again from the start (cursor lost): recognised by its BanTinId, not filed twice.
    with sessions() as s:
        s.query(HtttCursor).delete()
        s.commit()
    again = conn.pull(conn.states[0])
    assert again.created == [] and again.duplicates == ["T-2026-001"]


def _push_app(tmp_path: Path, **settings_values: Any) -> tuple[Flask, sessionmaker[Session]]:
    """The web with one province configured for push (token "day-la-khoa-day-cua-tinh") and its communes."""
    settings = load_settings(env={}, data_dir=tmp_path / "data", secret_key="test-secret", **settings_values)
    settings.ensure_dirs()
    upgrade(settings.db_url)
    token_file = tmp_path / "push-token"
    token_file.write_text("day-la-khoa-day-cua-tinh\n")
    settings.extra["httt"] = {"provinces": [{"code": "38", "base_url": "http://127.0.0.1:9", "username": "x",
                                             "password": "y", "push_token_file": str(token_file)}]}
    app = create_app(settings, test_config={"TESTING": True})
    sessions = app.extensions["radio"].sessionmaker
    seed_province(sessions)
    return app, sessions


def test_pushed_bulletins_need_the_province_token_and_are_filed_once(tmp_path: Path) -> None:
    app, sessions = _push_app(tmp_path)
    client = app.test_client()
    body = {"DanhSach": [{"BanTinId": 77, "TieuDe": "Lịch cắt điện", "LinhVuc": 1, "DanhSachDiaBanNhan": ["38002"],
                          "NoiDung": "https://httt.tinh.example.vn/am-thanh/77.mp3"}]}
    assert client.post("/httt/v1/bantin", json=body).status_code == 401
    assert client.post("/httt/v1/bantin", json=body, headers={"Authorization": "Bearer sai"}).status_code == 401
    auth = {"Authorization": "Bearer day-la-khoa-day-cua-tinh"}
    assert client.post("/httt/v1/bantin", json={"DanhSach": "x"}, headers=auth).status_code == 400
    first = client.post("/httt/v1/bantin", json=body, headers=auth)
    assert first.status_code == 200 and first.get_json()["KetQuaXuLy"]["created"] == 1
    again = client.post("/httt/v1/bantin", json=body, headers=auth).get_json()["KetQuaXuLy"]
    assert again["created"] == 0 and again["duplicates"] == ["77"]
    with sessions() as s:
        item = s.scalars(select(ProvinceBulletin)).one()
        assert (item.title, item.field_category, item.external_id) == ("Lịch cắt điện", "general", "77")
        # Filed at once, its recording left for the connector to fetch (no download inside the request).
        assert (item.audio_id, item.audio_link, item.audio_tries) == (
            None, "https://httt.tinh.example.vn/am-thanh/77.mp3", 0)
        assert [d.commune_id for d in s.scalars(select(ProvinceDelivery))] == [
            s.scalar(select(Area.id).where(Area.code == "38002"))]
    app.extensions["radio"].sessionmaker.kw["bind"].dispose()


def test_the_push_endpoint_is_rate_limited_per_address_and_per_province(tmp_path: Path) -> None:
    app, sessions = _push_app(tmp_path, api_rate_per_address=6, api_rate_per_token=3)
    client = app.test_client()
    auth = {"Authorization": "Bearer day-la-khoa-day-cua-tinh"}
    body = {"DanhSach": [{"BanTinId": 1, "TieuDe": "Lịch cắt điện", "LinhVuc": 1, "DanhSachDiaBanNhan": ["38002"]}]}
    # The province's own budget: 3 pushes, then 429 with Retry-After, and the refused push files nothing.
    assert [client.post("/httt/v1/bantin", json=body, headers=auth).status_code for _ in range(3)] == [200] * 3
    body["DanhSach"][0]["BanTinId"] = 2
    over = client.post("/httt/v1/bantin", json=body, headers=auth)
    assert over.status_code == 429 and int(over.headers["Retry-After"]) > 0 and "giây" in over.get_json()["Loi"]
    with sessions() as s:
        assert [b.external_id for b in s.scalars(select(ProvinceBulletin))] == ["1"]
    # Guessing tokens from one address: refused with 429 before the token is even compared, once the address is spent.
    codes = [client.post("/httt/v1/bantin", json=body, headers={"Authorization": f"Bearer doan-{i}"}).status_code
             for i in range(4)]
    assert codes[:2] == [401, 401] and codes[2:] == [429, 429]
    app.extensions["radio"].sessionmaker.kw["bind"].dispose()

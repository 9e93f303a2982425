"""Issue 16 acceptance: a province bulletin written in the web reaches three communes; two schedule it and air it
(real dispatch, node events through the real ingest), one declines with a reason; the province's page and the play
logs the connector pushes to the reference HTTT nguồn agree. Also: metadata on articles, inbox isolation, the
must-air window, the field-category report."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, timedelta
from pathlib import Path

import pytest
from flask import Flask, render_template
from flask.testing import FlaskClient
from schedule_support import tomorrow_local
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import PASSWORD, Seed
from werkzeug.security import generate_password_hash

from ingest_support import NullPublisher, event
from launcher.province_ref import ProvinceServer
from radio.db.governance import AuditEntry
from radio.db.models import Area, AreaLevel, Article, AsRun, Bulletin, Node, Role, User
from radio.db.province import DeliveryStatus, ProvinceBulletin, ProvinceDelivery
from radio.protocol import EventKind, encode, topics
from radio.protocol.signing import generate_private_key
from scheduler.dispatch import Dispatcher
from scheduler.ingest_writer import EventIngest
from station.distribution import airings
from station.httt.config import link_from
from station.httt.worker import Connector

LOCAL_FMT = "%Y-%m-%dT%H:%M"


@dataclass(frozen=True)
class Province:
    tan_hoa_id: int



@pytest.fixture
def app(any_app: Flask) -> Flask:
    """Every test here on SQLite and on PostgreSQL (the inbox and province queries differ by database)."""
    return any_app

def _province_accounts(db: Session, seed: Seed) -> Province:
    """A third commune (Xã Tân Hòa, one loudspeaker) and the province's editor and leader."""
    tan_hoa = Area(code="99003", name="Xã Tân Hòa", level=AreaLevel.COMMUNE, parent_id=seed.province_id)
    db.add(tan_hoa)
    db.flush()
    village = Area(code="99003-01", name="Thôn Nam", level=AreaLevel.VILLAGE, parent_id=tan_hoa.id)
    db.add(village)
    db.flush()
    db.add(Node(id="loa-nam-1", name="Cụm loa Nam 1", village_id=village.id))
    pw = generate_password_hash(PASSWORD)
    db.add_all([User(username="tinh-bt", password_hash=pw, role=Role.BROADCASTER, area_id=seed.province_id),
                User(username="tinh-ld", password_hash=pw, role=Role.LEADER, area_id=seed.province_id),
                User(username="bientap3", password_hash=pw, role=Role.BROADCASTER, area_id=tan_hoa.id)])
    db.commit()
    return Province(tan_hoa.id)


def _login(client: FlaskClient, username: str) -> None:
    client.post("/logout")
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


def _write_province_article(client: FlaskClient) -> int:
    """The province editor writes, voices and submits; the province leader approves."""
    _login(client, "tinh-bt")
    produced = tomorrow_local(5) - timedelta(days=2)
    response = client.post("/articles/new", data={
        "title": "Tiêm phòng dại cho chó mèo", "body": "Toàn tỉnh tổ chức tiêm phòng dại đợt 2.", "language": "vi",
        "field_category": "local_direction", "content_type": "audio", "author_name": "Phạm Thị Hoa",
        "pen_name": "Hoa Phạm", "summary": "Lịch tiêm phòng dại đợt 2.", "produced_local": produced.strftime(LOCAL_FMT),
        "source": "Sở Nông nghiệp"})
    assert response.status_code == 302, response.get_data(as_text=True)
    article_id = int(response.headers["Location"].rstrip("/").split("/")[-1])
    assert client.post(f"/articles/{article_id}/audio").status_code == 302
    assert client.post(f"/articles/{article_id}/submit").status_code == 302
    _login(client, "tinh-ld")
    assert client.post(f"/articles/{article_id}/review", data={"decision": "approve"}).status_code == 302
    return article_id


def _delivery(db: Session, commune_id: int) -> ProvinceDelivery:
    db.expire_all()
    return db.scalars(select(ProvinceDelivery).where(ProvinceDelivery.commune_id == commune_id)).one()


def test_article_metadata_is_saved_listed_and_filtered(client: FlaskClient, db: Session, seed: Seed) -> None:
    _province_accounts(db, seed)
    article_id = _write_province_article(client)
    article = db.get(Article, article_id)
    assert article is not None and article.commune_id is None
    assert (article.field_category, article.content_type, article.author_name, article.pen_name, article.summary,
            article.source) == ("local_direction", "audio", "Phạm Thị Hoa", "Hoa Phạm", "Lịch tiêm phòng dại đợt 2.",
                                "Sở Nông nghiệp")
    assert article.produced_at is not None and article.produced_at.tzinfo is not None
    assert article.produced_at.astimezone(UTC).hour == 22  # 05:00 in Asia/Ho_Chi_Minh is 22:00 UTC the day before
    listing = client.get("/articles/?field=local_direction").get_data(as_text=True)
    assert "Tiêm phòng dại cho chó mèo" in listing and "Chỉ đạo điều hành của địa phương" in listing
    assert "Tiêm phòng dại" not in client.get("/articles/?field=good_deeds").get_data(as_text=True)
    english = client.get("/articles/?field=local_direction&lang=en").get_data(as_text=True)
    assert "Local direction and administration" in english
    form = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert re.search(r'<option (selected )?value="local_direction"( selected)?>', form) and "Hoa Phạm" in form
    assert re.search(r'<option selected value="local_direction">|<option value="local_direction" selected>', form)
    _login(client, "tinh-bt")
    bad = client.post(f"/articles/{article_id}", data={"title": article.title, "body": article.body,
                                                      "language": "vi", "field_category": "khong-co"},
                      follow_redirects=True)
    assert "Invalid field." in bad.get_data(as_text=True)  # the language chosen above (cookie) is English
    db.expire_all()
    assert db.get(Article, article_id).field_category == "local_direction"  # type: ignore[union-attr]


def test_province_bulletin_reaches_three_communes_two_air_one_declines_and_the_province_view_and_play_logs_agree(
        app: Flask, client: FlaskClient, db: Session, seed: Seed, tmp_path: Path) -> None:
    extra = _province_accounts(db, seed)
    article_id = _write_province_article(client)
    window = (tomorrow_local(6), tomorrow_local(18))
    _login(client, "tinh-bt")
    sent = client.post(f"/province/send/{article_id}", data={
        "commune_ids": [seed.commune_id, seed.other_commune_id, extra.tan_hoa_id], "mode": "must_air",
        "window_start": window[0].strftime(LOCAL_FMT), "window_end": window[1].strftime(LOCAL_FMT)})
    assert sent.status_code == 302, sent.get_data(as_text=True)
    item_id = int(sent.headers["Location"].rstrip("/").split("/")[-1])

    # Xã An Bình: sees it in its inbox and on the home page block, not Phú Lộc's copy; outside the window refused.
    _login(client, "bientap")
    with client:
        inbox = client.get("/inbox/").get_data(as_text=True)
        block = render_template("inbox/_home_block.html")
    assert "Tiêm phòng dại cho chó mèo" in inbox and "Bắt buộc phát" in inbox and "Xã Phú Lộc" not in inbox
    assert "Tiêm phòng dại cho chó mèo" in block
    an_binh, phu_loc = _delivery(db, seed.commune_id), _delivery(db, seed.other_commune_id)
    assert client.get(f"/inbox/{phu_loc.id}").status_code == 404
    late = client.post(f"/inbox/{an_binh.id}/schedule", data={"start_local": tomorrow_local(19).strftime(LOCAL_FMT)})
    assert late.status_code == 400 and "trong khoảng thời gian tỉnh yêu cầu" in late.get_data(as_text=True)
    starts = {seed.commune_id: tomorrow_local(7), seed.other_commune_id: tomorrow_local(8)}
    assert client.post(f"/inbox/{an_binh.id}/schedule",
                       data={"start_local": starts[seed.commune_id].strftime(LOCAL_FMT)}).status_code == 302
    _login(client, "bientap2")
    assert client.post(f"/inbox/{phu_loc.id}/schedule",
                       data={"start_local": starts[seed.other_commune_id].strftime(LOCAL_FMT)}).status_code == 302
    _login(client, "bientap3")
    tan_hoa = _delivery(db, extra.tan_hoa_id)
    assert client.post(f"/inbox/{tan_hoa.id}/decline", data={"reason": ""}).status_code == 400
    assert client.post(f"/inbox/{tan_hoa.id}/decline",
                       data={"reason": "Loa thôn Nam đang sửa chữa"}).status_code == 302

    # The two commune bulletins air: real dispatch (signed command, pending as-run rows), node events through the
    # real ingest (decoded, checked against the command, stored once).
    db.expire_all()
    bulletins = {d.commune_id: db.scalars(select(Bulletin).where(Bulletin.article_id == d.article_id)).one()
                 for d in (_delivery(db, seed.commune_id), _delivery(db, seed.other_commune_id))}
    duration_ms = next(iter(bulletins.values())).audio.duration_ms
    sessions = app.extensions["radio"].sessionmaker
    key = generate_private_key(tmp_path / "k.pem")
    commands = {}
    for commune_id, bulletin in bulletins.items():
        at = starts[commune_id].astimezone(UTC)
        commands[commune_id] = Dispatcher(sessions, NullPublisher(), key, lambda at=at: at - timedelta(minutes=2),
                                          media_base_url="http://127.0.0.1:9").dispatch(bulletin.id)
    ingest = EventIngest(sessions, lambda: tomorrow_local(9).astimezone(UTC))
    ingest.start()
    for commune_id, nodes in ((seed.commune_id, ["loa-dong-1", "loa-tay-1"]), (seed.other_commune_id, ["loa-bac-1"])):
        start_ms = int(starts[commune_id].timestamp() * 1000)
        for node in nodes:
            cid = commands[commune_id]
            assert cid is not None
            ingest.on_message(topics.node_event(node), encode(event(node, cid, EventKind.STARTED, start_ms + 3)))
            ingest.on_message(topics.node_event(node), encode(event(node, cid, EventKind.FINISHED,
                                                                    start_ms + duration_ms, played_ms=duration_ms)))
    ingest.stop()
    assert ingest.stats().get("rejected", 0) == 0 and ingest.stored == 6

    # The province's view, from the as-run log.
    _login(client, "tinh-bt")
    page = client.get(f"/province/{item_id}").get_data(as_text=True)
    assert "Loa thôn Nam đang sửa chữa" in page and "Từ chối" in page
    with sessions() as s:
        rows = {r.commune.code: r for r in airings(s, item_id)}
    assert {code: (r.delivery.status, r.loudspeakers) for code, r in rows.items()} == {
        "99001": (DeliveryStatus.SCHEDULED, 2), "99002": (DeliveryStatus.SCHEDULED, 1),
        "99003": (DeliveryStatus.DECLINED, 0)}
    assert rows["99001"].first_start_ms == int(starts[seed.commune_id].timestamp() * 1000) + 3

    # Upward: the connector pushes the play logs to the reference HTTT nguồn; they agree with the province view.
    clock_now = [tomorrow_local(10).astimezone(UTC)]
    with ProvinceServer(clock=lambda: clock_now[0]) as server:
        link = link_from({"code": "99", "base_url": server.base_url, "username": server.username,
                          "password": server.password})
        Connector(sessions, [link], lambda: clock_now[0]).run_once()
        logs = list(server.stored["play_log"].values())
        schedules = list(server.stored["schedule"].values())
    by_area: dict[str, set[str]] = {}
    for log in logs:
        assert log["KetQua"] == 1 and log["LinhVuc"] == 4 and log["ThoiLuongPhat"] == round(duration_ms / 1000, 1)
        by_area.setdefault(log["DiaBanTao"], set()).add(log["CumLoaId"])
    assert by_area == {"99001": {"loa-dong-1", "loa-tay-1"}, "99002": {"loa-bac-1"}}
    assert {code: len(nodes) for code, nodes in by_area.items()} == {
        code: r.loudspeakers for code, r in rows.items() if r.loudspeakers}
    assert {s["LichPhatId"] for s in schedules} == {b.id for b in bulletins.values()}
    with sessions() as s:
        assert {log["NhatKyId"] for log in logs} == set(s.scalars(select(AsRun.id)))
        actions = [a for a in s.scalars(select(AuditEntry.action).where(AuditEntry.action.startswith("province.")))]
        assert sorted(actions) == ["province.decline", "province.schedule", "province.schedule", "province.send"]
        assert s.scalar(select(ProvinceBulletin.field_category)) == "local_direction"

    # Reports by field category count the two airings of the province item.
    report = client.get("/province/fields?from={0}&to={0}".format(tomorrow_local(7).date().isoformat()))
    html = report.get_data(as_text=True)
    assert "Chỉ đạo điều hành của địa phương" in html
    csv_text = client.get("/province/fields.csv?from={0}&to={0}".format(
        tomorrow_local(7).date().isoformat())).get_data(as_text=True)
    seconds = f"{3 * duration_ms / 1000:.1f}".replace(".", ",")
    assert f'Chỉ đạo điều hành của địa phương,2,2,3,"{seconds}"' in csv_text


def test_only_province_accounts_send_and_only_to_their_own_communes(client: FlaskClient, db: Session,
                                                                     seed: Seed) -> None:
    _province_accounts(db, seed)
    article_id = _write_province_article(client)
    other_province = Area(code="98", name="Tỉnh Khác", level=AreaLevel.PROVINCE)
    db.add(other_province)
    db.flush()
    foreign = Area(code="98001", name="Xã Ngoài", level=AreaLevel.COMMUNE, parent_id=other_province.id)
    db.add(foreign)
    db.commit()
    _login(client, "tinh-bt")
    refused = client.post(f"/province/send/{article_id}", data={"commune_ids": [foreign.id], "mode": "for_use"},
                          follow_redirects=True)
    assert "Chỉ gửi được tới các xã của tỉnh mình." in refused.get_data(as_text=True)
    _login(client, "bientap")  # a commune broadcaster cannot send a province item down
    refused = client.post(f"/province/send/{article_id}", data={"commune_ids": [seed.commune_id],
                                                               "mode": "for_use"}, follow_redirects=True)
    assert "Chỉ tài khoản cấp tỉnh" in refused.get_data(as_text=True)
    db.expire_all()
    assert db.scalars(select(ProvinceBulletin)).all() == []


def test_the_commune_sees_whether_the_provinces_recording_has_arrived(client: FlaskClient, db: Session,
                                                                     seed: Seed) -> None:
    """A received bulletin's audio in words on the commune's page: arrived, still being fetched (with the last
    reason), given up after the last try, or never sent."""
    from station.httt.inbound import MAX_AUDIO_TRIES

    states = {"a": ("https://httt.tinh.vn/a.mp3", 2, "máy chủ của tỉnh trả lời 404"),
              "b": ("https://httt.tinh.vn/b.mp3", MAX_AUDIO_TRIES, "máy chủ của tỉnh trả lời 404"),
              "c": ("", 0, "")}
    ids = {}
    for key, (link, tries, error) in states.items():
        item = ProvinceBulletin(origin_area_id=seed.province_id, external_id=key, title=f"Tin {key}",
                                audio_link=link, audio_tries=tries, audio_error=error)
        db.add(item)
        db.flush()
        delivery = ProvinceDelivery(province_bulletin_id=item.id, commune_id=seed.commune_id)
        db.add(delivery)
        db.flush()
        ids[key] = delivery.id
    db.commit()
    _login(client, "bientap")
    page = {k: client.get(f"/inbox/{i}").get_data(as_text=True) for k, i in ids.items()}
    assert "Đang tải tệp âm thanh của tỉnh về (đã thử 2 lần): máy chủ của tỉnh trả lời 404" in page["a"]
    assert "Không tải được tệp âm thanh của tỉnh: máy chủ của tỉnh trả lời 404" in page["b"]
    assert "Tỉnh chưa gửi tệp âm thanh" in page["c"]
    assert all("audio_link" not in p and "https://httt.tinh.vn" not in p for p in page.values())

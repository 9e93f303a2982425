"""Bulletin screens: schedule in local time, reject the past, cancel, show as-run rows."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed, add_article_with_audio

from radio.db.models import AsRun, Bulletin, BulletinStatus, CommandRow, Outcome
from radio.db.types import utcnow

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def tomorrow_local(hour: int, minute: int = 0, second: int = 0) -> datetime:
    today = datetime.now(VN).date()
    return datetime.combine(today + timedelta(days=1), datetime.min.time(), VN).replace(
        hour=hour, minute=minute, second=second)


def form(article_id: int, start: str, area_ids: list[int], priority: str = "normal") -> dict[str, object]:
    return {"article_id": str(article_id), "priority": priority, "start_local": start,
            "area_ids": [str(a) for a in area_ids]}


def test_new_form_groups_villages_by_commune(client: FlaskClient, auth: AuthActions, db: Session,
                                             seed: Seed) -> None:
    add_article_with_audio(db)
    auth.login("quantri")  # no area: sees every commune
    html = client.get("/bulletins/new").get_data(as_text=True)
    assert html.index("Cả xã An Bình") < html.index("Thôn Đông") < html.index("Thôn Tây")
    assert html.index("Thôn Tây") < html.index("Cả xã Phú Lộc") < html.index("Thôn Bắc")
    assert "Cả xã Xã" not in html  # the unit is said once (issue 14)
    assert 'type="datetime-local" step="1"' in html
    for label in ("Thường", "Ưu tiên", "Khẩn cấp"):
        assert label in html


def test_commune_broadcaster_sees_only_their_commune(client: FlaskClient, auth: AuthActions, db: Session,
                                                     seed: Seed) -> None:
    article = add_article_with_audio(db)
    auth.login()
    html = client.get("/bulletins/new").get_data(as_text=True)
    assert "Thôn Đông" in html and "Thôn Bắc" not in html
    start = tomorrow_local(6).strftime("%Y-%m-%dT%H:%M:%S")
    response = client.post("/bulletins/new", data=form(article.id, start, [seed.village_bac_id]))
    assert response.status_code == 400
    assert "không được phát tới" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Bulletin)) == 0


def test_start_typed_in_vietnam_time_is_stored_as_utc(client: FlaskClient, auth: AuthActions, db: Session,
                                                      seed: Seed) -> None:
    article = add_article_with_audio(db)
    auth.login()
    start = tomorrow_local(6)
    response = client.post("/bulletins/new", data=form(
        article.id, start.strftime("%Y-%m-%dT%H:%M:%S"), [seed.village_dong_id, seed.village_tay_id],
        priority="priority"))
    assert response.status_code == 302
    bulletin = db.scalars(select(Bulletin)).one()
    # 06:00 in Hà Nội is 23:00 UTC the day before.
    expected = datetime.combine(start.date() - timedelta(days=1), datetime.min.time(), UTC).replace(hour=23)
    assert bulletin.start_at == expected
    assert bulletin.status == BulletinStatus.SCHEDULED
    assert (bulletin.priority, bulletin.title, bulletin.article_id) == ("priority", article.title, article.id)
    assert bulletin.audio_id == article.audio_id and bulletin.created_by == seed.broadcaster_id
    assert sorted(t.area_id for t in bulletin.targets) == sorted([seed.village_dong_id, seed.village_tay_id])

    detail = client.get(response.headers["Location"]).get_data(as_text=True)
    assert start.strftime("%d/%m/%Y") + " 06:00:00" in detail
    assert "Ưu tiên" in detail and "Chờ phát" in detail
    listing = client.get("/bulletins/").get_data(as_text=True)
    assert start.strftime("%d/%m/%Y") + " 06:00:00" in listing


def test_start_without_seconds_is_accepted(client: FlaskClient, auth: AuthActions, db: Session,
                                           seed: Seed) -> None:
    # Browsers drop ":00" seconds from datetime-local values.
    article = add_article_with_audio(db)
    auth.login()
    start = tomorrow_local(17, 30)
    response = client.post("/bulletins/new", data=form(article.id, start.strftime("%Y-%m-%dT%H:%M"),
                                                       [seed.commune_id]))
    assert response.status_code == 302
    assert db.scalars(select(Bulletin)).one().start_at == start.astimezone(UTC)


def test_past_start_is_rejected_and_nothing_written(client: FlaskClient, auth: AuthActions, db: Session,
                                                    seed: Seed) -> None:
    article = add_article_with_audio(db)
    auth.login()
    past = (datetime.now(VN) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%S")
    response = client.post("/bulletins/new", data=form(article.id, past, [seed.village_dong_id]))
    assert response.status_code == 400
    assert "Thời điểm phát đã qua" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Bulletin)) == 0


def test_missing_targets_and_bad_time_are_explained(client: FlaskClient, auth: AuthActions, db: Session,
                                                    seed: Seed) -> None:
    article = add_article_with_audio(db)
    auth.login()
    start = tomorrow_local(6).strftime("%Y-%m-%dT%H:%M:%S")
    no_targets = client.post("/bulletins/new", data=form(article.id, start, []))
    assert "Hãy chọn ít nhất một thôn" in no_targets.get_data(as_text=True)
    bad_time = client.post("/bulletins/new", data=form(article.id, "ngày mai", [seed.commune_id]))
    assert "Ngày giờ phát không hợp lệ" in bad_time.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Bulletin)) == 0


def test_cancel_button_cancels_scheduled_bulletin(client: FlaskClient, auth: AuthActions, db: Session,
                                                  seed: Seed) -> None:
    article = add_article_with_audio(db)
    auth.login()
    start = tomorrow_local(6).strftime("%Y-%m-%dT%H:%M:%S")
    location = client.post("/bulletins/new", data=form(article.id, start, [seed.commune_id])).headers["Location"]
    assert "Huỷ bản tin" in client.get(location).get_data(as_text=True)
    html = client.post(f"{location}/cancel", follow_redirects=True).get_data(as_text=True)
    assert "Đã huỷ bản tin." in html
    assert db.scalars(select(Bulletin)).one().status == BulletinStatus.CANCELLED
    again = client.post(f"{location}/cancel", follow_redirects=True).get_data(as_text=True)
    assert "Chỉ huỷ được bản tin đang chờ phát hoặc đã gửi lệnh." in again
    assert client.post("/bulletins/999/cancel").status_code == 404


def test_detail_shows_as_run_rows(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    start = datetime(2025, 11, 21, 23, 0, tzinfo=UTC)  # 06:00 on 22/11 in Vietnam
    bulletin = Bulletin(title="Tin sáng", audio_id=article.audio_id, start_at=start,
                        status=BulletinStatus.DONE)
    db.add(bulletin)
    db.flush()
    db.add(CommandRow(id="cmd-1", bulletin_id=bulletin.id, kind="play", topics=[], payload="{}",
                      issued_at=utcnow(), start_at=start, expires_at=start + timedelta(hours=1)))
    db.flush()
    started_ms = int(start.timestamp() * 1000) + 12
    db.add(AsRun(command_id="cmd-1", bulletin_id=bulletin.id, node_id="loa-dong-1", scheduled_start=start,
                 requested_ms=61_000, started_at_ms=started_ms, played_ms=61_000, outcome=Outcome.COMPLETED))
    db.commit()
    auth.login()
    html = client.get(f"/bulletins/{bulletin.id}").get_data(as_text=True)
    assert "Cụm loa Đông 1" in html
    assert "22/11/2025 06:00:00.012" in html
    assert "hoàn thành" in html and "61,0" in html
    assert "Huỷ bản tin" not in html  # aired: nothing left to cancel

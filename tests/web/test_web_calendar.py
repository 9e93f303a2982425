"""Week calendar: ISO weeks in Vietnam time, a commune's bulletins and programme airings, scope, moving a
bulletin through the area rules (nothing changes on error)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from flask.testing import FlaskClient
from schedule_support import VN, add_programme, tomorrow_local
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed

from radio.db.models import (
    AreaPolicyRow,
    AudioAssetRow,
    Bulletin,
    BulletinNodeTarget,
    BulletinStatus,
    BulletinTarget,
)
from station.calendar import load_week, parse_week, week_bounds, week_name


def add_bulletin(db: Session, area_id: int | None, start: datetime, *, title: str = "Tin phòng chống bão",
                 priority: str = "normal", status: str = BulletinStatus.SCHEDULED, node_id: str | None = None,
                 duration_ms: int = 60_000) -> Bulletin:
    audio = AudioAssetRow(sha256=f"{abs(hash((title, start))):064x}"[:64], duration_ms=duration_ms, size_bytes=1,
                          engine="espeak-ng", voice="vi")
    bulletin = Bulletin(title=title, audio=audio, start_at=start.astimezone(UTC), priority=priority, status=status,
                        targets=[BulletinTarget(area_id=area_id)] if area_id else [],
                        node_targets=[BulletinNodeTarget(node_id=node_id)] if node_id else [])
    db.add(bulletin)
    db.commit()
    return bulletin


@pytest.mark.parametrize(("text", "monday"), [
    ("2026-W48", date(2026, 11, 23)),
    ("2026-W01", date(2025, 12, 29)),  # ISO week 1 may start in the previous year
    ("2020-W53", date(2020, 12, 28)),
])
def test_iso_week_names_give_their_monday(text: str, monday: date) -> None:
    assert parse_week(text, date(2026, 1, 1)) == monday
    assert week_name(monday) == text


@pytest.mark.parametrize("text", ["2026-48", "W48", "2026-W54", "2026-W00", "next week"])
def test_unreadable_weeks_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_week(text, date(2026, 1, 1))


def test_empty_week_is_the_current_one_and_bounds_are_local_midnight() -> None:
    assert parse_week("", date(2026, 11, 26)) == date(2026, 11, 23)
    start, end = week_bounds(date(2026, 11, 23), VN)
    assert start == datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # Monday 00:00 in Hà Nội is Sunday 17:00 UTC
    assert end - start == timedelta(days=7)


def test_week_holds_the_communes_bulletins_and_programme_airings(db: Session, seed: Seed) -> None:
    at = tomorrow_local(8)
    monday = at.date() - timedelta(days=at.weekday())
    mine = add_bulletin(db, seed.village_dong_id, at, title="Thôn Đông")
    by_node = add_bulletin(db, None, at + timedelta(hours=1), title="Một cụm loa", node_id="loa-tay-1")
    add_bulletin(db, seed.other_commune_id, at, title="Xã khác")
    add_bulletin(db, seed.commune_id, at + timedelta(days=8), title="Tuần sau")
    add_programme(db, seed.commune_id, [seed.commune_id], at=time(6, 0))
    week = load_week(db, seed.commune_id, monday, VN)
    assert [b.id for b in week.bulletins] == [mine.id, by_node.id]
    assert len(week.slots) == 7 and all(s.start.astimezone(VN).time() == time(6, 0) for s in week.slots)


def test_calendar_page_shows_days_entries_and_week_navigation(client: FlaskClient, auth: AuthActions,
                                                              db: Session, seed: Seed) -> None:
    at = tomorrow_local(8, 30)
    bulletin = add_bulletin(db, seed.commune_id, at, priority="priority")
    add_programme(db, seed.commune_id, [seed.commune_id], name="Thời sự sáng", at=time(6, 0))
    auth.login()
    name = week_name(at.date())
    html = client.get(f"/calendar/?week={name}").get_data(as_text=True)
    assert html.count('class="cal-day') == 7
    assert f'href="/bulletins/{bulletin.id}"' in html and "priority-priority" in html
    assert "<time>08:30</time> <span class=\"cal-dur\">(1:00)</span>" in html and "Chương trình: Thời sự sáng" in html
    assert f"/calendar/bulletins/{bulletin.id}/move" in html
    previous = week_name(at.date() - timedelta(days=7))
    assert f"week={previous}" in html


def test_bad_week_shows_the_current_week_with_a_warning(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    response = client.get("/calendar/?week=tuan-sau")
    assert response.status_code == 200 and "Tuần không hợp lệ" in response.get_data(as_text=True)


def test_commune_chooser_is_limited_to_the_users_scope(client: FlaskClient, auth: AuthActions, db: Session,
                                                       seed: Seed) -> None:
    at = tomorrow_local(9)
    add_bulletin(db, seed.other_commune_id, at, title="Bản tin Phú Lộc")
    auth.login()  # broadcaster of Xã An Bình
    html = client.get(f"/calendar/?commune={seed.other_commune_id}&week={week_name(at.date())}").get_data(
        as_text=True)
    assert "Xã An Bình" in html and "Xã Phú Lộc" not in html and "Bản tin Phú Lộc" not in html
    auth.logout()
    auth.login("quantri")
    html = client.get(f"/calendar/?commune={seed.other_commune_id}&week={week_name(at.date())}").get_data(
        as_text=True)
    assert 'id="commune"' in html and "Bản tin Phú Lộc" in html


def _move(client: FlaskClient, bulletin: Bulletin, when: datetime, **extra: str):  # type: ignore[no-untyped-def]
    data = {"start_local": when.astimezone(VN).strftime("%Y-%m-%dT%H:%M:%S")} | extra
    return client.post(f"/calendar/bulletins/{bulletin.id}/move", data=data)


def _start(db: Session, bulletin: Bulletin) -> datetime:
    db.expire_all()
    return db.get(Bulletin, bulletin.id).start_at


def test_moving_a_bulletin_changes_its_time_and_returns_to_its_week(client: FlaskClient, auth: AuthActions,
                                                                    db: Session, seed: Seed) -> None:
    bulletin = add_bulletin(db, seed.commune_id, tomorrow_local(8))
    auth.login()
    assert 'type="datetime-local"' in client.get(f"/calendar/bulletins/{bulletin.id}/move").get_data(as_text=True)
    new = tomorrow_local(10, 15)
    response = _move(client, bulletin, new)
    assert response.status_code == 302 and f"week={week_name(new.date())}" in response.headers["Location"]
    assert _start(db, bulletin) == new.astimezone(UTC)
    assert "Đã đổi giờ phát" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_move_that_breaks_a_rule_is_refused_and_changes_nothing(client: FlaskClient, auth: AuthActions,
                                                                db: Session, seed: Seed) -> None:
    db.add(AreaPolicyRow(area_id=seed.commune_id, quiet_start=time(21, 0), quiet_end=time(5, 0)))
    bulletin = add_bulletin(db, seed.commune_id, tomorrow_local(8))
    auth.login()
    response = _move(client, bulletin, tomorrow_local(23, 30))
    assert response.status_code == 400 and "yên tĩnh" in response.get_data(as_text=True)
    assert _start(db, bulletin) == tomorrow_local(8).astimezone(UTC)


def test_overlap_is_refused_or_queued_as_chosen(client: FlaskClient, auth: AuthActions, db: Session,
                                                seed: Seed) -> None:
    first = add_bulletin(db, seed.commune_id, tomorrow_local(9), title="Trước")
    second = add_bulletin(db, seed.village_dong_id, tomorrow_local(11), title="Sau")
    auth.login()
    refused = _move(client, second, tomorrow_local(9, 0, 30))
    assert refused.status_code == 400 and _start(db, second) == tomorrow_local(11).astimezone(UTC)
    queued = _move(client, second, tomorrow_local(9, 0, 30), on_overlap="queue")
    assert queued.status_code == 302
    assert _start(db, second) >= _start(db, first) + timedelta(minutes=1)


@pytest.mark.parametrize(("status", "priority"), [(BulletinStatus.DISPATCHED, "normal"),
                                                  (BulletinStatus.DONE, "normal"),
                                                  (BulletinStatus.SCHEDULED, "emergency")])
def test_only_scheduled_normal_bulletins_move(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed,
                                              status: str, priority: str) -> None:
    bulletin = add_bulletin(db, seed.commune_id, tomorrow_local(8), status=status, priority=priority)
    auth.login()
    response = _move(client, bulletin, tomorrow_local(10))
    assert response.status_code == 400
    assert _start(db, bulletin) == tomorrow_local(8).astimezone(UTC)


def test_scheduler_error_is_shown_in_english_when_chosen(client: FlaskClient, auth: AuthActions, db: Session,
                                                         seed: Seed) -> None:
    bulletin = add_bulletin(db, seed.commune_id, tomorrow_local(8), status=BulletinStatus.DISPATCHED)
    auth.login()
    client.get("/calendar/?lang=en")
    html = _move(client, bulletin, tomorrow_local(10)).get_data(as_text=True)
    assert "Only bulletins waiting to air can be moved." in html


def test_past_time_is_refused(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed) -> None:
    bulletin = add_bulletin(db, seed.commune_id, tomorrow_local(8))
    auth.login()
    response = _move(client, bulletin, datetime.now(VN) - timedelta(hours=1))
    assert response.status_code == 400 and "đã qua" in response.get_data(as_text=True)


def test_another_communes_bulletin_cannot_be_moved(client: FlaskClient, auth: AuthActions, db: Session,
                                                   seed: Seed) -> None:
    bulletin = add_bulletin(db, seed.other_commune_id, tomorrow_local(8))
    auth.login()
    assert _move(client, bulletin, tomorrow_local(10)).status_code == 403
    assert _start(db, bulletin) == tomorrow_local(8).astimezone(UTC)


def test_move_is_audited_when_the_audit_log_exists(client: FlaskClient, auth: AuthActions, db: Session,
                                                   seed: Seed) -> None:
    governance = pytest.importorskip("radio.db.governance")
    bulletin = add_bulletin(db, seed.commune_id, tomorrow_local(8))
    auth.login()
    _move(client, bulletin, tomorrow_local(10))
    entry = db.query(governance.AuditEntry).filter_by(action="bulletin.reschedule").one()
    assert entry.object_id == str(bulletin.id) and entry.username == "bientap"
    assert entry.area_id == seed.commune_id

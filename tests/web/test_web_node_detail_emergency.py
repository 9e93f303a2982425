"""The emergency button: a short form with a confirmation the server insists on, then airs in ~3 s."""

from __future__ import annotations

from datetime import timedelta

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed, add_article_with_audio

from radio.db.models import Bulletin, BulletinStatus
from radio.db.types import utcnow


def _bulletins(db: Session) -> list[Bulletin]:
    db.expire_all()
    return list(db.scalars(select(Bulletin)))


def test_button_is_on_the_bulletin_calendar_and_loudspeaker_pages(client: FlaskClient, auth: AuthActions,
                                                                  seed: Seed) -> None:
    auth.login()
    for path in ("/bulletins/", "/calendar/", "/nodes/", "/nodes/loa-dong-1"):
        assert "/emergency/" in client.get(path).get_data(as_text=True), path


def test_form_preselects_the_place_it_was_opened_for(client: FlaskClient, auth: AuthActions, db: Session,
                                                     seed: Seed) -> None:
    add_article_with_audio(db)
    auth.login()
    html = client.get("/emergency/?node=loa-dong-1").get_data(as_text=True)
    assert f'value="{seed.village_dong_id}" checked' in html and f'value="{seed.commune_id}" checked' not in html
    html = client.get(f"/emergency/?commune={seed.commune_id}").get_data(as_text=True)
    assert f'value="{seed.commune_id}" checked' in html
    assert 'data-confirm="' in html and "/static/js/confirm.js" in html and 'name="confirm"' in html


def test_without_the_confirmation_nothing_is_sent(client: FlaskClient, auth: AuthActions, db: Session,
                                                  seed: Seed) -> None:
    article = add_article_with_audio(db)
    auth.login()
    response = client.post("/emergency/", data={"article_id": article.id, "area_ids": [seed.commune_id]})
    assert response.status_code == 400 and "Tôi xác nhận phát khẩn cấp ngay" in response.get_data(as_text=True)
    assert _bulletins(db) == []


def test_confirmed_emergency_airs_in_about_three_seconds(client: FlaskClient, auth: AuthActions, db: Session,
                                                         seed: Seed) -> None:
    article = add_article_with_audio(db)
    auth.login("lanhdao")
    before = utcnow()
    response = client.post("/emergency/", data={"article_id": article.id, "area_ids": [seed.commune_id],
                                                "confirm": "yes"})
    [bulletin] = _bulletins(db)
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/bulletins/{bulletin.id}")
    assert bulletin.priority == "emergency" and bulletin.status == BulletinStatus.SCHEDULED
    assert timedelta(seconds=2) <= bulletin.start_at - before <= timedelta(seconds=5)
    assert [t.area_id for t in bulletin.targets] == [seed.commune_id]
    assert "phát sau khoảng 3 giây" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_places_outside_the_users_commune_are_refused(client: FlaskClient, auth: AuthActions, db: Session,
                                                      seed: Seed) -> None:
    article = add_article_with_audio(db)
    auth.login()
    response = client.post("/emergency/", data={"article_id": article.id, "area_ids": [seed.village_bac_id],
                                                "confirm": "yes"})
    assert response.status_code == 400 and _bulletins(db) == []


def test_a_monitor_has_no_emergency_button(client: FlaskClient, auth: AuthActions, seed: Seed) -> None:
    auth.login("giamsat")
    assert "/emergency/" not in client.get("/bulletins/").get_data(as_text=True)
    assert client.post("/emergency/", data={"confirm": "yes"}).status_code == 403

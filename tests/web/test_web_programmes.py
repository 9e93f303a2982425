"""Programmes: create and edit (targets, jingles chosen or uploaded), weekly slots, upcoming airings."""

from __future__ import annotations

import io
from datetime import date, time

import pytest
from flask.testing import FlaskClient
from schedule_support import add_jingle, add_programme, count, tomorrow_local
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed, add_article_with_audio

from radio.db.models import AudioAssetRow, Programme, ProgrammeSlot, ProgrammeTarget
from web.programme_support import occurrence_value


def programme_form(seed: Seed, **fields: object) -> dict[str, object]:
    data: dict[str, object] = {"name": "Thời sự sáng", "commune_id": str(seed.commune_id),
                               "area_ids": [str(seed.village_dong_id)], "sign_on_audio_id": "0",
                               "sign_off_audio_id": "0", "active": "y"}
    data.update(fields)
    return data


def test_create_with_chosen_and_uploaded_jingles(client: FlaskClient, auth: AuthActions, db: Session,
                                                 seed: Seed) -> None:
    jingle = add_jingle(db, "1" * 64)
    # Jingles are offered from the commune's own material (station.isolation): one its old programme uses.
    db.add(Programme(name="Chương trình cũ", commune_id=seed.commune_id, active=False, sign_on_audio_id=jingle.id))
    db.add(Programme(name="Của Phú Lộc", commune_id=seed.other_commune_id, active=False,
                     sign_on_audio_id=add_jingle(db, "2" * 64).id))
    db.commit()
    auth.login()
    page = client.get("/programmes/new").get_data(as_text=True)
    assert "Tệp tải lên (0:05, 11111111)" in page and "Xã Phú Lộc" not in page
    assert "22222222" not in page  # another commune's jingle is not offered
    data = programme_form(seed, sign_on_audio_id=str(jingle.id),
                          sign_off_file=(io.BytesIO(b"ID3" + b"\x01" * 3000), "ket-thuc.mp3"))
    response = client.post("/programmes/new", data=data, content_type="multipart/form-data")
    assert response.status_code == 302, response.get_data(as_text=True)
    programme = db.scalars(select(Programme).where(Programme.name == "Thời sự sáng")).one()
    assert (programme.name, programme.commune_id, programme.active) == ("Thời sự sáng", seed.commune_id, True)
    assert programme.sign_on_audio_id == jingle.id
    uploaded = db.get(AudioAssetRow, programme.sign_off_audio_id)
    assert uploaded is not None and uploaded.engine == "upload"
    assert [t.area_id for t in programme.targets] == [seed.village_dong_id]
    assert count(db, ProgrammeSlot) == 0
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Hãy thêm giờ phát." in html and "Thôn Đông" in html
    assert "Thời sự sáng" in client.get("/programmes/").get_data(as_text=True)


def test_whole_commune_when_nothing_or_commune_ticked(client: FlaskClient, auth: AuthActions, db: Session,
                                                      seed: Seed) -> None:
    auth.login()
    client.post("/programmes/new", data=programme_form(
        seed, area_ids=[str(seed.commune_id), str(seed.village_tay_id)]))
    client.post("/programmes/new", data=programme_form(seed, name="Tin chiều", area_ids=[]))
    assert [t.area_id for t in db.scalars(select(ProgrammeTarget))] == [seed.commune_id, seed.commune_id]


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"name": " "}, "Tên chương trình không được để trống."),
     ({"commune_id": "3"}, "Bạn không được lập chương trình cho xã đã chọn."),
     ({"area_ids": ["6"]}, "Nơi phát phải thuộc xã của chương trình."),
     ({"sign_on_audio_id": "999"}, "Không tìm thấy tệp nhạc hiệu đã chọn."),
     ({"sign_on_file": (io.BytesIO(b"text"), "ghi-chu.txt")}, "không phải âm thanh hợp lệ")],
    ids=["no-name", "other-commune", "other-village", "unknown-jingle", "bad-upload"],
)
def test_invalid_programme_is_explained_and_not_saved(client: FlaskClient, auth: AuthActions, db: Session,
                                                      seed: Seed, fields: dict[str, object],
                                                      message: str) -> None:
    assert (seed.other_commune_id, seed.village_bac_id) == (3, 6)  # the ids used above
    auth.login()
    response = client.post("/programmes/new", data=programme_form(seed, **fields),
                           content_type="multipart/form-data")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert count(db, Programme) == 0 and count(db, AudioAssetRow) == 0


def test_edit_pauses_and_renames(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed) -> None:
    programme = add_programme(db, seed.commune_id, [seed.commune_id])
    auth.login()
    page = client.get(f"/programmes/{programme.id}/edit").get_data(as_text=True)
    assert 'value="Thời sự sáng"' in page
    response = client.post(f"/programmes/{programme.id}/edit",
                           data=programme_form(seed, name="Thời sự tối", area_ids=[str(seed.commune_id)],
                                               active=""))
    assert response.status_code == 302
    db.expire_all()
    edited = db.get(Programme, programme.id)
    assert edited is not None and (edited.name, edited.active) == ("Thời sự tối", False)
    assert count(db, ProgrammeTarget) == 1


def test_other_communes_programme_is_forbidden(client: FlaskClient, auth: AuthActions, db: Session,
                                               seed: Seed) -> None:
    other = add_programme(db, seed.other_commune_id, [seed.other_commune_id], name="Tin Phú Lộc")
    auth.login()
    assert "Tin Phú Lộc" not in client.get("/programmes/").get_data(as_text=True)
    assert client.get(f"/programmes/{other.id}").status_code == 403
    slot = {"local_time": "06:00", "days": ["mon"]}
    assert client.post(f"/programmes/{other.id}/slots", data=slot).status_code == 403
    assert client.get("/programmes/999").status_code == 404


def test_add_and_remove_slots(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed) -> None:
    programme = add_programme(db, seed.commune_id, [seed.commune_id])
    auth.login()
    url = f"/programmes/{programme.id}/slots"
    html = client.post(url, data={"local_time": "17:30", "days": ["fri", "mon", "wed"], "valid_from": "2026-01-01",
                                  "valid_to": ""}, follow_redirects=True).get_data(as_text=True)
    assert "Đã thêm giờ phát." in html and "Thứ Hai, Thứ Tư, Thứ Sáu" in html
    slot = db.scalars(select(ProgrammeSlot).where(ProgrammeSlot.local_time == time(17, 30))).one()
    assert (slot.days, slot.valid_from, slot.valid_to) == ("mon,wed,fri", date(2026, 1, 1), None)
    assert "Hằng ngày" in html  # the seeded all-week slot

    done = client.post(f"{url}/{slot.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert "Đã xoá giờ phát." in done
    assert count(db, ProgrammeSlot) == 1
    assert client.post(f"{url}/999/delete").status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [({"local_time": "06:00"}, "Hãy chọn ít nhất một ngày trong tuần."),
     ({"local_time": "", "days": ["mon"]}, "Hãy nhập giờ phát."),
     ({"local_time": "6 giờ", "days": ["mon"]}, "Giờ phát không hợp lệ"),
     ({"local_time": "06:00", "days": ["1"]}, "Lựa chọn không hợp lệ: 1."),
     ({"local_time": "06:00", "days": ["mon"], "valid_from": "2026-02-01", "valid_to": "2026-01-01"},
      "Ngày kết thúc áp dụng phải sau ngày bắt đầu.")],
    ids=["no-days", "no-time", "bad-time", "numeric-day", "reversed-dates"],
)
def test_invalid_slot_is_explained_and_not_saved(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed,
                                                 data: dict[str, object], message: str) -> None:
    programme = add_programme(db, seed.commune_id, [seed.commune_id])
    auth.login()
    response = client.post(f"/programmes/{programme.id}/slots", data=data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(db, ProgrammeSlot) == 1


def test_detail_lists_next_airings_with_planned_items(client: FlaskClient, auth: AuthActions, db: Session,
                                                      seed: Seed) -> None:
    article = add_article_with_audio(db, title="Tiêm phòng cho đàn gia súc")
    jingle = add_jingle(db, "3" * 64, 5_000)
    programme = add_programme(db, seed.commune_id, [seed.commune_id], sign_on=jingle.id)
    occurrence = tomorrow_local(6)
    auth.login()
    response = client.post("/bulletins/new", data={
        "article_id": str(article.id), "priority": "normal", "placement": "programme",
        "occurrence": occurrence_value(programme.id, occurrence)})
    assert response.status_code == 302
    html = client.get(f"/programmes/{programme.id}").get_data(as_text=True)
    assert html.count("Thêm bản tin vào buổi này") == 7  # daily slot, next 7 days
    section = html.split(f"{occurrence:%d/%m/%Y} 06:00</h3>")[1].split("</section>")[0]
    assert "Nhạc hiệu mở đầu" in section and "Tiêm phòng cho đàn gia súc" in section
    assert f"{occurrence:%d/%m/%Y} 06:00:00" in section and f"{occurrence:%d/%m/%Y} 06:00:06" in section

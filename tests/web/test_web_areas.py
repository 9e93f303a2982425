"""Area rules page: scope, effective values with their source, saving and clearing, Vietnamese validation."""

from __future__ import annotations

from datetime import time

import pytest
from flask.testing import FlaskClient
from schedule_support import count
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed

from radio.db.models import AreaPolicyRow

EMPTY = {"quiet_start": "", "quiet_end": "", "max_session_minutes": "", "max_sessions_per_day": "",
         "interrupted": "", "late_start_minutes": "", "session_gap_minutes": ""}


def test_list_shows_only_the_users_areas(client: FlaskClient, auth: AuthActions, seed: Seed) -> None:
    auth.login()
    html = client.get("/areas/").get_data(as_text=True)
    assert "Xã An Bình" in html and "Thôn Đông" in html and "Thôn Tây" in html
    assert "Xã Phú Lộc" not in html and "Tỉnh Thử Nghiệm" not in html
    assert client.get(f"/areas/{seed.other_commune_id}/policy").status_code == 403
    assert client.get(f"/areas/{seed.province_id}/policy").status_code == 403
    assert client.get("/areas/999/policy").status_code == 404


def test_effective_values_name_where_they_come_from(client: FlaskClient, auth: AuthActions, db: Session,
                                                    seed: Seed) -> None:
    db.add_all([
        AreaPolicyRow(area_id=seed.province_id, quiet_start=time(21, 30), quiet_end=time(5, 30),
                      max_session_minutes=15),
        AreaPolicyRow(area_id=seed.commune_id, max_session_minutes=45, max_sessions_per_day=2),
    ])
    db.commit()
    auth.login()
    html = client.get(f"/areas/{seed.village_dong_id}/policy").get_data(as_text=True)
    rows = html.split('<td data-label="Quy định">')[1:]

    def row(label: str) -> str:
        return next(r for r in rows if r.startswith(label))

    assert "21:30" in row("Giờ yên tĩnh bắt đầu") and "Kế thừa từ Tỉnh Thử Nghiệm" in row("Giờ yên tĩnh bắt đầu")
    assert "05:30" in row("Giờ yên tĩnh kết thúc")
    assert "45 phút" in row("Thời lượng tối đa") and "Kế thừa từ Xã An Bình" in row("Thời lượng tối đa")
    assert "2 phiên" in row("Số phiên tối đa")
    assert "Phát lại sau" in row("Bản tin bị ngắt") and "Mặc định của hệ thống" in row("Bản tin bị ngắt")
    assert "10 phút" in row("Khoảng nghỉ")


def test_saving_own_rules_then_clearing_them(client: FlaskClient, auth: AuthActions, db: Session,
                                             seed: Seed) -> None:
    auth.login()
    url = f"/areas/{seed.village_dong_id}/policy"
    data = {**EMPTY, "quiet_start": "22:00", "quiet_end": "05:00", "max_session_minutes": "20",
            "interrupted": "drop", "late_start_minutes": "5"}
    html = client.post(url, data=data, follow_redirects=True).get_data(as_text=True)
    assert "Đã lưu quy định phát của Thôn Đông." in html
    assert "Đặt tại khu vực này" in html and "Bỏ qua" in html
    row = db.get(AreaPolicyRow, seed.village_dong_id)
    assert row is not None
    assert (row.quiet_start, row.quiet_end, row.max_session_minutes) == (time(22), time(5), 20)
    assert (row.interrupted, row.late_start_window_s, row.max_sessions_per_day) == ("drop", 300, None)
    assert count(db, AreaPolicyRow) == 1
    # The form shows what is stored, in minutes.
    page = client.get(url).get_data(as_text=True)
    assert 'value="22:00"' in page and 'name="late_start_minutes" type="number" value="5"' in page

    client.post(url, data=EMPTY)
    assert count(db, AreaPolicyRow) == 0  # all empty: the area inherits everything again


@pytest.mark.parametrize(
    ("fields", "message"),
    [({"max_session_minutes": "-5"}, "Thời lượng tối đa mỗi phiên (phút): phải lớn hơn 0"),
     ({"max_sessions_per_day": "-1"}, "Số phiên tối đa mỗi ngày: không được là số âm"),
     ({"session_gap_minutes": "mười"}, "Khoảng nghỉ tách hai phiên (phút): hãy nhập một số nguyên."),
     ({"quiet_start": "21:00"}, "Hãy nhập cả giờ bắt đầu và giờ kết thúc yên tĩnh"),
     ({"quiet_end": "05:00"}, "Hãy nhập cả giờ bắt đầu và giờ kết thúc yên tĩnh"),
     ({"quiet_start": "21:00", "quiet_end": "21:00"}, "không được trùng nhau"),
     ({"quiet_start": "25:00", "quiet_end": "05:00"}, "Giờ yên tĩnh bắt đầu không hợp lệ"),
     ({"interrupted": "explode"}, "Lựa chọn không hợp lệ.")],
    ids=["negative-minutes", "negative-sessions", "not-a-number", "only-start", "only-end", "same", "bad-time",
         "bad-choice"],
)
def test_invalid_rules_are_explained_and_nothing_is_written(client: FlaskClient, auth: AuthActions, db: Session,
                                                            seed: Seed, fields: dict[str, str],
                                                            message: str) -> None:
    auth.login()
    response = client.post(f"/areas/{seed.commune_id}/policy", data={**EMPTY, "max_sessions_per_day": "2",
                                                                      **fields})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert message in html
    assert count(db, AreaPolicyRow) == 0


def test_province_user_edits_province_rules(client: FlaskClient, auth: AuthActions, db: Session,
                                            seed: Seed) -> None:
    auth.login("quantri")  # no area: the whole country
    assert "Tỉnh Thử Nghiệm" in client.get("/areas/").get_data(as_text=True)
    response = client.post(f"/areas/{seed.province_id}/policy",
                           data={**EMPTY, "max_sessions_per_day": "2", "max_session_minutes": "15"})
    assert response.status_code == 302
    html = client.get(f"/areas/{seed.village_bac_id}/policy").get_data(as_text=True)
    assert "Kế thừa từ Tỉnh Thử Nghiệm" in html and "15 phút" in html

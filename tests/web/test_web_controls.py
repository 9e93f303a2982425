"""Loudspeaker controls on the nodes page: volume and stop for a commune or a node become ControlRequest rows."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from schedule_support import count
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed

from radio.db.models import ControlRequest


def test_nodes_page_offers_controls_only_where_the_user_broadcasts(client: FlaskClient, auth: AuthActions,
                                                                    seed: Seed) -> None:
    auth.login()
    html = client.get("/nodes/").get_data(as_text=True)
    assert "Cụm loa Bắc 1" not in html  # another commune's loudspeakers are not listed at all
    assert f"/controls/areas/{seed.commune_id}/volume" in html and "/controls/nodes/loa-dong-1/stop" in html
    assert f"/controls/areas/{seed.other_commune_id}/" not in html and "/controls/nodes/loa-bac-1/" not in html
    assert "Dừng phát ngay" in html and 'type="number" name="volume" min="0" max="100"' in html
    assert "data-confirm=" in html and "/static/js/confirm.js" in html  # the dialog, by confirm.js (CSP)


def test_commune_volume_and_node_stop_are_recorded(client: FlaskClient, auth: AuthActions, db: Session,
                                                   seed: Seed) -> None:
    auth.login()
    html = client.post(f"/controls/areas/{seed.commune_id}/volume", data={"volume": "40"},
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã gửi lệnh đặt âm lượng 40 cho Xã An Bình." in html
    html = client.post("/controls/nodes/loa-dong-1/stop", follow_redirects=True).get_data(as_text=True)
    assert "Đã gửi lệnh dừng phát ngay cho Cụm loa Đông 1." in html
    assert "Đang chờ gửi" in html  # the scheduler has not picked it up yet
    rows = db.scalars(select(ControlRequest).order_by(ControlRequest.id)).all()
    assert [(r.kind, r.area_id, r.node_id, r.volume, r.requested_by, r.sent_at) for r in rows] == [
        ("volume", seed.commune_id, None, 40, seed.broadcaster_id, None),
        ("stop", None, "loa-dong-1", None, seed.broadcaster_id, None),
    ]
    client.post("/controls/nodes/loa-dong-1/volume", data={"volume": "0"})
    client.post(f"/controls/areas/{seed.commune_id}/stop")
    assert count(db, ControlRequest) == 4


@pytest.mark.parametrize(
    ("volume", "message"),
    [("101", "Âm lượng phải từ 0 đến 100."), ("-1", "Âm lượng phải từ 0 đến 100."),
     ("to", "Âm lượng phải là số nguyên từ 0 đến 100."), ("", "Hãy nhập âm lượng (0-100).")],
    ids=["too-loud", "negative", "not-a-number", "empty"],
)
def test_invalid_volume_is_refused(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed,
                                   volume: str, message: str) -> None:
    auth.login()
    html = client.post("/controls/nodes/loa-dong-1/volume", data={"volume": volume},
                       follow_redirects=True).get_data(as_text=True)
    assert message in html
    assert count(db, ControlRequest) == 0


def test_controls_outside_the_users_area_are_forbidden(client: FlaskClient, auth: AuthActions, db: Session,
                                                       seed: Seed) -> None:
    auth.login()
    assert client.post("/controls/nodes/loa-bac-1/stop").status_code == 403
    assert client.post(f"/controls/areas/{seed.other_commune_id}/volume", data={"volume": "10"}).status_code == 403
    assert client.post("/controls/nodes/khong-co/stop").status_code == 404
    assert count(db, ControlRequest) == 0

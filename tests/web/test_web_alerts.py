"""Alerts in the web: the bell's unread count in the menu, the page (scoped by area, in the reader's language),
mark as read, preferences (kinds, e-mail) with validation."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed

from radio.db.alerts import Alert, AlertPreference
from radio.db.types import utcnow


def _alerts(db: Session, seed: Seed) -> None:
    now = utcnow()
    db.add_all([
        Alert(kind="node_offline", key="node_offline:loa-dong-1", area_id=seed.village_dong_id, opened_at=now,
              params={"node": "Cụm loa Đông 1", "node_id": "loa-dong-1", "reason": "outage",
                      "since": now.isoformat()}),
        Alert(kind="not_aired", key="bulletin:1", area_id=seed.commune_id, opened_at=now, resolved_at=now,
              params={"title": "Lịch cắt điện", "bulletin_id": 1, "bad": 1, "total": 2}),
        Alert(kind="node_offline", key="node_offline:loa-bac-1", area_id=seed.village_bac_id, opened_at=now,
              params={"node": "Cụm loa Bắc 1", "node_id": "loa-bac-1", "reason": "outage", "since": now.isoformat()}),
    ])
    db.commit()


def bell(html: str) -> int:
    found = re.search(r'id="alert-unread">(\d+)<', html)
    return int(found.group(1)) if found else 0


def test_bell_counts_unread_alerts_of_the_users_area_until_read(client: FlaskClient, auth: AuthActions, db: Session,
                                                                seed: Seed) -> None:
    _alerts(db, seed)
    auth.login("lanhdao")
    page = client.get("/alerts/").get_data(as_text=True)
    assert bell(page) == 2  # An Bình's two; Phú Lộc's loudspeaker is not theirs
    assert "Cụm loa Đông 1 mất kết nối từ" in page and "“Lịch cắt điện” không phát được trên 1/2 cụm loa." in page
    assert "Cụm loa Bắc 1" not in page and "node_offline" not in page
    client.post("/alerts/read")
    assert bell(client.get("/bulletins/").get_data(as_text=True)) == 0
    auth.logout()
    auth.login("lanhdao2")
    assert bell(client.get("/bulletins/").get_data(as_text=True)) == 1  # read marks are per user


def test_alerts_page_speaks_english(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed) -> None:
    _alerts(db, seed)
    auth.login("lanhdao")
    page = client.get("/alerts/?lang=en").get_data(as_text=True)
    assert "Loudspeaker offline" in page and "did not air on 1 of 2 loudspeakers" in page


def test_preferences_choose_kinds_and_email(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed) -> None:
    _alerts(db, seed)
    auth.login("lanhdao")
    bad = client.post("/alerts/preferences", data={"email": "không-phải-email", "email_enabled": "on"})
    assert bad.status_code == 400 and "không hợp lệ" in bad.get_data(as_text=True)
    response = client.post("/alerts/preferences", data={"kind": ["not_aired", "bogus"], "email": "ld@xa.vn",
                                                        "email_enabled": "on", "weekly_summary": "on"})
    assert response.status_code == 302
    pref = db.get(AlertPreference, seed.leader_id)
    assert pref is not None and pref.kinds == ["not_aired"] and pref.email == "ld@xa.vn" and pref.email_enabled
    assert pref.weekly_summary is False  # only monitors get the weekly report
    assert bell(client.get("/alerts/").get_data(as_text=True)) == 1  # offline alerts no longer wanted


def test_monitor_may_set_own_preferences_and_weekly_summary(client: FlaskClient, auth: AuthActions, db: Session,
                                                            seed: Seed) -> None:
    _alerts(db, seed)
    auth.login("giamsat")
    assert bell(client.get("/alerts/").get_data(as_text=True)) == 3  # the province sees both communes
    response = client.post("/alerts/preferences", data={"kind": ["node_offline"], "email": "gs@tinh.vn",
                                                        "weekly_summary": "on"})
    assert response.status_code == 302
    pref = db.get(AlertPreference, seed.monitor_id)
    assert pref is not None and pref.weekly_summary is True

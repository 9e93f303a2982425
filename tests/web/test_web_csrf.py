"""Every form added for issue 4 refuses a POST without the CSRF token and writes nothing."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from schedule_support import add_programme, count
from web_support import PASSWORD, add_article_with_audio, seed_database

from radio.db.models import AreaPolicyRow, Bulletin, ControlRequest, Programme, ProgrammeSlot

pytestmark = pytest.mark.security

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def logged_in(csrf_app: Flask) -> tuple[FlaskClient, dict[str, int]]:
    with csrf_app.extensions["radio"].sessionmaker() as session:
        seed = seed_database(session)
        article = add_article_with_audio(session)
        programme = add_programme(session, seed.commune_id, [seed.commune_id])
        ids = {"commune": seed.commune_id, "article": article.id, "programme": programme.id,
               "slot": programme.slots[0].id}
    client = csrf_app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True))
    assert token is not None
    client.post("/login", data={"username": "bientap", "password": PASSWORD, "csrf_token": token[1]})
    return client, ids


def test_new_forms_carry_a_token(logged_in: tuple[FlaskClient, dict[str, int]]) -> None:
    client, ids = logged_in
    for url in ("/bulletins/new", f"/areas/{ids['commune']}/policy", "/programmes/new",
                f"/programmes/{ids['programme']}", "/nodes/"):
        forms = client.get(url).get_data(as_text=True).count("<form")
        assert client.get(url).get_data(as_text=True).count('name="csrf_token"') >= forms > 1, url


def test_posts_without_token_are_refused_and_write_nothing(csrf_app: Flask,
                                                           logged_in: tuple[FlaskClient, dict[str, int]]) -> None:
    client, ids = logged_in
    posts = [
        ("/bulletins/new", {"article_id": ids["article"], "priority": "emergency", "confirm_emergency": "y",
                            "area_ids": [ids["commune"]]}),
        (f"/areas/{ids['commune']}/policy", {"max_sessions_per_day": "2"}),
        ("/programmes/new", {"name": "Tin chiều", "commune_id": ids["commune"]}),
        (f"/programmes/{ids['programme']}/edit", {"name": "Đổi tên", "commune_id": ids["commune"]}),
        (f"/programmes/{ids['programme']}/slots", {"local_time": "17:00", "days": ["mon"]}),
        (f"/programmes/{ids['programme']}/slots/{ids['slot']}/delete", {}),
        (f"/controls/areas/{ids['commune']}/volume", {"volume": "50"}),
        (f"/controls/areas/{ids['commune']}/stop", {}),
        ("/controls/nodes/loa-dong-1/volume", {"volume": "50"}),
        ("/controls/nodes/loa-dong-1/stop", {}),
    ]
    for url, data in posts:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "Phiên làm việc" in response.get_data(as_text=True), url
    with csrf_app.extensions["radio"].sessionmaker() as session:
        assert count(session, Bulletin) == 0 and count(session, AreaPolicyRow) == 0
        assert count(session, ControlRequest) == 0 and count(session, ProgrammeSlot) == 1
        assert [p.name for p in session.query(Programme)] == ["Thời sự sáng"]

"""Login and logout."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from web_support import PASSWORD, AuthActions

from web.auth import BAD_LOGIN


def test_login_page_is_public(client: FlaskClient) -> None:
    response = client.get("/login")
    assert response.status_code == 200
    assert "Đăng nhập" in response.get_data(as_text=True)


def test_good_login_reaches_todays_work(client: FlaskClient, auth: AuthActions) -> None:
    response = auth.login()
    assert response.status_code == 302
    assert response.headers["Location"] == "/home/"  # "Việc hôm nay", the landing page of every role
    assert "Việc hôm nay" in client.get("/home/").get_data(as_text=True)
    assert client.get("/bulletins/").status_code == 200


@pytest.mark.parametrize(
    ("username", "password"),
    [("bientap", "sai-mat-khau"), ("khongtontai", PASSWORD), ("nghihuu", PASSWORD), ("", "")],
    ids=["wrong-password", "unknown-user", "inactive-user", "empty"],
)
def test_bad_login_is_refused_without_saying_why(
    client: FlaskClient, auth: AuthActions, username: str, password: str
) -> None:
    response = auth.login(username, password)
    html = response.get_data(as_text=True)
    assert response.status_code in (200, 401)
    if username:
        # One message for unknown user and wrong password: the form does not reveal who exists.
        assert BAD_LOGIN in html
    else:
        assert "Hãy nhập tên đăng nhập." in html
    assert client.get("/bulletins/").status_code == 302


@pytest.mark.security
def test_login_follows_local_next_only(client: FlaskClient, auth: AuthActions) -> None:
    response = client.post("/login?next=/nodes/", data={"username": "bientap", "password": PASSWORD})
    assert response.headers["Location"] == "/nodes/"
    auth.logout()
    credentials = {"username": "bientap", "password": PASSWORD}
    response = client.post("/login?next=https://evil.example/", data=credentials)
    assert response.headers["Location"] == "/home/"


def test_logout_ends_the_session(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    response = auth.logout()
    assert response.headers["Location"] == "/login"
    assert client.get("/nodes/").status_code == 302


def test_logout_by_get_is_not_allowed(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    assert client.get("/logout").status_code == 405
    assert client.get("/nodes/").status_code == 200

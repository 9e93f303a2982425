"""App factory, protection of every route, CSRF, health."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import inspect
from web_support import PASSWORD, AuthActions, FakeAudioLibrary, Seed

from radio.db.session import make_engine
from radio.settings import Settings
from web import create_app
from web.auth import PUBLIC_ENDPOINTS

# Dummy values for URL variables, so every rule can be built without knowing the routes.
ARG_VALUES = {"int": 1, "default": "x"}


def protected_urls(app: Flask) -> list[tuple[str, str]]:
    urls = []
    for rule in app.url_map.iter_rules():
        # The REST API answers 401 JSON rather than redirecting (tests/web/test_web_api_auth.py).
        if rule.endpoint in PUBLIC_ENDPOINTS or rule.endpoint.startswith("api."):
            continue
        url = rule.rule
        for converter, name in re.findall(r"<(?:(\w+):)?(\w+)>", rule.rule):
            value = ARG_VALUES.get(converter or "default", "x")
            url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            urls.append((method, url))
    return urls


def test_config_is_secure_and_from_settings(app: Flask, settings: Settings) -> None:
    assert app.config["SECRET_KEY"] == "test-secret"
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    assert app.config["MAX_CONTENT_LENGTH"] == settings.max_upload_bytes


def test_factory_does_not_create_tables(settings: Settings, fake_audio: FakeAudioLibrary) -> None:
    create_app(settings, audio_library=fake_audio, test_config={"TESTING": True})
    assert inspect(make_engine(settings.db_url)).get_table_names() == []


def test_every_protected_route_redirects_to_login(app: Flask, seed: Seed) -> None:
    urls = protected_urls(app)
    # Guard against the list silently shrinking: the main screens must be in it.
    main_screens = {("GET", "/articles/"), ("GET", "/bulletins/"), ("GET", "/nodes/"), ("GET", "/asrun/"),
                    ("GET", "/areas/"), ("GET", "/programmes/"), ("GET", "/lexicon/"), ("POST", "/lexicon/")}
    assert main_screens <= set(urls)
    issue4 = {("POST", "/bulletins/1/cancel"), ("GET", "/areas/1/policy"), ("POST", "/areas/1/policy"),
              ("GET", "/programmes/new"), ("POST", "/programmes/new"), ("GET", "/programmes/1"),
              ("GET", "/programmes/1/edit"), ("POST", "/programmes/1/edit"), ("POST", "/programmes/1/slots"),
              ("POST", "/programmes/1/slots/1/delete"), ("POST", "/controls/areas/1/volume"),
              ("POST", "/controls/areas/1/stop"), ("POST", "/controls/nodes/x/volume"),
              ("POST", "/controls/nodes/x/stop")}
    assert issue4 <= set(urls)
    client = app.test_client()
    for method, url in urls:
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert response.headers["Location"].startswith("/login"), (method, url)


@pytest.mark.parametrize("path", ["/articles/", "/articles/new", "/bulletins/", "/bulletins/new", "/nodes/",
                                  "/asrun/", "/areas/", "/areas/2/policy", "/programmes/", "/programmes/new",
                                  "/lexicon/"])
def test_pages_render_in_vietnamese_after_login(client: FlaskClient, auth: AuthActions, path: str) -> None:
    auth.login()
    response = client.get(path)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert 'name="viewport"' in html
    assert "Đăng xuất" in html


def test_healthz_is_public(client: FlaskClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"ok": True, "scheduler": None}  # no scheduler has ever reported here


def test_unknown_page_is_404_in_vietnamese(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    response = client.get("/khong-co")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(csrf_app: Flask) -> None:
    from web_support import seed_database

    with csrf_app.extensions["radio"].sessionmaker() as session:
        seed_database(session)
    client = csrf_app.test_client()
    response = client.post("/login", data={"username": "bientap", "password": PASSWORD})
    assert response.status_code == 400
    assert "Phiên làm việc" in response.get_data(as_text=True)
    # The same login with the token from the form works: the refusal was about CSRF only.
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token is not None
    ok = client.post("/login", data={"username": "bientap", "password": PASSWORD, "csrf_token": token[1]})
    assert ok.status_code == 302
    # Every form on a page carries its token (here: logout in the header and the article form).
    assert client.get("/articles/new").get_data(as_text=True).count('name="csrf_token"') == 2
    assert client.post("/logout").status_code == 400


def test_time_endpoint_is_public_and_close_to_now(client):
    import time

    before = time.time_ns() // 1_000_000
    resp = client.get("/time")
    after = time.time_ns() // 1_000_000
    assert resp.status_code == 200
    body = resp.get_json()
    assert before <= body["now_ms"] <= after
    assert 0 <= body["now_us"] - body["now_ms"] * 1000 < 1000  # the same reading, not truncated

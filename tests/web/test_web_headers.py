"""Security headers on every kind of response, and templates the strict Content-Security-Policy can run."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from governance_support import bearer
from sqlalchemy.orm import Session
from web_support import AuthActions, FakeAudioLibrary, Seed
from werkzeug.test import TestResponse

from web.headers import CONTENT_SECURITY_POLICY

pytestmark = pytest.mark.security
TEMPLATES = Path(__file__).parents[2] / "web" / "templates"


def _assert_secured(response: TestResponse, what: str) -> None:
    headers = response.headers
    response.close()  # file responses (static, media) hold their file open until closed
    csp = headers.get("Content-Security-Policy", "")
    assert csp == CONTENT_SECURITY_POLICY, what
    assert "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp, what
    assert "script-src 'self'" in csp and "style-src 'self'" in csp, what
    assert headers.get("X-Frame-Options") == "DENY", what
    assert headers.get("X-Content-Type-Options") == "nosniff", what
    assert headers.get("Referrer-Policy") == "same-origin", what


def test_pages_carry_the_security_headers(client: FlaskClient, auth: AuthActions) -> None:
    _assert_secured(client.get("/login"), "login page")
    _assert_secured(client.get("/nodes/"), "redirect to login")
    auth.login()
    for url in ("/bulletins/", "/bulletins/new", "/calendar/", "/nodes/loa-dong-1", "/no-such-page"):
        response = client.get(url, follow_redirects=True)
        assert response.status_code in (200, 404), url
        _assert_secured(response, url)
    _assert_secured(client.get("/static/style.css"), "static file")


def test_api_and_media_carry_the_security_headers(client: FlaskClient, db: Session, seed: Seed,
                                                  fake_audio: FakeAudioLibrary) -> None:
    _assert_secured(client.get("/api/v1/openapi.json"), "openapi")
    _assert_secured(client.get("/api/v1/nodes"), "API 401")
    answer = client.get("/api/v1/nodes", headers=bearer(db, "bientap"))
    assert answer.status_code == 200
    _assert_secured(answer, "API 200")
    asset = fake_audio.synthesize("Thông báo của xã.")
    media = client.get(f"/media/{asset.sha256}.mp3")
    assert media.status_code == 200 and media.mimetype == "audio/mpeg"
    _assert_secured(media, "media")
    _assert_secured(client.get(f"/media/{'0' * 64}.mp3"), "media 404")


def test_hsts_only_over_https(client: FlaskClient) -> None:
    assert "Strict-Transport-Security" not in client.get("/login").headers
    assert client.get("/login", base_url="https://localhost").headers["Strict-Transport-Security"].startswith(
        "max-age=")


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<[a-z][^>]*\son(?:click|submit|change|input|load|error|focus|blur|key\w+|mouse\w+)\s*=", re.I),
     "event handler attribute"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("template", sorted(TEMPLATES.rglob("*.html")), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_templates_have_nothing_the_policy_would_block(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    for pattern, what in INLINE:
        assert not pattern.search(text), f"{what} in {template.relative_to(TEMPLATES)}: CSP has no 'unsafe-inline'"


def test_confirmations_still_work_without_inline_handlers(client: FlaskClient, auth: AuthActions) -> None:
    """confirm.js (every page) turns data-confirm into the dialog the onsubmit attributes used to show."""
    auth.login()
    html = client.get("/nodes/loa-dong-1").get_data(as_text=True)
    assert 'data-confirm="Dừng phát ngay trên Cụm loa Đông 1?"' in html
    assert '/static/js/confirm.js' in html and "onsubmit" not in html
    with client.get("/static/js/confirm.js") as script:
        assert script.status_code == 200

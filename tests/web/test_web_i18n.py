"""Vietnamese by default, English on request (?lang=en, remembered in a cookie): pages, nav, flashes, forms."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from web_support import AuthActions, Seed, add_article_with_audio

from radio.db.models import Node
from radio.db.types import utcnow

# The top bar's Vietnamese labels: none may remain once the user has chosen English.
VI_NAV = ["Bài viết", "Từ viết tắt", "Bản tin", "Lịch tuần", "Chương trình", "Cụm loa", "Quy định phát",
          "Nhật ký phát", "Theo dõi", "Kế hoạch", "Đăng xuất"]
EN_NAV = ["Articles", "Abbreviations", "Bulletins", "Calendar", "Programmes", "Loudspeakers", "Airtime rules",
          "As-run log", "Log out"]
PAGES = ["/articles/", "/articles/new", "/bulletins/", "/bulletins/new", "/calendar/", "/programmes/",
         "/programmes/new", "/nodes/", "/nodes/loa-dong-1", "/areas/", "/asrun/", "/lexicon/", "/emergency/"]


def _nav(html: str) -> str:
    """The top bar: navigation, language switch, log-out."""
    match = re.search(r'<header class="topbar">(.*?)</header>', html, re.S)
    assert match, "the page has no top bar"
    return match.group(1)


def test_vietnamese_is_the_default(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    html = client.get("/bulletins/").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert all(label in _nav(html) for label in VI_NAV)


@pytest.mark.parametrize("path", PAGES)
def test_main_pages_render_in_english_without_vietnamese_nav(client: FlaskClient, auth: AuthActions,
                                                            db: Session, seed: Seed, path: str) -> None:
    add_article_with_audio(db)
    auth.login()
    response = client.get(f"{path}?lang=en")
    assert response.status_code == 200, path
    html = response.get_data(as_text=True)
    assert '<html lang="en">' in html
    nav = _nav(html)
    assert all(label in nav for label in EN_NAV)
    assert not [label for label in VI_NAV if label in nav]


@pytest.mark.parametrize(("path", "english", "vietnamese"), [
    ("/articles/new", "Save article", "Lưu bài viết"),
    ("/articles/new", "Title", "Tiêu đề"),  # a WTForms label (lazy)
    ("/bulletins/new", "Emergency", "Khẩn cấp"),  # a choice from web.labels
    ("/nodes/", "loudspeakers online", "cụm loa đang trực tuyến"),
    ("/nodes/loa-dong-1", "MQTT user name", "Tên đăng nhập MQTT"),
    ("/calendar/", "Previous week", "Tuần trước"),
    ("/emergency/", "I confirm the emergency broadcast now", "Tôi xác nhận phát khẩn cấp ngay"),
    ("/asrun/", "Page 1", "Trang 1"),
])
def test_page_text_is_translated(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed, path: str,
                                 english: str, vietnamese: str) -> None:
    add_article_with_audio(db)
    auth.login()
    assert vietnamese in client.get(path).get_data(as_text=True)
    html = client.get(f"{path}?lang=en").get_data(as_text=True)
    assert english in html and vietnamese not in html


def test_choice_is_remembered_in_a_cookie_until_changed(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    response = client.get("/bulletins/?lang=en")
    assert "lang=en" in response.headers.get("Set-Cookie", "")
    assert "Upcoming" in client.get("/bulletins/").get_data(as_text=True)
    client.get("/bulletins/?lang=vi")
    assert "Sắp phát" in client.get("/bulletins/").get_data(as_text=True)


def test_unknown_language_falls_back_to_vietnamese(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    html = client.get("/bulletins/?lang=fr").get_data(as_text=True)
    assert '<html lang="vi">' in html and "Sắp phát" in html


def test_flash_messages_and_login_page_follow_the_language(client: FlaskClient, seed: Seed) -> None:
    page = client.get("/login?lang=en").get_data(as_text=True)
    assert "User name" in page and "Tên đăng nhập" not in page
    response = client.post("/login", data={"username": "bientap", "password": "mat-khau-dung"},
                           follow_redirects=True)
    assert "Hello, Nguyễn Văn Biên." in response.get_data(as_text=True)
    bad = client.post("/logout", follow_redirects=True).get_data(as_text=True)
    assert "You have logged out." in bad


def test_language_switch_keeps_the_page_and_its_query(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    html = client.get("/calendar/?week=2026-W48").get_data(as_text=True)
    assert 'href="/calendar/?week=2026-W48&amp;lang=en"' in html
    assert 'id="lang-vi"' in html and 'aria-current="true"' in html


def test_scheduler_errors_are_translated_when_known(client: FlaskClient, auth: AuthActions, db: Session,
                                                   seed: Seed) -> None:
    db.get(Node, "loa-dong-1").last_seen_at = utcnow()
    db.commit()
    auth.login()
    html = client.post("/emergency/?lang=en", data={"article_id": "999", "area_ids": [str(seed.commune_id)],
                                                    "confirm": "yes"}).get_data(as_text=True)
    assert "Choose an article that has audio." in html


def test_times_stay_in_vietnam_time_in_english(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    assert "Vietnam time (Asia/Ho_Chi_Minh)" in client.get("/bulletins/?lang=en").get_data(as_text=True)

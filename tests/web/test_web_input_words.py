"""Issue 14, items 7 to 9: oversized input said plainly at save, lint said once per kind and in English, voices by
name, who approved, "Cả xã" once, errors that say what to do, a favicon."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_articles import make_article
from web_support import PASSWORD, AuthActions, FakeAudioLibrary, Seed, seed_database

from radio.db.migrate import upgrade
from radio.db.models import Article, ArticleStatus
from radio.settings import load_settings
from web import create_app

LONG_SENTENCE = " ".join(["Người dân cần theo dõi thông tin"] * 9) + "."  # 63 words, over the 60-word limit


def test_oversized_body_is_refused_at_save_with_the_limit(client: FlaskClient, auth: AuthActions, db: Session,
                                                          seed: Seed) -> None:
    auth.login()
    form = client.get("/articles/new").get_data(as_text=True)
    assert re.search(r'<textarea[^>]*maxlength="100000"', form)
    before = db.scalar(select(func.count()).select_from(Article))
    response = client.post("/articles/new", data={"title": "Dán nhầm", "body": "a" * 200_000, "language": "vi"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "200.000 ký tự, quá giới hạn 100.000 ký tự" in html
    assert db.scalar(select(func.count()).select_from(Article)) == before  # nothing saved silently
    english = client.post("/articles/new?lang=en", data={"title": "x", "body": "a" * 200_000, "language": "vi"})
    assert "200,000 characters long, over the limit of 100,000" in english.get_data(as_text=True)
    # Line breaks come as CRLF but the browser counted each as one character: 100,000 of them still fit.
    assert client.post("/articles/new", data={"title": "Vừa đủ", "body": "a\r\n" * 50_000,
                                              "language": "vi"}).status_code == 302


def test_repeated_lint_warnings_are_said_once(client: FlaskClient, auth: AuthActions, seed: Seed) -> None:
    auth.login()
    article_id = make_article(client, body="\n".join([LONG_SENTENCE] * 234))
    html = client.get(f"/articles/{article_id}").get_data(as_text=True)
    lint = html.split('<ul class="lint">', 1)[1].split("</ul>", 1)[0]
    assert lint.count("<li>") == 1 and "234 câu quá dài (trên 60 từ)" in lint
    english = client.get(f"/articles/{article_id}?lang=en").get_data(as_text=True)
    lint = english.split('<ul class="lint">', 1)[1].split("</ul>", 1)[0]
    assert "234 sentences are too long (over 60 words)" in lint


def test_single_lint_warning_in_english(client: FlaskClient, auth: AuthActions, seed: Seed) -> None:
    auth.login()
    article_id = make_article(client, body=LONG_SENTENCE)
    html = client.get(f"/articles/{article_id}?lang=en").get_data(as_text=True)
    assert "Sentence too long (63 words)" in html and "Câu quá dài" not in html


@pytest.fixture
def small_upload_app(tmp_path: Path, fake_audio: FakeAudioLibrary) -> Flask:
    settings = load_settings(env={}, data_dir=tmp_path / "small", secret_key="s", max_upload_bytes=100 * 1024)
    settings.ensure_dirs()
    upgrade(settings.db_url)
    return create_app(settings, audio_library=fake_audio, test_config={"TESTING": True, "WTF_CSRF_ENABLED": False})


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", "Tệp tải lên quá lớn: tối đa 100 kB."), ("en", "The uploaded file is too large: at most 100 kB."),
])
def test_too_large_upload_page_states_the_limit(small_upload_app: Flask, lang: str, expected: str) -> None:
    with small_upload_app.extensions["radio"].sessionmaker() as s:
        seed_database(s)
    client = small_upload_app.test_client()
    client.post("/login", data={"username": "bientap", "password": PASSWORD})
    article_id = make_article(client)
    # Kept under the test client's in-memory limit (500 KiB): a bigger body would spill to a temporary file.
    response = client.post(f"/articles/{article_id}/upload?lang={lang}", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(b"\x00" * (200 * 1024)), "to.mp3")})
    assert response.status_code == 413
    html = response.get_data(as_text=True)
    assert expected in html and "<!doctype html>" in html.lower()


def test_voice_by_name_kept_after_render_and_who_approved(client: FlaskClient, auth: AuthActions, db: Session,
                                                          seed: Seed) -> None:
    auth.login()
    article_id = make_article(client)
    assert client.post(f"/articles/{article_id}/audio", data={"voice": "espeak-ng/vi-vn-x-south"}).status_code == 302
    html = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "Giọng miền Nam" in html.split('id="voice"')[0] and "vi-vn-x-south)" not in html
    assert re.search(r'<option value="espeak-ng/vi-vn-x-south" selected>', html)  # not back to the default
    article = db.get(Article, article_id)
    assert article is not None
    article.status, article.reviewed_by = ArticleStatus.APPROVED, seed.leader_id
    article.reviewed_at = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    db.commit()
    html = client.get(f"/articles/{article_id}").get_data(as_text=True)
    assert "Trần Thị Lãnh duyệt lúc 30/11/2026 09:00:00" in html
    assert "approved by Trần Thị Lãnh" in client.get(f"/articles/{article_id}?lang=en").get_data(as_text=True)


def test_schedule_form_says_the_commune_once_and_rule_errors_say_what_to_do(
        client: FlaskClient, auth: AuthActions, db: Session, seed: Seed) -> None:
    from web_support import add_article_with_audio

    from radio.db.models import AreaPolicyRow

    db.add(AreaPolicyRow(area_id=seed.commune_id, quiet_start=datetime(2000, 1, 1, 21, 0).time(),
                         quiet_end=datetime(2000, 1, 1, 5, 0).time()))
    db.commit()
    article = add_article_with_audio(db)
    auth.login()
    html = client.get("/bulletins/new").get_data(as_text=True)
    assert "Cả xã An Bình" in html and "Cả xã Xã" not in html
    response = client.post("/bulletins/new", data={
        "article_id": article.id, "priority": "normal", "placement": "time", "on_overlap": "refuse",
        "start_local": "2030-01-02T04:30", "area_ids": [seed.village_dong_id]})
    assert response.status_code == 400
    assert "Hãy chọn giờ từ 05:00 đến trước 21:00." in response.get_data(as_text=True)
    english = client.post("/bulletins/new?lang=en", data={
        "article_id": article.id, "priority": "normal", "placement": "time", "on_overlap": "refuse",
        "start_local": "2030-01-02T04:30", "area_ids": [seed.village_dong_id]}).get_data(as_text=True)
    assert ("Quiet hours in this area run from 21:00 to 05:00: nothing airs at 04:30 02/01/2030. Choose a time from "
            "05:00 to before 21:00. (loudspeakers: Cụm loa Đông 1)") in english


def test_every_page_links_the_favicon(client: FlaskClient) -> None:
    html = client.get("/login").get_data(as_text=True)
    href = re.search(r'<link rel="icon" type="image/svg\+xml" href="([^"]+)"', html)
    assert href is not None
    with client.get(href.group(1)) as icon:  # a static file response holds the file open until closed
        assert icon.status_code == 200 and icon.mimetype == "image/svg+xml" and b"<svg" in icon.data

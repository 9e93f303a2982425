"""Security rules across features: CSRF, other communes, uploads, login rate limit, read-only monitors,
session cookies, user administration."""

from __future__ import annotations

import io
import re
from datetime import timedelta
from pathlib import Path

import pytest
from flask import Flask
from governance_support import audit_actions, bearer, login, make_objects
from schedule_support import count
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import PASSWORD, FakeAudioLibrary, Seed, seed_database

from radio.db.governance import AuditEntry, LoginAttempt
from radio.db.migrate import upgrade
from radio.db.models import Article, AudioAssetRow, Bulletin, BulletinStatus, ControlRequest, User
from radio.settings import load_settings
from web import create_app

pytestmark = pytest.mark.security

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def test_new_forms_refuse_posts_without_csrf_token(csrf_app: Flask) -> None:
    with csrf_app.extensions["radio"].sessionmaker() as session:
        seed = seed_database(session)
        objects = make_objects(session, seed)
    client = csrf_app.test_client()
    token = TOKEN.search(client.get("/login").get_data(as_text=True))
    assert token is not None
    client.post("/login", data={"username": "quantri", "password": PASSWORD, "csrf_token": token[1]})
    for url, data in [(f"/articles/{objects.draft_id}/submit", {}),
                      (f"/articles/{objects.article_id}/review", {"decision": "approve"}),
                      ("/tokens/", {"name": "tỉnh"}), ("/tokens/1/revoke", {}),
                      ("/users/new", {"username": "moi", "role": "admin", "password": "x" * 12})]:
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "Phiên làm việc" in response.get_data(as_text=True), url
    with csrf_app.extensions["radio"].sessionmaker() as session:
        assert count(session, User) == 7 and session.get(Article, objects.draft_id).status == "draft"
        # Only the admin's own login is in the log (besides the fixture's bulletin): nothing was attempted.
        entries = session.scalars(select(AuditEntry).where(AuditEntry.username != "system"))
        assert [e.action for e in entries] == ["login.success"]


def test_broadcaster_of_another_commune_gets_403_and_changes_nothing(app: Flask, db: Session, seed: Seed) -> None:
    objects = make_objects(db, seed)
    client = app.test_client()
    login(client, "bientap2")
    before = len(audit_actions(db))
    for url, data in [(f"/articles/{objects.draft_id}", {"title": "Sửa", "body": "Sửa", "language": "vi"}),
                      (f"/articles/{objects.draft_id}/submit", {}), (f"/bulletins/{objects.bulletin_id}/cancel", {}),
                      ("/controls/nodes/loa-dong-1/stop", {}), (f"/controls/areas/{seed.commune_id}/volume",
                                                                {"volume": "10"})]:
        response = client.post(url, data=data)
        assert response.status_code == 403, url
        text = response.get_data(as_text=True)
        assert "quyền" in text or "phụ trách" in text or "khu vực" in text, (url, text[-400:])
    db.expire_all()
    assert db.get(Bulletin, objects.bulletin_id).status == BulletinStatus.SCHEDULED
    assert db.get(Article, objects.draft_id).title == "Bản nháp" and count(db, ControlRequest) == 0
    assert len(audit_actions(db)) == before  # the refusals wrote nothing


def test_monitors_are_read_only(app: Flask, db: Session, seed: Seed) -> None:
    objects = make_objects(db, seed)
    client = app.test_client()
    login(client, "giamsat")
    assert client.get(f"/articles/{objects.article_id}").status_code == 200
    assert client.get("/audit/").status_code == 200
    for url in ("/articles/new", f"/bulletins/{objects.bulletin_id}/cancel", "/lexicon/",
                f"/areas/{seed.commune_id}/policy", "/controls/nodes/loa-dong-1/stop"):
        assert client.post(url, data={}).status_code == 403, url
    assert client.post("/logout").status_code == 302


@pytest.fixture
def small_upload_app(tmp_path: Path, fake_audio: FakeAudioLibrary) -> Flask:
    settings = load_settings(env={}, data_dir=tmp_path / "small", secret_key="s", max_upload_bytes=2048)
    settings.ensure_dirs()
    upgrade(settings.db_url)
    return create_app(settings, audio_library=fake_audio, test_config={"TESTING": True, "WTF_CSRF_ENABLED": False})


@pytest.mark.parametrize(("name", "size", "status", "message"), [
    ("ghi-am.mp3", 10_000, 413, "quá lớn"),  # over MAX_CONTENT_LENGTH (2 KB here)
    ("virus.exe", 500, 302, "không phải âm thanh"),  # the audio library refuses it
])
def test_bad_uploads_are_explained_and_change_nothing(small_upload_app: Flask, fake_audio: FakeAudioLibrary,
                                                      name: str, size: int, status: int, message: str) -> None:
    sessions = small_upload_app.extensions["radio"].sessionmaker
    with sessions() as s:
        seed = seed_database(s)
        objects = make_objects(s, seed)
        assets = count(s, AudioAssetRow)
        headers = bearer(s, "bientap")
    files_before = sorted(fake_audio.root.iterdir())
    client = small_upload_app.test_client()
    login(client, "bientap")
    response = client.post(f"/articles/{objects.draft_id}/upload", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(b"\x00" * size), name)}, follow_redirects=True)
    assert response.status_code == (200 if status == 302 else status)
    assert message in response.get_data(as_text=True)
    api = client.post(f"/api/v1/articles/{objects.draft_id}/audio/upload", headers=headers,
                      content_type="multipart/form-data", data={"file": (io.BytesIO(b"\x00" * size), name)})
    assert api.status_code == (413 if status == 413 else 422)
    assert message in api.get_json()["error"]["message"]
    with sessions() as s:
        assert count(s, AudioAssetRow) == assets
        assert s.get(Article, objects.draft_id).audio_id is not None  # still the old audio
        assert "article.audio" not in [e.action for e in s.scalars(select(AuditEntry))]
    assert sorted(fake_audio.root.iterdir()) == files_before


def _attempt(client, username: str, password: str = "sai-mat-khau"):  # type: ignore[no-untyped-def]
    return client.post("/login", data={"username": username, "password": password})


def test_login_is_refused_after_five_failures_for_fifteen_minutes(app: Flask, db: Session, seed: Seed) -> None:
    client = app.test_client()
    for _ in range(5):
        assert _attempt(client, "bientap").status_code == 401
    blocked = _attempt(client, "bientap", PASSWORD)  # even the right password: no checking while blocked
    assert blocked.status_code == 429 and "15 phút" in blocked.get_data(as_text=True)
    # An unknown name gets exactly the same treatment: nothing tells which accounts exist.
    for _ in range(5):
        assert _attempt(client, "khong-ton-tai").status_code == 401
    assert _attempt(client, "khong-ton-tai").get_data(as_text=True).count("15 phút") == 1
    assert _attempt(client, "lanhdao", PASSWORD).status_code == 302  # other names are not affected
    # Fifteen minutes later the name may try again.
    for row in db.scalars(select(LoginAttempt)):
        row.at -= timedelta(minutes=16)
    db.commit()
    assert _attempt(client, "bientap", PASSWORD).status_code == 302
    actions = audit_actions(db, "user")
    assert actions.count("login.blocked") == 2 and actions.count("login.failure") == 10


def test_success_resets_the_name_count_but_an_address_is_limited_to_twenty(app: Flask, seed: Seed) -> None:
    client = app.test_client()
    for _ in range(4):
        _attempt(client, "bientap")
    assert _attempt(client, "bientap", PASSWORD).status_code == 302
    client.post("/logout")
    for _ in range(4):
        assert _attempt(client, "bientap").status_code == 401
    for i in range(12):
        _attempt(client, f"doan-{i}")
    # 20 failures from this address: every name is refused now, even a correct login.
    assert _attempt(client, "lanhdao", PASSWORD).status_code == 429


def test_session_cookie_settings(tmp_path: Path, fake_audio: FakeAudioLibrary, app: Flask) -> None:
    assert app.config["SESSION_COOKIE_SECURE"] is True  # on unless a plain-HTTP setup turns it off
    assert app.config["REMEMBER_COOKIE_SECURE"] is True
    for off in ({"session_cookie_secure": "false"}, {"cookie_secure": False}):  # the old name still works
        plain = load_settings(env={}, data_dir=tmp_path / "plain", secret_key="s", **off)
        demo = create_app(plain, audio_library=fake_audio, test_config={"TESTING": True})
        assert demo.config["SESSION_COOKIE_SECURE"] is False and demo.config["REMEMBER_COOKIE_SECURE"] is False
    # Phones on 4G change address: "basic" by default, "strong" where a deployment asks for it.
    assert app.login_manager.session_protection == "basic"  # type: ignore[attr-defined]
    strict = load_settings(env={}, data_dir=tmp_path / "strict", secret_key="s", session_protection="strong")
    strict_app = create_app(strict, audio_library=fake_audio, test_config={"TESTING": True})
    assert strict_app.login_manager.session_protection == "strong"  # type: ignore[attr-defined]


def test_admin_manages_users_with_hashed_passwords(app: Flask, db: Session, seed: Seed) -> None:
    admin = app.test_client()
    login(admin, "quantri")
    response = admin.post("/users/new", data={"username": "lanhdao3", "full_name": "Lê Văn Ba", "role": "leader",
                                              "area_id": str(seed.other_commune_id), "active": "y",
                                              "password": "mat-khau-moi-123"})
    assert response.status_code == 302
    user = db.scalars(select(User).where(User.username == "lanhdao3")).one()
    assert user.role == "leader" and user.area_id == seed.other_commune_id
    assert "mat-khau-moi-123" not in user.password_hash and user.password_hash.startswith(("scrypt:", "pbkdf2:"))
    fresh = app.test_client()
    assert fresh.post("/login", data={"username": "lanhdao3", "password": "mat-khau-moi-123"}).status_code == 302
    # Deactivate: the account can no longer log in (and its API tokens stop working).
    admin.post(f"/users/{user.id}", data={"username": "lanhdao3", "role": "leader",
                                          "area_id": str(seed.other_commune_id)})
    assert app.test_client().post("/login", data={"username": "lanhdao3",
                                                  "password": "mat-khau-moi-123"}).status_code == 401
    # An admin cannot lock themselves out.
    locked = admin.post(f"/users/{seed.admin_id}", data={"username": "quantri", "role": "monitor", "active": "y"})
    assert locked.status_code == 400 and "tự khoá" in locked.get_data(as_text=True)
    entries = db.scalars(select(AuditEntry).where(AuditEntry.object_type == "user",
                                                  AuditEntry.action.like("user.%"))).all()
    assert [e.action for e in entries] == ["user.create", "user.edit"]
    assert entries[1].before["active"] is True and entries[1].after["active"] is False
    assert all("password_hash" not in (e.after or {}) for e in entries)
    assert app.test_client().get("/users/").status_code == 302  # login first
    broadcaster = app.test_client()
    login(broadcaster, "bientap")
    assert broadcaster.get("/users/").status_code == 403

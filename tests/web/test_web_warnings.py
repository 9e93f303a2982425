"""Disaster warnings in the web: a leader sends one from a short form (speech of the composed Vietnamese text),
sees it as active with its level colour, cancels it; CAP import makes a draft; other roles cannot send."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from web_support import AuthActions, FakeAudioLibrary, Seed

from radio.db.alerts import DisasterWarning, WarningAiring, WarningStatus
from radio.db.governance import AuditEntry
from radio.db.models import Area, Article, ArticleStatus, Bulletin
from radio.db.types import utcnow

STORM = (Path(__file__).resolve().parents[1] / "data" / "cap" / "storm.xml").read_bytes()


def _send(client: FlaskClient, seed: Seed, **extra: object) -> object:
    data = {"commune": seed.commune_id, "hazard": "storm", "level": "4", "village": [seed.village_dong_id],
            "details": "Bão số 3 cách đất liền 100 km", "interval": "120"} | extra
    return client.post("/warnings/new", data=data)


def test_leader_sends_a_storm_warning_in_one_form(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed,
                                                  fake_audio: FakeAudioLibrary) -> None:
    auth.login("lanhdao")
    form = client.get("/warnings/new").get_data(as_text=True)
    assert "Xã An Bình" in form and 'name="level" value="4"' in form and "Thôn Đông" in form
    response = _send(client, seed)
    assert response.status_code == 302
    warning = db.scalars(select(DisasterWarning)).one()
    assert (warning.hazard, warning.level, warning.status, warning.interval_s) == ("storm", 4, "active", 7200)
    assert warning.next_air_at is not None and [t.area_id for t in warning.targets] == [seed.village_dong_id]
    spoken = fake_audio.calls[-1][0]
    assert spoken.startswith("Thông báo khẩn của Ủy ban nhân dân Xã An Bình.")
    assert "cấp độ rủi ro thiên tai cấp 4, màu đỏ" in spoken and "Khu vực bị ảnh hưởng: Thôn Đông." in spoken
    article = db.get(Article, warning.article_id)
    assert article is not None and article.status == ArticleStatus.APPROVED and article.audio_id == warning.audio_id
    page = client.get("/warnings/").get_data(as_text=True)
    assert 'class="warning-banner level-4"' in page and "Bão số 3 cách đất liền 100 km" in page
    english = client.get(f"/warnings/{warning.id}?lang=en").get_data(as_text=True)
    assert "Storm" in english and "red" in english


def test_cancel_ends_the_cycle_says_so_on_air_once_and_is_audited(client: FlaskClient, auth: AuthActions,
                                                                   db: Session, seed: Seed,
                                                                   fake_audio: FakeAudioLibrary) -> None:
    auth.login("lanhdao")
    _send(client, seed)
    warning_id = db.scalars(select(DisasterWarning.id)).one()
    assert client.post(f"/warnings/{warning_id}/cancel").status_code == 302
    db.expire_all()
    warning = db.get(DisasterWarning, warning_id)
    assert warning is not None and warning.status == WarningStatus.CANCELLED and warning.next_air_at is None
    assert "warning-banner" not in client.get("/warnings/").get_data(as_text=True)
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "warning")).all()
    assert actions == ["warning.activate", "warning.cancel", "warning.announce_end"]
    # Residents heard the warning every interval: they hear, once, on the same villages, that it is lifted.
    spoken = fake_audio.calls[-1][0]
    assert spoken.startswith("Thông báo của Ủy ban nhân dân Xã An Bình. Huỷ bỏ cảnh báo bão")
    notice = db.scalars(select(Bulletin).where(Bulletin.title.startswith("Huỷ cảnh báo"))).one()
    assert notice.priority == "emergency" and [t.area_id for t in notice.targets] == [seed.village_dong_id]
    # Not part of the warning's cycle: the scheduler never airs it again.
    assert db.scalars(select(WarningAiring).where(WarningAiring.bulletin_id == notice.id)).first() is None
    # The audit log says it in words, in both languages (no action codes, field names or status codes).
    for lang, words in (("vi", ["Huỷ cảnh báo", "Thông báo huỷ cảnh báo trên loa", "Cảnh báo thiên tai"]),
                        ("en", ["Announce on the loudspeakers that the warning is lifted"])):
        page = re.sub(r'value="[^"]*"', "", client.get(f"/audit/?lang={lang}").get_data(as_text=True))  # filter codes
        assert "warning.cancel" not in page and "warning.announce_end" not in page and "interval_s" not in page
        assert "next_air_at" not in page and "cancelled" not in page
        for word in words:
            assert word in page, word


def test_cancelling_a_draft_announces_nothing(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed,
                                              app: Flask) -> None:
    from station.warnings.service import new_warning

    auth.login("lanhdao")
    commune = db.get(Area, seed.commune_id)
    assert commune is not None
    draft = new_warning(db, commune=commune, hazard="flood", level=2, village_ids=[], title="Lũ nhỏ",
                        body="Nội dung.", interval_s=600, created_by=None, now=utcnow())
    db.commit()
    assert client.post(f"/warnings/{draft.id}/cancel", follow_redirects=True).status_code == 200
    assert db.scalars(select(Bulletin)).first() is None


def test_replace_ends_the_old_warning(client: FlaskClient, auth: AuthActions, db: Session, seed: Seed) -> None:
    auth.login("lanhdao")
    _send(client, seed)
    old_id = db.scalars(select(DisasterWarning.id)).one()
    assert "Cảnh báo mới sẽ thay thế" in client.get(f"/warnings/new?replace={old_id}").get_data(as_text=True)
    assert _send(client, seed, replace=old_id, level="5").status_code == 302
    db.expire_all()
    old, new = db.scalars(select(DisasterWarning).order_by(DisasterWarning.id)).all()
    assert (old.status, old.replaced_by_id, new.status, new.level) == ("replaced", new.id, "active", 5)


def test_form_errors_are_sentences(client: FlaskClient, auth: AuthActions, seed: Seed) -> None:
    auth.login("lanhdao")
    bad = _send(client, seed, level="9")
    assert bad.status_code == 400 and "Cấp độ rủi ro phải từ 1 đến 5." in bad.get_data(as_text=True)
    other_village = _send(client, seed, village=[seed.village_bac_id])
    assert other_village.status_code == 400 and "không thuộc xã" in other_village.get_data(as_text=True)


def test_broadcasters_and_monitors_cannot_send(client: FlaskClient, auth: AuthActions, seed: Seed) -> None:
    for user in ("bientap", "giamsat"):
        auth.login(user)
        assert _send(client, seed).status_code == 403
        auth.logout()


def test_cap_file_import_makes_a_draft_and_bad_files_a_clear_error(client: FlaskClient, auth: AuthActions,
                                                                   db: Session, seed: Seed) -> None:
    import io

    auth.login("lanhdao")
    response = client.post("/warnings/import", data={"file": (io.BytesIO(STORM), "bao.xml")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    warning = db.scalars(select(DisasterWarning)).one()
    assert (warning.status, warning.source, warning.level, warning.title) == (
        "draft", "cap", 4, "Bão số 3 đang tiến vào đất liền")
    bad = client.post("/warnings/import", data={"file": (io.BytesIO(b"<alert>"), "x.xml")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "không phải XML hợp lệ" in bad.get_data(as_text=True)
    english = client.post("/warnings/import?lang=en", data={"file": (io.BytesIO(b"<x/>"), "x.xml")},
                          content_type="multipart/form-data")
    assert "not a CAP 1.2 alert" in english.get_data(as_text=True)


class _CapServer(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.end_headers()
        self.wfile.write(STORM)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def cap_server() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _CapServer)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/cap/latest.xml"
    server.shutdown()
    server.server_close()
    thread.join()


def test_cap_url_import_only_from_allowed_hosts(app: Flask, client: FlaskClient, auth: AuthActions, db: Session,
                                                seed: Seed, cap_server: str) -> None:
    auth.login("lanhdao")
    refused = client.post("/warnings/import", data={"url": cap_server})  # no host allowed by default
    assert refused.status_code == 400 and "không nằm trong danh sách" in refused.get_data(as_text=True)
    from dataclasses import replace

    ctx = app.extensions["radio"]
    ctx.settings = replace(ctx.settings, cap_url_hosts="127.0.0.1")
    assert client.post("/warnings/import", data={"url": cap_server}).status_code == 302
    assert db.scalars(select(DisasterWarning.cap_identifier)).one() == "VN-NCHMF-2026-0917-03"
    other = client.post("/warnings/import", data={"url": "file:///etc/passwd"})
    assert other.status_code == 400


def test_live_page_shows_the_active_warning_only_to_its_area(client: FlaskClient, auth: AuthActions,
                                                             seed: Seed) -> None:
    auth.login("lanhdao")
    _send(client, seed)
    assert 'class="warning-banner level-4"' in client.get("/nodes/").get_data(as_text=True)
    auth.logout()
    auth.login("lanhdao2")  # Phú Lộc
    assert "warning-banner" not in client.get("/nodes/").get_data(as_text=True)

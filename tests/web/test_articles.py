"""Articles: create, validate, edit, render audio, upload."""

from __future__ import annotations

import io

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from web_support import AuthActions, FakeAudioLibrary, Seed

from radio.db.models import Article, AudioAssetRow

BODY = "Kế hoạch số 4069/KH-UBND ngày 28/10/2022 về phòng chống bão."


def make_article(client: FlaskClient, title: str = "Phòng chống bão số 3", body: str = BODY) -> int:
    response = client.post("/articles/new", data={"title": title, "body": body, "language": "vi"})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def test_create_article_saves_and_shows_it(client: FlaskClient, auth: AuthActions, db: Session,
                                           seed: Seed) -> None:
    auth.login()
    article_id = make_article(client)
    article = db.get(Article, article_id)
    assert article is not None
    assert (article.title, article.body, article.language) == ("Phòng chống bão số 3", BODY, "vi")
    assert article.author_id == seed.broadcaster_id
    assert article.commune_id == seed.commune_id
    assert article.audio_id is None
    listing = client.get("/articles/").get_data(as_text=True)
    assert "Phòng chống bão số 3" in listing
    assert "Chưa có" in listing


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [("", BODY, "Tiêu đề không được để trống."), ("Tiêu đề", "   ", "Nội dung không được để trống."),
     ("x" * 301, BODY, "Tiêu đề dài quá 300 ký tự.")],
    ids=["no-title", "blank-body", "long-title"],
)
def test_invalid_article_is_not_saved(client: FlaskClient, auth: AuthActions, db: Session,
                                      title: str, body: str, message: str) -> None:
    auth.login()
    response = client.post("/articles/new", data={"title": title, "body": body, "language": "vi"})
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(Article)) == 0


def test_render_audio_stores_asset_and_shows_preview(client: FlaskClient, auth: AuthActions, db: Session,
                                                     fake_audio: FakeAudioLibrary) -> None:
    auth.login()
    article_id = make_article(client)
    response = client.post(f"/articles/{article_id}/audio", follow_redirects=True)
    html = response.get_data(as_text=True)
    assert "Đã tạo âm thanh." in html
    assert fake_audio.calls == [(f"Phòng chống bão số 3.\n{BODY}", "espeak-ng", "vi")]

    article = db.get(Article, article_id)
    assert article is not None and article.audio is not None
    asset = article.audio
    assert len(asset.sha256) == 64
    assert (asset.engine, asset.voice, asset.lufs, asset.true_peak_dbtp) == ("espeak-ng", "vi", -16.0, -1.8)
    assert asset.duration_ms == 4099 and asset.size_bytes == 4099
    assert f'src="/media/{asset.sha256}.mp3"' in html
    assert "<audio" in html
    assert "0:04" in html  # duration shown


def test_rendering_twice_reuses_one_asset_row(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    auth.login()
    first = make_article(client)
    second = make_article(client)  # same text: same content hash
    client.post(f"/articles/{first}/audio")
    client.post(f"/articles/{second}/audio")
    assert db.scalar(select(func.count()).select_from(AudioAssetRow)) == 1
    a, b = db.get(Article, first), db.get(Article, second)
    assert a is not None and b is not None and a.audio_id == b.audio_id


def test_audio_error_is_shown_and_nothing_changes(client: FlaskClient, auth: AuthActions, db: Session,
                                                  fake_audio: FakeAudioLibrary) -> None:
    auth.login()
    article_id = make_article(client)
    fake_audio.fail_with = "Chưa cài đặt espeak-ng."
    html = client.post(f"/articles/{article_id}/audio", follow_redirects=True).get_data(as_text=True)
    assert "Chưa cài đặt espeak-ng." in html
    assert db.scalar(select(func.count()).select_from(AudioAssetRow)) == 0
    article = db.get(Article, article_id)
    assert article is not None and article.audio_id is None


def test_editing_text_drops_stale_audio(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    auth.login()
    article_id = make_article(client)
    client.post(f"/articles/{article_id}/audio")
    response = client.post(f"/articles/{article_id}",
                           data={"title": "Phòng chống bão số 4", "body": BODY, "language": "vi"},
                           follow_redirects=True)
    assert "hãy tạo lại âm thanh" in response.get_data(as_text=True)
    article = db.get(Article, article_id)
    assert article is not None
    assert article.title == "Phòng chống bão số 4" and article.audio_id is None


def test_non_vietnamese_article_asks_for_a_recording(client: FlaskClient, auth: AuthActions,
                                                     fake_audio: FakeAudioLibrary) -> None:
    auth.login()
    response = client.post("/articles/new", data={"title": "Tin bản", "body": "Nội dung", "language": "hmn"})
    article_id = response.headers["Location"].split("/")[-1]
    html = client.post(f"/articles/{article_id}/audio", follow_redirects=True).get_data(as_text=True)
    assert "Hãy tải lên tệp ghi âm." in html
    assert fake_audio.calls == []


def test_upload_recording_attaches_audio(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    auth.login()
    article_id = make_article(client)
    data = {"file": (io.BytesIO(b"ID3" + b"\x00" * 2000), "ghi-am.mp3")}
    html = client.post(f"/articles/{article_id}/upload", data=data, content_type="multipart/form-data",
                       follow_redirects=True).get_data(as_text=True)
    assert "Đã tải lên tệp âm thanh." in html
    article = db.get(Article, article_id)
    assert article is not None and article.audio is not None and article.audio.engine == "upload"


def test_bad_upload_shows_library_message(client: FlaskClient, auth: AuthActions, db: Session) -> None:
    auth.login()
    article_id = make_article(client)
    data = {"file": (io.BytesIO(b"not audio"), "van-ban.txt")}
    html = client.post(f"/articles/{article_id}/upload", data=data, content_type="multipart/form-data",
                       follow_redirects=True).get_data(as_text=True)
    assert "không phải âm thanh hợp lệ" in html
    assert db.scalar(select(func.count()).select_from(AudioAssetRow)) == 0


def test_unknown_article_is_404(client: FlaskClient, auth: AuthActions) -> None:
    auth.login()
    assert client.get("/articles/999").status_code == 404
    assert client.post("/articles/999/audio").status_code == 404

"""A too-long upload is refused with the limit in the user's language, and nothing is attached."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_articles import make_article
from web_support import AuthActions, FakeAudioLibrary

from audio_library import AudioError, AudioTooLong
from radio.db.models import AudioAssetRow

pytestmark = pytest.mark.security


@pytest.fixture
def too_long(fake_audio: FakeAudioLibrary, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(_src: Path, *, original_name: str) -> None:
        raise AudioTooLong(1800.0)

    monkeypatch.setattr(fake_audio, "import_file", refuse)


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", "Tệp âm thanh quá dài; giới hạn là 30 phút."),
    ("en", "The audio file is too long; the limit is 30 minutes."),
])
def test_too_long_upload_names_the_limit(client: FlaskClient, auth: AuthActions, db: Session, too_long: None,
                                         lang: str, expected: str) -> None:
    auth.login()
    article_id = make_article(client)
    data = {"file": (io.BytesIO(b"ID3" + b"\x00" * 2000), "dai.mp3")}
    html = client.post(f"/articles/{article_id}/upload?lang={lang}", data=data, content_type="multipart/form-data",
                       follow_redirects=True).get_data(as_text=True)
    assert expected in html
    assert db.scalar(select(func.count()).select_from(AudioAssetRow)) == 0


def test_web_msgid_is_the_library_message() -> None:
    source = (Path(__file__).parents[2] / "web" / "uploads.py").read_text(encoding="utf-8")
    assert f'_("{AudioTooLong.MESSAGE}"' in source


@pytest.mark.parametrize(("lang", "expected"), [
    ("vi", "Tệp quá lớn (60 MB); giới hạn là 50 MB."),
    ("en", "The file is too large (60 MB); the limit is 50 MB."),
])
def test_audio_library_errors_are_shown_in_the_users_language(client: FlaskClient, auth: AuthActions, db: Session,
                                                              fake_audio: FakeAudioLibrary,
                                                              monkeypatch: pytest.MonkeyPatch, lang: str,
                                                              expected: str) -> None:
    # The library raises its Vietnamese msgid with the values apart; the web translates the msgid, then fills them.
    def refuse(_src: Path, *, original_name: str) -> None:
        raise AudioError("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.", size="60 MB", limit="50 MB")

    monkeypatch.setattr(fake_audio, "import_file", refuse)
    auth.login()
    article_id = make_article(client)
    data = {"file": (io.BytesIO(b"ID3" + b"\x00" * 2000), "lon.mp3")}
    html = client.post(f"/articles/{article_id}/upload?lang={lang}", data=data, content_type="multipart/form-data",
                       follow_redirects=True).get_data(as_text=True)
    assert expected in html
    assert db.scalar(select(func.count()).select_from(AudioAssetRow)) == 0


def test_library_errors_keep_their_msgid_and_values(tmp_path: Path) -> None:
    from audio_library.uploads import validate_upload

    empty = tmp_path / "rong.mp3"
    empty.write_bytes(b"")
    with pytest.raises(AudioError) as refused:
        validate_upload(empty, max_bytes=1000)
    assert refused.value.msgid == "Tệp tải lên rỗng." and str(refused.value) == refused.value.msgid
    big = tmp_path / "lon.mp3"
    big.write_bytes(b"ID3" + b"\x00" * 3000)
    with pytest.raises(AudioError) as too_big:
        validate_upload(big, max_bytes=1000)
    assert too_big.value.msgid == "Tệp quá lớn (%(size)s); giới hạn là %(limit)s." and set(too_big.value.params) == {
        "size", "limit"}
    assert str(too_big.value) == too_big.value.msgid % too_big.value.params

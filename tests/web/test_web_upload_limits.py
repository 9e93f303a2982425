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

from audio_library import AudioTooLong
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

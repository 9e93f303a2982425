"""The web app with the real audio library: espeak-ng speech, stored MP3, served to a node."""

from __future__ import annotations

import importlib.util
import re
import shutil
import time

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from web_support import PASSWORD, seed_database

from radio.db.migrate import upgrade
from radio.db.models import Article
from radio.settings import Settings
from web import create_app

pytestmark = [
    pytest.mark.integration,
    pytest.mark.skipif(importlib.util.find_spec("audio_library") is None, reason="audio_library missing"),
    pytest.mark.skipif(shutil.which("espeak-ng") is None or shutil.which("ffmpeg") is None,
                       reason="espeak-ng/ffmpeg not installed"),
]


def test_render_and_serve_real_speech(settings: Settings) -> None:
    settings.ensure_dirs()
    upgrade(settings.db_url)
    # No audio_library argument: the app builds the real one from settings on first use.
    app = create_app(settings, test_config={"TESTING": True, "WTF_CSRF_ENABLED": False})
    session: Session = app.extensions["radio"].sessionmaker()
    seed_database(session)
    client: FlaskClient = app.test_client()
    client.post("/login", data={"username": "bientap", "password": PASSWORD})
    response = client.post("/articles/new", data={"title": "Thông báo", "body": "Xin chào bà con thôn Đông.",
                                                  "language": "vi"})
    article_id = int(response.headers["Location"].split("/")[-1])

    html = client.post(f"/articles/{article_id}/audio", follow_redirects=True).get_data(as_text=True)
    # The render runs in the background (web/render_worker.py): on a loaded machine it may outlast the 1 s the
    # request waits, and the editor shows its progress; poll it as the page does until it is done.
    status = re.search(r'data-status-url="([^"]+)"', html)
    deadline = time.monotonic() + 60
    while status is not None and time.monotonic() < deadline:
        progress = client.get(status.group(1)).get_json()
        if progress["finished"]:
            html = client.get(progress["done_url"]).get_data(as_text=True)
            break
        time.sleep(0.2)
    assert "Đã tạo âm thanh." in html, html
    article = session.get(Article, article_id)
    assert article is not None and article.audio is not None
    asset = article.audio
    assert asset.engine == "espeak-ng" and asset.duration_ms > 500 and asset.size_bytes > 1000
    assert asset.lufs is not None and abs(asset.lufs + 16) < 2

    with client.get(f"/media/{asset.sha256}.mp3") as media:
        assert media.status_code == 200 and len(media.data) == asset.size_bytes
    with client.get(f"/media/{asset.sha256}.mp3", headers={"Range": "bytes=0-9"}) as partial:
        assert partial.status_code == 206 and partial.data == media.data[:10]
    session.close()

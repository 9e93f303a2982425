"""A province bulletin's audio link, downloaded into the library (station/httt/media.py): real HTTP on loopback, real
ffmpeg. Only the province's hosts, no redirect, a size limit, the library's own upload checks; a bad link leaves the
bulletin filed as text."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from httt_support import seed_province
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from audio_library import AudioLibrary
from radio.db.migrate import upgrade
from radio.db.models import AudioAssetRow
from radio.db.province import ProvinceBulletin
from radio.db.session import make_engine, make_sessionmaker
from station.httt.config import link_from
from station.httt.inbound import InboundResult, receive
from station.httt.media import ProvinceAudioFetcher, allowed_hosts

pytestmark = pytest.mark.integration


@pytest.fixture
def files(tmp_path: Path) -> dict[str, bytes]:
    mp3 = tmp_path / "ban-tin.mp3"
    subprocess.run(["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-ar", "44100",
                    "-ac", "1", "-b:a", "64k", str(mp3)], check=True)
    return {"/audio/ban-tin.mp3": mp3.read_bytes(), "/audio/khong-phai.mp3": b"<html>Trang loi</html>" * 20,
            "/audio/lon.mp3": b"ID3" + b"\x00" * 300_000}


@pytest.fixture
def server(files: dict[str, bytes]) -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/audio/chuyen-huong.mp3":
                self.send_response(302)
                self.send_header("Location", "http://169.254.169.254/latest/meta-data")
                self.end_headers()
                return
            body = files.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def sessions(tmp_path: Path) -> Iterator[sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    upgrade(url)
    engine = make_engine(url)
    made = make_sessionmaker(engine)
    seed_province(made)
    yield made
    engine.dispose()


def _fetcher(sessions: sessionmaker[Session], tmp_path: Path, base: str) -> ProvinceAudioFetcher:
    link = link_from({"code": "38", "base_url": base, "username": "x", "password": "y"})
    return ProvinceAudioFetcher(sessions, AudioLibrary(tmp_path / "audio"), allowed_hosts([link]),
                                max_bytes=200_000, timeout_s=5)


def test_the_province_recording_is_downloaded_checked_and_filed_with_the_bulletin(
        sessions: sessionmaker[Session], tmp_path: Path, server: str) -> None:
    fetch = _fetcher(sessions, tmp_path, server)
    rec = {"bulletin_id": "77", "title": "Lịch tiêm chủng", "receivers": ["38001"],
           "content": f"{server}/audio/ban-tin.mp3"}
    with sessions() as s:
        result = InboundResult()
        receive(s, "38", rec, datetime.now(UTC), result, fetch)
        s.commit()
        item = s.scalars(select(ProvinceBulletin)).one()
        assert result.created == [item.id] and item.audio_id is not None
        row = s.get(AudioAssetRow, item.audio_id)
        assert row is not None and 1500 <= row.duration_ms <= 2500  # processed like an upload, 2 s of tone
    assert fetch.failures == []


@pytest.mark.parametrize(("path", "reason"), [
    ("/audio/khong-phai.mp3", "không phải là tệp âm thanh"),  # not audio: the library's own check
    ("/audio/lon.mp3", "lớn quá"),                    # over the size limit, cut off while downloading
    ("/audio/chuyen-huong.mp3", "302"),               # a redirect is never followed
    ("/audio/khong-co.mp3", "404"),
])
def test_a_bad_link_files_the_bulletin_as_text_and_says_why(sessions: sessionmaker[Session], tmp_path: Path,
                                                            server: str, path: str, reason: str) -> None:
    fetch = _fetcher(sessions, tmp_path, server)
    with sessions() as s:
        result = InboundResult()
        receive(s, "38", {"bulletin_id": "78", "title": "Tin", "receivers": ["38001"], "content": server + path},
                datetime.now(UTC), result, fetch)
        s.commit()
        assert len(result.created) == 1 and s.scalars(select(ProvinceBulletin)).one().audio_id is None
        assert s.scalars(select(AudioAssetRow)).first() is None
    assert len(fetch.failures) == 1 and reason in fetch.failures[0][1]


def test_only_the_provinces_own_hosts_are_asked(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    asked: list[object] = []
    link = link_from({"code": "38", "base_url": "https://httt.tinh.example.vn/api", "username": "x",
                      "password": "y", "audio_hosts": ["media.tinh.example.vn"]})
    fetch = ProvinceAudioFetcher(sessions, AudioLibrary(tmp_path / "audio"), allowed_hosts([link]), max_bytes=1000,
                                 opener=lambda *a, **k: asked.append(a))
    assert allowed_hosts([link]) == {"httt.tinh.example.vn", "media.tinh.example.vn"}
    for url in ("http://169.254.169.254/latest/meta-data", "file:///etc/passwd", "https://evil.example/x.mp3",
                "ftp://httt.tinh.example.vn/x.mp3"):
        assert fetch(url) is None
    assert asked == []  # refused before any connection
    assert all("máy chủ của tỉnh" in why for _url, why in fetch.failures)


def test_a_bulletin_filed_without_its_recording_gets_it_from_the_connector_later(
        sessions: sessionmaker[Session], tmp_path: Path, server: str) -> None:
    """A pushed bulletin is filed at once (the web does not download in a request) with its link kept; the
    connector then fetches it. A link that keeps failing is tried MAX_AUDIO_TRIES times, with the reason kept for
    the commune's page, and then left alone."""
    from station.httt.inbound import MAX_AUDIO_TRIES
    from station.httt.worker import Connector

    fetch = _fetcher(sessions, tmp_path, server)
    link = link_from({"code": "38", "base_url": server, "username": "x", "password": "y"})
    with sessions() as s:
        for external, path in (("90", "/audio/ban-tin.mp3"), ("91", "/audio/khong-co.mp3"), ("92", "")):
            receive(s, "38", {"bulletin_id": external, "title": "Tin", "receivers": ["38001"],
                              "content": server + path if path else "Chỉ có văn bản"},
                    datetime.now(UTC), InboundResult(), None)  # as the push files it: no fetch
        s.commit()
        kept = {b.external_id: (b.audio_link, b.audio_id, b.audio_tries) for b in s.scalars(select(ProvinceBulletin))}
    assert kept == {"90": (server + "/audio/ban-tin.mp3", None, 0), "91": (server + "/audio/khong-co.mp3", None, 0),
                    "92": ("", None, 0)}
    connector = Connector(sessions, [link], lambda: datetime.now(UTC), audio_fetch=fetch, scan=False)
    assert connector.fetch_waiting_audio(link) == 1
    for _ in range(MAX_AUDIO_TRIES + 2):
        connector.fetch_waiting_audio(link)
    with sessions() as s:
        items = {b.external_id: b for b in s.scalars(select(ProvinceBulletin))}
        assert items["90"].audio_id is not None and items["90"].audio_link == "" and items["90"].audio_error == ""
        assert items["91"].audio_id is None and items["91"].audio_tries == MAX_AUDIO_TRIES
        assert "404" in items["91"].audio_error
        assert items["92"].audio_id is None and items["92"].audio_tries == 0
    assert len(fetch.failures) == MAX_AUDIO_TRIES  # one download per try, none after the last


def test_a_pulled_bulletin_whose_download_fails_keeps_its_link_and_the_reason(
        sessions: sessionmaker[Session], tmp_path: Path, server: str) -> None:
    fetch = _fetcher(sessions, tmp_path, server)
    with sessions() as s:
        receive(s, "38", {"bulletin_id": "93", "title": "Tin", "receivers": ["38001"],
                          "content": server + "/audio/khong-phai.mp3"}, datetime.now(UTC), InboundResult(), fetch)
        s.commit()
        item = s.scalars(select(ProvinceBulletin)).one()
        assert (item.audio_id, item.audio_link, item.audio_tries) == (None, server + "/audio/khong-phai.mp3", 1)
        assert "không phải là tệp âm thanh" in item.audio_error

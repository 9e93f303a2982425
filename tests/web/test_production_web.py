"""The production web: `radio serve` (gunicorn, gthread) as a real process, over HTTP and HTTPS.

Media keep their ETag and Range behaviour under gunicorn, a graceful reload (SIGHUP) finishes a download in
flight, and a node fetches media and /time over HTTPS only from a server its province CA signed.
"""

from __future__ import annotations

import hashlib
import os
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path

import pytest

from audio_library import AudioLibrary
from launcher.webserver import WebProcess, gunicorn_options, settings_toml
from radio.broker import free_port
from radio.db.migrate import upgrade
from radio.node.cache import FetchError, MediaCache
from radio.node.timebase import sample_server
from radio.pki import make_test_pki
from radio.settings import Settings, load_settings
from web import create_app

pytestmark = pytest.mark.integration


def server_settings(tmp_path: Path, **overrides: object) -> Settings:
    settings = load_settings(env={}, data_dir=tmp_path / "data", secret_key="test-secret", web_port=free_port(),
                             web_workers=2, web_threads=8, session_cookie_secure=False, **overrides)
    settings.ensure_dirs()
    upgrade(settings.db_url)
    return settings


def store_media(settings: Settings, size: int) -> tuple[str, bytes]:
    data = b"ID3" + os.urandom(size - 3)
    sha, _ = AudioLibrary(settings.audio_dir).store.put(data, {})
    return sha, data


@pytest.fixture
def web(tmp_path: Path):  # type: ignore[no-untyped-def]
    started: list[WebProcess] = []

    def start(settings: Settings) -> WebProcess:
        process = WebProcess(settings, tmp_path / f"web{len(started)}")
        started.append(process)
        process.start()
        return process

    yield start
    for process in started:
        process.stop()


def wait_until(pred, timeout_s: float = 60.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.1)
    return bool(pred())


def get(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, dict(exc.headers), exc.read()


def test_gunicorn_serves_media_with_etag_range_and_many_parallel_downloads(tmp_path, web):
    settings = server_settings(tmp_path)
    sha, data = store_media(settings, 300_000)
    web(settings)
    url = f"{settings.media_base_url}/media/{sha}.mp3"
    status, headers, body = get(url)
    assert status == 200 and body == data and headers["Content-Type"] == "audio/mpeg"
    assert "immutable" in headers["Cache-Control"] and headers["ETag"]
    assert get(url, {"If-None-Match": headers["ETag"]})[0] == 304
    status, headers, body = get(url, {"Range": "bytes=1000-1999"})
    assert status == 206 and body == data[1000:2000] and headers["Content-Range"] == f"bytes 1000-1999/{len(data)}"
    assert get(f"{settings.media_base_url}/media/{'0' * 64}.mp3")[0] == 404
    # More downloads at once than the workers have threads (2 x 8): the rest wait, none fails.
    with ThreadPoolExecutor(max_workers=40) as pool:
        bodies = list(pool.map(lambda _: get(url)[2], range(60)))
    assert all(hashlib.sha256(b).hexdigest() == sha for b in bodies)
    assert get(f"{settings.media_base_url}/time")[0] == 200


def test_sighup_reloads_workers_without_cutting_a_download_in_flight(tmp_path, web):
    settings = server_settings(tmp_path)
    sha, _ = store_media(settings, 8_000_000)
    process = web(settings)
    assert wait_until(lambda: len(process.worker_pids()) == 2)
    before = process.worker_pids()
    got = hashlib.sha256()
    with urllib.request.urlopen(f"{settings.media_base_url}/media/{sha}.mp3", timeout=60) as resp:
        got.update(resp.read(65536))  # the download has started on an old worker...
        process.reload()
        wait_until(lambda: bool(process.worker_pids() - before))
        while chunk := resp.read(65536):  # ...and finishes after the new workers took over
            got.update(chunk)
    assert got.hexdigest() == sha
    assert process.worker_pids() - before, "no new worker after SIGHUP"
    # New workers load the app afresh (that is what picks up new code): requests meanwhile wait in the listen
    # queue, none is refused. On a loaded machine loading takes seconds, hence the long timeout.
    assert get(f"{settings.media_base_url}/time", timeout=60)[0] == 200
    assert process.process is not None and process.process.poll() is None


def test_node_fetches_media_and_time_over_https_only_from_its_province_ca(tmp_path, web):
    pki = make_test_pki(tmp_path / "pki")
    settings = server_settings(tmp_path, tls_cert_file=str(pki.server.cert), tls_key_file=str(pki.server.key),
                               web_host="127.0.0.1")
    assert settings.media_base_url.startswith("https://127.0.0.1:")
    sha, data = store_media(settings, 200_000)
    web(settings)
    url = f"https://localhost:{settings.web_port}/media/{sha}.mp3"
    cache = MediaCache(tmp_path / "node-cache", 10**8, ca_file=pki.ca.cert, retry_min_s=0.1)
    assert cache.fetch(url, sha).read_bytes() == data
    burst = sample_server(f"https://localhost:{settings.web_port}", time.time, count=3, ca_file=pki.ca.cert)
    assert burst and all(abs(server - (t0 + t1) / 2) < 1.0 for t0, server, t1 in burst)

    other = make_test_pki(tmp_path / "other", common_name="Another CA")
    stranger = MediaCache(tmp_path / "stranger-cache", 10**8, ca_file=other.ca.cert, retry_min_s=0.1,
                          retry_max_s=0.2)
    with pytest.raises(FetchError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
        stranger.fetch(url, sha, deadline_s=time.time() + 1.5)
    assert not stranger.path(sha).exists()
    assert sample_server(f"https://localhost:{settings.web_port}", time.time, count=1, ca_file=other.ca.cert) == []


def test_media_can_be_left_to_nginx_with_x_accel_redirect(tmp_path):
    settings = server_settings(tmp_path, media_accel_prefix="/_media_files/")
    sha, _ = store_media(settings, 10_000)
    client = create_app(settings).test_client()
    response = client.get(f"/media/{sha}.mp3")
    assert response.status_code == 200 and response.data == b""
    assert response.headers["X-Accel-Redirect"] == f"/_media_files/{sha[:2]}/{sha}.mp3"
    assert response.headers["Content-Type"] == "audio/mpeg"
    # The web still decides what exists: an unknown or malformed name never reaches nginx's location.
    assert client.get(f"/media/{'0' * 64}.mp3").status_code == 404
    assert "X-Accel-Redirect" not in client.get(f"/media/{'0' * 64}.mp3").headers


def test_gunicorn_options_suit_sse_and_tls(tmp_path):
    settings = load_settings(env={}, data_dir=tmp_path, web_threads=100, tls_cert_file="c.crt", tls_key_file="k.key")
    options = gunicorn_options(settings)
    assert options["worker_class"] == "gthread" and options["threads"] == 100
    assert options["certfile"] == "c.crt" and options["keyfile"] == "k.key"
    assert not options["preload_app"]  # a HUP must load new code
    # The child process reads back exactly the settings it was given (paths made absolute).
    path = tmp_path / "s.toml"
    path.write_text(settings_toml(settings))
    assert load_settings(path, env={}) == replace(settings, data_dir=settings.data_dir.resolve())

"""The production web as nodes meet it: HTTPS from gunicorn checked against the province CA, and clients slow to
close their side of a finished download (4G)."""

from __future__ import annotations

import ssl
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from production_support import WebStarter, get, server_settings, store_media

from radio.node.cache import FetchError, MediaCache
from radio.node.timebase import sample_server
from radio.pki import make_test_pki

pytestmark = pytest.mark.integration


@pytest.fixture
def web(tmp_path: Path) -> Iterator[WebStarter]:
    starter = WebStarter(tmp_path)
    yield starter
    starter.stop_all()


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
    # Over TLS gunicorn writes files in 256 KiB blocks (TlsFileWrapper): a file of several blocks, whole and by Range.
    big_sha, big = store_media(settings, 1_000_000)
    context = ssl.create_default_context(cafile=str(pki.ca.cert))
    big_url = f"https://localhost:{settings.web_port}/media/{big_sha}.mp3"
    with urllib.request.urlopen(big_url, timeout=10, context=context) as resp:
        assert resp.read() == big
    ranged = urllib.request.Request(big_url, headers={"Range": "bytes=262000-700000"})
    with urllib.request.urlopen(ranged, timeout=10, context=context) as resp:
        assert resp.status == 206 and resp.read() == big[262000:700001]
    burst = sample_server(f"https://localhost:{settings.web_port}", time.time, count=3, ca_file=pki.ca.cert)
    assert burst and all(abs(server - (t0 + t1) / 2) < 1.0 for t0, server, t1 in burst)

    other = make_test_pki(tmp_path / "other", common_name="Another CA")
    stranger = MediaCache(tmp_path / "stranger-cache", 10**8, ca_file=other.ca.cert, retry_min_s=0.1,
                          retry_max_s=0.2)
    with pytest.raises(FetchError, match=r"CERTIFICATE_VERIFY_FAILED|certificate verify failed"):
        stranger.fetch(url, sha, deadline_s=time.time() + 1.5)
    assert not stranger.path(sha).exists()
    assert sample_server(f"https://localhost:{settings.web_port}", time.time, count=1, ca_file=other.ca.cert) == []


def test_clients_slow_to_close_do_not_stall_the_worker(tmp_path, web):
    # Ten clients read their whole response but do not close (a 4G node whose FIN is still on its way):
    # gunicorn 27's own gthread worker lingered 2 s for each of them in its event loop, so the next request
    # waited ~20 s (and a longer burst got the worker killed). RadioThreadWorker lingers off the loop.
    import socket

    settings = server_settings(tmp_path, web_workers=1, web_threads=4)
    web(settings)
    held = []
    try:
        for _ in range(10):
            sock = socket.create_connection(("127.0.0.1", settings.web_port), timeout=30)
            sock.sendall(b"GET /time HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            held.append(sock)  # answered, but never closed while the server waits for our FIN
        started = time.monotonic()
        assert get(f"{settings.media_base_url}/time", timeout=60)[0] == 200
        assert time.monotonic() - started < 5
        for sock in held:  # and every one of them got its answer
            data = b""
            while b"now_ms" not in data and (chunk := sock.recv(4096)):
                data += chunk
            assert b"now_ms" in data
    finally:
        for sock in held:
            sock.close()

"""The nginx option as shipped (deploy/nginx-commune-radio.conf) in front of gunicorn: TLS ends at nginx, which
sends /media/<sha256>.mp3 itself (only names of 64 lower-case hex digits, from the library's layout) with Range and
ETag; the web's X-Accel-Redirect answer still works; a node verifies."""

from __future__ import annotations

import hashlib
import os
import re
import ssl
import subprocess
import time
import urllib.request

import pytest

from audio_library import AudioLibrary
from launcher.nginx import check_config, nginx_binary, private_config
from launcher.webserver import WebProcess
from radio.broker import free_port
from radio.db.migrate import upgrade
from radio.node.cache import MediaCache
from radio.pki import make_test_pki
from radio.settings import load_settings

pytestmark = pytest.mark.integration


def test_nginx_serves_media_after_the_web_checked_the_name(tmp_path):
    nginx = nginx_binary()
    pki = make_test_pki(tmp_path / "pki")
    settings = load_settings(env={}, data_dir=tmp_path / "data", secret_key="t", web_port=free_port(),
                             web_workers=1, web_threads=4, proxy_hops=1, media_accel_prefix="/_media_files/",
                             public_base_url="https://localhost")
    settings.ensure_dirs()
    upgrade(settings.db_url)
    data = b"ID3" + os.urandom(300_000)
    sha, _ = AudioLibrary(settings.audio_dir).store.put(data, {})
    https_port, http_port = free_port(), free_port()
    conf = private_config(tmp_path, https_port=https_port, http_port=http_port, upstream_port=settings.web_port,
                          audio_dir=settings.audio_dir, cert=pki.server.cert, key=pki.server.key)
    check_config(conf)  # raises with nginx's own words
    web = WebProcess(settings, tmp_path / "web")
    web.start()
    proxy = subprocess.Popen([nginx, "-c", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        base = f"https://localhost:{https_port}"
        context = ssl.create_default_context(cafile=str(pki.ca.cert))
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{base}/time", timeout=5, context=context).close()
                break
            except OSError:
                if time.monotonic() > deadline or proxy.poll() is not None:
                    raise
                time.sleep(0.1)
        url = f"{base}/media/{sha}.mp3"
        with urllib.request.urlopen(url, timeout=10, context=context) as resp:
            assert resp.read() == data
            headers = resp.headers
        assert headers["Content-Type"] == "audio/mpeg" and "immutable" in headers["Cache-Control"]
        assert "X-Accel-Redirect" not in headers and headers["ETag"]
        ranged = urllib.request.Request(url, headers={"Range": "bytes=10-19"})
        with urllib.request.urlopen(ranged, timeout=10, context=context) as resp:
            assert resp.status == 206 and resp.read() == data[10:20]
        again = urllib.request.Request(url, headers={"If-None-Match": headers["ETag"]})
        with pytest.raises(urllib.error.HTTPError) as not_modified:
            urllib.request.urlopen(again, timeout=10, context=context)
        assert not_modified.value.code == 304
        not_modified.value.close()
        # Only stored names are served: an unknown name is 404, and nginx's internal location is not reachable.
        for path in (f"/media/{'0' * 64}.mp3", f"/_media_files/{sha[:2]}/{sha}.mp3"):
            with pytest.raises(urllib.error.HTTPError) as missing:
                urllib.request.urlopen(f"{base}{path}", timeout=10, context=context)
            assert missing.value.code == 404
            missing.value.close()
        # Anything but 64 lower-case hex digits is not a file name to nginx: it goes to the web, which refuses it.
        sidecar = f"/media/{sha[:2]}/{sha}.json"
        for path in (f"/media/{sha.upper()}.mp3", f"/media/{sha[:63]}.mp3", sidecar, f"/media/{sha}.json"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                urllib.request.urlopen(f"{base}{path}", timeout=10, context=context)
            assert refused.value.code in (400, 404), path
            refused.value.close()
        # The web's own X-Accel-Redirect answer (a web set up with media_accel_prefix) is still sent by nginx.
        accel = urllib.request.Request(f"http://127.0.0.1:{settings.web_port}/media/{sha}.mp3")
        with urllib.request.urlopen(accel, timeout=10) as resp:
            assert resp.headers["X-Accel-Redirect"] == f"/_media_files/{sha[:2]}/{sha}.mp3"
        # A node downloads through nginx and verifies the chain and the name.
        cache = MediaCache(tmp_path / "node", 10**8, ca_file=pki.ca.cert)
        assert hashlib.sha256(cache.fetch(url, sha).read_bytes()).hexdigest() == sha
        # Plain HTTP is only a redirect to HTTPS.
        plain = urllib.request.Request(f"http://127.0.0.1:{http_port}/media/{sha}.mp3")
        opener = urllib.request.build_opener(NoRedirect)
        with pytest.raises(urllib.error.HTTPError) as redirect:
            opener.open(plain, timeout=10)
        assert redirect.value.code == 301 and redirect.value.headers["Location"].startswith("https://")
        redirect.value.close()
    finally:
        proxy.terminate()
        proxy.wait(timeout=10)
        if proxy.stderr:
            errors = proxy.stderr.read().decode(errors="replace")
            proxy.stderr.close()
            assert not re.search(r"\[(emerg|alert|crit)\]", errors), errors
        web.stop()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None

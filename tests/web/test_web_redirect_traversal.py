"""Open redirect and path traversal (issue 10): the login's ?next= never leaves the site, and /media, /static
and uploaded file names never reach a file outside their directory."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from governance_support import bearer, login, make_objects
from web_support import PASSWORD, AuthActions, FakeAudioLibrary, Seed

pytestmark = pytest.mark.security

OFF_SITE = ("https://evil.example/", "//evil.example", "///evil.example", "////evil.example/x",
            "/\\evil.example", "\\\\evil.example", "\\/evil.example", "/\t/evil.example", "/\n/evil.example",
            "https:evil.example", "http:/evil.example", "javascript:alert(1)", "data:text/html,<script>",
            " //evil.example", "http://localhost@evil.example/", "/%2F%2Fevil.example", "/%5Cevil.example",
            "/\r\nLocation: https://evil.example/", "https://evil.example/%2F..")


def _stays_on_site(location: str) -> bool:
    """What a browser would do with the Location: same scheme-less, host-less path, no backslash or control
    character a browser would fold into '//'."""
    parts = urlsplit(location)
    return (not parts.scheme and not parts.netloc and location.startswith("/") and not location.startswith("//")
            and "\\" not in location and not any(ord(c) < 0x20 for c in location))


@pytest.mark.parametrize("target", OFF_SITE)
def test_login_never_redirects_off_site(client: FlaskClient, seed: Seed, target: str) -> None:
    response = client.post(f"/login?next={quote(target, safe='')}",
                           data={"username": "bientap", "password": PASSWORD})
    assert response.status_code == 302
    assert _stays_on_site(response.headers["Location"]), response.headers["Location"]


def test_local_next_still_works(client: FlaskClient, auth: AuthActions) -> None:
    response = client.post("/login?next=/nodes/?x=1", data={"username": "bientap", "password": PASSWORD})
    assert response.headers["Location"] == "/nodes/?x=1"


def test_redirect_to_login_keeps_the_site(client: FlaskClient, seed: Seed) -> None:
    """Pages that send an anonymous user to the login form put only a local path in next."""
    for url in ("/bulletins/", "//evil.example/bulletins/", "/nodes/?next=https://evil.example/"):
        with client.get(url) as response:
            if response.status_code == 302:
                location = response.headers["Location"]
                assert not urlsplit(location).netloc or urlsplit(location).netloc == "localhost", location


TRAVERSALS = ("/media/../../etc/passwd", "/media/..%2f..%2fetc%2fpasswd.mp3", "/media/%2e%2e/%2e%2e/etc/passwd.mp3",
              "/media/%2e%2e%2f%2e%2e%2fetc%2fpasswd.mp3", "/media/..%5c..%5cetc%5cpasswd.mp3",
              "/media/%252e%252e%252fetc%252fpasswd.mp3", "/media//etc/passwd.mp3",
              "/static/../../etc/passwd", "/static/..%2f..%2fetc%2fpasswd", "/static/..%2f__init__.py",
              "/static/..%2f..%2fpyproject.toml", "/static/%2e%2e/%2e%2e/pyproject.toml",
              "/static/%2e%2e%2f%2e%2e%2fpyproject.toml", "/static/..%5c..%5cpyproject.toml",
              "/static//etc/passwd", "/static/%2fetc%2fpasswd", "/static/js/../../__init__.py",
              "/static/js/..%2f..%2f__init__.py", "/static/%c0%ae%c0%ae/%c0%ae%c0%ae/pyproject.toml")
SECRETS = ("root:", "[project]", "def create_app", "import ")


@pytest.mark.parametrize("url", TRAVERSALS)
def test_media_and_static_never_serve_a_file_outside_their_directory(client: FlaskClient, auth: AuthActions,
                                                                     url: str) -> None:
    auth.login()
    with client.get(url) as response:
        body = response.get_data(as_text=True) if response.status_code == 200 else ""
        assert response.status_code in (301, 308, 400, 404) or (response.status_code == 200 and not any(
            s in body for s in SECRETS)), (url, response.status_code)
        assert not any(s in body for s in SECRETS), url


def test_static_still_serves_its_own_files(client: FlaskClient) -> None:
    with client.get("/static/style.css") as response:
        assert response.status_code == 200


@pytest.mark.parametrize("name", ["../../x.mp3", "..\\..\\x.mp3", "/etc/x.mp3", "....//....//x.mp3",
                                  "%2e%2e%2fx.mp3", "x.mp3\x00.exe"])
def test_upload_names_never_become_paths(app: Flask, tmp_path: Path, fake_audio: FakeAudioLibrary, seed: Seed,
                                         name: str) -> None:
    sessions = app.extensions["radio"].sessionmaker
    with sessions() as s:
        objects = make_objects(s, seed)
        headers = bearer(s, "bientap")
    client = app.test_client()
    login(client, "bientap")
    data = b"ID3" + name.encode() * 64
    with client.post(f"/articles/{objects.draft_id}/upload", content_type="multipart/form-data",
                     data={"file": (io.BytesIO(data), name)}) as response:
        assert response.status_code in (200, 302, 400, 422), response.status_code
    with client.post(f"/api/v1/articles/{objects.draft_id}/audio/upload", headers=headers,
                     content_type="multipart/form-data", data={"file": (io.BytesIO(data), name)}) as response:
        assert response.status_code in (200, 201, 400, 422), response.status_code
    # Only content-addressed files in the library; nothing named after the upload anywhere near it.
    assert all(len(p.stem) == 64 and p.suffix == ".mp3" for p in fake_audio.root.iterdir())
    leaked = [p for p in tmp_path.rglob("*x.mp3*")]
    leaked += [p for p in (Path("/x.mp3"), Path(tempfile.gettempdir()) / "x.mp3", Path("/etc/x.mp3")) if p.exists()]
    assert leaked == []

"""GET /media/<sha256>.mp3: public, cacheable, resumable, never a path."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from web_support import FakeAudioLibrary

pytestmark = pytest.mark.security


@pytest.fixture
def sha(fake_audio: FakeAudioLibrary) -> str:
    return fake_audio.synthesize("Xin chào bà con").sha256


def test_serves_file_with_etag_without_login(client: FlaskClient, fake_audio: FakeAudioLibrary,
                                             sha: str) -> None:
    # Responses are closed (with ...) because send_file keeps the file open until then.
    with client.get(f"/media/{sha}.mp3") as response:
        assert response.status_code == 200
        assert response.mimetype == "audio/mpeg"
        assert response.data == fake_audio.path_for(sha).read_bytes()
        assert response.headers["ETag"]
        assert response.headers["Accept-Ranges"] == "bytes"
        assert "immutable" in response.headers["Cache-Control"]
    with client.get(f"/media/{sha}.mp3", headers={"If-None-Match": response.headers["ETag"]}) as again:
        assert again.status_code == 304


def test_range_request_returns_partial_content(client: FlaskClient, fake_audio: FakeAudioLibrary,
                                               sha: str) -> None:
    data = fake_audio.path_for(sha).read_bytes()
    with client.get(f"/media/{sha}.mp3", headers={"Range": "bytes=100-199"}) as response:
        assert response.status_code == 206
        assert response.data == data[100:200]
        assert response.headers["Content-Range"] == f"bytes 100-199/{len(data)}"


def test_unknown_sha_is_404(client: FlaskClient) -> None:
    assert client.get(f"/media/{'0' * 64}.mp3").status_code == 404


@pytest.mark.parametrize(
    "name",
    ["abc", "A" * 64, "g" * 64, "0" * 63, "0" * 65, "..%2F..%2Fetc%2Fpasswd", "%2e%2e"],
)
def test_malformed_sha_is_refused(client: FlaskClient, sha: str, name: str) -> None:
    assert client.get(f"/media/{name}.mp3").status_code in (400, 404)


def test_upper_case_alias_of_real_file_is_refused(client: FlaskClient, sha: str) -> None:
    assert client.get(f"/media/{sha.upper()}.mp3").status_code == 400

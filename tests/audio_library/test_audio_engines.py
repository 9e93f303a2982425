"""gTTS with an injected fake transport (no Internet), its fallback to espeak-ng, and Piper errors."""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from audio_support import ffmpeg_make

from audio_library import AudioError, AudioLibrary, GttsEngine, PiperEngine, textbridge


@pytest.fixture(scope="module")
def small_mp3(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A real MP3 like Google's (24 kHz mono), made by ffmpeg."""
    path = tmp_path_factory.mktemp("gtts") / "piece.mp3"
    ffmpeg_make(path, "-f", "lavfi", "-i", "sine=frequency=330:duration=0.6", "-ar", "24000",
                "-ac", "1", "-c:a", "libmp3lame", "-b:a", "32k")
    return path.read_bytes()


class FakeResponse:
    def __init__(self, body: bytes, status: int = 200) -> None:
        self.body, self.status_code = body, status

    def raise_for_status(self) -> None:
        if self.status_code >= 400:
            raise requests.HTTPError(f"{self.status_code}", response=None)

    def iter_lines(self, chunk_size: int = 512) -> Iterator[bytes]:
        yield from self.body.splitlines()


class FakeSession:
    """Answers the batchexecute RPC the way translate.google.com does, with a real MP3."""

    def __init__(self, mp3: bytes | None, error: Exception | None = None,
                 raw: bytes | None = None) -> None:
        self.mp3, self.error, self.raw = mp3, error, raw
        self.sent: list[tuple[requests.PreparedRequest, dict[str, Any]]] = []
        self.closed = False

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> FakeResponse:
        self.sent.append((request, kwargs))
        if self.error:
            raise self.error
        if self.raw is not None:
            return FakeResponse(self.raw)
        assert self.mp3 is not None
        b64 = base64.b64encode(self.mp3).decode()
        line = '[["wrb.fr","jQ1olc","[\\"' + b64 + '\\"]",null,null,null,"generic"]]'
        return FakeResponse(b")]}'\n\n" + line.encode())

    def close(self) -> None:
        self.closed = True


def _sent_pieces(session: FakeSession) -> list[tuple[str, str]]:
    """(text, lang) of each RPC sent, decoded like Google would."""
    pieces = []
    for request, _ in session.sent:
        freq = urllib.parse.parse_qs(str(request.body))["f.req"][0]
        params = json.loads(json.loads(freq)[0][0][1])
        pieces.append((params[0], params[1]))
    return pieces


def test_gtts_with_fake_transport(make_library, small_mp3: bytes) -> None:
    session = FakeSession(small_mp3)
    lib: AudioLibrary = make_library(engines={"gtts": GttsEngine(timeout_s=3.0, session_factory=lambda: session)})
    text = "Xin chào bà con. Hôm nay trời đẹp."
    asset = lib.synthesize(text, engine="gtts", voice="vi")
    assert asset.engine == "gtts" and asset.voice == "vi" and asset.fallback_reason is None
    assert len(session.sent) == 2  # one request per sentence
    assert all(kw["timeout"] == 3.0 for _, kw in session.sent)  # never the default None
    # what Google receives is the normalized text, sentence by sentence, in Vietnamese
    expected = [(sentence, "vi") for para in textbridge.script(text) for sentence in para]
    assert _sent_pieces(session) == expected
    assert "Xin chào bà con" in expected[0][0]
    assert session.closed
    # two 0.6 s pieces + 0.35 s pause
    assert asset.duration_s == pytest.approx(0.6 + 0.35 + 0.6, abs=0.1)


@pytest.mark.parametrize(
    "session",
    [
        FakeSession(None, requests.ConnectionError("Failed to connect")),
        FakeSession(None, requests.Timeout("read timed out")),
        FakeSession(None, raw=b")]}'\n[[\"wrb.fr\",\"other\"]]"),  # answered, but no audio
    ],
    ids=["offline", "timeout", "no-audio"],
)
def test_gtts_failure_falls_back_to_espeak(make_library, session: FakeSession) -> None:
    lib: AudioLibrary = make_library(engines={"gtts": GttsEngine(session_factory=lambda: session)})
    asset = lib.synthesize("Xin chào bà con.", engine="gtts")
    assert asset.engine == "espeak-ng" and asset.voice == "vi"
    assert asset.fallback_reason and asset.fallback_reason.startswith("gtts:")
    assert asset.path.is_file() and asset.duration_s > 0.3
    assert not [p for p in lib.root.rglob("*") if p.is_file() and p.stat().st_size == 0]
    # the fallback is not cached under gtts: the next call tries Google again
    before = len(session.sent)
    assert lib.synthesize("Xin chào bà con.", engine="gtts").fallback_reason
    assert len(session.sent) > before


def test_gtts_engine_failure_leaves_no_file(tmp_path: Path) -> None:
    engine = GttsEngine(session_factory=lambda: FakeSession(None, requests.ConnectionError("x")))
    out = tmp_path / "out.wav"
    with pytest.raises(AudioError, match="Google"):
        engine.synthesize("Xin chào", "vi", out)
    assert list(tmp_path.iterdir()) == []


def test_gtts_real_timeout_against_silent_server(make_library) -> None:
    """A server that accepts and never answers: the explicit timeout must fire (loopback only)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    port = server.getsockname()[1]
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(server.accept()[0])
            except OSError:
                continue

    threading.Thread(target=accept, daemon=True).start()

    class LocalSession(requests.Session):
        def send(self, request: requests.PreparedRequest, **kwargs: Any) -> Any:  # type: ignore[override]
            request.url = f"http://127.0.0.1:{port}/batchexecute"
            return super().send(request, **kwargs)

    try:
        lib: AudioLibrary = make_library(engines={"gtts": GttsEngine(timeout_s=0.5, session_factory=LocalSession)})
        t0 = time.monotonic()
        asset = lib.synthesize("Xin chào bà con.", engine="gtts")
        assert time.monotonic() - t0 < 5.0
        assert asset.engine == "espeak-ng" and "Timeout" in (asset.fallback_reason or "")
    finally:
        stop.set()
        for conn in held:
            conn.close()
        server.close()


def test_piper_missing_model(tmp_path: Path) -> None:
    engine = PiperEngine(tmp_path / "vi_VN-vais1000-medium.onnx")
    with pytest.raises(AudioError, match="Không tìm thấy tệp mô hình"):
        engine.synthesize("Xin chào", "vi", tmp_path / "out.wav")
    assert not (tmp_path / "out.wav").exists()


def test_piper_missing_config_and_binary(tmp_path: Path) -> None:
    model = tmp_path / "voice.onnx"
    model.write_bytes(b"not really a model")
    with pytest.raises(AudioError, match="cấu hình"):
        PiperEngine(model).synthesize("Xin chào", "vi", tmp_path / "out.wav")
    Path(f"{model}.json").write_text("{}")
    with pytest.raises(AudioError, match="chương trình Piper"):
        PiperEngine(model, executable="/nonexistent/piper").synthesize("Xin chào", "vi", tmp_path / "o.wav")
    with pytest.raises(AudioError, match="chưa được cấu hình"):
        PiperEngine(model).synthesize("Xin chào", "north", tmp_path / "o.wav")


def test_piper_errors_surface_through_library(make_library, tmp_path: Path) -> None:
    """Piper is offline and configured by the station: its errors are shown, not papered over."""
    lib: AudioLibrary = make_library(engines={"piper": PiperEngine(tmp_path / "missing.onnx")})
    with pytest.raises(AudioError, match="mô hình"):
        lib.synthesize("Xin chào bà con.", engine="piper")
    assert [p for p in lib.root.rglob("*.mp3")] == []

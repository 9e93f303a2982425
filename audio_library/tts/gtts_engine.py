"""Google Translate TTS via gTTS (online). Always with a timeout; the library falls back to
espeak-ng when it fails.

gTTS 2.5 builds a fresh `requests.Session()` inside `stream()`, so the transport cannot be
injected there. We keep gTTS for what it is good at (text splitting into <=100-char pieces and
building the requests) and send the prepared requests ourselves through an injectable
session: tests run with a fake transport and no Internet.
"""

from __future__ import annotations

import base64
import os
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol

import requests
from gtts import gTTS

from .. import ffmpeg
from ..errors import AudioError

_AUDIO_LINE = re.compile(r'jQ1olc","\[\\"(.*)\\"]')  # same response parsing as gTTS 2.5.4


class HttpSession(Protocol):
    """The subset of `requests.Session` we use."""

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> Any: ...

    def close(self) -> None: ...


class GttsEngine:
    name = "gtts"
    voices = ("vi",)
    max_parallel = 1  # one request at a time: Google rate-limits bursts
    needs_network = True  # failures fall back to an offline engine

    def __init__(self, *, timeout_s: float = 10.0, total_timeout_s: float | None = None,
                 session_factory: Callable[[], HttpSession] | None = None, tld: str = "com") -> None:
        self.timeout_s = timeout_s
        # Per-request timeouts alone could add up to minutes over a long article.
        self.total_timeout_s = total_timeout_s if total_timeout_s is not None else 6 * timeout_s
        self.session_factory: Callable[[], HttpSession] = session_factory or requests.Session
        self.tld = tld

    def _stream(self, text: str, voice: str) -> Iterator[bytes]:
        # lang_check=False: the check is a static table in 2.5, but it must never hit the net.
        tts = gTTS(text, lang=voice, tld=self.tld, lang_check=False, timeout=self.timeout_s)
        deadline = time.monotonic() + self.total_timeout_s
        session = self.session_factory()
        try:
            for prepared in tts._prepare_requests():
                if time.monotonic() > deadline:
                    raise AudioError("Dịch vụ Google TTS phản hồi quá chậm.")
                try:
                    resp = session.send(prepared, timeout=self.timeout_s)
                    resp.raise_for_status()
                except requests.RequestException as exc:
                    raise AudioError(
                        f"Không kết nối được dịch vụ Google TTS ({type(exc).__name__})."
                    ) from exc
                found = False
                for line in resp.iter_lines(chunk_size=1024):
                    match = _AUDIO_LINE.search(line.decode("utf-8", "replace"))
                    if match:
                        found = True
                        yield base64.b64decode(match.group(1).encode("ascii"))
                if not found:
                    raise AudioError("Dịch vụ Google TTS trả về dữ liệu không có âm thanh.")
        finally:
            session.close()

    def synthesize(self, text: str, voice: str, out_wav: Path) -> None:
        if voice not in self.voices:
            raise AudioError("Giọng đọc '%(voice)s' không có trong Google TTS (chỉ có 'vi').", voice=voice)
        part = out_wav.with_name(out_wav.name + ".mp3.part")
        wav_part = out_wav.with_name(out_wav.name + ".wav.part")
        try:
            # Collect everything before touching the destination: gTTS's own save() opens the
            # file first and leaves a 0-byte MP3 on failure.
            mp3 = b"".join(self._stream(text, voice))
            if not mp3:
                raise AudioError("Dịch vụ Google TTS không trả về âm thanh.")
            part.write_bytes(mp3)
            samples = ffmpeg.decode(part, 24_000)  # gTTS speaks at 24 kHz
            if samples.size == 0:
                raise AudioError("Âm thanh từ Google TTS bị hỏng.")
            _write_wav(wav_part, samples, 24_000)
            os.replace(wav_part, out_wav)
        finally:
            part.unlink(missing_ok=True)
            wav_part.unlink(missing_ok=True)


def _write_wav(path: Path, samples: Any, rate: int) -> None:
    import wave

    import numpy as np

    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2").tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)

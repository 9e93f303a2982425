"""The one interface every TTS engine implements, plus WAV helpers shared by engines."""

from __future__ import annotations

import wave
from math import gcd
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from scipy.signal import resample_poly

from .. import ffmpeg


@runtime_checkable
class TtsEngine(Protocol):
    """A speech engine. `synthesize` writes a WAV file; it must not leave a partial file behind.

    Optional attribute `max_parallel: int` (default 1): how many sentences may be synthesized
    concurrently (local engines yes; a remote web service, politely, no).
    """

    name: str
    voices: tuple[str, ...]

    def synthesize(self, text: str, voice: str, out_wav: Path) -> None: ...


def read_wav(path: Path, rate: int = ffmpeg.RATE) -> np.ndarray:
    """Read an engine's WAV as mono float32 at `rate`.

    16-bit PCM (espeak-ng, piper) is read directly and resampled in numpy (22.05 -> 44.1 kHz is
    an exact 2x polyphase step); anything else goes through ffmpeg.
    """
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() != 2:
                raise wave.Error("not 16-bit")
            channels, src_rate = w.getnchannels(), w.getframerate()
            raw = w.readframes(w.getnframes())
    except (wave.Error, EOFError):
        return ffmpeg.decode(path, rate)
    x = np.frombuffer(raw, dtype="<i2").astype(np.float32) / 32768.0
    if channels > 1:
        x = x.reshape(-1, channels).mean(axis=1)
    if src_rate != rate:
        g = gcd(rate, src_rate)
        x = resample_poly(x, rate // g, src_rate // g).astype(np.float32)
    return x

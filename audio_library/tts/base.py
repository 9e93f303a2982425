"""The one interface every TTS engine implements, plus WAV helpers shared by engines."""

from __future__ import annotations

import os
import subprocess
import wave
from math import gcd
from pathlib import Path
from typing import Protocol, runtime_checkable

import numpy as np
from scipy.signal import resample_poly

from .. import ffmpeg
from ..errors import AudioError

# Stands in a command line for the temporary output file run_to_wav chooses.
PART = "{part}"


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


def run_to_wav(cmd: list[str], text: str, out_wav: Path, *, engine: str, timeout_s: float) -> None:
    """Run a TTS command that reads text on stdin and writes `{out_wav}.part`; move it in place only when the
    command succeeded and wrote real audio (a WAV header alone is 44 bytes), so a failure leaves nothing."""
    tmp = out_wav.with_name(out_wav.name + ".part")
    try:
        proc = subprocess.run([part if part != PART else str(tmp) for part in cmd], input=text.encode("utf-8"),
                              capture_output=True, timeout=timeout_s, check=False)
        if proc.returncode != 0 or not tmp.is_file() or tmp.stat().st_size <= 44:
            msg = proc.stderr.decode("utf-8", "replace").strip()[-200:]
            raise AudioError("%(engine)s không tạo được giọng đọc (%(reason)s).", engine=engine, reason=msg)
        os.replace(tmp, out_wav)
    except subprocess.TimeoutExpired as exc:
        raise AudioError("%(engine)s chạy quá lâu, đã dừng lại.", engine=engine) from exc
    finally:
        tmp.unlink(missing_ok=True)

"""Helpers for the audio_library tests: generated fixtures and an independent loudness meter."""

from __future__ import annotations

import re
import subprocess
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from pydub import AudioSegment
from pydub.generators import Sine

from audio_library.tts.base import TtsEngine

RATE = 44_100


@dataclass(frozen=True)
class Ebur128:
    integrated_lufs: float
    true_peak_dbtp: float


def ebur128(path: Path) -> Ebur128:
    """Measure with ffmpeg's own ebur128 filter (independent of our numpy meter)."""
    proc = subprocess.run(
        ["ffmpeg", "-nostdin", "-nostats", "-hide_banner", "-i", str(path),
         "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True, text=True, check=True,
    )
    summary = proc.stderr[proc.stderr.rindex("Summary:"):]
    i = float(re.search(r"I:\s+(-?[\d.]+|-inf) LUFS", summary).group(1))  # type: ignore[union-attr]
    peak = re.search(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    return Ebur128(integrated_lufs=i, true_peak_dbtp=float(peak.group(1)))  # type: ignore[union-attr]


def duration_s(path: Path) -> float:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", str(path)],
        capture_output=True, text=True, check=True,
    ).stdout
    return float(out.strip())


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm.tobytes())
    return path


def sine_wav(path: Path, *, freq: float = 440.0, seconds: float = 3.0, dbfs: float = -40.0) -> Path:
    seg: AudioSegment = Sine(freq, sample_rate=RATE).to_audio_segment(
        duration=int(seconds * 1000), volume=dbfs)
    seg.set_channels(1).export(str(path), format="wav").close()
    return path


def clipped_sine_wav(path: Path, *, seconds: float = 3.0) -> Path:
    """A sine driven 6 dB into digital clipping: flat tops at full scale, many inter-sample overs."""
    t = np.arange(int(seconds * RATE)) / RATE
    return write_wav(path, np.clip(2.0 * np.sin(2 * np.pi * 997.0 * t), -1.0, 1.0))


def espeak_wav(path: Path, text: str, voice: str = "vi") -> Path:
    subprocess.run(["espeak-ng", "-v", voice, "-w", str(path), "--stdin"], input=text.encode(),
                   check=True, capture_output=True)
    return path


def with_leading_silence(src: Path, dest: Path, seconds: float) -> Path:
    with src.open("rb") as f:  # pydub leaves a file it opened from a path to the garbage collector
        speech = AudioSegment.from_wav(f)
    seg = AudioSegment.silent(duration=int(seconds * 1000), frame_rate=22_050) + speech
    seg.export(str(dest), format="wav").close()
    return dest


def ffmpeg_make(dest: Path, *args: str) -> Path:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args, str(dest)], check=True)
    return dest


def tree(root: Path) -> dict[str, int]:
    """Every file under root with its size: to prove a failed operation changed nothing."""
    return {str(p.relative_to(root)): p.stat().st_size for p in root.rglob("*") if p.is_file()}


class CountingEngine:
    """Wraps an engine and counts synthesize calls (to prove cache hits do not synthesize)."""

    def __init__(self, inner: TtsEngine) -> None:
        self.inner = inner
        self.name = inner.name
        self.voices = inner.voices
        self.max_parallel = getattr(inner, "max_parallel", 1)
        self.calls: list[str] = []

    def synthesize(self, text: str, voice: str, out_wav: Path) -> None:
        self.calls.append(text)
        self.inner.synthesize(text, voice, out_wav)

"""Thin subprocess wrappers around ffmpeg/ffprobe (raw float32 PCM over pipes, no temp WAVs)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .errors import AudioError

RATE = 44_100  # broadcast output rate; everything is processed at this rate, resampled once
MP3_BITRATE = "64k"
_TIMEOUT_S = 300.0


def _run(cmd: list[str], data: bytes | None = None) -> bytes:
    try:
        proc = subprocess.run(cmd, input=data, capture_output=True, timeout=_TIMEOUT_S, check=False)
    except FileNotFoundError as exc:
        raise AudioError("Máy chủ chưa cài đặt ffmpeg, không xử lý được âm thanh.") from exc
    except subprocess.TimeoutExpired as exc:
        raise AudioError("Xử lý âm thanh quá lâu, đã dừng lại.") from exc
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise AudioError(f"Không đọc/ghi được dữ liệu âm thanh ({err[0][:200]}).")
    return proc.stdout


def decode(src: Path, rate: int = RATE) -> np.ndarray:
    """Decode any audio file to mono float32 at `rate` (ffmpeg downmixes and resamples)."""
    out = _run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(src), "-map", "0:a:0", "-vn",
         "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"]
    )
    return np.frombuffer(out, dtype=np.float32).copy()


def encode_mp3(x: np.ndarray, rate: int = RATE) -> tuple[bytes, np.ndarray]:
    """Mono CBR MP3 without ID3 tags: identical audio gives identical bytes (and sha), even
    across ffmpeg versions (the ID3 "encoder" tag carries the libavformat version).

    Written to a seekable temp file, not a pipe: only then can the muxer go back and fill in
    the Xing/LAME header (frame count, encoder delay and padding), without which decoders add
    ~40 ms of padding and players mis-report the duration. Returns the MP3 bytes and their
    decoding (from the file: ffmpeg honours the LAME gapless info only when it can seek), so
    the caller measures exactly what will air.
    LAME quality 7 instead of ffmpeg's default: twice as fast, and at 64 kbps speech over
    horn loudspeakers the difference is not audible; it keeps TTS under the 1.5 s budget.
    """
    fd, name = tempfile.mkstemp(suffix=".mp3", prefix="commune-radio-")
    os.close(fd)
    try:
        _run(
            ["ffmpeg", "-nostdin", "-v", "error", "-y", "-f", "f32le", "-ar", str(rate), "-ac", "1",
             "-i", "-", "-map_metadata", "-1", "-c:a", "libmp3lame", "-b:a", MP3_BITRATE,
             "-compression_level", "7", "-id3v2_version", "0", "-write_id3v1", "0",
             "-ar", str(rate), "-ac", "1", "-f", "mp3", name],
            np.ascontiguousarray(x, dtype=np.float32).tobytes(),
        )
        return Path(name).read_bytes(), decode(Path(name), rate)
    finally:
        os.unlink(name)


def probe(src: Path) -> dict[str, Any]:
    """ffprobe JSON (format + streams); AudioError if ffprobe cannot parse the file."""
    try:
        out = _run(
            ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
             str(src)]
        )
    except AudioError as exc:
        raise AudioError("Tệp tải lên không phải là tệp âm thanh hợp lệ.") from exc
    result: dict[str, Any] = json.loads(out or b"{}")
    return result

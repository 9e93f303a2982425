"""Thin subprocess wrappers around ffmpeg/ffprobe (raw float32 PCM over pipes, no temp WAVs)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
import threading
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
        raise AudioError("Không đọc/ghi được dữ liệu âm thanh (%(reason)s).", reason=err[0][:200])
    return proc.stdout


def decode(src: Path, rate: int = RATE) -> np.ndarray:
    """Decode any audio file to mono float32 at `rate` (ffmpeg downmixes and resamples)."""
    out = _run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(src), "-map", "0:a:0", "-vn",
         "-ac", "1", "-ar", str(rate), "-f", "f32le", "-"]
    )
    return np.frombuffer(out, dtype=np.float32).copy()


def decode_capped(src: Path, max_s: float, rate: int = RATE) -> np.ndarray:
    """Like decode, but never more than `max_s` seconds, whatever the file's header claims.

    An upload can say "2 minutes" and hold hours (first frames at a high bitrate, the rest at 8 kbps):
    ffprobe believes the header. Here ffmpeg stops at `-t max_s`, and the samples are read straight into
    one buffer of exactly that size, so memory and work are bounded by the limit, not by the file. A
    result of max_s seconds means "at least that long": the caller refuses it.
    """
    capacity = int(max_s * rate) * 4  # float32 bytes
    buf = bytearray(capacity)
    view = memoryview(buf)
    cmd = ["ffmpeg", "-nostdin", "-v", "error", "-i", str(src), "-map", "0:a:0", "-vn", "-ac", "1",
           "-ar", str(rate), "-t", f"{max_s:.3f}", "-f", "f32le", "-"]
    # stderr to a file, not a pipe: a broken file can print more errors than a pipe holds, and an unread
    # pipe would stall ffmpeg (and us) forever.
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=err)
        except FileNotFoundError as exc:
            raise AudioError("Máy chủ chưa cài đặt ffmpeg, không xử lý được âm thanh.") from exc
        timed_out = threading.Event()

        def _kill() -> None:
            timed_out.set()
            proc.kill()

        timer = threading.Timer(_TIMEOUT_S, _kill)
        timer.start()
        got = 0
        try:
            assert proc.stdout is not None
            while got < capacity:
                n = proc.stdout.readinto(view[got:])
                if not n:
                    break
                got += n
        finally:
            timer.cancel()
            if got >= capacity:
                proc.kill()  # the cap is reached: nothing after it matters, whatever ffmpeg still has
            view.release()
            proc.stdout.close()  # type: ignore[union-attr]
            returncode = proc.wait()
        if timed_out.is_set():
            raise AudioError("Xử lý âm thanh quá lâu, đã dừng lại.")
        if got < capacity and returncode != 0:
            err.seek(0)
            last = err.read().decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
            raise AudioError("Không đọc/ghi được dữ liệu âm thanh (%(reason)s).", reason=last[0][:200])
    # A view of the buffer, not a copy: the decoded audio exists once in memory.
    return np.frombuffer(buf, dtype=np.float32, count=got // 4)


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

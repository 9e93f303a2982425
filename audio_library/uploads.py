"""Upload validation by content (ffprobe), never by file extension."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import ffmpeg
from .errors import AudioError, AudioTooLong

MAX_UPLOAD_BYTES = 50 * 1024 * 1024
MAX_UPLOAD_DURATION_S = 30 * 60.0
# Encoders pad a few tens of ms (MP3 frames, AAC priming): a file cut at exactly the limit must still pass.
DURATION_TOLERANCE_S = 0.5

# ffprobe format_name -> what we call it. The ISO-BMFF family is one demuxer in ffmpeg, so
# for it we additionally require an audio codec and no real video stream (an .mp4 film is out).
_FORMATS = {"mp3": "mp3", "wav": "wav", "ogg": "ogg", "mov,mp4,m4a,3gp,3g2,mj2": "m4a"}
_M4A_CODECS = {"aac", "alac", "mp3"}


@dataclass(frozen=True)
class UploadInfo:
    format: str
    duration_s: float
    codec: str


def _fmt_mb(n: float) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def validate_upload(src: Path, *, max_bytes: int = MAX_UPLOAD_BYTES,
                    max_duration_s: float = MAX_UPLOAD_DURATION_S) -> UploadInfo:
    """Raise AudioError (Vietnamese) unless `src` is an MP3/WAV/OGG/M4A within the limits."""
    try:
        size = src.stat().st_size
    except OSError as exc:
        raise AudioError("Không tìm thấy tệp tải lên.") from exc
    if size == 0:
        raise AudioError("Tệp tải lên rỗng.")
    if size > max_bytes:  # checked before ffprobe reads anything
        raise AudioError("Tệp quá lớn (%(size)s); giới hạn là %(limit)s.", size=_fmt_mb(size), limit=_fmt_mb(max_bytes))
    info = ffmpeg.probe(src)
    fmt_name = str(info.get("format", {}).get("format_name", ""))
    kind = _FORMATS.get(fmt_name)
    streams: list[dict[str, Any]] = info.get("streams", [])
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    video = [s for s in streams if s.get("codec_type") == "video"
             and not s.get("disposition", {}).get("attached_pic")]  # MP3 cover art is fine
    if kind is None or not audio:
        raise AudioError("Định dạng không được hỗ trợ: chỉ nhận tệp âm thanh MP3, WAV, OGG hoặc M4A.")
    codec = str(audio[0].get("codec_name", ""))
    if kind == "m4a" and (video or codec not in _M4A_CODECS):
        raise AudioError("Tệp M4A/MP4 phải chỉ chứa âm thanh (AAC/ALAC), không chứa hình ảnh.")
    try:
        duration = float(info.get("format", {}).get("duration") or audio[0].get("duration") or 0.0)
    except ValueError:
        duration = 0.0
    if duration <= 0.0:
        raise AudioError("Không xác định được độ dài tệp âm thanh; tệp có thể bị hỏng.")
    if duration > max_duration_s + DURATION_TOLERANCE_S:
        # Only what the header claims: a header may also lie the other way, so the decode is capped too
        # (AudioLibrary.import_file).
        raise AudioTooLong(max_duration_s)
    return UploadInfo(format=kind, duration_s=duration, codec=codec)

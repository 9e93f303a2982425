"""Audio helpers for views: the asset row upsert (shared with the CLI), error type, duration format."""

from __future__ import annotations

from audio_library import AudioError
from station.assets import upsert_audio_asset as upsert_asset

__all__ = ["audio_error_type", "format_duration", "upsert_asset"]


def audio_error_type() -> type[Exception]:
    """audio_library's AudioError: the user-facing error every synthesis and upload call may raise."""
    return AudioError


def format_duration(ms: int | None) -> str:
    """Milliseconds as m:ss, the way broadcasters talk about programme length."""
    if ms is None:
        return "—"
    total = round(ms / 1000)
    return f"{total // 60}:{total % 60:02d}"


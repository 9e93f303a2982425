"""Audio helpers for views: the asset row upsert (shared with the CLI), error type, duration format."""

from __future__ import annotations

from scheduler.assets import upsert_audio_asset as upsert_asset

__all__ = ["audio_error_type", "format_duration", "upsert_asset"]


def audio_error_type() -> type[Exception]:
    """audio_library's AudioError, imported lazily so the web starts even without the audio stack."""
    try:
        from audio_library import AudioError
    except ImportError:  # package still without its public __init__ re-export
        from audio_library.errors import AudioError
    return AudioError


def format_duration(ms: int | None) -> str:
    """Milliseconds as m:ss, the way broadcasters talk about programme length."""
    if ms is None:
        return "—"
    total = round(ms / 1000)
    return f"{total // 60}:{total % 60:02d}"


"""Audio helpers for views: the asset row upsert (shared with the CLI) and the duration format."""

from __future__ import annotations

from station.assets import upsert_audio_asset as upsert_asset

__all__ = ["format_duration", "upsert_asset"]


def format_duration(ms: int | None) -> str:
    """Milliseconds as m:ss, the way broadcasters talk about programme length."""
    if ms is None:
        return "—"
    total = round(ms / 1000)
    return f"{total // 60}:{total % 60:02d}"


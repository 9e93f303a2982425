"""Record an audio_library asset in the database: one row per sha256, however often it is rendered."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import AudioAssetRow


def upsert_asset(session: Session, asset: Any) -> AudioAssetRow:
    """The row for asset.sha256, created or refreshed from the asset's metadata (not committed).

    Re-rendering the same text gives the same sha256 (content-addressed), so an existing row is
    reused rather than duplicated; its metadata is refreshed in case the library measured it again.
    """
    row = session.scalar(select(AudioAssetRow).where(AudioAssetRow.sha256 == asset.sha256))
    if row is None:
        row = AudioAssetRow(sha256=asset.sha256)
        session.add(row)
    row.duration_ms = round(float(asset.duration_s) * 1000)
    row.size_bytes = int(asset.size_bytes)
    row.engine = str(asset.engine)
    row.voice = asset.voice
    row.lufs = asset.lufs
    row.true_peak_dbtp = asset.true_peak_dbtp
    row.fallback_reason = asset.fallback_reason
    session.flush()
    return row


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

"""Record an audio-library asset as a database row (the library itself knows nothing of the database)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import AudioAssetRow


def upsert_audio_asset(session: Session, asset: Any) -> AudioAssetRow:
    """Insert or refresh the row for an audio_library.AudioAsset; returns it flushed (id set)."""
    row = session.scalars(select(AudioAssetRow).where(AudioAssetRow.sha256 == asset.sha256)).first()
    if row is None:
        row = AudioAssetRow(sha256=asset.sha256)
        session.add(row)
    row.duration_ms = round(asset.duration_s * 1000)
    row.size_bytes = asset.size_bytes
    row.engine = asset.engine
    row.voice = asset.voice
    row.lufs = asset.lufs
    row.true_peak_dbtp = asset.true_peak_dbtp
    row.fallback_reason = asset.fallback_reason
    session.flush()
    return row

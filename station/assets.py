"""Record an audio-library asset as a database row (the library itself knows nothing of the database)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select, union
from sqlalchemy.orm import Session

from radio.db.models import Article, AudioAssetRow, Bulletin, Programme


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


def referenced_shas(session: Session) -> set[str]:
    """Audio still needed: attached to an article, aired or to be aired, or a programme's jingle."""
    ids = union(
        select(Article.audio_id).where(Article.audio_id.is_not(None)),
        select(Bulletin.audio_id),
        select(Programme.sign_on_audio_id).where(Programme.sign_on_audio_id.is_not(None)),
        select(Programme.sign_off_audio_id).where(Programme.sign_off_audio_id.is_not(None)),
    ).subquery()
    return set(session.scalars(select(AudioAssetRow.sha256).where(AudioAssetRow.id.in_(select(ids)))))


def collect_garbage(session: Session, library: Any, *, min_age_s: float | None = None) -> list[str]:
    """Delete audio files and rows nothing refers to any more; returns the removed sha256s."""
    keep = referenced_shas(session)
    removed = library.gc(keep, min_age_s=min_age_s)
    if removed:
        session.execute(delete(AudioAssetRow).where(AudioAssetRow.sha256.in_(removed)))
    return removed


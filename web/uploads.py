"""Uploaded audio through the audio library into an asset row (used for programme jingles)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from radio.db.models import AudioAssetRow
from web.audio_assets import upsert_asset
from web.context import radio_ctx


def import_upload(session: Session, storage: Any) -> AudioAssetRow:
    """An uploaded file via audio_library.import_file, recorded as a row (flushed); raises the library's AudioError."""
    original = Path(storage.filename or "upload").name
    with tempfile.TemporaryDirectory(prefix="radio-upload-") as tmp:
        # A fixed name inside a private directory: the user's file name never becomes a path.
        path = Path(tmp) / "upload"
        storage.save(path)
        asset = radio_ctx().audio_library.import_file(path, original_name=original)
    return upsert_asset(session, asset)

"""Uploaded audio through the audio library into an asset row (used for programme jingles)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from audio_library import AudioError, AudioTooLong
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
        try:
            asset = radio_ctx().audio_library.import_file(path, original_name=original)
        except AudioTooLong as exc:
            # The library speaks Vietnamese only; the limit is worth saying in the user's language.
            # Same msgid as AudioTooLong.MESSAGE (tests/web/test_web_upload_limits.py checks).
            raise AudioError(_("Tệp âm thanh quá dài; giới hạn là %(minutes)s phút.", minutes=exc.minutes)) from exc
    return upsert_asset(session, asset)

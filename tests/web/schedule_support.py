"""Helpers for the scheduling screens' tests (issue 4): local times, programmes, row counts."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from radio.db.base import Base
from radio.db.models import AudioAssetRow, Programme, ProgrammeSlot, ProgrammeTarget

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def tomorrow_local(hour: int, minute: int = 0, second: int = 0) -> datetime:
    today = datetime.now(VN).date()
    return datetime.combine(today + timedelta(days=1), time(hour, minute, second), VN)


def count(db: Session, model: type[Base]) -> int:
    db.expire_all()
    return int(db.scalar(select(func.count()).select_from(model)) or 0)


def add_jingle(db: Session, sha: str, duration_ms: int = 5_000) -> AudioAssetRow:
    asset = AudioAssetRow(sha256=sha, duration_ms=duration_ms, size_bytes=1024, engine="upload", voice=None)
    db.add(asset)
    db.commit()
    return asset


def add_programme(db: Session, commune_id: int, area_ids: list[int], *, name: str = "Thời sự sáng",
                  at: time = time(6, 0), days: str = "mon,tue,wed,thu,fri,sat,sun",
                  sign_on: int | None = None, sign_off: int | None = None, active: bool = True) -> Programme:
    programme = Programme(name=name, commune_id=commune_id, sign_on_audio_id=sign_on, sign_off_audio_id=sign_off,
                          active=active, slots=[ProgrammeSlot(local_time=at, days=days)],
                          targets=[ProgrammeTarget(area_id=a) for a in area_ids])
    db.add(programme)
    db.commit()
    return programme

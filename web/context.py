"""Per-app and per-request state: settings, the database sessionmaker, the audio library."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask import Flask, current_app, g
from sqlalchemy.orm import Session, sessionmaker

from radio.settings import Settings


@dataclass
class RadioContext:
    """What the views need from the outside world, stored once on app.extensions["radio"]."""

    settings: Settings
    sessionmaker: sessionmaker[Session]
    # Built on first use so the web still starts (and tests run) while audio_library is unavailable.
    _audio_library: Any = field(default=None, repr=False)

    @property
    def audio_library(self) -> Any:
        if self._audio_library is None:
            from audio_library import AudioLibrary

            self._audio_library = AudioLibrary(
                self.settings.audio_dir, gtts_timeout_s=self.settings.gtts_timeout_s
            )
        return self._audio_library

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.settings.timezone)

    @property
    def emergency_lead(self) -> timedelta:
        """An emergency airs this long after it is saved (setting emergency_lead_s)."""
        return timedelta(seconds=self.settings.emergency_lead_s)


def radio_ctx() -> RadioContext:
    ctx: RadioContext = current_app.extensions["radio"]
    return ctx


def get_db() -> Session:
    """The request's session: opened on first use, closed in teardown (uncommitted work is rolled back)."""
    if "db" not in g:
        g.db = radio_ctx().sessionmaker()
    db: Session = g.db
    return db


def close_db(_exc: BaseException | None = None) -> None:
    db: Session | None = g.pop("db", None)
    if db is not None:
        db.close()


def init_app(app: Flask, ctx: RadioContext) -> None:
    app.extensions["radio"] = ctx
    app.teardown_appcontext(close_db)

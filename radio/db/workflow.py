"""Work a person started in the web and the server finishes: form submissions remembered by their key (a
resubmitted form returns the first result) and speech renders run in the background with their progress."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from radio.db.base import Base
from radio.db.types import UTCDateTime, utcnow


class FormSubmission(Base):
    """One submitted form, by its one-time key (a hidden field): the Back button then "Lên lịch" again, or
    a double click, finds the row and is sent to the first result instead of doing the work twice."""

    __tablename__ = "form_submissions"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    form_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    endpoint: Mapped[str] = mapped_column(String(64))
    # Where the first submission sent the user; NULL while it is still being processed.
    location: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class RenderState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class RenderJob(Base):
    """A "Tạo âm thanh" request: rendered by a worker thread of the web, polled by the editor page."""

    __tablename__ = "render_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    engine: Mapped[str] = mapped_column(String(32))
    voice: Mapped[str] = mapped_column(String(64))
    state: Mapped[str] = mapped_column(String(16), default=RenderState.QUEUED, index=True)
    # The characters to speak: the progress estimate is based on it (speech takes time roughly per character).
    chars: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")  # the error, or the fallback used, in Vietnamese
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

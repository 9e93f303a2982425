"""Who did what: the audit log, API tokens for integrations, login attempts and API request counts for rate limits."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from radio.db.base import Base
from radio.db.types import UTCDateTime, utcnow


class AuditEntry(Base):
    """One action that changed what airs (or who may change it): who, when, what, before and after."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    username: Mapped[str] = mapped_column(String(64), default="")  # kept even if the user is deleted
    action: Mapped[str] = mapped_column(String(48), index=True)  # e.g. "article.approve", "bulletin.cancel"
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str] = mapped_column(String(64), index=True)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    detail: Mapped[str] = mapped_column(Text, default="")
    remote_addr: Mapped[str] = mapped_column(String(64), default="")


class ApiToken(Base):
    """A bearer token for an integration (e.g. a provincial information system); only its hash is stored."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)  # acts with this user's role/area
    name: Mapped[str] = mapped_column(String(100))
    prefix: Mapped[str] = mapped_column(String(12), index=True)  # shown in lists to tell tokens apart
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # sha256 hex of the secret
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class LoginAttempt(Base):
    """Failed and successful logins, counted per user name and per address to slow password guessing."""

    __tablename__ = "login_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), index=True)
    success: Mapped[bool] = mapped_column(default=False)
    attempt_no: Mapped[int] = mapped_column(Integer, default=1)


class ApiRateCounter(Base):
    """Requests in the current window per API token or client address (web.api.rate_limit): one row per key,
    counted by a single atomic upsert so parallel requests cannot all slip under the limit."""

    __tablename__ = "api_rate_counters"
    key: Mapped[str] = mapped_column(String(80), primary_key=True)  # "token:<id>" or "addr:<address>"
    window_no: Mapped[int] = mapped_column(BigInteger, index=True)  # epoch seconds // window length
    count: Mapped[int] = mapped_column(Integer, default=0)

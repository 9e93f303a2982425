"""Staff alerts (what went wrong, for whom, read or not, e-mailed or not) and disaster warnings (QĐ 18/2021).

Alerts are written by the scheduler's evaluator (station/alerts/evaluate.py), one row per incident: `key`
names the incident's subject ("node_offline:loa-1", "bulletin:42"), and while a row with that key is open
(resolved_at NULL) no second one is made, which is what keeps a flapping loudspeaker to one alert.
Warnings are a commune's active hazard message, re-aired as emergency bulletins until replaced or cancelled.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from radio.db.base import Base
from radio.db.types import UTCDateTime, utcnow


class Alert(Base):
    """One incident a member of staff should know about; the text is rendered from kind + params in the
    reader's language (web/alerts.py), so rows hold no prose."""

    __tablename__ = "alerts"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)  # station.alerts.kinds.AlertKind
    key: Mapped[str] = mapped_column(String(128), index=True)
    # The area it concerns (a node's village, a bulletin's commune): scoped like everything else.
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    emailed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)


class AlertRead(Base):
    __tablename__ = "alert_reads"
    alert_id: Mapped[int] = mapped_column(ForeignKey("alerts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    read_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AlertPreference(Base):
    """A user's choice of alert kinds (None: all), e-mail on/off and address, weekly summary (monitors)."""

    __tablename__ = "alert_preferences"
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    kinds: Mapped[list[str] | None] = mapped_column(JSON)
    email: Mapped[str] = mapped_column(String(254), default="")
    email_enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    weekly_summary: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WeeklySummarySent(Base):
    """The weekly report was mailed to this user for the week starting `week_start` (never twice)."""

    __tablename__ = "weekly_summaries_sent"
    __table_args__ = (UniqueConstraint("user_id", "week_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    week_start: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class WarningStatus:
    DRAFT = "draft"
    ACTIVE = "active"
    REPLACED = "replaced"
    CANCELLED = "cancelled"


class DisasterWarning(Base):
    """A natural-disaster warning of one commune (hazard, risk level 1-5, villages), aired as an emergency
    every `interval_s` from activation until replaced or cancelled, quiet hours ignored."""

    __tablename__ = "disaster_warnings"
    id: Mapped[int] = mapped_column(primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    hazard: Mapped[str] = mapped_column(String(32))  # station.warnings.hazards.Hazard
    level: Mapped[int] = mapped_column(Integer)  # cấp độ rủi ro 1-5
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=WarningStatus.DRAFT, index=True)
    source: Mapped[str] = mapped_column(String(16), default="form")  # "form" | "cap"
    cap_identifier: Mapped[str | None] = mapped_column(String(200))
    interval_s: Mapped[int] = mapped_column(Integer, default=7200)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    audio_id: Mapped[int | None] = mapped_column(ForeignKey("audio_assets.id"))
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    activated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    activated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    next_air_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    replaced_by_id: Mapped[int | None] = mapped_column(ForeignKey("disaster_warnings.id"))
    targets: Mapped[list[WarningTarget]] = relationship(cascade="all, delete-orphan")


class WarningTarget(Base):
    """A village the warning is for (or the commune itself: every village)."""

    __tablename__ = "warning_targets"
    warning_id: Mapped[int] = mapped_column(ForeignKey("disaster_warnings.id"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)


class WarningAiring(Base):
    """One emergency bulletin made for a warning (its n-th airing)."""

    __tablename__ = "warning_airings"
    id: Mapped[int] = mapped_column(primary_key=True)
    warning_id: Mapped[int] = mapped_column(ForeignKey("disaster_warnings.id"), index=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletins.id"), unique=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


Index("ix_alerts_key_open", Alert.key, Alert.resolved_at)

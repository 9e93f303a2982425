"""The province layer: bulletins sent from a province (or district grouping) down to communes, what each commune
did with them, and the durable outbound queue of the HTTT nguồn connector (issue 16)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from radio.db.base import Base
from radio.db.types import UTCDateTime, utcnow


class DeliveryMode(StrEnum):
    MUST_AIR = "must_air"  # bắt buộc phát, inside the window
    FOR_USE = "for_use"  # để sử dụng: the commune decides


class DeliveryStatus(StrEnum):
    NEW = "new"  # in the commune's inbox, not decided yet
    SCHEDULED = "scheduled"  # the commune made its own bulletin of it
    DECLINED = "declined"  # refused, with a reason the province reads
    WITHDRAWN = "withdrawn"  # the province took it back before the commune decided


class ProvinceBulletin(Base):
    """One bulletin a province sends down: written here (article_id set) or received from the HTTT nguồn
    (external_id set). Title, text and metadata are a copy, so later edits of the source change nothing sent."""

    __tablename__ = "province_bulletins"
    __table_args__ = (UniqueConstraint("origin_area_id", "external_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    origin_area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)  # the sending province
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district_groups.id"))  # sent by a district grouping
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    external_id: Mapped[str | None] = mapped_column(String(64))  # BanTinId of an inbound HTTT nguồn bulletin
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")
    field_category: Mapped[str | None] = mapped_column(String(32))
    content_type: Mapped[str] = mapped_column(String(16), default="audio")
    author_name: Mapped[str] = mapped_column(String(200), default="")
    pen_name: Mapped[str] = mapped_column(String(200), default="")
    source: Mapped[str] = mapped_column(String(300), default="")
    produced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    language: Mapped[str] = mapped_column(String(16), default="vi")
    priority: Mapped[str] = mapped_column(String(16), default="normal")
    audio_id: Mapped[int | None] = mapped_column(ForeignKey("audio_assets.id"))
    # A received bulletin's recording (NoiDung link) until it is in the library: a pushed bulletin is filed
    # without waiting for a download, and a failed download is tried again (station/httt/worker.py).
    audio_link: Mapped[str] = mapped_column(String(2000), default="", server_default="")
    audio_tries: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    audio_error: Mapped[str] = mapped_column(String(300), default="", server_default="")
    mode: Mapped[str] = mapped_column(String(16), default=DeliveryMode.FOR_USE)
    window_start: Mapped[datetime | None] = mapped_column(UTCDateTime)  # must-air window, UTC
    window_end: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProvinceDelivery(Base):
    """One province bulletin in one commune's inbox, and the commune's decision."""

    __tablename__ = "province_deliveries"
    __table_args__ = (UniqueConstraint("province_bulletin_id", "commune_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    province_bulletin_id: Mapped[int] = mapped_column(ForeignKey("province_bulletins.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default=DeliveryStatus.NEW, index=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))  # the commune's own copy


class ProvinceAiring(Base):
    """A commune bulletin made from a delivery (a commune may air one province item several times)."""

    __tablename__ = "province_airings"
    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("province_deliveries.id"), index=True)
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletins.id"), unique=True)


class OutboxKind(StrEnum):
    """What the connector pushes upward; each has its endpoint and field mapping (station.httt.mapping)."""

    BULLETIN = "bulletin"  # BanTin
    SCHEDULE = "schedule"  # LichPhat
    CANCEL = "cancel"  # huỷ LichPhat
    STATUS = "status"  # trạng thái cụm loa
    PLAY_LOG = "play_log"  # nhật ký phát


class HtttOutbox(Base):
    """One record waiting to reach a province's HTTT nguồn. Written in the same transaction as what it reports
    (or by the connector's scan), deleted never: `sent_at` marks delivery, `idem_key` (unique) is sent with every
    try, so a retry after a lost answer is recognised by the province rather than counted twice."""

    __tablename__ = "httt_outbox"
    __table_args__ = (Index("ix_httt_outbox_due", "province_code", "sent_at", "next_attempt_at"),
                      Index("ix_httt_outbox_ref", "kind", "ref_id"))
    id: Mapped[int] = mapped_column(primary_key=True)
    province_code: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(16))
    idem_key: Mapped[str] = mapped_column(String(128), unique=True)
    ref_id: Mapped[int | None] = mapped_column(BigInteger)  # the as_run / bulletin / article row it reports
    record: Mapped[dict[str, Any]] = mapped_column(JSON)  # our field names; mapped to the province's at send
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")


class HtttCursor(Base):
    """Where the connector's scans and inbound pulls stopped, per province and stream."""

    __tablename__ = "httt_cursors"
    province_code: Mapped[str] = mapped_column(String(8), primary_key=True)
    stream: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[str] = mapped_column(String(64), default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

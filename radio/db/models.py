"""Domain model. Times are stored in UTC (UTCDateTime); people see Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum, nonmember
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from radio.db.base import Base
from radio.db.types import UTCDateTime, utcnow
from radio.protocol import Priority


class AreaLevel(StrEnum):
    PROVINCE = "province"
    COMMUNE = "commune"
    VILLAGE = "village"


class Area(Base):
    """Province (2-digit code) → commune (5-digit code) → village (commune code + '-' + number)."""

    __tablename__ = "areas"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    parent: Mapped[Area | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Area]] = relationship(back_populates="parent", order_by="Area.code")


class DistrictGroup(Base):
    """A former district (huyện): an optional, dated grouping of communes kept for 2021-2025 plans."""

    __tablename__ = "district_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    province_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class DistrictMember(Base):
    __tablename__ = "district_members"
    district_id: Mapped[int] = mapped_column(ForeignKey("district_groups.id"), primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)


class Node(Base):
    """A loudspeaker cluster (cụm loa) with its agent; id doubles as its MQTT user name."""

    __tablename__ = "nodes"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    village_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), index=True)
    village: Mapped[Area] = relationship()
    online: Mapped[bool] = mapped_column(Boolean, default=False)
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    agent_version: Mapped[str] = mapped_column(String(32), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Last heartbeat (radio.protocol.Heartbeat): what a monitor needs to judge a box from afar.
    heartbeat_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    volume: Mapped[int | None] = mapped_column(Integer)
    clock_offset_ms: Mapped[int | None] = mapped_column(Integer)
    clock_uncertainty_ms: Mapped[int | None] = mapped_column(Integer)  # how far the node's server time may be off
    clock_drift_ppm: Mapped[float | None] = mapped_column(Float)  # its clock's rate error (+: fast), once measured
    clock_source: Mapped[str | None] = mapped_column(String(16))  # server, chrony, external or box
    cache_bytes: Mapped[int | None] = mapped_column(BigInteger)
    cache_limit_bytes: Mapped[int | None] = mapped_column(BigInteger)
    current_command_id: Mapped[str | None] = mapped_column(String(36))
    uptime_s: Mapped[int | None] = mapped_column(Integer)
    outbox: Mapped[int | None] = mapped_column(Integer)
    storage_error: Mapped[str | None] = mapped_column(String(500))  # the node cannot write its disk (heartbeat)
    # The heartbeat's `telemetry` (docs/protocol.md), each bounded by scheduler.health; NULL: the box did not say.
    temperature_c: Mapped[float | None] = mapped_column(Float)
    storage_free_bytes: Mapped[int | None] = mapped_column(BigInteger)  # the cache's file system
    storage_total_bytes: Mapped[int | None] = mapped_column(BigInteger)
    latitude: Mapped[float | None] = mapped_column(Float)  # from the box's config, set at installation
    longitude: Mapped[float | None] = mapped_column(Float)
    signal_dbm: Mapped[int | None] = mapped_column(Integer)
    network: Mapped[str | None] = mapped_column(String(8))  # 2G, 3G, 4G, 5G or Wi-Fi
    amplifier_on: Mapped[bool | None] = mapped_column(Boolean)
    mains_on: Mapped[bool | None] = mapped_column(Boolean)
    mains_lost_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # when mains went away (box's server time)
    # Ed25519 public key (PEM) made at provisioning: the node signs its events with the private half.
    event_public_key: Mapped[str | None] = mapped_column(Text)


class Role(StrEnum):
    ADMIN = "admin"
    MONITOR = "monitor"
    BROADCASTER = "broadcaster"
    LEADER = "leader"


class User(Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(256))
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(16), default=Role.BROADCASTER)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    area: Mapped[Area | None] = relationship()
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Part of every session's user id (web.auth): raising it on logout or a password change makes every
    # cookie issued before worthless, even one copied off the machine.
    session_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class AudioAssetRow(Base):
    """Metadata of a broadcast-ready MP3 in the content-addressed audio library."""

    __tablename__ = "audio_assets"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    duration_ms: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    engine: Mapped[str] = mapped_column(String(32))
    voice: Mapped[str | None] = mapped_column(String(64))
    lufs: Mapped[float | None] = mapped_column(Float)
    true_peak_dbtp: Mapped[float | None] = mapped_column(Float)
    fallback_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ArticleStatus(StrEnum):
    """draft → submitted → approved | rejected (→ draft again on edit) → scheduled → aired."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    SCHEDULED = "scheduled"
    AIRED = "aired"
    # Content a commune leader has approved: only this may be put on air (emergencies excepted).
    AIRABLE = nonmember((APPROVED, SCHEDULED, AIRED))


class FieldCategory(StrEnum):
    """Lĩnh vực of a bulletin: the six fields the province's HTTT nguồn counts (CV 2455/2023, reconstructed)."""

    GENERAL = "general"  # thông tin chung
    URGENT = "urgent"  # đột xuất
    PARTY_POLICY_LAW = "party_policy_law"  # đường lối của Đảng, chính sách pháp luật của Nhà nước
    LOCAL_DIRECTION = "local_direction"  # chỉ đạo điều hành của địa phương
    SCIENCE_SOCIETY = "science_society"  # khoa học công nghệ, kinh tế, văn hóa, xã hội
    GOOD_DEEDS = "good_deeds"  # gương người tốt việc tốt


class ContentType(StrEnum):
    """The form the content takes (HTTT nguồn content types 1-6)."""

    TEXT = "text"
    IMAGE = "image"
    AUDIO = "audio"
    VIDEO = "video"
    LIVE = "live"
    FM = "fm"


class Article(Base):
    __tablename__ = "articles"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(16), default="vi")
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    audio_id: Mapped[int | None] = mapped_column(ForeignKey("audio_assets.id"))
    audio: Mapped[AudioAssetRow | None] = relationship()
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    status: Mapped[str] = mapped_column(String(16), default=ArticleStatus.DRAFT, index=True)
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reviewed_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str] = mapped_column(Text, default="")
    # Bulletin metadata the province counts and the HTTT nguồn carries (issue 16); NULL category = not classified.
    field_category: Mapped[str | None] = mapped_column(String(32), index=True)
    content_type: Mapped[str] = mapped_column(String(16), default=ContentType.TEXT, server_default="text")
    author_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    pen_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    produced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    source: Mapped[str] = mapped_column(String(300), default="", server_default="")


class BulletinStatus(StrEnum):
    SCHEDULED = "scheduled"
    DISPATCHED = "dispatched"
    DONE = "done"
    CANCELLED = "cancelled"
    MISSED = "missed"


class LexiconEntry(Base):
    """A reading added by users on top of the shipped lexicon: an acronym (a local cooperative's name) or a
    loanword / brand name (column `acronym` holds the written form either way)."""

    __tablename__ = "lexicon_entries"
    # One reading per acronym per commune; national entries (commune_id NULL) are one list only admins edit
    # (a partial unique index enforces one national entry per acronym, see migration 0005c).
    __table_args__ = (
        UniqueConstraint("commune_id", "acronym"),
        Index("uq_lexicon_entries_national_acronym", "acronym", unique=True,
              sqlite_where=text("commune_id IS NULL"), postgresql_where=text("commune_id IS NULL")),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    acronym: Mapped[str] = mapped_column(String(32), index=True)
    # The commune whose articles read the acronym this way; NULL = national, read in every commune.
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    expansion: Mapped[str] = mapped_column(String(300))
    # "acronym" (HTX, read as its expansion or spelled) or "loanword" (Zalo, livestream: a foreign word or
    # brand name with its Vietnamese reading); audio_library.text.lexicon.split_user_entries splits them.
    kind: Mapped[str] = mapped_column(String(16), default="acronym", server_default="acronym")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class CommuneVoice(Base):
    """A commune's speech defaults: the regional voice (bac | trung | nam) its editor offers first, and the
    speaking rate (words a minute; NULL: the engine's default) its articles are synthesized at."""

    __tablename__ = "commune_voices"
    commune_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    region: Mapped[str] = mapped_column(String(8), default="bac")
    rate_wpm: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Bulletin(Base):
    """One airing of one audio asset on the nodes of the target areas at an absolute start time."""

    __tablename__ = "bulletins"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id"))
    audio_id: Mapped[int] = mapped_column(ForeignKey("audio_assets.id"))
    audio: Mapped[AudioAssetRow] = relationship()
    priority: Mapped[str] = mapped_column(String(16), default=Priority.NORMAL)
    language: Mapped[str] = mapped_column(String(16), default="vi")
    start_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    status: Mapped[str] = mapped_column(String(16), default=BulletinStatus.SCHEDULED, index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    dispatched_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # "item" (an article or upload), or a programme's "sign_on" / "sign_off" jingle.
    kind: Mapped[str] = mapped_column(String(16), default="item")
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), index=True)
    # The programme occurrence (slot start, UTC) this item airs in; start_at is then computed by the planner.
    occurrence_start: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    status_detail: Mapped[str] = mapped_column(Text, default="")
    # An emergency put on air by a leader or admin without prior approval (TT39 allows it; it is recorded).
    approval_skipped: Mapped[bool] = mapped_column(Boolean, default=False)
    targets: Mapped[list[BulletinTarget]] = relationship(cascade="all, delete-orphan")
    node_targets: Mapped[list[BulletinNodeTarget]] = relationship(cascade="all, delete-orphan")


class BulletinTarget(Base):
    __tablename__ = "bulletin_targets"
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletins.id"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    area: Mapped[Area] = relationship()


class BulletinNodeTarget(Base):
    """A bulletin aimed at chosen loudspeakers rather than (or besides) whole areas."""

    __tablename__ = "bulletin_node_targets"
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletins.id"), primary_key=True)
    node_id: Mapped[str] = mapped_column(ForeignKey("nodes.id"), primary_key=True)


class AreaPolicyRow(Base):
    """Airtime rules of an area; unset fields inherit from the parent area (station.policy.rules.merge_policies)."""

    __tablename__ = "area_policies"
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    max_session_minutes: Mapped[int | None] = mapped_column(Integer)
    max_sessions_per_day: Mapped[int | None] = mapped_column(Integer)
    interrupted: Mapped[str | None] = mapped_column(String(16))
    late_start_window_s: Mapped[int | None] = mapped_column(Integer)
    session_gap_minutes: Mapped[int | None] = mapped_column(Integer)


class Programme(Base):
    """A recurring programme (chương trình): slots in local time, items played back to back in each."""

    __tablename__ = "programmes"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    commune_id: Mapped[int] = mapped_column(ForeignKey("areas.id"))
    sign_on_audio_id: Mapped[int | None] = mapped_column(ForeignKey("audio_assets.id"))
    sign_off_audio_id: Mapped[int | None] = mapped_column(ForeignKey("audio_assets.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    slots: Mapped[list[ProgrammeSlot]] = relationship(cascade="all, delete-orphan")
    targets: Mapped[list[ProgrammeTarget]] = relationship(cascade="all, delete-orphan")


class ProgrammeSlot(Base):
    __tablename__ = "programme_slots"
    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    local_time: Mapped[time] = mapped_column(Time)  # Asia/Ho_Chi_Minh
    days: Mapped[str] = mapped_column(String(32), default="mon-sun")  # APScheduler day_of_week names
    valid_from: Mapped[date | None] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)


class ProgrammeTarget(Base):
    __tablename__ = "programme_targets"
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), primary_key=True)
    area_id: Mapped[int] = mapped_column(ForeignKey("areas.id"), primary_key=True)


class CommandRow(Base):
    """A signed command as published, kept so a restarted scheduler re-sends the same id, never a new one."""

    __tablename__ = "commands"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    bulletin_id: Mapped[int | None] = mapped_column(ForeignKey("bulletins.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    topics: Mapped[list[str]] = mapped_column(JSON)
    payload: Mapped[str] = mapped_column(Text)
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime)
    start_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class Outcome(StrEnum):
    PENDING = "pending"
    STARTED = "started"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"
    FAILED = "failed"
    MISSED = "missed"
    REJECTED = "rejected"
    CANCELLED = "cancelled"  # cancelled before this node started it
    FINAL = nonmember((COMPLETED, INTERRUPTED, FAILED, MISSED, REJECTED, CANCELLED))


class ControlRequest(Base):
    """A stop or volume change asked for in the web; the scheduler (which alone holds the signing key) signs
    and publishes it within one poll, and records when."""

    __tablename__ = "control_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # "volume" | "stop"
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"))
    node_id: Mapped[str | None] = mapped_column(ForeignKey("nodes.id"))
    volume: Mapped[int | None] = mapped_column(Integer)
    requested_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    command_id: Mapped[str | None] = mapped_column(String(36))


class AsRun(Base):
    """What one node did with one play command: created 'pending' at dispatch, advanced by node events."""

    __tablename__ = "as_run"
    __table_args__ = (UniqueConstraint("command_id", "node_id", "attempt"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    command_id: Mapped[str] = mapped_column(ForeignKey("commands.id"))
    attempt: Mapped[int] = mapped_column(Integer, default=1)  # a replay after an emergency is attempt 2
    bulletin_id: Mapped[int] = mapped_column(ForeignKey("bulletins.id"), index=True)
    node_id: Mapped[str] = mapped_column(ForeignKey("nodes.id"), index=True)
    scheduled_start: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    requested_ms: Mapped[int] = mapped_column(Integer)
    started_at_ms: Mapped[int | None] = mapped_column(BigInteger)
    ended_at_ms: Mapped[int | None] = mapped_column(BigInteger)
    played_ms: Mapped[int] = mapped_column(Integer, default=0)  # at most requested_ms (clamped)
    # Set only when the node reported more than the item's length (e.g. restarted mid-play): what it said, so a
    # report never shows more than 100 % played yet the anomaly stays visible.
    played_reported_ms: Mapped[int | None] = mapped_column(BigInteger)
    outcome: Mapped[str] = mapped_column(String(16), default=Outcome.PENDING)
    detail: Mapped[str] = mapped_column(Text, default="")
    # From the `started` event: the correction the node applied to its clock (None: started_at_ms is its raw
    # clock) and its bound on the error left. scheduler/lateness.py uses them to put the start in server time.
    clock_offset_ms: Mapped[int | None] = mapped_column(Integer)
    clock_uncertainty_ms: Mapped[int | None] = mapped_column(Integer)


class NodeEventRow(Base):
    """Every node event exactly once (event_id is unique), the raw record behind as_run."""

    __tablename__ = "node_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(128), unique=True)
    node_id: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    command_id: Mapped[str | None] = mapped_column(String(36))
    at_ms: Mapped[int] = mapped_column(BigInteger)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    detail: Mapped[str] = mapped_column(Text, default="")


class ServiceHealth(Base):
    """A server process's own health, written by it every few seconds, read by the web's /healthz."""

    __tablename__ = "service_health"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)  # "scheduler"
    holder: Mapped[str] = mapped_column(String(128))  # host:pid of the writer
    ok: Mapped[bool] = mapped_column(Boolean)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    detail: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SchedulerLease(Base):
    """Leader election: the holder renews expires_at; another scheduler takes over once it has passed."""

    __tablename__ = "scheduler_lease"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    holder: Mapped[str] = mapped_column(String(128))
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


Index("ix_as_run_outcome_start", AsRun.outcome, AsRun.scheduled_start)

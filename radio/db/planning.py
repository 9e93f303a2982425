"""Tables of plans (kế hoạch) with targets, content topics, and the airtime rollups kept by database triggers.

The rollups are derived data: migration 0002 (0009 for the month rows) installs triggers on `as_run` that refresh them
in the same transaction as every as-run change, whoever makes it (dispatch, engine, ingest, a manual fix).
`station.accounting.rollups.rebuild` recomputes them from scratch; the SQL is station.accounting.sql. The rules are
in docs/accounting.md.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from radio.db.base import Base
from radio.db.models import AsRun
from radio.db.types import UTCDateTime, utcnow


class Metric(StrEnum):
    AIRTIME_MINUTES = "airtime_minutes"  # minutes aired, each station counted once per bulletin
    BULLETINS = "bulletins"  # bulletins played successfully
    ARTICLES = "articles"  # distinct articles played successfully
    COVERAGE = "coverage"  # percent of targeted loudspeakers that completed


class PeriodKind(StrEnum):
    PLAN = "plan"
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"


class Topic(Base):
    """A content topic (e.g. "Giảm nghèo về thông tin") that articles are tagged with."""

    __tablename__ = "topics"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))


class ArticleTopic(Base):
    __tablename__ = "article_topics"
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    topic_id: Mapped[int] = mapped_column(ForeignKey("topics.id"), primary_key=True, index=True)


class Plan(Base):
    """A plan document: its number ("288/KH-UBND"), issuer and area, programme hierarchy and period."""

    __tablename__ = "plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), default="")
    title: Mapped[str] = mapped_column(String(500))
    issuer: Mapped[str] = mapped_column(String(200), default="")
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    programme: Mapped[str] = mapped_column(String(300), default="")
    project: Mapped[str] = mapped_column(String(300), default="")
    sub_project: Mapped[str] = mapped_column(String(300), default="")
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)  # inclusive, local dates
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    targets: Mapped[list[PlanTarget]] = relationship(cascade="all, delete-orphan", order_by="PlanTarget.id",
                                                     back_populates="plan")


class PlanTarget(Base):
    """One target: a metric value for an area (or dated district grouping), optionally one topic, over a period.

    period_kind "plan" uses the plan's own dates; otherwise period_start names the month / quarter / half / year
    (its first day). A recurring target applies to every such period inside the plan (e.g. 4 articles a month).
    """

    __tablename__ = "plan_targets"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id"), index=True)
    plan: Mapped[Plan] = relationship(back_populates="targets")
    metric: Mapped[str] = mapped_column(String(32))
    value: Mapped[float] = mapped_column(Float)
    area_id: Mapped[int | None] = mapped_column(ForeignKey("areas.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district_groups.id"))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id"))
    period_kind: Mapped[str] = mapped_column(String(16), default=PeriodKind.PLAN)
    period_start: Mapped[date | None] = mapped_column(Date)
    recurring: Mapped[bool] = mapped_column(Boolean, default=False)
    # The value applies to each commune of the area (e.g. "mỗi xã 20 bài"), not to the area as a whole.
    each_commune: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")


class RollupDefer(Base):
    """While a transaction holds a row here, the SQLite row triggers skip the rollups: a bulk writer (the
    ingest) refreshes each touched (bulletin, commune) once with station.accounting.rollups.refresh, in the
    same transaction, then deletes the row. Other transactions never see it uncommitted."""

    __tablename__ = "acct_defer"
    holder: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class NodeStatusChange(Base):
    """Online/offline transitions of a node (written by the ingest), for uptime over a period."""

    __tablename__ = "node_status_changes"
    id: Mapped[int] = mapped_column(primary_key=True)
    node_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    online: Mapped[bool] = mapped_column(Boolean)


Index("ix_node_status_changes_node_at", NodeStatusChange.node_id, NodeStatusChange.at)


class CommuneBulletinRollup(Base):
    """One bulletin in one commune (station): the as-run rows of the commune's nodes, folded by the rules."""

    __tablename__ = "acct_commune_bulletin"
    bulletin_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int | None] = mapped_column(Integer)
    day: Mapped[date] = mapped_column(Date)  # local (Asia/Ho_Chi_Minh) date of the scheduled start
    month: Mapped[date] = mapped_column(Date)
    article_id: Mapped[int | None] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))
    priority: Mapped[str] = mapped_column(String(16))
    node_rows: Mapped[int] = mapped_column(Integer)
    nodes_targeted: Mapped[int] = mapped_column(Integer)
    nodes_completed: Mapped[int] = mapped_column(Integer)
    requested_ms: Mapped[int] = mapped_column(BigInteger)
    played_ms: Mapped[int] = mapped_column(BigInteger)
    airtime_requested_ms: Mapped[int] = mapped_column(BigInteger)
    airtime_played_ms: Mapped[int] = mapped_column(BigInteger)
    completed: Mapped[int] = mapped_column(Integer)
    interrupted: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    missed: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[int] = mapped_column(Integer)
    open: Mapped[int] = mapped_column(Integer)
    late: Mapped[int] = mapped_column(Integer)


Index("ix_acct_commune_bulletin_commune_day", CommuneBulletinRollup.commune_id, CommuneBulletinRollup.day)
Index("ix_acct_commune_bulletin_province_day", CommuneBulletinRollup.province_id, CommuneBulletinRollup.day)
Index("ix_acct_commune_bulletin_article", CommuneBulletinRollup.article_id)  # re-tagging an article's topics
# Bulletins no loudspeaker completed are rare: a partial index lists them without reading the rest.
Index("ix_acct_commune_bulletin_unplayed", CommuneBulletinRollup.province_id, CommuneBulletinRollup.day,
      sqlite_where=CommuneBulletinRollup.nodes_completed == 0,
      postgresql_where=CommuneBulletinRollup.nodes_completed == 0)


class RollupSums:
    """The figures of a day or month rollup row: plain sums, so a month row is the sum of its day rows
    (station/accounting/sql.py, DAY_SUMS)."""

    bulletins_sent: Mapped[int] = mapped_column(Integer)
    bulletins_played: Mapped[int] = mapped_column(Integer)
    urgent_sent: Mapped[int] = mapped_column(Integer)
    urgent_played: Mapped[int] = mapped_column(Integer)
    bulletins_missed: Mapped[int] = mapped_column(Integer)
    node_rows: Mapped[int] = mapped_column(Integer)
    nodes_targeted: Mapped[int] = mapped_column(Integer)
    nodes_completed: Mapped[int] = mapped_column(Integer)
    requested_ms: Mapped[int] = mapped_column(BigInteger)
    played_ms: Mapped[int] = mapped_column(BigInteger)
    airtime_requested_ms: Mapped[int] = mapped_column(BigInteger)
    airtime_played_ms: Mapped[int] = mapped_column(BigInteger)
    completed: Mapped[int] = mapped_column(Integer)
    interrupted: Mapped[int] = mapped_column(Integer)
    failed: Mapped[int] = mapped_column(Integer)
    missed: Mapped[int] = mapped_column(Integer)
    rejected: Mapped[int] = mapped_column(Integer)
    cancelled: Mapped[int] = mapped_column(Integer)
    open: Mapped[int] = mapped_column(Integer)
    late: Mapped[int] = mapped_column(Integer)


class CommuneDayRollup(RollupSums, Base):
    """Per commune, local day and topic (0 = all topics): the sums the dashboards and reports read."""

    __tablename__ = "acct_commune_day"
    commune_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    topic_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int | None] = mapped_column(Integer)


Index("ix_acct_commune_day_province", CommuneDayRollup.province_id, CommuneDayRollup.topic_id,
      CommuneDayRollup.day)


class CommuneMonthRollup(RollupSums, Base):
    """Per commune, local month (its first day) and topic: the sums of that month's acct_commune_day rows, so a
    year or a quarter reads 12 or 3 rows per commune instead of 365 or 92 (migration 0009)."""

    __tablename__ = "acct_commune_month"
    commune_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    topic_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int | None] = mapped_column(Integer)


Index("ix_acct_commune_month_province", CommuneMonthRollup.province_id, CommuneMonthRollup.topic_id,
      CommuneMonthRollup.month)


class CommuneArticleMonthRollup(Base):
    """Which days of a month an article played successfully in a commune: bit d-1 of days_mask is day d.

    Distinct articles over any local-date range are then exact without scanning per-bulletin rows.
    """

    __tablename__ = "acct_commune_article_month"
    commune_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    province_id: Mapped[int | None] = mapped_column(Integer)
    days_mask: Mapped[int] = mapped_column(BigInteger)


Index("ix_acct_commune_article_month_province", CommuneArticleMonthRollup.province_id,
      CommuneArticleMonthRollup.month)

# The rollup triggers look up one bulletin's rows for the nodes of one commune.
Index("ix_as_run_bulletin_node", AsRun.bulletin_id, AsRun.node_id)

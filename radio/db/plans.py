"""Plans (kế hoạch) with targets, content topics, and the airtime rollups kept by database triggers.

The rollups are derived data: migration 0002 installs triggers on `as_run` that refresh them in the same
transaction as every as-run change, whoever makes it (dispatch, engine, ingest, a manual fix).
`station.accounting.rollups.rebuild` recomputes them from scratch. The rules are in docs/accounting.md.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from radio.db.models import AsRun, Base
from radio.db.types import UTCDateTime, utcnow


class Metric:
    AIRTIME_MINUTES = "airtime_minutes"  # minutes aired, each station counted once per bulletin
    BULLETINS = "bulletins"  # bulletins played successfully
    ARTICLES = "articles"  # distinct articles played successfully
    COVERAGE = "coverage"  # percent of targeted loudspeakers that completed
    ALL = (AIRTIME_MINUTES, BULLETINS, ARTICLES, COVERAGE)


class PeriodKind:
    PLAN = "plan"
    YEAR = "year"
    HALF = "half"
    QUARTER = "quarter"
    MONTH = "month"
    ALL = (PLAN, YEAR, HALF, QUARTER, MONTH)


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


class CommuneDayRollup(Base):
    """Per commune, local day and topic (0 = all topics): the sums the dashboards and reports read."""

    __tablename__ = "acct_commune_day"
    commune_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    topic_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int | None] = mapped_column(Integer)
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


Index("ix_acct_commune_day_province", CommuneDayRollup.province_id, CommuneDayRollup.topic_id,
      CommuneDayRollup.day)


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


# --- Rollup SQL (SQLite and PostgreSQL) --------------------------------------------------------------------
# Vietnam has kept UTC+7 without daylight saving since 1975: the local day of a UTC timestamp is a fixed shift.
LOCAL_OFFSET_HOURS = 7
LATE_START_MS = 2000  # an attempt-1 start more than this after the schedule counts as a late start
COUNT_COLUMNS = ("completed", "interrupted", "failed", "missed", "rejected", "cancelled", "open", "late")
L2_COLUMNS = ("bulletin_id", "commune_id", "province_id", "day", "month", "article_id", "kind", "priority",
              "node_rows", "nodes_targeted", "nodes_completed", "requested_ms", "played_ms",
              "airtime_requested_ms", "airtime_played_ms", *COUNT_COLUMNS)
L3_SUMS = ("node_rows", "nodes_targeted", "nodes_completed", "requested_ms", "played_ms",
           "airtime_requested_ms", "airtime_played_ms", *COUNT_COLUMNS)
L3_COLUMNS = ("commune_id", "day", "topic_id", "province_id", "bulletins_sent", "bulletins_played",
              "urgent_sent", "urgent_played", "bulletins_missed", *L3_SUMS)
L4_COLUMNS = ("commune_id", "article_id", "month", "province_id", "days_mask")


class RollupSQL:
    """The rules of docs/accounting.md as SQL: one builder, used by the triggers and by the full rebuild."""

    def __init__(self, dialect: str) -> None:
        self.pg = dialect == "postgresql"

    def local_day(self, col: str) -> str:
        if self.pg:
            return f"CAST({col} + INTERVAL '{LOCAL_OFFSET_HOURS} hours' AS DATE)"
        return f"date({col}, '+{LOCAL_OFFSET_HOURS} hours')"

    def local_month(self, col: str) -> str:
        if self.pg:
            return f"CAST(date_trunc('month', {col} + INTERVAL '{LOCAL_OFFSET_HOURS} hours') AS DATE)"
        return f"date({col}, '+{LOCAL_OFFSET_HOURS} hours', 'start of month')"

    def epoch_ms(self, col: str) -> str:
        if self.pg:
            return f"CAST(EXTRACT(EPOCH FROM {col}) * 1000 AS BIGINT)"
        return f"CAST(ROUND((julianday({col}) - 2440587.5) * 86400000.0) AS INTEGER)"

    def day_of_month(self, col: str) -> str:
        return f"CAST(EXTRACT(DAY FROM {col}) AS INTEGER)" if self.pg else f"CAST(strftime('%d', {col}) AS INTEGER)"

    def least(self, a: str, b: str) -> str:
        return f"LEAST({a}, {b})" if self.pg else f"MIN({a}, {b})"

    def l2_select(self, where: str) -> str:
        """Per (bulletin, commune) from the as-run rows matching `where` (aliases a, n, v, c)."""
        live = "a.outcome <> 'cancelled'"
        counts = {o: f"a.outcome = '{o}'" for o in ("completed", "interrupted", "failed", "missed", "rejected",
                                                   "cancelled")}
        counts["open"] = "a.outcome IN ('pending', 'started')"
        counts["late"] = (f"a.attempt = 1 AND a.started_at_ms IS NOT NULL AND "
                          f"a.started_at_ms - {self.epoch_ms('a.scheduled_start')} > {LATE_START_MS}")
        per_node_counts = ",\n".join(f"  SUM(CASE WHEN {cond} THEN 1 ELSE 0 END) AS {name}"
                                     for name, cond in counts.items())
        outer_counts = ", ".join(f"SUM(x.{name})" for name in COUNT_COLUMNS)
        return f"""SELECT x.bulletin_id, x.commune_id, MAX(x.province_id), MIN(x.day), MIN(x.month),
  MAX(bu.article_id), MAX(bu.kind), MAX(bu.priority),
  SUM(x.node_rows), SUM(x.targeted), SUM(x.done), SUM(x.req), SUM(x.played), MAX(x.req_one), MAX(x.air_played),
  {outer_counts}
FROM (SELECT a.bulletin_id AS bulletin_id, v.parent_id AS commune_id, MAX(c.parent_id) AS province_id,
  MIN({self.local_day('a.scheduled_start')}) AS day, MIN({self.local_month('a.scheduled_start')}) AS month,
  COUNT(*) AS node_rows,
  MAX(CASE WHEN {live} THEN 1 ELSE 0 END) AS targeted,
  MAX(CASE WHEN a.outcome = 'completed' THEN 1 ELSE 0 END) AS done,
  SUM(CASE WHEN {live} THEN a.requested_ms ELSE 0 END) AS req,
  SUM(a.played_ms) AS played,
  MAX(CASE WHEN {live} THEN a.requested_ms ELSE 0 END) AS req_one,
  {self.least('SUM(a.played_ms)', 'MAX(a.requested_ms)')} AS air_played,
{per_node_counts}
FROM as_run a JOIN nodes n ON n.id = a.node_id JOIN areas v ON v.id = n.village_id
  JOIN areas c ON c.id = v.parent_id
WHERE {where}
GROUP BY a.bulletin_id, v.parent_id, a.node_id) x
JOIN bulletins bu ON bu.id = x.bulletin_id
GROUP BY x.bulletin_id, x.commune_id"""

    def l3_select(self, where: str, *, all_topics: bool = True, by_topic: bool = True) -> str:
        """Per (commune, day, topic) from the acct_commune_bulletin rows matching `where` (alias cb); topic 0
        is every bulletin, each other topic the bulletins whose article carries it."""
        item = "cb.kind = 'item' AND cb.nodes_targeted > 0"
        flags = (f"SUM(CASE WHEN {item} THEN 1 ELSE 0 END), "
                 f"SUM(CASE WHEN {item} AND cb.nodes_completed > 0 THEN 1 ELSE 0 END), "
                 f"SUM(CASE WHEN {item} AND cb.priority = 'emergency' THEN 1 ELSE 0 END), "
                 f"SUM(CASE WHEN {item} AND cb.priority = 'emergency' AND cb.nodes_completed > 0 THEN 1 ELSE 0 END), "
                 f"SUM(CASE WHEN {item} AND cb.nodes_completed = 0 AND cb.open = 0 THEN 1 ELSE 0 END)")
        sums = ", ".join(f"SUM(cb.{c})" for c in L3_SUMS)
        parts = []
        if all_topics:
            parts.append(f"SELECT cb.commune_id, cb.day, 0, MAX(cb.province_id), {flags}, {sums} "
                         f"FROM acct_commune_bulletin cb WHERE {where} GROUP BY cb.commune_id, cb.day")
        if by_topic:
            parts.append(f"SELECT cb.commune_id, cb.day, t.topic_id, MAX(cb.province_id), {flags}, {sums} "
                         f"FROM acct_commune_bulletin cb JOIN article_topics t ON t.article_id = cb.article_id "
                         f"WHERE {where} GROUP BY cb.commune_id, cb.day, t.topic_id")
        return " UNION ALL ".join(parts)

    def l4_select(self, where: str) -> str:
        """Days an article played successfully, as a bit mask per (commune, article, month)."""
        bit = f"(1 << ({self.day_of_month('cb.day')} - 1))"
        # For distinct powers of two SUM(DISTINCT) is their bitwise OR, in both databases.
        return (f"SELECT cb.commune_id, cb.article_id, cb.month, MAX(cb.province_id), SUM(DISTINCT {bit}) "
                f"FROM acct_commune_bulletin cb WHERE {where} AND cb.article_id IS NOT NULL "
                f"AND cb.kind = 'item' AND cb.nodes_completed > 0 GROUP BY cb.commune_id, cb.article_id, cb.month")

    @staticmethod
    def insert(table: str, columns: tuple[str, ...], select: str) -> str:
        return f"INSERT INTO {table} ({', '.join(columns)}) {select}"

    def rebuild(self) -> list[str]:
        """Statements that recompute every rollup row from as_run (after a bulk load, or a rule change)."""
        return [
            "DELETE FROM acct_commune_article_month", "DELETE FROM acct_commune_day",
            "DELETE FROM acct_commune_bulletin",
            self.insert("acct_commune_bulletin", L2_COLUMNS, self.l2_select("1 = 1")),
            self.insert("acct_commune_day", L3_COLUMNS, self.l3_select("1 = 1")),
            self.insert("acct_commune_article_month", L4_COLUMNS, self.l4_select("1 = 1")),
        ]

    def create_triggers(self) -> list[str]:
        return self._pg_triggers() if self.pg else self._sqlite_triggers()

    def drop_triggers(self) -> list[str]:
        names = ("acct_as_run_ins", "acct_as_run_upd", "acct_as_run_del")
        if self.pg:
            return [*(f"DROP TRIGGER IF EXISTS {n} ON as_run" for n in names),
                    "DROP TRIGGER IF EXISTS acct_article_topic_chg ON article_topics",
                    "DROP FUNCTION IF EXISTS acct_as_run_changed()", "DROP FUNCTION IF EXISTS acct_topic_changed()",
                    "DROP FUNCTION IF EXISTS acct_refresh(integer[], varchar[])"]
        return [f"DROP TRIGGER IF EXISTS {n}" for n in (*names, "acct_as_run_upd_old", "acct_article_topic_ins",
                                                        "acct_article_topic_del")]

    # --- SQLite: row triggers -----------------------------------------------------------------------------
    def _sqlite_refresh(self, ref: str) -> str:
        commune = (f"(SELECT v3.parent_id FROM nodes n3 JOIN areas v3 ON v3.id = n3.village_id "
                   f"WHERE n3.id = {ref}.node_id)")
        day = self.local_day(f"{ref}.scheduled_start")
        month = self.local_month(f"{ref}.scheduled_start")
        article = f"(SELECT b3.article_id FROM bulletins b3 WHERE b3.id = {ref}.bulletin_id)"
        nodes_of_commune = (f"(SELECT n2.id FROM nodes n2 JOIN areas v2 ON v2.id = n2.village_id "
                            f"WHERE v2.parent_id = {commune})")
        return ";\n".join([
            f"DELETE FROM acct_commune_bulletin WHERE bulletin_id = {ref}.bulletin_id AND commune_id = {commune}",
            self.insert("acct_commune_bulletin", L2_COLUMNS, self.l2_select(
                f"a.bulletin_id = {ref}.bulletin_id AND a.node_id IN {nodes_of_commune}")),
            f"DELETE FROM acct_commune_day WHERE commune_id = {commune} AND day = {day}",
            self.insert("acct_commune_day", L3_COLUMNS, self.l3_select(
                f"cb.commune_id = {commune} AND cb.day = {day}")),
            f"DELETE FROM acct_commune_article_month WHERE commune_id = {commune} AND article_id = {article} "
            f"AND month = {month}",
            self.insert("acct_commune_article_month", L4_COLUMNS, self.l4_select(
                f"cb.commune_id = {commune} AND cb.article_id = {article} AND cb.month = {month}")),
        ]) + ";"

    def _sqlite_topic_refresh(self, ref: str) -> str:
        keys = (f"(SELECT cb2.commune_id, cb2.day FROM acct_commune_bulletin cb2 "
                f"WHERE cb2.article_id = {ref}.article_id)")
        return (f"DELETE FROM acct_commune_day WHERE topic_id = {ref}.topic_id AND (commune_id, day) IN {keys};\n"
                + self.insert("acct_commune_day", L3_COLUMNS, self.l3_select(
                    f"t.topic_id = {ref}.topic_id AND (cb.commune_id, cb.day) IN {keys}", all_topics=False)) + ";")

    def _sqlite_triggers(self) -> list[str]:
        live = "NOT EXISTS (SELECT 1 FROM acct_defer)"
        moved = ("(OLD.bulletin_id <> NEW.bulletin_id OR OLD.node_id <> NEW.node_id "
                 "OR OLD.scheduled_start <> NEW.scheduled_start)")
        return [
            f"CREATE TRIGGER acct_as_run_ins AFTER INSERT ON as_run WHEN {live} BEGIN\n"
            f"{self._sqlite_refresh('NEW')}\nEND",
            f"CREATE TRIGGER acct_as_run_upd AFTER UPDATE ON as_run WHEN {live} BEGIN\n"
            f"{self._sqlite_refresh('NEW')}\nEND",
            f"CREATE TRIGGER acct_as_run_upd_old AFTER UPDATE ON as_run WHEN {live} AND {moved} BEGIN\n"
            f"{self._sqlite_refresh('OLD')}\nEND",
            f"CREATE TRIGGER acct_as_run_del AFTER DELETE ON as_run WHEN {live} BEGIN\n"
            f"{self._sqlite_refresh('OLD')}\nEND",
            f"CREATE TRIGGER acct_article_topic_ins AFTER INSERT ON article_topics BEGIN\n"
            f"{self._sqlite_topic_refresh('NEW')}\nEND",
            f"CREATE TRIGGER acct_article_topic_del AFTER DELETE ON article_topics BEGIN\n"
            f"{self._sqlite_topic_refresh('OLD')}\nEND",
        ]

    # --- keyed refresh (bulk writers; bind parameters) -----------------------------------------------------
    def refresh_l2(self) -> list[str]:
        """Per (:bulletin_id, :commune_id)."""
        nodes = ("(SELECT n2.id FROM nodes n2 JOIN areas v2 ON v2.id = n2.village_id "
                 "WHERE v2.parent_id = :commune_id)")
        return [
            "DELETE FROM acct_commune_bulletin WHERE bulletin_id = :bulletin_id AND commune_id = :commune_id",
            self.insert("acct_commune_bulletin", L2_COLUMNS, self.l2_select(
                f"a.bulletin_id = :bulletin_id AND a.node_id IN {nodes}")),
        ]

    def refresh_l3(self) -> list[str]:
        """Per (:commune_id, :day)."""
        return ["DELETE FROM acct_commune_day WHERE commune_id = :commune_id AND day = :day",
                self.insert("acct_commune_day", L3_COLUMNS, self.l3_select(
                    "cb.commune_id = :commune_id AND cb.day = :day"))]

    def refresh_l4(self) -> list[str]:
        """Per (:commune_id, :article_id, :month)."""
        return ["DELETE FROM acct_commune_article_month WHERE commune_id = :commune_id AND article_id = :article_id "
                "AND month = :month",
                self.insert("acct_commune_article_month", L4_COLUMNS, self.l4_select(
                    "cb.commune_id = :commune_id AND cb.article_id = :article_id AND cb.month = :month"))]

    # --- PostgreSQL: statement triggers with transition tables (one refresh per statement) -----------------
    def _pg_triggers(self) -> list[str]:
        # One key at a time, so every statement is an index lookup whatever the size of as_run (a set-based
        # join with unnest() let the planner choose a scan of the whole table).
        nodes = "(SELECT n2.id FROM nodes n2 JOIN areas v2 ON v2.id = n2.village_id WHERE v2.parent_id = k.c)"
        refresh = f"""CREATE OR REPLACE FUNCTION acct_refresh(p_bulletin integer[], p_node varchar[])
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  k record;
  dc integer[] := '{{}}'; dd date[] := '{{}}'; mc integer[] := '{{}}'; ma integer[] := '{{}}'; mm date[] := '{{}}';
BEGIN
  FOR k IN SELECT DISTINCT u.b AS b, v.parent_id AS c FROM unnest(p_bulletin, p_node) AS u(b, n)
           JOIN nodes n ON n.id = u.n JOIN areas v ON v.id = n.village_id LOOP
    WITH d AS (DELETE FROM acct_commune_bulletin cb WHERE cb.bulletin_id = k.b AND cb.commune_id = k.c
               RETURNING cb.commune_id, cb.day, cb.article_id, cb.month)
    SELECT dc || coalesce(array_agg(d.commune_id), '{{}}'), dd || coalesce(array_agg(d.day), '{{}}'),
           mc || coalesce(array_agg(d.commune_id), '{{}}'), ma || coalesce(array_agg(d.article_id), '{{}}'),
           mm || coalesce(array_agg(d.month), '{{}}')
      INTO dc, dd, mc, ma, mm FROM d;
    WITH i AS ({self.insert("acct_commune_bulletin", L2_COLUMNS, self.l2_select(
            f"a.bulletin_id = k.b AND a.node_id IN {nodes}"))}
               RETURNING commune_id, day, article_id, month)
    SELECT dc || coalesce(array_agg(i.commune_id), '{{}}'), dd || coalesce(array_agg(i.day), '{{}}'),
           mc || coalesce(array_agg(i.commune_id), '{{}}'), ma || coalesce(array_agg(i.article_id), '{{}}'),
           mm || coalesce(array_agg(i.month), '{{}}')
      INTO dc, dd, mc, ma, mm FROM i;
  END LOOP;
  FOR k IN SELECT DISTINCT s.c, s.d FROM unnest(dc, dd) AS s(c, d) LOOP
    DELETE FROM acct_commune_day t WHERE t.commune_id = k.c AND t.day = k.d;
    {self.insert("acct_commune_day", L3_COLUMNS, self.l3_select("cb.commune_id = k.c AND cb.day = k.d"))};
  END LOOP;
  FOR k IN SELECT DISTINCT s.c, s.a, s.m FROM unnest(mc, ma, mm) AS s(c, a, m) WHERE s.a IS NOT NULL LOOP
    DELETE FROM acct_commune_article_month t WHERE t.commune_id = k.c AND t.article_id = k.a AND t.month = k.m;
    {self.insert("acct_commune_article_month", L4_COLUMNS, self.l4_select(
            "cb.commune_id = k.c AND cb.article_id = k.a AND cb.month = k.m"))};
  END LOOP;
END $fn$"""
        changed = """CREATE OR REPLACE FUNCTION acct_as_run_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE b integer[]; n varchar[];
BEGIN
  IF TG_OP = 'INSERT' THEN
    SELECT array_agg(k.bulletin_id), array_agg(k.node_id) INTO b, n
      FROM (SELECT DISTINCT bulletin_id, node_id FROM new_rows) k;
  ELSIF TG_OP = 'DELETE' THEN
    SELECT array_agg(k.bulletin_id), array_agg(k.node_id) INTO b, n
      FROM (SELECT DISTINCT bulletin_id, node_id FROM old_rows) k;
  ELSE
    SELECT array_agg(k.bulletin_id), array_agg(k.node_id) INTO b, n FROM (
      SELECT bulletin_id, node_id FROM new_rows UNION SELECT bulletin_id, node_id FROM old_rows) k;
  END IF;
  PERFORM acct_refresh(b, n);
  RETURN NULL;
END $fn$"""
        topic = f"""CREATE OR REPLACE FUNCTION acct_topic_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE r record;
BEGIN
  IF TG_OP = 'INSERT' THEN r := NEW; ELSE r := OLD; END IF;
  DELETE FROM acct_commune_day WHERE topic_id = r.topic_id AND (commune_id, day) IN (
    SELECT cb2.commune_id, cb2.day FROM acct_commune_bulletin cb2 WHERE cb2.article_id = r.article_id);
  {self.insert("acct_commune_day", L3_COLUMNS, self.l3_select(
            "t.topic_id = r.topic_id AND (cb.commune_id, cb.day) IN (SELECT cb2.commune_id, cb2.day "
            "FROM acct_commune_bulletin cb2 WHERE cb2.article_id = r.article_id)", all_topics=False))};
  RETURN NULL;
END $fn$"""
        return [
            refresh, changed, topic,
            "CREATE TRIGGER acct_as_run_ins AFTER INSERT ON as_run REFERENCING NEW TABLE AS new_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION acct_as_run_changed()",
            "CREATE TRIGGER acct_as_run_upd AFTER UPDATE ON as_run REFERENCING OLD TABLE AS old_rows "
            "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION acct_as_run_changed()",
            "CREATE TRIGGER acct_as_run_del AFTER DELETE ON as_run REFERENCING OLD TABLE AS old_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION acct_as_run_changed()",
            "CREATE TRIGGER acct_article_topic_chg AFTER INSERT OR DELETE ON article_topics "
            "FOR EACH ROW EXECUTE FUNCTION acct_topic_changed()",
        ]

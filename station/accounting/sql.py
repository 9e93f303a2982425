"""The airtime rollups as SQL for SQLite and PostgreSQL: the rules of docs/accounting.md, built once and used by
the triggers (migrations 0002 and 0009), the keyed refresh of bulk writers (station.accounting.rollups) and the full
rebuild.

The tables they fill are in radio.db.planning.
"""

from __future__ import annotations

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
# Every figure of a day row is a plain sum, so a month row is exactly the sum of its day rows (and long periods
# read ~30 times fewer rows).
DAY_SUMS = tuple(c for c in L3_COLUMNS if c not in ("commune_id", "day", "topic_id", "province_id"))
L3M_COLUMNS = ("commune_id", "month", "topic_id", "province_id", *DAY_SUMS)


class RollupSQL:
    """The rules of docs/accounting.md as SQL: one builder, used by the triggers and by the full rebuild."""

    def __init__(self, dialect: str, *, months: bool = True) -> None:
        self.pg = dialect == "postgresql"
        # Migrations before 0009 build the SQL without acct_commune_month, which did not exist yet.
        self.months = months

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

    def next_month(self, first_day: str) -> str:
        """The first day of the following month, from the first day of a month."""
        if self.pg:
            return f"CAST(CAST({first_day} AS DATE) + INTERVAL '1 month' AS DATE)"
        return f"date({first_day}, '+1 month')"

    def month_of(self, col: str) -> str:
        """The first day of the month of a date."""
        if self.pg:
            return f"CAST(date_trunc('month', CAST({col} AS TIMESTAMP)) AS DATE)"
        return f"date({col}, 'start of month')"

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

    def l3m_select(self, where: str) -> str:
        """Per (commune, month, topic): sums of the acct_commune_day rows matching `where` (alias d)."""
        month = self.month_of("d.day")
        sums = ", ".join(f"SUM(d.{c})" for c in DAY_SUMS)
        return (f"SELECT d.commune_id, {month}, d.topic_id, MAX(d.province_id), {sums} FROM acct_commune_day d "
                f"WHERE {where} GROUP BY d.commune_id, {month}, d.topic_id")

    def l3m_keyed(self, keys: str, topic: str | None = None) -> str:
        """Per topic (or only `topic`), the month rows of the (commune, month) pairs of the subquery `keys`
        (columns c, m; m the first day of a month): a range read of each pair's days on the primary key."""
        sums = ", ".join(f"SUM(d.{c})" for c in DAY_SUMS)
        only = f" AND d.topic_id = {topic}" if topic else ""
        return (f"SELECT d.commune_id, mk.m, d.topic_id, MAX(d.province_id), {sums} FROM {keys} mk "
                f"JOIN acct_commune_day d ON d.commune_id = mk.c AND d.day >= mk.m "
                f"AND d.day < {self.next_month('mk.m')}{only} GROUP BY d.commune_id, mk.m, d.topic_id")

    def l3m_refresh(self, commune: str, month: str) -> list[str]:
        """Recompute the month rows of one (commune, month) from its day rows, every topic."""
        if not self.months:
            return []
        if self.pg:
            month = f"CAST({month} AS DATE)"
        key = f"(SELECT {commune} AS c, {month} AS m)"
        return [f"DELETE FROM acct_commune_month WHERE commune_id = {commune} AND month = {month}",
                self.insert("acct_commune_month", L3M_COLUMNS, self.l3m_keyed(key))]

    @staticmethod
    def insert(table: str, columns: tuple[str, ...], select: str) -> str:
        return f"INSERT INTO {table} ({', '.join(columns)}) {select}"

    def rebuild(self) -> list[str]:
        """Statements that recompute every rollup row from as_run (after a bulk load, or a rule change)."""
        months = (["DELETE FROM acct_commune_month",
                   self.insert("acct_commune_month", L3M_COLUMNS, self.l3m_select("1 = 1"))] if self.months else [])
        return [
            "DELETE FROM acct_commune_article_month", "DELETE FROM acct_commune_day",
            "DELETE FROM acct_commune_bulletin",
            self.insert("acct_commune_bulletin", L2_COLUMNS, self.l2_select("1 = 1")),
            self.insert("acct_commune_day", L3_COLUMNS, self.l3_select("1 = 1")),
            self.insert("acct_commune_article_month", L4_COLUMNS, self.l4_select("1 = 1")),
            *months,
        ]

    def fill_months(self) -> list[str]:
        """Statements that recompute acct_commune_month from acct_commune_day alone (migration 0009)."""
        return ["DELETE FROM acct_commune_month",
                self.insert("acct_commune_month", L3M_COLUMNS, self.l3m_select("1 = 1"))]

    def create_triggers(self) -> list[str]:
        return [*self._pg_functions(), *self._pg_triggers()] if self.pg else self._sqlite_triggers()

    def replace_triggers(self) -> list[str]:
        """Install this SQL over triggers already in place (a migration that changes the rollup SQL): PostgreSQL
        replaces the functions the triggers call, SQLite drops and recreates its row triggers."""
        return self._pg_functions() if self.pg else [*self.drop_triggers(), *self._sqlite_triggers()]

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
            *self.l3m_refresh(commune, month),
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
                    f"t.topic_id = {ref}.topic_id AND (cb.commune_id, cb.day) IN {keys}", all_topics=False)) + ";"
                + self._topic_months(ref))

    def _topic_months(self, ref: str) -> str:
        """After the topic's day rows of an article's (commune, day)s: its rows of their months."""
        if not self.months:
            return ""
        keys = (f"(SELECT DISTINCT cb2.commune_id AS c, cb2.month AS m FROM acct_commune_bulletin cb2 "
                f"WHERE cb2.article_id = {ref}.article_id)")
        return (f"\nDELETE FROM acct_commune_month WHERE topic_id = {ref}.topic_id AND (commune_id, month) IN "
                f"(SELECT k.c, k.m FROM {keys} k);\n"
                + self.insert("acct_commune_month", L3M_COLUMNS, self.l3m_keyed(keys, f"{ref}.topic_id")) + ";")

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

    def refresh_l3m(self) -> list[str]:
        """Per (:commune_id, :month): after refresh_l3 of any of the month's days, once per month."""
        return self.l3m_refresh(":commune_id", ":month")

    def refresh_l4(self) -> list[str]:
        """Per (:commune_id, :article_id, :month)."""
        return ["DELETE FROM acct_commune_article_month WHERE commune_id = :commune_id AND article_id = :article_id "
                "AND month = :month",
                self.insert("acct_commune_article_month", L4_COLUMNS, self.l4_select(
                    "cb.commune_id = :commune_id AND cb.article_id = :article_id AND cb.month = :month"))]

    # --- PostgreSQL: statement triggers with transition tables (one refresh per statement) -----------------
    def _pg_functions(self) -> list[str]:
        # Each level in two set-based statements for all the statement's keys: rows found per key through a
        # lateral join (an index probe each, whatever the size of as_run: a plain join with unnest() let the
        # planner choose a scan of the whole table), deleted by ctid (a TID scan). One statement per level
        # instead of two per key costs ~40 % less in the database (28 vs 46 µs per as-run row at 1,000 nodes).
        nodes = "(SELECT n2.id FROM nodes n2 JOIN areas v2 ON v2.id = n2.village_id WHERE v2.parent_id = k.c)"
        acc = ("SELECT dc || coalesce(array_agg(r.commune_id), '{}'), dd || coalesce(array_agg(r.day), '{}'), "
               "ma || coalesce(array_agg(r.article_id), '{}'), mm || coalesce(array_agg(r.month), '{}') "
               "INTO dc, dd, ma, mm FROM r")
        months = ""
        if self.months:  # once per (commune, month) the day rows touched, not once per day
            months = f"""
    SELECT array_agg(s.c), array_agg(s.m) INTO kc, kd
      FROM (SELECT DISTINCT c, {self.month_of('d')} AS m FROM unnest(kc, kd) AS s(c, d)) s;
    {_pg_delete_keyed("acct_commune_month", "unnest(kc, kd) AS k(c, m)", "t2.commune_id = k.c AND t2.month = k.m")};
    {self.insert("acct_commune_month", L3M_COLUMNS,
                 "SELECT l3m.* FROM unnest(kc, kd) AS k(c, m) CROSS JOIN LATERAL ("
                 + self.l3m_keyed("(SELECT k.c, k.m)") + ") l3m")};"""
        topic_months = ""
        if self.months:
            keys = ("(SELECT DISTINCT cb2.commune_id AS c, cb2.month AS m FROM acct_commune_bulletin cb2 "
                    "WHERE cb2.article_id = r.article_id)")
            topic_months = (f"\n  DELETE FROM acct_commune_month WHERE topic_id = r.topic_id "
                            f"AND (commune_id, month) IN (SELECT k.c, k.m FROM {keys} k);\n  "
                            + self.insert("acct_commune_month", L3M_COLUMNS, self.l3m_keyed(keys, "r.topic_id"))
                            + ";")
        l2 = self.l2_select(f"a.bulletin_id = k.b AND a.node_id IN {nodes}")
        l3 = self.l3_select("cb.commune_id = k.c AND cb.day = k.d")
        l4 = self.l4_select("cb.commune_id = k.c AND cb.article_id = k.a AND cb.month = k.m")
        refresh = f"""CREATE OR REPLACE FUNCTION acct_refresh(p_bulletin integer[], p_node varchar[])
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
  kb integer[]; kc integer[]; kd date[];
  dc integer[] := '{{}}'; dd date[] := '{{}}'; ma integer[] := '{{}}'; mm date[] := '{{}}';
BEGIN
  SELECT array_agg(k.b), array_agg(k.c) INTO kb, kc FROM (SELECT DISTINCT u.b AS b, v.parent_id AS c
    FROM unnest(p_bulletin, p_node) AS u(b, n) JOIN nodes n ON n.id = u.n JOIN areas v ON v.id = n.village_id
    WHERE v.parent_id IS NOT NULL) k;
  IF kb IS NULL THEN RETURN; END IF;
  WITH r AS ({_pg_delete_keyed("acct_commune_bulletin", "unnest(kb, kc) AS k(b, c)",
                               "t2.bulletin_id = k.b AND t2.commune_id = k.c")}
    RETURNING t.commune_id, t.day, t.article_id, t.month)
  {acc};
  WITH r AS ({self.insert("acct_commune_bulletin", L2_COLUMNS,
                          f"SELECT l2.* FROM unnest(kb, kc) AS k(b, c) CROSS JOIN LATERAL ({l2}) l2")}
    RETURNING commune_id, day, article_id, month)
  {acc};
  SELECT array_agg(s.c), array_agg(s.d) INTO kc, kd FROM (SELECT DISTINCT c, d FROM unnest(dc, dd) AS s(c, d)) s;
  IF kc IS NOT NULL THEN
    {_pg_delete_keyed("acct_commune_day", "unnest(kc, kd) AS k(c, d)", "t2.commune_id = k.c AND t2.day = k.d")};
    {self.insert("acct_commune_day", L3_COLUMNS,
                 f"SELECT l3.* FROM unnest(kc, kd) AS k(c, d) CROSS JOIN LATERAL ({l3}) l3")};{months}
  END IF;
  SELECT array_agg(s.c), array_agg(s.a), array_agg(s.m) INTO kc, kb, kd
    FROM (SELECT DISTINCT c, a, m FROM unnest(dc, ma, mm) AS s(c, a, m) WHERE s.a IS NOT NULL) s;
  IF kc IS NULL THEN RETURN; END IF;
  {_pg_delete_keyed("acct_commune_article_month", "unnest(kc, kb, kd) AS k(c, a, m)",
                    "t2.commune_id = k.c AND t2.article_id = k.a AND t2.month = k.m")};
  {self.insert("acct_commune_article_month", L4_COLUMNS,
               f"SELECT l4.* FROM unnest(kc, kb, kd) AS k(c, a, m) CROSS JOIN LATERAL ({l4}) l4")};
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
            "FROM acct_commune_bulletin cb2 WHERE cb2.article_id = r.article_id)", all_topics=False))};{topic_months}
  RETURN NULL;
END $fn$"""
        return [refresh, changed, topic]

    @staticmethod
    def _pg_triggers() -> list[str]:
        return [
            "CREATE TRIGGER acct_as_run_ins AFTER INSERT ON as_run REFERENCING NEW TABLE AS new_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION acct_as_run_changed()",
            "CREATE TRIGGER acct_as_run_upd AFTER UPDATE ON as_run REFERENCING OLD TABLE AS old_rows "
            "NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION acct_as_run_changed()",
            "CREATE TRIGGER acct_as_run_del AFTER DELETE ON as_run REFERENCING OLD TABLE AS old_rows "
            "FOR EACH STATEMENT EXECUTE FUNCTION acct_as_run_changed()",
            "CREATE TRIGGER acct_article_topic_chg AFTER INSERT OR DELETE ON article_topics "
            "FOR EACH ROW EXECUTE FUNCTION acct_topic_changed()",
        ]


def _pg_delete_keyed(table: str, keys: str, match: str) -> str:
    """DELETE the rows of `table` matching each key of the set-returning `keys` (alias k; `match` compares t2 to
    k): found per key through a lateral join, deleted by ctid."""
    return (f"DELETE FROM {table} t WHERE t.ctid = ANY(ARRAY(SELECT x.ctid FROM {keys} CROSS JOIN LATERAL "
            f"(SELECT t2.ctid FROM {table} t2 WHERE {match}) x))")

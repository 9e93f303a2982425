"""Province dashboard benchmark: N as-run rows, then the dashboard's query timed from the rollups.

Generates a province (150 communes of 17 loudspeakers in 6 villages, the size of a large province) whose
communes air about 11 bulletins a day through 2025 (topical articles, a share tagged with a topic, realistic
outcomes: completed, interrupted and replayed, missed, failed, cancelled, late), N as-run rows in all, into a
scratch database: a SQLite file by default (executemany in big transactions), or with --db a throw-away
PostgreSQL database (COPY) dropped afterwards. Triggers are dropped during the load, then the rollups are
rebuilt in one pass and the triggers restored, as `radio` would after a bulk import. Then the province
dashboard (station.accounting.dashboard.area_dashboard: communes with figures, targets and pace, node health,
weekly airtime, missed bulletins) for the whole year is timed --repeat times. The JSON summary is the last line.

    .venv/bin/python bench/report_query.py --rows 10000000
    .venv/bin/python bench/report_query.py --rows 10000000 --db postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import scratch_database
from sqlalchemy import text
from sqlalchemy.engine import make_url

from radio.db.migrate import upgrade
from radio.db.models import Area
from radio.db.session import make_engine, make_sessionmaker
from station.accounting import rollups
from station.accounting.dashboard import area_dashboard
from station.accounting.queries import area_scope

COMMUNES = 150
VILLAGE_SIZES = (3, 3, 3, 3, 3, 2)
NODES_PER_COMMUNE = sum(VILLAGE_SIZES)
ARTICLES_PER_COMMUNE = 100
YEAR = 2025
TODAY = date(YEAR, 11, 20)


def _mix(i: int) -> int:
    """A cheap deterministic hash: the same rows on every run and database."""
    i = (i ^ (i >> 16)) * 0x45D9F3B & 0xFFFFFFFF
    return (i ^ (i >> 16)) * 0x45D9F3B & 0xFFFFFFFF


def _ts(dt: datetime) -> str:
    return dt.strftime("%Y-%m-%d %H:%M:%S.%f")


def tables(rows: int) -> dict[str, Any]:
    """Every row to load, as generators per table (ids assigned here so both databases get the same data)."""
    per_commune = max(1, rows // (COMMUNES * NODES_PER_COMMUNE))
    created = _ts(datetime(YEAR, 1, 1, tzinfo=UTC))
    areas: list[tuple] = [(1, "38", "Tỉnh Bench", "province", None)]
    nodes: list[tuple] = []
    node_ids: dict[int, list[str]] = {}
    next_id = 2
    for c in range(COMMUNES):
        cid = next_id
        next_id += 1
        areas.append((cid, f"38{c:03d}", f"Xã {c:03d}", "commune", 1))
        node_ids[cid] = []
        for v, size in enumerate(VILLAGE_SIZES):
            vid = next_id
            next_id += 1
            areas.append((vid, f"38{c:03d}-{v + 1:02d}", f"Thôn {v + 1}", "village", cid))
            for k in range(size):
                nid = f"n38{c:03d}-{v + 1:02d}-{k}"
                nodes.append((nid, nid, vid, True, created, created, "0.1.0", created))
                node_ids[cid].append(nid)
    communes = [a[0] for a in areas if a[3] == "commune"]
    articles = [(c_i * ARTICLES_PER_COMMUNE + a + 1, f"Bài {a}", "…", "vi", cid, created, created)
                for c_i, cid in enumerate(communes) for a in range(ARTICLES_PER_COMMUNE)]
    topics = [(1, "gntt", "Giảm nghèo về thông tin")]
    article_topics = [(a[0], 1) for a in articles if a[0] % 3 == 0]
    year_start = datetime(YEAR, 1, 1, tzinfo=UTC) - timedelta(hours=7)  # local midnight, 1 January

    def bulletins() -> Iterator[tuple]:
        bid = 0
        for c_i, cid in enumerate(communes):
            for k in range(per_commune):
                bid += 1
                day = k * 365 // per_commune
                minute = 5 * 60 + (k * 97 % (15 * 60))  # 05:00 to 20:00 local
                start = year_start + timedelta(days=day, minutes=minute)
                article = c_i * ARTICLES_PER_COMMUNE + min(ARTICLES_PER_COMMUNE - 1, day * ARTICLES_PER_COMMUNE // 365)
                priority = "emergency" if _mix(bid) % 50 == 0 else "normal"
                yield bid, cid, start, article + 1, priority

    def as_run() -> Iterator[tuple]:
        rid = 0
        for bid, cid, start, _article, _priority in bulletins():
            start_ms = int(start.timestamp() * 1000)
            requested = 60_000 + (bid % 5) * 30_000
            sched = _ts(start)
            for n_i, nid in enumerate(node_ids[cid]):
                rid += 1
                h = _mix(rid) % 1000
                late = 5_000 if h % 97 == 0 else h % 40
                if h < 920:
                    row = ("completed", start_ms + late, start_ms + late + requested, requested, "")
                elif h < 950:
                    row = ("interrupted", start_ms + late, start_ms + late + requested // 3, requested // 3,
                           json.dumps({"played_ms": requested // 3, "reason": "emergency"}))
                elif h < 970:
                    row = ("missed", None, None, 0, "no report from the node")
                elif h < 985:
                    row = ("failed", None, None, 0, "media not ready")
                else:
                    row = ("cancelled", None, None, 0, "Bản tin đã bị huỷ.")
                yield (rid, f"c{bid}", 1, bid, nid, sched, requested, row[1], row[2], row[3], row[0], row[4])
                if row[0] == "interrupted" and n_i % 2 == 0:  # a replay after the emergency, complete
                    rid += 1
                    yield (rid, f"c{bid}", 2, bid, nid, sched, requested, start_ms + 600_000,
                           start_ms + 600_000 + requested, requested, "completed", "")

    return {"areas": areas, "nodes": nodes, "articles": articles, "topics": topics, "article_topics": article_topics,
            "bulletins": bulletins, "as_run": as_run, "per_commune": per_commune, "created": created}


COLUMNS = {
    "areas": "id, code, name, level, parent_id",
    "nodes": "id, name, village_id, online, status_at, last_seen_at, agent_version, created_at",
    "audio_assets": "id, sha256, duration_ms, size_bytes, engine, created_at",
    "articles": "id, title, body, language, commune_id, created_at, updated_at",
    "topics": "id, code, name",
    "article_topics": "article_id, topic_id",
    "bulletins": "id, title, article_id, audio_id, priority, language, start_at, status, created_at, updated_at, "
                 "kind, position, status_detail",
    "bulletin_targets": "bulletin_id, area_id",
    "commands": "id, bulletin_id, kind, topics, payload, issued_at, start_at, expires_at, published_at",
    "as_run": "id, command_id, attempt, bulletin_id, node_id, scheduled_start, requested_ms, started_at_ms, "
              "ended_at_ms, played_ms, outcome, detail",
}


def rows_of(data: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    created = data["created"]
    yield "areas", data["areas"]
    yield "nodes", data["nodes"]
    yield "audio_assets", [(1, "0" * 64, 60_000, 1, "espeak-ng", created)]
    yield "articles", data["articles"]
    yield "topics", data["topics"]
    yield "article_topics", data["article_topics"]
    yield "bulletins", ((b, f"Bản tin {b}", a, 1, p, "vi", _ts(s), "done", created, created, "item", 0, "")
                        for b, _c, s, a, p in data["bulletins"]())
    yield "bulletin_targets", ((b, c) for b, c, _s, _a, _p in data["bulletins"]())
    yield "commands", ((f"c{b}", b, "play", "[]", "{}", _ts(s), _ts(s), _ts(s + timedelta(hours=1)), _ts(s))
                       for b, _c, s, _a, _p in data["bulletins"]())
    yield "as_run", data["as_run"]()


def load_sqlite(url: str, data: dict[str, Any]) -> None:
    import sqlite3

    conn = sqlite3.connect(make_url(url).database)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-1000000")
    for table, rows in rows_of(data):
        cols = COLUMNS[table]
        marks = ",".join("?" * len(cols.split(",")))
        conn.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)
        conn.commit()
    conn.close()


def load_postgres(url: str, data: dict[str, Any]) -> None:
    import psycopg

    u = make_url(url)
    with psycopg.connect(host=u.host, port=u.port or 5432, user=u.username, password=u.password,
                         dbname=u.database) as conn:
        for table, rows in rows_of(data):
            with conn.cursor() as cur, cur.copy(f"COPY {table} ({COLUMNS[table]}) FROM STDIN") as copy:
                buf = io.StringIO()
                for i, row in enumerate(rows):
                    buf.write("\t".join(r"\N" if v is None else str(v).replace("\t", " ") for v in row))
                    buf.write("\n")
                    if i % 50_000 == 49_999:
                        copy.write(buf.getvalue())
                        buf = io.StringIO()
                copy.write(buf.getvalue())
        for table in ("areas", "articles", "topics", "bulletins", "audio_assets", "as_run"):
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        conn.commit()


def add_plan(conn: Any) -> None:
    """A province plan for the year with targets for each commune (as plans in the field phrase them)."""
    conn.execute(text(
        "INSERT INTO plans (id, number, title, issuer, area_id, programme, project, sub_project, period_start, "
        "period_end, created_at) VALUES (1, '288/KH-UBND', 'Kế hoạch thông tin giảm nghèo 2025', 'UBND tỉnh', 1, "
        "'MTQG giảm nghèo bền vững', 'Dự án 6', 'Tiểu dự án 1', :s, :e, :c)"),
        {"s": date(YEAR, 1, 1), "e": date(YEAR, 12, 31), "c": datetime(YEAR, 1, 1)})
    targets = [("airtime_minutes", 600, "quarter", True, None), ("articles", 60, "plan", False, None),
               ("bulletins", 300, "month", True, None), ("coverage", 90, "plan", False, None),
               ("articles", 20, "quarter", True, 1)]
    for i, (metric, value, kind, recurring, topic) in enumerate(targets, start=1):
        conn.execute(text(
            "INSERT INTO plan_targets (id, plan_id, metric, value, area_id, topic_id, period_kind, recurring, "
            "each_commune, note) VALUES (:i, 1, :m, :v, 1, :t, :k, :r, :e, '')"),
            {"i": i, "m": metric, "v": value, "t": topic, "k": kind, "r": recurring, "e": True})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000, help="as-run rows to generate")
    parser.add_argument("--db", help="PostgreSQL URL of a server/admin database (default: a SQLite file)")
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()
    if not 1_000 <= args.rows <= 50_000_000:
        parser.error("--rows must be between 1,000 and 50,000,000")
    with tempfile.TemporaryDirectory(prefix="radio-report-") as tmp, scratch_database(args.db, Path(tmp)) as url:
        upgrade(url)
        engine = make_engine(url)
        with engine.begin() as conn:
            rollups.drop_triggers(conn)
        data = tables(args.rows)
        t0 = time.perf_counter()
        (load_postgres if url.startswith("postgresql") else load_sqlite)(url, data)
        load_s = time.perf_counter() - t0
        t1 = time.perf_counter()
        with engine.begin() as conn:
            rollups.rebuild(conn)
            rollups.create_triggers(conn)
            add_plan(conn)
        # After a bulk load, as an operator would: statistics, and (PostgreSQL) a vacuum so autovacuum does not
        # start on the new tables in the middle of the timed runs.
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE" if url.startswith("postgresql") else "ANALYZE"))
        rebuild_s = time.perf_counter() - t1
        sessions = make_sessionmaker(engine)
        with sessions() as s:
            as_run_rows = s.execute(text("SELECT COUNT(*) FROM as_run")).scalar()
            province = s.get(Area, 1)
            assert province is not None
            now = datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(hours=3)
            times = []
            board = None
            for i in range(args.repeat + 1):
                s.expire_all()
                t = time.perf_counter()
                board = area_dashboard(s, province, area_scope(s, province), TODAY, now)
                if i:  # the first run warms caches
                    times.append((time.perf_counter() - t) * 1000)
            assert board is not None
        engine.dispose()
        times.sort()
        result = {
            "rows": as_run_rows, "p50_ms": round(statistics.median(times), 1),
            "p95_ms": round(times[max(0, int(len(times) * 0.95 + 0.5) - 1)], 1),
            "db": make_url(url).get_backend_name(), "communes": len(board.lines),
            "bulletins_played": board.totals.bulletins_played, "load_s": round(load_s, 1),
            "rollup_rebuild_s": round(rebuild_s, 1),
        }
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()

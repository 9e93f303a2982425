"""HTTT nguồn drain benchmark: a backlog of N play logs (default 100,000) reaches the reference province server.

A scratch database (SQLite file, or a throw-away PostgreSQL database from --db) gets a backlog of N play logs, as
left by a long outage of the province system. `--source outbox` (default) writes the N records straight into
`httt_outbox` with the connector's own record builder and insert (seeding N as-run rows fires the accounting
triggers per row and takes minutes on a loaded machine); `--source as-run` seeds N settled as-run rows instead and
also times the scans that queue them. The reference server (launcher/province_ref.py) runs in its own process on
loopback. The real connector (station.httt.worker.Connector) then drains the queue in batches over HTTP with a
bearer token. We check that the server stored each play log exactly once and that nothing is left in the queue.
The JSON summary is the last line.

    .venv/bin/python bench/httt_drain.py --logs 100000
    .venv/bin/python bench/httt_drain.py --logs 10000 --source as-run
    .venv/bin/python bench/httt_drain.py --logs 100000 --db postgresql+psycopg://postgres@127.0.0.1:5432/test
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import scratch_database
from sqlalchemy import func, insert, select

from radio.db.migrate import upgrade
from radio.db.models import Area, AreaLevel, Article, AsRun, AudioAssetRow, Bulletin, BulletinTarget, CommandRow, Node
from radio.db.province import HtttOutbox, OutboxKind
from radio.db.session import make_engine, make_sessionmaker
from station.httt import outbox
from station.httt.config import link_from
from station.httt.worker import Connector

NODES = 100  # a province's loudspeakers in the backlog (10 communes of 10)


def seed(url: str, logs: int, aired_at: datetime) -> None:
    """Province 38, NODES loudspeakers, logs / NODES bulletins each played by every loudspeaker."""
    sessions = make_sessionmaker(make_engine(url))
    with sessions() as s:
        province = Area(code="38", name="Tỉnh Thử", level=AreaLevel.PROVINCE)
        s.add(province)
        s.flush()
        villages = []
        for c in range(NODES // 10):
            commune = Area(code=f"38{c + 1:03d}", name=f"Xã {c + 1}", level=AreaLevel.COMMUNE, parent_id=province.id)
            s.add(commune)
            s.flush()
            for v in range(10):
                village = Area(code=f"{commune.code}-{v + 1:02d}", name=f"Thôn {v + 1}", level=AreaLevel.VILLAGE,
                               parent_id=commune.id)
                s.add(village)
                s.flush()
                s.add(Node(id=f"n{village.code}", name=f"Cụm loa {village.code}", village_id=village.id))
                villages.append(village)
        audio = AudioAssetRow(sha256="f" * 64, duration_ms=90_000, size_bytes=720_000, engine="espeak-ng")
        s.add(audio)
        s.flush()
        article = Article(title="Bản tin tổng hợp", body="Nội dung", field_category="general", audio_id=audio.id,
                          status="aired")
        s.add(article)
        s.flush()
        bulletins = logs // NODES
        ms = int(aired_at.timestamp() * 1000)
        s.execute(insert(Bulletin), [
            {"id": i + 1, "title": f"Bản tin {i + 1}", "article_id": article.id, "audio_id": audio.id,
             "start_at": aired_at, "status": "done", "created_at": aired_at, "updated_at": aired_at, "kind": "item"}
            for i in range(bulletins)])
        s.execute(insert(BulletinTarget), [{"bulletin_id": i + 1, "area_id": villages[0].parent_id}
                                           for i in range(bulletins)])
        s.execute(insert(CommandRow), [
            {"id": f"cmd-{i + 1:08d}", "bulletin_id": i + 1, "kind": "play", "topics": [], "payload": "{}",
             "issued_at": aired_at, "start_at": aired_at, "expires_at": aired_at + timedelta(hours=1)}
            for i in range(bulletins)])
        # One Core executemany (batched into multi-row statements by SQLAlchemy), not one statement per bulletin.
        s.connection().execute(insert(AsRun.__table__), [
            {"command_id": f"cmd-{i + 1:08d}", "attempt": 1, "bulletin_id": i + 1, "node_id": f"n{v.code}",
             "scheduled_start": aired_at, "requested_ms": 90_000, "started_at_ms": ms, "ended_at_ms": ms + 90_000,
             "played_ms": 90_000, "outcome": "completed", "detail": ""} for i in range(bulletins) for v in villages])
        s.commit()


def seed_outbox(url: str, logs: int, aired_at: datetime) -> None:
    """N play-log records in the queue, built by the connector's own builder from as-run rows as the ingest leaves
    them (not stored: only the queue matters here)."""
    sessions = make_sessionmaker(make_engine(url))
    ms = int(aired_at.timestamp() * 1000)
    with sessions() as s:
        for first in range(0, logs, 10_000):
            rows = []
            for i in range(first, min(logs, first + 10_000)):
                run = AsRun(id=i + 1, command_id=f"cmd-{i // NODES + 1:08d}", bulletin_id=i // NODES + 1,
                            node_id=f"n38{i % NODES // 10 + 1:03d}-{i % 10 + 1:02d}", scheduled_start=aired_at,
                            requested_ms=90_000, started_at_ms=ms, played_ms=90_000, outcome="completed", detail="")
                rows.append(outbox.play_log_record(run, 0, f"Bản tin {i // NODES + 1}", 1, "general",
                                                   f"38{i % NODES // 10 + 1:03d}"))
            outbox.enqueue(s, "38", OutboxKind.PLAY_LOG, rows, aired_at)
        s.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--logs", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--source", choices=("outbox", "as-run"), default="outbox")
    parser.add_argument("--db", default="", help="PostgreSQL URL (a scratch database is created); default SQLite")
    args = parser.parse_args()
    logs = max(NODES, args.logs // NODES * NODES)
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as tmp, scratch_database(args.db or None, Path(tmp)) as url:
        upgrade(url)
        t_seed = time.perf_counter()
        (seed if args.source == "as-run" else seed_outbox)(url, logs, now - timedelta(hours=2))
        seed_s = time.perf_counter() - t_seed
        print(f"seeded {logs} ({args.source}) in {seed_s:.1f} s", file=sys.stderr, flush=True)
        server = subprocess.Popen([sys.executable, "-m", "launcher.province_ref"], stdout=subprocess.PIPE, text=True,
                                  cwd=Path(__file__).resolve().parents[1])
        try:
            assert server.stdout is not None
            base_url = server.stdout.readline().strip()
            link = link_from({"code": "38", "base_url": base_url, "username": "xa-ket-noi",
                              "password": "mat-khau-tinh", "batch": args.batch, "timeout_s": 30})
            engine = make_engine(url)
            sessions = make_sessionmaker(engine)
            connector = Connector(sessions, [link], lambda: datetime.now(UTC))
            t0 = time.perf_counter()
            while connector.scan(link, datetime.now(UTC), status=False):
                pass
            t1 = time.perf_counter()
            print(f"queued in {t1 - t0:.1f} s", file=sys.stderr, flush=True)
            sent = 0
            while True:
                n = connector.drain(connector.states[0])
                sent += n
                if n == 0:
                    break
            t2 = time.perf_counter()
            with urllib.request.urlopen(base_url + "/_ref/stats", timeout=10) as response:
                stats = json.loads(response.read())
            with sessions() as s:
                left = s.scalar(select(func.count()).select_from(HtttOutbox).where(HtttOutbox.sent_at.is_(None)))
            engine.dispose()
        finally:
            server.terminate()
            server.wait(10)
    stored = stats["stored"]["play_log"]
    summary = {
        "benchmark": "httt_drain", "database": "postgresql" if args.db else "sqlite", "source": args.source,
        "play_logs": logs,
        "batch": args.batch, "seed_s": round(seed_s, 1), "queue_s": round(t1 - t0, 2), "drain_s": round(t2 - t1, 2),
        "records_sent": sent,  # the play logs plus the schedules of their bulletins, queued by the same scans
        "drain_rate_per_s": round(sent / (t2 - t1)) if t2 > t1 else None,
        "end_to_end_rate_per_s": round(logs / (t2 - t0)) if t2 > t0 else None,
        "stored_at_province": stored, "doubles": stats["doubles"]["play_log"], "left_in_queue": left,
        "ok": stored == logs and stats["doubles"]["play_log"] == 0 and left == 0,
    }
    print(json.dumps(summary))
    if not summary["ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()

"""As-run ingest benchmark: N node events through a real Mosquitto into the database, each stored once.

A scratch database (SQLite file by default, or a throw-away PostgreSQL database created from --db and dropped
after) gets a province of loudspeakers and dispatched bulletins with their `pending` as-run rows. Publisher
processes then send, for each node and bulletin, the node's `received`, `started` and `finished` events
(QoS 1, plus --dup duplicates re-sent as a node does after a lost PUBACK) on each node's own event topic. The
scheduler's real receiving path (MqttTransport → EventIngest → insert_new_events + apply_to_as_run, rollup
triggers included) stores them. We time from the first publish until every unique event is stored, then check
that each is stored exactly once and every as-run row completed. The JSON summary is the last line.

    .venv/bin/python bench/ingest.py --events 300000
    .venv/bin/python bench/ingest.py --events 300000 --db postgresql+psycopg://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/ingest.py --events 300000 --mode direct --writer process --db postgresql+psycopg://...

--mode direct leaves out the broker and paho: the same deliveries (encoded payloads, duplicates included) are
handed to the ingest as the MQTT thread would, as fast as it takes them, so the figure is the storage path's own
(decode, checks, insert, as-run fold, rollup triggers), i.e. what the database side sustains.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import scratch_database
from sqlalchemy import func, insert, select, text
from sqlalchemy.engine import make_url

from radio.broker import SCHEDULER_USER, Mosquitto
from radio.db.migrate import upgrade
from radio.db.models import (
    Area,
    AreaLevel,
    AsRun,
    AudioAssetRow,
    Bulletin,
    CommandRow,
    Node,
    NodeEventRow,
)
from radio.db.session import make_engine, make_sessionmaker
from radio.mqtt import make_client
from radio.protocol import EventKind, NodeEvent, encode, topics
from radio.protocol.messages import event_id_for
from scheduler.ingest_process import ProcessIngest
from scheduler.ingest_writer import EventIngest
from scheduler.transport import Delivery, MqttTransport

KINDS = (EventKind.RECEIVED, EventKind.STARTED, EventKind.FINISHED)
DURATION_MS = 60_000


def seed(url: str, nodes: int, bulletins: int, per_commune: int) -> tuple[list[str], list[str]]:
    """A province of `nodes` loudspeakers (3 per village) and `bulletins` dispatched play commands."""
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    # All in the past: the ingest refuses events dated after its clock (scheduler/ingest_accept.py).
    start = datetime.now(UTC) - timedelta(minutes=2 * bulletins + 5)
    with sessions() as s:
        province = Area(code="38", name="Tỉnh Bench", level=AreaLevel.PROVINCE)
        s.add(province)
        s.flush()
        node_ids: list[str] = []
        for c in range((nodes + per_commune - 1) // per_commune):
            commune = Area(code=f"38{c:03d}", name=f"Xã {c}", level=AreaLevel.COMMUNE, parent_id=province.id)
            s.add(commune)
            s.flush()
            for v in range((per_commune + 2) // 3):
                village = Area(code=f"38{c:03d}-{v:02d}", name=f"Thôn {v}", level=AreaLevel.VILLAGE,
                               parent_id=commune.id)
                s.add(village)
                s.flush()
                for k in range(3):
                    if len(node_ids) < nodes and k + 3 * v < per_commune:
                        nid = f"n{c:03d}-{v:02d}-{k}"
                        s.add(Node(id=nid, name=nid, village_id=village.id))
                        node_ids.append(nid)
        audio = AudioAssetRow(sha256="0" * 64, duration_ms=DURATION_MS, size_bytes=1, engine="espeak-ng")
        s.add(audio)
        s.flush()
        command_ids = []
        for b in range(bulletins):
            at = start + timedelta(minutes=2 * b)
            bulletin = Bulletin(title=f"Bản tin {b}", audio_id=audio.id, start_at=at, status="dispatched")
            s.add(bulletin)
            s.flush()
            cid = str(uuid.uuid4())
            s.add(CommandRow(id=cid, bulletin_id=bulletin.id, kind="play", topics=[], payload="{}", issued_at=at,
                             start_at=at, expires_at=at + timedelta(hours=1), published_at=at))
            s.flush()
            s.execute(insert(AsRun), [
                {"command_id": cid, "bulletin_id": bulletin.id, "node_id": n, "scheduled_start": at,
                 "requested_ms": DURATION_MS, "outcome": "pending"} for n in node_ids])
            command_ids.append(cid)
        s.commit()
    engine.dispose()
    return node_ids, command_ids


def publisher(port: int, user: str, password: str, jobs: list[tuple[str, str, int]], dup_every: int,
              ready: Any, go: Any, done: Any) -> None:
    """One process publishing the events of its (node, command, start_ms) jobs, QoS 1."""
    client = make_client(f"bench-{user}", user, password)
    client.connect("127.0.0.1", port, keepalive=60)
    client.loop_start()
    payloads = []
    sent = 0
    for node_id, cid, start_ms in jobs:
        for kind in KINDS:
            at = start_ms + (DURATION_MS if kind == EventKind.FINISHED else 0)
            detail = json.dumps({"played_ms": DURATION_MS}) if kind == EventKind.FINISHED else ""
            ev = NodeEvent(event_id_for(node_id, cid, kind), node_id, kind, at, cid, None, start_ms, detail)
            payloads.append((topics.node_event(node_id), encode(ev)))
    ready.put(len(payloads))
    go.wait()
    last = None
    for i, (topic, payload) in enumerate(payloads):
        while True:
            info = client.publish(topic, payload, qos=1)
            if info.rc == 0:
                break
            time.sleep(0.001)
        last = info
        sent += 1
        if dup_every and i % dup_every == 0:
            client.publish(topic, payload, qos=1)
            sent += 1
    if last is not None:
        last.wait_for_publish(timeout=120)
    done.put(sent)
    client.disconnect()
    client.loop_stop()


def start_bench_broker(workdir: Path, publishers: int) -> Mosquitto:
    """A private Mosquitto with an account for each publisher process (bench-pub-N). Its queue for the scheduler
    is unlimited (radio/broker.py: at 10,000 Mosquitto would drop QoS 1 messages of a burst)."""
    broker = Mosquitto(workdir, persistence=False,
                       service_passwords={f"bench-pub-{i}": uuid.uuid4().hex for i in range(publishers)})
    broker.write_config([])
    broker.start()
    return broker


def start_publishers(broker: Mosquitto, jobs: list[tuple[str, str, int]], count: int, dup_every: int
                     ) -> tuple[list[Any], Any, Any]:
    """`count` publisher processes (accounts bench-pub-N), each with its share of the jobs, their payloads encoded;
    returns (processes, go, done) once all are ready: go.set() starts them, each puts its sent count on done."""
    ctx = mp.get_context("fork")
    ready, done, go = ctx.Queue(), ctx.Queue(), ctx.Event()
    procs = [ctx.Process(target=publisher, args=(broker.port, f"bench-pub-{i}",
                                                 broker.service_passwords[f"bench-pub-{i}"], jobs[i::count],
                                                 dup_every, ready, go, done))
             for i in range(count)]
    for p in procs:
        p.start()
    for _ in procs:
        ready.get(timeout=300)
    return procs, go, done


def payloads_of(jobs: list[tuple[str, str, int]], dup_every: int) -> list[tuple[str, bytes]]:
    """The messages the nodes of `jobs` send, every Nth twice (a re-send after a lost PUBACK)."""
    out = []
    i = 0
    for node_id, cid, start_ms in jobs:
        for kind in KINDS:
            at = start_ms + (DURATION_MS if kind == EventKind.FINISHED else 0)
            detail = json.dumps({"played_ms": DURATION_MS}) if kind == EventKind.FINISHED else ""
            ev = NodeEvent(event_id_for(node_id, cid, kind), node_id, kind, at, cid, None, start_ms, detail)
            out.append((topics.node_event(node_id), encode(ev)))
            if dup_every and i % dup_every == 0:
                out.append(out[-1])
            i += 1
    return out


def run_direct(url: str, sessions: Any, jobs: list[tuple[str, str, int]], args: argparse.Namespace
               ) -> dict[str, Any]:
    """Hand every delivery to the ingest at once (as after a burst) and time until all are stored."""
    messages = payloads_of(jobs, args.dup)
    expected = 3 * len(jobs)
    acked = [0]
    ingest: EventIngest | ProcessIngest = (
        ProcessIngest(url, acker=lambda ds: acked.__setitem__(0, acked[0] + len(ds)), writers=args.writers)
        if args.writer == "process" else
        EventIngest(sessions, lambda: datetime.now(UTC), acker=lambda ds: acked.__setitem__(0, acked[0] + len(ds)),
                    writers=args.writers or 1))
    ingest.start()
    time.sleep(0.5)
    # CPU time of the writer and of the database server's backends, so the figure can be read apart from how
    # loaded the machine is: the writer waits for the server, so one batch costs the sum of both.
    writer_pid = ingest.pid if isinstance(ingest, ProcessIngest) else os.getpid()
    backends = _backend_pids(url)
    cpu0 = {pid: _cpu(pid) for pid in [writer_pid, *backends]}
    receiver0 = _cpu(os.getpid())  # this process: the scheduler's side (hand-over to the child, acknowledgements)
    t0 = time.perf_counter()
    for mid, (topic, payload) in enumerate(messages, start=1):
        ingest.on_delivery(Delivery(topic, payload, qos=1, mid=mid))
    deadline = t0 + max(120.0, expected / 2000)
    # Done when every delivery is acknowledged: the ingest acknowledges only after the commit that stored it
    # (duplicates and refusals too), and the counts below are read back from the database. Waiting for
    # `ingest.stored` instead would add up to 0.5 s: the writer process reports that figure twice a second.
    while acked[0] < len(messages) and time.perf_counter() < deadline:
        time.sleep(0.002)
    elapsed = time.perf_counter() - t0
    backends |= _backend_pids(url)
    writer_cpu = _cpu(writer_pid) - cpu0[writer_pid] if writer_pid is not None else 0.0
    receiver_cpu = _cpu(os.getpid()) - receiver0 if isinstance(ingest, ProcessIngest) else 0.0
    server_cpu = sum(_cpu(pid) - cpu0.get(pid, 0.0) for pid in backends)
    ingest.stop()
    with sessions() as s:
        stored = s.scalar(select(func.count()).select_from(NodeEventRow))
        distinct = s.scalar(select(func.count(func.distinct(NodeEventRow.event_id))))
        completed = s.scalar(select(func.count()).select_from(AsRun).where(AsRun.outcome == "completed"))
        rollup_played = s.execute(text("SELECT SUM(bulletins_played) FROM acct_commune_day WHERE topic_id = 0")
                                  ).scalar()
    return {"events": expected, "stored": stored, "distinct_stored": distinct, "sent_with_duplicates": len(messages),
            "acknowledged": acked[0], "as_run_completed": completed, "as_run_rows": len(jobs),
            "rollup_bulletins_played": rollup_played, "elapsed_s": round(elapsed, 3),
            "events_per_s": round(stored / elapsed), "db": make_url(url).get_backend_name(), "mode": "direct",
            "writer": args.writer, "writers": getattr(ingest, "writers", 1),
            "writer_cpu_us_per_event": round(writer_cpu / stored * 1e6, 1),
            "server_cpu_us_per_event": round(server_cpu / stored * 1e6, 1),
            "receiver_cpu_us_per_event": round(receiver_cpu / stored * 1e6, 1),
            "events_per_cpu_s": round(stored / (writer_cpu + server_cpu)) if writer_cpu + server_cpu else None,
            "loadavg": os.getloadavg()[0]}


def cpu_of(url: str, ingest: EventIngest | ProcessIngest, broker: Mosquitto) -> dict[str, dict[int, float]]:
    """CPU seconds so far of the receiver (this process: paho, the hand-over), the writer child, the database
    server's backends and Mosquitto, by pid (a backend that ends between two readings counts from 0)."""
    writer = ingest.pid if isinstance(ingest, ProcessIngest) else None
    broker_pid = broker.process.pid if broker.process else None
    return {"receiver": {os.getpid(): _cpu(os.getpid())},
            "writer": {writer: _cpu(writer)} if writer else {},
            "server": {pid: _cpu(pid) for pid in _backend_pids(url)},
            "broker": {broker_pid: _cpu(broker_pid)} if broker_pid else {}}


def settle(engine: Any) -> None:
    """What PostgreSQL's autovacuum does to the as_run rows between dispatch and air (at least the 120 s lead;
    autovacuum looks every 60 s and takes a table after 1,000 + 20 % new rows): vacuum them (hint bits, the
    visibility map) and gather statistics. Without it the first writes of the burst pay for that work themselves
    (--cold measures that case). SQLite: ANALYZE only."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE")


def _cpu(pid: int | None) -> float:
    """utime + stime of a process in seconds (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _backend_pids(url: str) -> set[int]:
    """PostgreSQL backends connected to this database other than the one asking (SQLite: none, it runs in the
    writer). Asked on a connection of its own: with the writer thread in this process, a pooled connection could be
    one of the ingest's, which would then be left out of the server's CPU."""
    if not url.startswith("postgresql"):
        return set()
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return set(conn.scalars(text("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                         "AND pid <> pg_backend_pid()")))
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=300_000, help="unique events to send")
    parser.add_argument("--nodes", type=int, default=2000)
    parser.add_argument("--per-commune", type=int, default=15)
    parser.add_argument("--publishers", type=int, default=2)
    parser.add_argument("--dup", type=int, default=100, help="re-send every Nth event once (0: never)")
    parser.add_argument("--db", help="PostgreSQL URL of a server/admin database (default: a SQLite file)")
    parser.add_argument("--mode", choices=("live", "backlog", "direct"), default="live",
                        help="live: publishers run while the ingest stores; backlog: the broker holds every event "
                             "for the scheduler's persistent session first (as after a restart or a burst), then "
                             "the ingest drains it, with the machine to itself; direct: no broker, the deliveries "
                             "are handed to the ingest in-process (the storage path alone)")
    parser.add_argument("--writer", choices=("thread", "process"), default="process",
                        help="ProcessIngest (the writer in a child process, as the scheduler runs it) or "
                             "EventIngest (writer threads in this process, as the scheduler ran before)")
    parser.add_argument("--writers", type=int, default=None, choices=range(1, 9), metavar="1..8",
                        help="writer connections (default: ProcessIngest's, 2 on PostgreSQL and 1 on SQLite)")
    parser.add_argument("--cold", action="store_true",
                        help="skip the VACUUM ANALYZE after seeding that autovacuum would do before air (settle())")
    parser.add_argument("--switch-interval", type=float, default=None,
                        help="sys.setswitchinterval for the receiving process (GIL hand-over, default 0.005 s)")
    args = parser.parse_args()
    if args.switch_interval:
        sys.setswitchinterval(args.switch_interval)
    if not 3 <= args.events <= 5_000_000:
        parser.error("--events must be between 3 and 5,000,000")
    per_bulletin = 3 * args.nodes
    bulletins = max(1, args.events // per_bulletin)
    nodes = min(args.nodes, args.events // 3) if bulletins == 1 else args.nodes
    with tempfile.TemporaryDirectory(prefix="radio-ingest-") as tmp, scratch_database(args.db, Path(tmp)) as url:
        upgrade(url)
        t_seed = time.perf_counter()
        node_ids, command_ids = seed(url, nodes, bulletins, args.per_commune)
        seed_s = time.perf_counter() - t_seed
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        if not args.cold:
            settle(engine)
        with sessions() as s:
            starts = {c: int(s.scalar(select(CommandRow.start_at).where(CommandRow.id == c)).timestamp() * 1000)
                      for c in command_ids}
        jobs = [(n, c, starts[c]) for c in command_ids for n in node_ids]
        expected = 3 * len(jobs)
        if args.mode == "direct":
            result = run_direct(url, sessions, jobs, args)
            engine.dispose()
            print(json.dumps(result | {"cold": args.cold, "nodes": len(node_ids), "bulletins": len(command_ids),
                                       "seed_s": round(seed_s, 1)}, ensure_ascii=False), flush=True)
            return
        broker = start_bench_broker(Path(tmp) / "broker", args.publishers)
        client_id = f"bench-ingest-{os.getpid()}"
        password = broker.service_passwords[SCHEDULER_USER]
        transports: list[MqttTransport] = []

        def ack(ds: list[Delivery]) -> None:  # acknowledged on the transport of the moment, as the scheduler does
            transports[-1].ack_many(ds)

        ingest: EventIngest | ProcessIngest = (
            ProcessIngest(url, acker=ack, writers=args.writers) if args.writer == "process" else
            EventIngest(sessions, lambda: datetime.now(UTC), acker=ack, writers=args.writers or 1))
        ingest.start()
        transport = MqttTransport("127.0.0.1", broker.port, SCHEDULER_USER, password, client_id=client_id)
        transports.append(transport)
        transport.handler = ingest.on_delivery
        transport.start()
        if args.mode == "backlog":
            time.sleep(0.5)
            transport.stop()  # the persistent session keeps the subscription; the broker queues for it
        procs, go, done = start_publishers(broker, jobs, args.publishers, args.dup)
        time.sleep(0.5)
        sent = 0
        if args.mode == "backlog":
            go.set()
            sent = sum(done.get(timeout=600) for _ in procs)
            time.sleep(1.0)
            transport = MqttTransport("127.0.0.1", broker.port, SCHEDULER_USER, password, client_id=client_id)
            transports.append(transport)
            transport.handler = ingest.on_delivery
            cpu0 = cpu_of(url, ingest, broker)
            t0 = time.perf_counter()
            transport.start()
        else:
            cpu0 = cpu_of(url, ingest, broker)
            t0 = time.perf_counter()
            go.set()
        deadline = t0 + max(120.0, expected / 2000)
        while ingest.stored < expected and time.perf_counter() < deadline:
            time.sleep(0.01)
        elapsed = time.perf_counter() - t0
        cpu1 = cpu_of(url, ingest, broker)
        cpu = {k: sum(cpu1[k].get(pid, 0.0) - cpu0[k].get(pid, 0.0) for pid in cpu1[k]) for k in cpu1}
        if args.mode == "live":
            sent = sum(done.get(timeout=120) for _ in procs)
        for p in procs:
            p.join(timeout=30)
        time.sleep(0.5)  # any late duplicate must not be stored
        transport.stop()
        ingest.stop()
        broker.stop()
        with sessions() as s:
            stored = s.scalar(select(func.count()).select_from(NodeEventRow))
            distinct = s.scalar(select(func.count(func.distinct(NodeEventRow.event_id))))
            completed = s.scalar(select(func.count()).select_from(AsRun).where(AsRun.outcome == "completed"))
            rollup_played = s.execute(text("SELECT SUM(bulletins_played) FROM acct_commune_day WHERE topic_id = 0")
                                      ).scalar()
        engine.dispose()
        result = {
            "events": expected, "stored": stored, "distinct_stored": distinct, "sent_with_duplicates": sent,
            "as_run_completed": completed, "as_run_rows": len(jobs), "rollup_bulletins_played": rollup_played,
            "elapsed_s": round(elapsed, 3), "events_per_s": round(ingest.stored / elapsed),
            "db": make_url(url).get_backend_name(), "mode": args.mode, "writer": args.writer, "nodes": len(node_ids),
            "bulletins": len(command_ids),
            # CPU per stored event of each part, over the timed span (publishers excluded in live mode):
            # what decides the rate on a machine with more cores than this one.
            **{f"{k}_cpu_us_per_event": round(v / max(1, ingest.stored) * 1e6, 1) for k, v in cpu.items()},
            "loadavg": os.getloadavg()[0], "cold": args.cold, "seed_s": round(seed_s, 1),
        }
        print(json.dumps(result, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()

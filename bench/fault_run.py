"""Fault run of the as-run chain (issue 10): real processes, real faults, then every airing counted.

Runs on loopback only: Mosquitto (per-node accounts, ACL), SQLite, the web (serves the media), 12 node agents,
and the scheduler as its own process (`radio scheduler`), which this script SIGKILLs twice and restarts:
8 ms after the start of bulletin 1 and 10 ms after the end of bulletin 2. Meanwhile a 13th, compromised node
(its own valid credentials, no agent) floods its event topic with malformed, nested, oversized, forged and
retained messages, and tries to take over the scheduler's and another node's MQTT client id.

Then it checks that every airing is recorded exactly once: per bulletin, one as_run row per node, 'completed'
for the 12 playing nodes, no row left 'started', no event stored twice, none lost. The flooder may lie about its
own airing (it claims 999,999,999 ms played): its row must show the item's length, with the claim kept in
played_reported_ms. The last line printed is a JSON object with the figures; exit code 0 iff ok.

    .venv/bin/python bench/fault_run.py [--flood 300] [--timeout 240]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select

from launcher.processes import SchedulerProcess
from launcher.selftest import schedule_article
from launcher.system import LocalSystem
from radio.broker import SCHEDULER_USER, NodeAccount
from radio.db.models import AsRun, Bulletin, NodeEventRow
from radio.db.session import make_engine, make_sessionmaker
from radio.mqtt import make_client
from radio.protocol import EventKind, NodeEvent, encode, topics
from station.service_health import SCHEDULER, read_service_health

TEXT = "Thông báo của Ủy ban nhân dân xã. Đài truyền thanh xã kiểm tra hệ thống loa."
PLAYING_NODES = 12


def scheduler_process(system: LocalSystem, logdir: Path) -> SchedulerProcess:
    """`radio scheduler` in its own process, on the system's data dir, database and broker."""
    s = system.settings
    assert s is not None
    env = dict(os.environ, RADIO_DATA_DIR=str(s.data_dir), RADIO_MQTT_PORT=str(s.mqtt_port),
               RADIO_MQTT_PASSWORD=s.mqtt_password, RADIO_WEB_PORT=str(s.web_port),
               RADIO_LEADER_TTL_S="3", PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    return SchedulerProcess(env, logdir)


def sleep_until(t: float) -> float:
    """Sleep until wall-clock t (epoch s), the last milliseconds by polling; returns the lateness in ms."""
    while (left := t - time.time()) > 0.005:
        time.sleep(left - 0.004)
    while time.time() < t:
        pass
    return (time.time() - t) * 1000


def flood(account: NodeAccount, port: int, victim: str, command_ids: list[str], count: int,
          stop: threading.Event, sent: Counter[str]) -> None:
    """The compromised node: a bounded stream of hostile messages on its own event topic."""
    client = make_client(account.node_id, account.node_id, account.password)
    client.connect("127.0.0.1", port)
    client.loop_start()
    topic = topics.node_event(account.node_id)
    now_ms = int(time.time() * 1000)
    kinds = [
        ("nested_review", b"[" * 100_000 + b"]" * 100_000),
        ("nested_small", b"[" * 20_000 + b"]" * 20_000),
        ("garbage", b"\xff\x00 not json"),
        ("huge_int", b'{"v":1,"type":"event","at_ms":' + b"9" * 5000 + b"}"),
    ]
    for cid in command_ids:  # forged: the victim's event id; absurd times; played beyond any item
        kinds.append(("forged_id", encode(NodeEvent(f"{victim}:{cid}:started", account.node_id, EventKind.STARTED,
                                                    now_ms, cid))))
        absurd = encode(NodeEvent(f"{account.node_id}:{cid}:received", account.node_id, EventKind.RECEIVED, 1, cid))
        kinds.append(("at_ms_1e30", absurd.replace(b'"at_ms":1', b'"at_ms":1' + b"0" * 30)))
        kinds.append(("other_node", encode(NodeEvent(f"{victim}:{cid}:finished", victim, EventKind.FINISHED,
                                                     now_ms, cid, None, None, '{"played_ms": 999999999}'))))
    for cid in command_ids:  # lies about its own airing: accepted (its row), but clamped to the item's length
        for kind, detail in ((EventKind.STARTED, ""), (EventKind.FINISHED, '{"played_ms": 999999999}')):
            ev = NodeEvent(f"{account.node_id}:{cid}:{kind}", account.node_id, kind, now_ms, cid, None, None, detail)
            client.publish(topic, encode(ev), qos=1).wait_for_publish(10)
            sent["own_lie"] += 1
    for i in range(count):
        if stop.is_set():
            break
        name, body = kinds[i % len(kinds)]
        retain = i % 25 == 0
        client.publish(topic, body, qos=1, retain=retain).wait_for_publish(10)
        sent[name + ("_retained" if retain else "")] += 1
        time.sleep(0.05)
    client.disconnect()
    client.loop_stop()


def takeover(account: NodeAccount, port: int, client_id: str) -> bool:
    """Connect with the flooder's credentials under someone else's client id; True if the broker accepted."""
    client = make_client(client_id, account.node_id, account.password)
    ok = threading.Event()
    client.on_connect = lambda c, u, f, rc, p: ok.set() if not rc.is_failure else None
    client.connect("127.0.0.1", port)
    client.loop_start()
    accepted = ok.wait(5)
    time.sleep(1.0)
    client.disconnect()
    client.loop_stop()
    return accepted


class _LogCounter(logging.Handler):
    def __init__(self, text: str) -> None:
        super().__init__(logging.WARNING)
        self.text, self.count = text, 0

    def emit(self, record: logging.LogRecord) -> None:
        if self.text in record.getMessage():
            self.count += 1


def health(sessions: Any) -> dict[str, Any]:
    with sessions() as s:
        return read_service_health(s, SCHEDULER, datetime.now(UTC)) or {}


def wait_leader(sessions: Any, pid: int, timeout: float) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        h = health(sessions)
        if h.get("ok") and str(h.get("holder", "")).endswith(f":{pid}"):
            return h
        time.sleep(0.1)
    raise RuntimeError(f"scheduler {pid} did not become a healthy leader: {health(sessions)}")


def run(args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    t_begin = time.monotonic()
    system = LocalSystem(workdir, nodes=PLAYING_NODES + 1, player="null",
                         settings_overrides={"leader_ttl_s": 3.0})
    # The 13th node is the compromised box: it has credentials, but no agent plays for it.
    system.start_nodes = lambda accounts: LocalSystem.start_nodes(system, accounts[:PLAYING_NODES])  # type: ignore
    system.start(web=True, scheduler=False)
    assert system.settings is not None and system.seed is not None
    flooder, victim = system.seed.accounts[PLAYING_NODES], system.seed.accounts[0]
    engine = make_engine(system.settings.db_url)
    sessions = make_sessionmaker(engine)
    scheduler = scheduler_process(system, workdir)
    figures: dict[str, Any] = {"nodes_playing": PLAYING_NODES, "flooder": flooder.node_id}
    stop_flood = threading.Event()
    sent: Counter[str] = Counter()
    victim_drops = _LogCounter(f"node {victim.node_id} lost the broker")
    logging.getLogger("radio.node.link").addHandler(victim_drops)
    try:
        scheduler.start()
        wait_leader(sessions, scheduler.proc.pid, 30)  # type: ignore[union-attr]
        b1 = schedule_article(system, TEXT, start_in_s=8, title="Bản tin 1")
        b2 = schedule_article(system, TEXT, start_in_s=30, title="Bản tin 2")
        with sessions() as s:
            start1, start2 = (s.get(Bulletin, b).start_at for b in (b1, b2))
            duration_ms = s.get(Bulletin, b2).audio.duration_ms
        # Dispatch happens at once (lead time 120 s); the commands are known before the flood starts.
        commands = _wait_commands(sessions, [b1, b2], 20)
        # Takeover attempts first: the flooder's own connection would otherwise be the one they replace.
        disconnects_before = health(sessions)["mqtt"]["disconnects"]
        figures["takeover_connected_under_own_id"] = {
            cid: takeover(flooder, system.broker.port, cid) for cid in (SCHEDULER_USER, victim.node_id)}
        time.sleep(2.5)  # the scheduler rewrites its health every second
        figures["scheduler_disconnected_by_takeover"] = health(sessions)["mqtt"]["disconnects"] - disconnects_before
        figures["victim_disconnected_by_takeover"] = victim_drops.count
        flood_thread = threading.Thread(target=flood, args=(flooder, system.broker.port, victim.node_id, commands,
                                                            args.flood, stop_flood, sent), daemon=True)
        flood_thread.start()
        lateness = [sleep_until(start1.timestamp() + 0.008)]
        scheduler.kill()
        scheduler.start()
        wait_leader(sessions, scheduler.proc.pid, 30)  # type: ignore[union-attr]
        end2 = start2 + timedelta(milliseconds=duration_ms)
        lateness.append(sleep_until(end2.timestamp() + 0.010))
        scheduler.kill()
        scheduler.start()
        wait_leader(sessions, scheduler.proc.pid, 30)  # type: ignore[union-attr]
        figures["kill_lateness_ms"] = [round(x, 2) for x in lateness]
        deadline = time.monotonic() + args.timeout - (time.monotonic() - t_begin)
        while time.monotonic() < deadline and not _all_final(sessions, [b1, b2]):
            time.sleep(0.5)
        stop_flood.set()
        flood_thread.join(30)
        figures.update(_check(sessions, [b1, b2], flooder.node_id))
        final_health = health(sessions)
        figures["final_ingest"] = {k: final_health["ingest"].get(k) for k in ("alive", "restarts", "quarantined")}
        figures["scheduler_log_refused"] = scheduler.log_text().count("refusing a message on")
        figures["scheduler_log_rejected_events"] = scheduler.log_text().count("rejected event")
        figures["scheduler_log_writer_died"] = scheduler.log_text().count("ingest writer died")
    finally:
        stop_flood.set()
        scheduler.stop()
        system.stop()
        engine.dispose()
    figures["flood_sent"] = dict(sent)
    figures["flood_total"] = sum(sent.values())
    figures["elapsed_s"] = round(time.monotonic() - t_begin, 1)
    figures["ok"] = bool(figures["lost"] == 0 and figures["duplicates"] == 0 and figures["wrong_outcome"] == 0
                         and figures["missing_rows"] == 0 and figures["left_started"] == 0
                         and figures["over_100_percent"] == 0 and figures["final_ingest"]["alive"]
                         and figures["scheduler_log_writer_died"] == 0
                         and figures["scheduler_disconnected_by_takeover"] == 0
                         and figures["victim_disconnected_by_takeover"] == 0)
    return figures


def _wait_commands(sessions: Any, bulletins: list[int], timeout: float) -> list[str]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with sessions() as s:
            ids = list(s.scalars(select(AsRun.command_id).where(AsRun.bulletin_id.in_(bulletins)).distinct()))
        if len(ids) == len(bulletins):
            return ids
        time.sleep(0.1)
    raise RuntimeError("the bulletins were not dispatched")


def _all_final(sessions: Any, bulletins: list[int]) -> bool:
    with sessions() as s:
        return not s.scalar(select(func.count()).select_from(AsRun).where(
            AsRun.bulletin_id.in_(bulletins), AsRun.outcome.in_(("pending", "started"))))


def _check(sessions: Any, bulletins: list[int], flooder: str) -> dict[str, Any]:
    with sessions() as s:
        rows = s.execute(select(AsRun.bulletin_id, AsRun.node_id, AsRun.attempt, AsRun.outcome, AsRun.played_ms,
                                AsRun.requested_ms, AsRun.played_reported_ms)
                         .where(AsRun.bulletin_id.in_(bulletins))).all()
        events = s.execute(select(NodeEventRow.node_id, NodeEventRow.kind, NodeEventRow.command_id)).all()
    per_pair = Counter((r.bulletin_id, r.node_id, r.attempt) for r in rows)
    expected_nodes = PLAYING_NODES + 1
    outcomes = Counter(r.outcome for r in rows)
    playing = [r for r in rows if r.node_id != flooder]
    lies = [r for r in rows if r.node_id == flooder]
    event_kinds = Counter(e.kind for e in events)
    return {
        "bulletins": len(bulletins), "as_run_rows": len(rows), "expected_rows": expected_nodes * len(bulletins),
        "duplicates": sum(n - 1 for n in per_pair.values()) + sum(1 for r in rows if r.attempt != 1),
        "missing_rows": expected_nodes * len(bulletins) - len({(r.bulletin_id, r.node_id) for r in rows}),
        "outcomes": dict(outcomes), "lost": sum(1 for r in playing if r.outcome != "completed"),
        "wrong_outcome": sum(1 for r in lies if (r.outcome, r.played_ms, r.played_reported_ms)
                             != ("completed", r.requested_ms, 999_999_999)),
        "left_started": outcomes.get("started", 0) + outcomes.get("pending", 0),
        "over_100_percent": sum(1 for r in rows if r.played_ms > r.requested_ms),
        "clamped_and_flagged": sum(1 for r in rows if r.played_reported_ms is not None),
        "events_stored": dict(event_kinds), "flooder_events_stored": sum(1 for e in events if e.node_id == flooder),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--flood", type=int, default=300, help="hostile messages from the compromised node (≤ 2000)")
    parser.add_argument("--timeout", type=float, default=240.0, help="overall limit in seconds (≤ 600)")
    parser.add_argument("--workdir", help="keep the run's files (logs, database) here")
    args = parser.parse_args()
    if not 0 <= args.flood <= 2000 or not 60 <= args.timeout <= 600:
        parser.error("--flood must be 0-2000 and --timeout 60-600")
    if args.workdir:
        figures = run(args, Path(args.workdir))
    else:
        with tempfile.TemporaryDirectory(prefix="radio-fault-") as tmp:
            figures = run(args, Path(tmp))
    print(json.dumps(figures, ensure_ascii=False), flush=True)
    sys.exit(0 if figures["ok"] else 1)


if __name__ == "__main__":
    main()

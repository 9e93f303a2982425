"""Fan-out benchmark: one signed commune-wide play command to N simulated nodes on a real Mosquitto.

Default mode: every node validates the command, fetches the MP3 (real espeak-ng + ffmpeg bytes, sha256
checked; once per simulator process), and starts at `start_at_ms`; we report how many started, the start
skew between nodes and the start error against the schedule (docs/benchmarks.md defines them).
--idle: N nodes connected and heartbeating for --duration seconds; broker and simulator CPU and memory.
Loopback only, bounded in nodes and time. The JSON summary is the last line.

    .venv/bin/python bench/fanout.py --nodes 1000
    .venv/bin/python bench/fanout.py --nodes 10000 --idle [--duration 90 --heartbeat-s 10]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import (
    TEXT,
    CpuWindow,
    MediaServer,
    Monitor,
    machine,
    make_accounts,
    make_mp3,
    print_json,
    rss_mb,
    start_stats,
)
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from launcher.sim import Simulator
from launcher.sim.worker import raise_nofile_limit
from radio.broker import Mosquitto
from radio.protocol import PlayCommand, Targets, topics
from radio.protocol.messages import to_dict
from radio.protocol.signing import public_key_pem, sign

COMMUNE = "38001"
MAX_NODES = 20000


def signed_play(key: Ed25519PrivateKey, url: str, sha: str, duration_ms: int, lead_s: float) -> dict[str, Any]:
    now = int(time.time() * 1000)
    start = now + int(lead_s * 1000)
    cmd = PlayCommand(id=str(uuid.uuid4()), bulletin_id=1, issued_at_ms=now, start_at_ms=start,
                      expires_at_ms=start + duration_ms + 5000, media_url=url, sha256=sha, duration_ms=duration_ms,
                      title="Bản tin kiểm tra fan-out", targets=Targets(areas=(COMMUNE,)))
    return sign(to_dict(cmd), key)


def run_play(args: argparse.Namespace, broker: Mosquitto, sim: Simulator, monitor: Monitor, key: Ed25519PrivateKey,
             workdir: Path) -> dict[str, Any]:
    mp3, duration_ms = make_mp3(TEXT, workdir / "media")
    sha = hashlib.sha256(mp3).hexdigest()
    media = MediaServer(mp3, sha)
    try:
        cmd = signed_play(key, media.url, sha, duration_ms, args.lead_s)
        cpu = CpuWindow([broker.process.pid, *sim.pids]).start()  # type: ignore[union-attr]
        published_ms = time.time() * 1000
        monitor.publish(topics.area_cmd(COMMUNE), json.dumps(cmd, ensure_ascii=False).encode(),
                        expiry_s=args.lead_s + duration_ms / 1000 + 5)
        monitor.wait_count("started", args.nodes, timeout_s=args.lead_s + 10)
        cpu_pct = cpu.stop()
        monitor.wait_count("finished", args.nodes, timeout_s=duration_ms / 1000 + 10)
        results = sim.results()
        bursts = [{k: v for k, v in b.items() if k != "due_ms"} for b in sim.bursts()]
    finally:
        media.close()
    starts = [r.started_at_ms[cmd["id"]] for r in results.values() if cmd["id"] in r.started_at_ms]
    delivered = [r.delivered_at_ms[cmd["id"]] - published_ms for r in results.values()
                 if cmd["id"] in r.delivered_at_ms]
    ready = [r.received_at_ms[cmd["id"]] - published_ms for r in results.values() if cmd["id"] in r.received_at_ms]
    stats = start_stats(starts, cmd["start_at_ms"])
    reported = start_stats([float(v) for v in monitor.started_at.values()], cmd["start_at_ms"])
    broker_pid = broker.process.pid  # type: ignore[union-attr]
    return {
        "started": len(starts),
        **stats,
        "skew_p99_ms_reported": reported.get("skew_p99_ms"),  # from the integer at_ms in the events
        "delivered_max_ms": round(max(delivered), 1) if delivered else None,
        "ready_max_ms": round(max(ready), 1) if ready else None,
        "lead_ms": int(cmd["start_at_ms"] - published_ms),
        "events": dict(monitor.kinds),
        "media_fetches": media.requests,
        "audio_ms": duration_ms,
        "broker_cpu_pct": cpu_pct.pop(broker_pid),
        "sim_cpu_pct": round(sum(cpu_pct.values()), 1),
        "cpu_window": "publish → all started",
        "start_bursts": bursts,  # per simulator process: see docs/benchmarks.md
    }


def run_idle(args: argparse.Namespace, broker: Mosquitto, sim: Simulator, monitor: Monitor) -> dict[str, Any]:
    broker_pid = broker.process.pid  # type: ignore[union-attr]
    hb0 = monitor.heartbeats
    cpu = CpuWindow([broker_pid, *sim.pids]).start()
    low = args.nodes
    deadline = time.monotonic() + args.duration
    while time.monotonic() < deadline:  # a node that drops out during the window shows up here
        time.sleep(min(10.0, max(0.0, deadline - time.monotonic())))
        low = min(low, sim.status().connected)
    cpu_pct = cpu.stop()
    heartbeats = monitor.heartbeats - hb0
    status = sim.status()
    return {
        "connected": status.connected,
        "connected_min": low,
        "reconnects": status.connects - args.nodes,
        "heartbeats_received": heartbeats,
        "heartbeats_per_s": round(heartbeats / args.duration, 1),
        "heartbeats_expected_per_s": round(args.nodes / args.heartbeat_s, 1),
        "broker_cpu_pct": cpu_pct.pop(broker_pid),
        "sim_cpu_pct": round(sum(cpu_pct.values()), 1),
        "idle_s": args.duration,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--nodes", type=int, default=1000)
    ap.add_argument("--procs", type=int, default=None, help="simulator processes (default: cores)")
    ap.add_argument("--idle", action="store_true", help="connected and heartbeating only")
    ap.add_argument("--duration", type=float, default=90.0, help="--idle: seconds to measure")
    ap.add_argument("--heartbeat-s", type=float, default=None, help="default 10 with --idle, else 60")
    ap.add_argument("--lead-s", type=float, default=5.0, help="start this long after the publish")
    ap.add_argument("--connect-rate", type=float, default=400.0, help="connects per second, all processes")
    args = ap.parse_args()
    if not 1 <= args.nodes <= MAX_NODES or not 1 <= args.duration <= 600:
        ap.error(f"--nodes must be 1..{MAX_NODES} and --duration 1..600 (bounded benchmark)")
    args.heartbeat_s = args.heartbeat_s or (10.0 if args.idle else 60.0)
    raise_nofile_limit()  # before the broker starts: it inherits the limit (one descriptor per node)

    accounts = make_accounts(args.nodes, COMMUNE)
    key = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory(prefix="radio-fanout-") as tmp:
        workdir = Path(tmp)
        broker = Mosquitto(workdir / "broker")
        broker.write_config(accounts)
        broker.start()
        sim = Simulator()
        monitor = Monitor(broker, heartbeats=args.idle)
        try:
            t0 = time.monotonic()
            sim.start(accounts, broker.port, public_key_pem(key), procs=args.procs, heartbeat_s=args.heartbeat_s,
                      connect_rate=args.connect_rate)
            status = sim.wait_connected(timeout=args.nodes / args.connect_rate * 3 + 30)
            connect_s = time.monotonic() - t0
            print(f"{status.subscribed}/{args.nodes} nodes connected and subscribed in {connect_s:.1f} s "
                  f"({len(sim.pids)} processes)", flush=True)
            part = run_idle(args, broker, sim, monitor) if args.idle else run_play(args, broker, sim, monitor, key,
                                                                                   workdir)
            summary = {
                "bench": "fanout_idle" if args.idle else "fanout",
                "nodes": args.nodes,
                "procs": len(sim.pids),
                "connect_s": round(connect_s, 1),
                **part,
                "rss_mb": round(sum(rss_mb(p) for p in sim.pids), 1),
                "broker_rss_mb": round(rss_mb(broker.process.pid), 1),  # type: ignore[union-attr]
                "heartbeat_s": args.heartbeat_s,
                "machine": machine(),
            }
        finally:
            sim.stop()
            monitor.close()
            broker.stop()
    for k, v in summary.items():
        print(f"  {k:28} {v}")
    print_json(summary)


if __name__ == "__main__":
    main()

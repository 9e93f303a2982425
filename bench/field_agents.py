"""In step at the sound with real agents (issue 12): `radio node` processes, each with its own modelled clock and
its own 4G link, on a real Mosquitto, playing through the decode-ahead player into a PCM sink.

Each node is a separate process (launcher/field/node_main.py: the installed agent with a FieldClock) whose
MQTT session and GET /time go through a TCP proxy on loopback with that node's link (one-way 30-300 ms,
exponential jitter of mean 20 ms per direction, fixed asymmetry ±4 ms, 1 % loss). After `--warmup-s` of
heartbeats, one signed play command goes to the commune's topic; the sinks stamp the true (host) time their
first sample leaves. Two nodes take a ±1 s clock step between dispatch and air. The baseline is the same nodes
starting on their own clocks (computed from their clock models at the start time).

    .venv/bin/python bench/field_agents.py --nodes 6

The JSON summary is the last line.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _common import Monitor, machine, make_accounts, print_json, start_stats
from field_sync import tone

from launcher.field import FieldClock, draw_link
from launcher.field.proxy import FieldProxy
from radio.broker import Mosquitto
from radio.protocol import PlayCommand, Targets, topics
from radio.protocol.clock import time_answer
from radio.protocol.messages import to_dict
from radio.protocol.signing import generate_private_key, public_key_pem, sign

ROOT = Path(__file__).resolve().parents[1]


class TimeAndMedia:
    """GET /time (the host clock: true time) and GET /media/<sha256>.mp3, on loopback."""

    def __init__(self, media: bytes) -> None:
        name = f"/media/{hashlib.sha256(media).hexdigest()}.mp3"

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/time":
                    body = json.dumps(time_answer()).encode()
                elif self.path == name:
                    body = media
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = int(self.server.server_address[1])
        self.media_url = f"http://127.0.0.1:{self.port}{name}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def node_toml(path: Path, account: Any, mqtt_port: int, time_port: int, pem_file: str, latency_ms: float,
              realtime: bool = True) -> Path:
    areas = ", ".join(f'"{a}"' for a in account.area_codes)
    path.write_text(
        f'node_id = "{account.node_id}"\npassword = "{account.password}"\nbroker_port = {mqtt_port}\n'
        f'area_codes = [{areas}]\npublic_key_file = "{pem_file}"\ncache_dir = "cache"\nstate_dir = "state"\n'
        f'server_url = "http://127.0.0.1:{time_port}"\nplayer = "sink"\nheartbeat_s = 2.0\ntime_source = "server"\n'
        f'reconnect_min_s = 1\nreconnect_max_s = 2\n'
        f'[player_options]\noutput_latency_ms = {latency_ms:.1f}\nsink_latency_ms = {latency_ms:.1f}\n'
        f'start_lead_ms = 800\nsink_log = "sink.jsonl"\nrealtime = {str(realtime).lower()}\n')
    return path


def run(n: int, warmup_s: float, lead_s: float, seed: int, realtime: bool = True) -> dict[str, Any]:
    rng = random.Random(seed)
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        accounts = make_accounts(n)
        broker = Mosquitto(work / "broker")
        broker.write_config(accounts)
        broker.start()
        key = generate_private_key(work / "server_ed25519.pem")
        (work / "server.pem").write_text(public_key_pem(key))
        media = tone(work / "tone.mp3").read_bytes()
        server = TimeAndMedia(media)
        proxy = FieldProxy()
        monitor = Monitor(broker)
        epoch = time.time()
        clocks: list[FieldClock] = []
        links = []
        try:
            for i, account in enumerate(accounts):
                node_dir = work / account.node_id
                node_dir.mkdir()
                link = draw_link(rng)
                links.append(link)
                clock = FieldClock(rng.uniform(-2, 2), rng.uniform(-50, 50), epoch=epoch)
                clocks.append(clock)
                cfg = node_toml(node_dir / "node.toml", account, proxy.route(link, broker.port),
                                proxy.route(link, server.port), str(work / "server.pem"), rng.uniform(5, 40), realtime)
                cmd = [sys.executable, "-m", "launcher.field.node_main", "--config", str(cfg),
                       "--offset-s", repr(clock.offset_s), "--drift-ppm", repr(clock.drift_ppm), "--epoch", repr(epoch)]
                if i < 2:  # two boxes get an NTP step of ±1 s between dispatch and air
                    step = (epoch + warmup_s + lead_s / 2, 1.0 if i == 0 else -1.0)
                    clock.steps.append(step)
                    cmd += ["--step", f"{step[0]!r}:{step[1]!r}"]
                with (node_dir / "agent.log").open("ab") as log:
                    procs.append(subprocess.Popen(cmd, cwd=node_dir, stdout=log, stderr=log,
                                                  env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}))
            time.sleep(max(0.0, epoch + warmup_s - time.time()))
            start_ms = int((time.time() + lead_s) * 1000)
            play = PlayCommand(id=str(uuid.uuid4()), bulletin_id=1, issued_at_ms=int(time.time() * 1000),
                               start_at_ms=start_ms, expires_at_ms=start_ms + 30_000, media_url=server.media_url,
                               sha256=hashlib.sha256(media).hexdigest(), duration_ms=1500, title="field",
                               targets=Targets(areas=("38001",)))
            payload = json.dumps(sign(to_dict(play), key), separators=(",", ":"), ensure_ascii=False).encode()
            monitor.publish(topics.area_cmd("38001"), payload, expiry_s=lead_s + 30)
            time.sleep(lead_s + 3)
            onsets: list[float] = []
            per_node: list[float | None] = []
            clock_errors: list[float | None] = []
            rt_starts = 0  # nodes whose start ran at real-time priority
            for account in accounts:
                log_path = work / account.node_id / "sink.jsonl"
                lines = log_path.read_text().splitlines() if log_path.exists() else []
                records = [r for r in map(json.loads, lines) if r["item_id"] == play.id]
                mine = [r["first_sample_at"] * 1000 for r in records]
                onsets += mine
                per_node.append(round(mine[0] - start_ms, 2) if mine else None)
                clock_errors.append(records[0].get("clock_error_ms") if records else None)
                rt_starts += bool(records and records[0].get("realtime"))
            started = monitor.count("started")
        finally:
            for p in procs:
                p.terminate()
            for p in procs:
                try:
                    p.wait(10)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait()
            monitor.close()
            proxy.close()
            server.close()
            broker.stop()
    t = start_ms / 1000
    stats = start_stats(onsets, start_ms)
    baseline = [(t - (c.wall_at(t) - t)) * 1000 for c in clocks]  # a node starting when its wall clock reads t
    offsets = [(c.wall_at(t) - t) * 1000 for c in clocks]
    return {
        "bench": "field_sync", "mode": "real-agents", "nodes": n, "started": len(onsets), "started_events": started,
        "skew_p99_ms": stats.get("skew_p99_ms"), "onset_error_p99_ms": stats.get("start_error_p99_ms"),
        "onset_error_max_ms": stats.get("start_error_max_ms"),
        "clock_offset_spread_ms": round(max(offsets) - min(offsets), 1),
        "baseline_skew_p99_ms": start_stats(baseline, start_ms)["skew_p99_ms"], "stepped": 2,
        "onset_error_per_node_ms": per_node,
        # onset error = wake-up lateness − time-base error: which of the two a node's error came from
        "clock_error_per_node_ms": clock_errors,
        "wake_late_per_node_ms": [round(o + e, 2) if o is not None and e is not None else None
                                  for o, e in zip(per_node, clock_errors, strict=True)],
        "realtime_starts": rt_starts,
        "links": [{"base_ms": round(lk.base_s * 1000), "asymmetry_ms": round(lk.asymmetry_s * 1000, 1)}
                  for lk in links],
        "warmup_s": warmup_s, "lead_s": lead_s, "seed": seed, "machine": machine(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=6)
    ap.add_argument("--warmup-s", type=float, default=40.0, help="heartbeats (time samples) before dispatch")
    ap.add_argument("--lead-s", type=float, default=8.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-realtime", action="store_true", help="start at ordinary priority (the comparison)")
    args = ap.parse_args()
    if not 2 <= args.nodes <= 50:
        ap.error("--nodes 2..50 (one process each)")
    print_json(run(args.nodes, args.warmup_s, args.lead_s, args.seed, not args.no_realtime))


if __name__ == "__main__":
    main()

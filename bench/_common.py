"""Helpers shared by the fan-out and dispatch benchmarks: accounts, real MP3 media, a monitoring MQTT
client, /proc sampling of CPU and memory, and the start-time statistics defined in docs/benchmarks.md."""

from __future__ import annotations

import json
import math
import os
import platform
import random
import secrets
import shutil
import subprocess
import sys
import threading
import time
import uuid
import wave
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import paho.mqtt.client as mqtt
from sqlalchemy.engine import make_url

from radio.broker import SCHEDULER_USER, Mosquitto, NodeAccount
from radio.mqtt import make_client, publish_props
from radio.protocol import decode_event, topics

CLK_TCK = os.sysconf("SC_CLK_TCK")
TEXT = "Thông báo của Ủy ban nhân dân xã Cẩm Tân. Đài truyền thanh xã kiểm tra hệ thống loa. Đề nghị bà con lắng nghe."


# --- accounts and media ----------------------------------------------------------------------------------
def make_accounts(n: int, commune: str = "38001", per_village: int = 15) -> list[NodeAccount]:
    """n nodes in one commune, `per_village` per village (a station has 10-17 clusters): all share the
    commune's group topic, so one publish reaches every node."""
    return [NodeAccount(f"n{commune}-{i + 1:05d}", secrets.token_urlsafe(12),
                        (f"{commune}-{i // per_village + 1:03d}", commune, commune[:2])) for i in range(n)]


def make_mp3(text: str, workdir: Path) -> tuple[bytes, int]:
    """Real broadcast-style MP3 bytes (espeak-ng Vietnamese → ffmpeg, mono 44.1 kHz 64 kbps) and duration."""
    workdir.mkdir(parents=True, exist_ok=True)
    wav, mp3 = workdir / "speech.wav", workdir / "speech.mp3"
    subprocess.run(["espeak-ng", "-v", "vi", "-w", str(wav), text], check=True, capture_output=True)
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(wav), "-ac", "1", "-ar", "44100", "-b:a", "64k",
                    str(mp3)], check=True, capture_output=True)
    with wave.open(str(wav)) as w:
        duration_ms = int(w.getnframes() * 1000 / w.getframerate())
    return mp3.read_bytes(), duration_ms


class MediaServer:
    """Serves one file at /media/<sha256>.mp3 on loopback and counts requests."""

    def __init__(self, data: bytes, sha256: str) -> None:
        self.requests = 0
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.requests += 1
                if self.path != f"/media/{sha256}.mp3":
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "audio/mpeg")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/media/{sha256}.mp3"
        threading.Thread(target=self.server.serve_forever, name="media", daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --- the server side of MQTT -----------------------------------------------------------------------------
class Monitor:
    """Subscribes to all node events (and heartbeats) as the scheduler user; publishes commands."""

    def __init__(self, broker: Mosquitto, *, heartbeats: bool = False) -> None:
        self.kinds: Counter[str] = Counter()
        self.heartbeats = 0
        self.started_at: dict[str, int] = {}  # node id → at_ms of its "started" event
        self._lock = threading.Lock()
        self.client = make_client(f"bench-monitor-{os.getpid()}", SCHEDULER_USER,
                                  broker.service_passwords[SCHEDULER_USER])
        subscribed = threading.Event()
        subs = [(topics.ALL_EVENTS, 1)] + ([(topics.ALL_HEARTBEATS, 1)] if heartbeats else [])
        self.client.on_connect = lambda c, *a: c.subscribe(subs)
        self.client.on_subscribe = lambda *a: subscribed.set()
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()
        if not subscribed.wait(10):
            raise RuntimeError("monitor could not subscribe")

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        if msg.topic.endswith("/heartbeat"):
            with self._lock:
                self.heartbeats += 1
            return
        event = decode_event(bytes(msg.payload))
        with self._lock:
            self.kinds[str(event.kind)] += 1
            if event.kind == "started":
                self.started_at[event.node_id] = event.at_ms

    def publish(self, topic: str, payload: bytes, expiry_s: float) -> None:
        self.client.publish(topic, payload, qos=1, properties=publish_props(expiry_s)).wait_for_publish(10)

    def count(self, kind: str) -> int:
        with self._lock:
            return self.kinds[kind]

    def wait_count(self, kind: str, n: int, timeout_s: float) -> int:
        deadline = time.monotonic() + timeout_s
        while self.count(kind) < n and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.count(kind)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


# --- /proc sampling --------------------------------------------------------------------------------------
def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


@dataclass
class CpuWindow:
    """CPU use of some processes between start() and stop(), as % of one core."""

    pids: list[int]

    def start(self) -> CpuWindow:
        self.t0 = time.monotonic()
        self.c0 = {p: cpu_seconds(p) for p in self.pids}
        return self

    def stop(self) -> dict[int, float]:
        dt = time.monotonic() - self.t0
        return {p: round(100 * (cpu_seconds(p) - self.c0[p]) / dt, 1) for p in self.pids}


# --- statistics ------------------------------------------------------------------------------------------
def percentile(values: list[float], q: float) -> float:
    """Nearest-rank percentile (no interpolation: the p99 is a value that was actually observed)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q / 100 * len(ordered)) - 1)]


def start_stats(starts_ms: list[float], scheduled_ms: float) -> dict[str, float]:
    """Skew = |difference of actual start| over pairs of nodes (what a listener between two loudspeakers
    hears); p99 over all pairs (a random 3,000 nodes above that). Spread = max - min (the worst pair).
    Start error = actual start - scheduled start."""
    if not starts_ms:
        return {}
    sample = starts_ms if len(starts_ms) <= 3000 else random.Random(1).sample(starts_ms, 3000)
    ordered = sorted(sample)
    pairs = [ordered[j] - ordered[i] for i in range(len(ordered)) for j in range(i + 1, len(ordered))]
    errors = [s - scheduled_ms for s in starts_ms]
    return {
        "skew_p99_ms": round(percentile(pairs, 99), 3) if pairs else 0.0,
        "spread_ms": round(max(starts_ms) - min(starts_ms), 3),
        "start_error_p50_ms": round(percentile(errors, 50), 3),
        "start_error_p99_ms": round(percentile([abs(e) for e in errors], 99), 3),
        "start_error_max_ms": round(max(abs(e) for e in errors), 3),
    }


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    mosq = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    out = subprocess.run([mosq, "-h"], capture_output=True, text=True).stdout.splitlines()
    version = out[0].strip() if out else "mosquitto"
    return f"{os.cpu_count()} cores ({cpu}), {mem_gb:.0f} GB RAM, Linux {platform.release()}, " \
           f"Python {platform.python_version()}, {version}"


def print_json(obj: dict[str, Any]) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


@contextmanager
def scratch_database(db: str | None, workdir: Path, keep: bool = False) -> Iterator[str]:
    """A fresh database URL: a SQLite file under workdir, or a new PostgreSQL database dropped afterwards (kept
    with `keep`, its name printed on stderr, to time it again without generating it again)."""
    if not db:
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    import psycopg

    url = make_url(db)
    name = f"radio_bench_{uuid.uuid4().hex[:8]}"
    admin = dict(host=url.host, port=url.port or 5432, user=url.username, password=url.password,
                 dbname=url.database or "postgres", autocommit=True)
    with psycopg.connect(**admin) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        if keep:
            print(f"kept PostgreSQL database {name} (drop it with: DROP DATABASE {name})", file=sys.stderr)
        else:
            with psycopg.connect(**admin) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

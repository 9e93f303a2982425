"""The load simulator on a real Mosquitto: signed commands start every virtual node together; forged ones
are refused by every node. Small (50 nodes, 2 processes) and bounded, so it runs with the unit tests."""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from launcher.sim import Simulator
from radio.broker import SCHEDULER_USER, Mosquitto, NodeAccount
from radio.mqtt import make_client, publish_props
from radio.protocol import PlayCommand, Targets, decode_event, topics
from radio.protocol.messages import to_dict
from radio.protocol.signing import public_key_pem, sign

pytestmark = [pytest.mark.integration, pytest.mark.timeout(60)]

NODES = 50
COMMUNE = "38001"
MEDIA = secrets.token_bytes(20_000)  # the nodes only hash it; the benches serve real MP3
SHA = hashlib.sha256(MEDIA).hexdigest()


def accounts(n: int = NODES) -> list[NodeAccount]:
    return [NodeAccount(f"n{COMMUNE}-{i + 1:04d}", secrets.token_urlsafe(12),
                        (f"{COMMUNE}-{i % 5 + 1:02d}", COMMUNE, "38")) for i in range(n)]


@pytest.fixture
def media_url() -> Iterator[str]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Length", str(len(MEDIA)))
            self.end_headers()
            self.wfile.write(MEDIA)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/media/{SHA}.mp3"
    server.shutdown()
    server.server_close()


class Monitor:
    """The server side: publishes commands and collects node events, as the scheduler would."""

    def __init__(self, broker: Mosquitto) -> None:
        self.events: list[Any] = []
        self._lock = threading.Lock()
        self.client = make_client("test-monitor", SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
        self.client.on_message = self._on_message
        subscribed = threading.Event()
        self.client.on_subscribe = lambda *a: subscribed.set()
        self.client.on_connect = lambda c, *a: c.subscribe(topics.ALL_EVENTS, qos=1)
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()
        assert subscribed.wait(10)

    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        with self._lock:
            self.events.append(decode_event(bytes(msg.payload)))

    def publish(self, topic: str, command: dict[str, Any]) -> None:
        self.client.publish(topic, encode_obj(command), qos=1, properties=publish_props(30)).wait_for_publish(5)

    def wait_for(self, predicate: Callable[[list[Any]], bool], timeout: float) -> list[Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if predicate(self.events):
                    return list(self.events)
            time.sleep(0.05)
        with self._lock:
            return list(self.events)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def encode_obj(obj: dict[str, Any]) -> bytes:
    import json

    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()


def play_command(key: Ed25519PrivateKey, url: str, start_in_s: float, duration_ms: int = 400,
                 targets: Targets | None = None) -> dict[str, Any]:
    now = int(time.time() * 1000)
    start = now + int(start_in_s * 1000)
    cmd = PlayCommand(id=str(uuid.uuid4()), bulletin_id=7, issued_at_ms=now, start_at_ms=start,
                      expires_at_ms=start + duration_ms + 5000, media_url=url, sha256=SHA, duration_ms=duration_ms,
                      title="Kiểm tra", targets=targets or Targets(areas=(COMMUNE,)))
    return sign(to_dict(cmd), key)


@pytest.fixture
def running(broker_factory: Any) -> Iterator[tuple[Mosquitto, Simulator, Monitor, Ed25519PrivateKey]]:
    accts = accounts()
    broker = broker_factory(accts)
    key = Ed25519PrivateKey.generate()
    sim = Simulator()
    monitor = Monitor(broker)
    try:
        sim.start(accts, broker.port, public_key_pem(key), procs=2, connect_rate=1000, heartbeat_s=1.0)
        sim.wait_connected(timeout=20)
        yield broker, sim, monitor, key
    finally:
        sim.stop()
        monitor.close()


def test_signed_command_starts_every_node_together(running: Any, media_url: str) -> None:
    _, sim, monitor, key = running
    cmd = play_command(key, media_url, start_in_s=1.5)
    # Twice on the area topic and once on a node's own topic: QoS 1 duplicates are dropped by id.
    monitor.publish(topics.area_cmd(COMMUNE), cmd)
    monitor.publish(topics.area_cmd(COMMUNE), cmd)
    monitor.publish(topics.node_cmd(f"n{COMMUNE}-0001"), cmd)
    events = monitor.wait_for(lambda ev: sum(e.kind == "finished" for e in ev) >= NODES, timeout=15)

    results = sim.results()
    starts = [r.started_at_ms[cmd["id"]] for r in results.values() if cmd["id"] in r.started_at_ms]
    assert len(starts) == NODES
    spread = max(starts) - min(starts)
    error = max(starts) - cmd["start_at_ms"]
    print(f"50 nodes: spread {spread:.2f} ms, worst start error {error:.2f} ms")
    assert min(starts) >= cmd["start_at_ms"]  # never early
    assert spread < 10 and error < 20  # benches measure the real numbers (docs/benchmarks.md)

    by_kind: dict[str, set[str]] = {}
    for e in events:
        by_kind.setdefault(str(e.kind), set()).add(e.event_id)
    for kind in ("received", "started", "finished"):
        assert by_kind.get(kind) == {f"{r}:{cmd['id']}:{kind}" for r in results}, kind
    assert sum(e.kind == "started" for e in events) == NODES  # each node started once
    assert sim.status().heartbeats > 0


def test_forged_command_is_rejected_by_every_node(running: Any, media_url: str) -> None:
    _, sim, monitor, key = running
    forged = play_command(Ed25519PrivateKey.generate(), media_url, start_in_s=1.0)
    monitor.publish(topics.area_cmd(COMMUNE), forged)
    tampered = play_command(key, media_url, start_in_s=1.0)
    tampered["start_at_ms"] += 1  # a valid signature over other bytes
    monitor.publish(topics.area_cmd(COMMUNE), tampered)
    events = monitor.wait_for(lambda ev: sum(e.kind == "rejected" for e in ev) >= 2 * NODES, timeout=10)
    time.sleep(1.5)  # past the would-be start

    rejected = {e.event_id for e in events if e.kind == "rejected"}
    results = sim.results()
    for cmd in (forged, tampered):
        assert {f"{node}:{cmd['id']}:rejected" for node in results} <= rejected
    assert all(not r.started_at_ms and not r.received_at_ms for r in results.values())
    assert all(reason == "bad or missing signature" for r in results.values() for _, reason in r.rejected)


def test_media_with_wrong_hash_fails_and_never_plays(running: Any, media_url: str) -> None:
    _, sim, monitor, key = running
    cmd = play_command(key, media_url, start_in_s=1.0)
    cmd.pop("sig")
    cmd["sha256"] = "0" * 64  # signed by the server, but the bytes served do not match
    cmd = sign(cmd, key)
    monitor.publish(topics.area_cmd(COMMUNE), cmd)
    events = monitor.wait_for(lambda ev: sum(e.kind == "failed" for e in ev) >= NODES, timeout=10)
    time.sleep(1.2)  # past the would-be start

    assert sum(e.kind == "failed" and "sha256 mismatch" in e.detail for e in events) == NODES
    assert all(not r.started_at_ms for r in sim.results().values())


@pytest.mark.security
def test_village_command_on_the_commune_topic_plays_only_in_that_village(running: Any, media_url: str) -> None:
    _, sim, monitor, key = running
    cmd = play_command(key, media_url, start_in_s=1.5, targets=Targets(areas=(f"{COMMUNE}-02",)))
    monitor.publish(topics.area_cmd(COMMUNE), cmd)  # a replay on the wider topic, as an attacker would
    in_village = {a.node_id for a in accounts() if a.area_codes[0] == f"{COMMUNE}-02"}
    events = monitor.wait_for(lambda ev: sum(e.kind in ("finished", "rejected") for e in ev) >= NODES, timeout=15)

    results = sim.results()
    assert {n for n, r in results.items() if cmd["id"] in r.started_at_ms} == in_village
    rejected = {e.node_id for e in events if e.kind == "rejected"}
    assert rejected == set(results) - in_village
    assert all(r.rejected == [(cmd["id"], f"not addressed to this node (targets: {COMMUNE}-02)")]
               for n, r in results.items() if n not in in_village)
    assert all(e.clock_offset_ms == 0 for e in events)  # simulated nodes run on the server's clock

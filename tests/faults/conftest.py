"""Fault-injection fixtures: a signing key, a media server, a broker-side observer, node agents on demand."""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from pathlib import Path

import pytest

# The fake clock, media server and link cutter are shared with the unit tests in tests/node.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "node"))

from node_support import MediaServer

from radio.broker import SCHEDULER_USER, Mosquitto, NodeAccount
from radio.mqtt import make_client, publish_props
from radio.node.agent import NodeAgent
from radio.node.config import NodeConfig
from radio.protocol import decode_event, decode_heartbeat, topics
from radio.protocol.signing import generate_private_key, public_key_pem


@pytest.fixture
def key(tmp_path):
    return generate_private_key(tmp_path / "server_ed25519.pem")


@pytest.fixture
def media():
    server = MediaServer()
    yield server
    server.close()


class Observer:
    """The server's view of the broker: every event, heartbeat and status, plus a signed-command publisher."""

    def __init__(self, broker: Mosquitto) -> None:
        self.events: list = []
        self.heartbeats: list = []
        self.raw_counts: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.client = make_client("observer", SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
        ready = threading.Event()
        self.client.on_connect = lambda c, *a: (c.subscribe([(topics.ALL_EVENTS, 1), (topics.ALL_HEARTBEATS, 0)]),
                                                ready.set())
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()
        assert ready.wait(5)

    def _on_message(self, client, userdata, msg) -> None:
        with self.lock:
            if msg.topic.endswith("/event"):
                event = decode_event(msg.payload)
                self.raw_counts[event.event_id] += 1
                self.events.append(event)
            elif msg.topic.endswith("/heartbeat"):
                self.heartbeats.append(decode_heartbeat(msg.payload))

    def kinds(self, command_id: str) -> list[tuple[str, int]]:
        """Distinct (kind, attempt) of a command's events, in arrival order (re-sends collapse, as on the server)."""
        seen: dict[str, tuple[str, int]] = {}
        with self.lock:
            for e in self.events:
                if e.command_id == command_id:
                    seen.setdefault(e.event_id, (e.kind.value, e.attempt))
        return list(seen.values())

    def event(self, command_id: str, kind: str, attempt: int = 1):
        with self.lock:
            return next((e for e in self.events if e.command_id == command_id and e.kind == kind
                         and e.attempt == attempt), None)

    def publish(self, topic: str, payload: bytes, expiry_s: float = 60) -> None:
        self.client.publish(topic, payload, qos=1, properties=publish_props(expiry_s)).wait_for_publish(5)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


@pytest.fixture
def observer_factory():
    made: list[Observer] = []

    def make(broker: Mosquitto) -> Observer:
        obs = Observer(broker)
        made.append(obs)
        return obs

    yield make
    for obs in made:
        obs.close()


@pytest.fixture
def node_factory(tmp_path, key):
    """NodeAgents with their own cache and state under tmp_path, stopped after the test."""
    agents: list[NodeAgent] = []

    def make(account: NodeAccount, port: int, *, start: bool = True, clock=time.time, **overrides) -> NodeAgent:
        node_dir = tmp_path / "nodes" / account.node_id
        values = {"node_id": account.node_id, "password": account.password, "broker_port": port,
                  "area_codes": account.area_codes, "public_key_pem": public_key_pem(key),
                  "cache_dir": node_dir / "cache", "player": "file",
                  "player_options": {"out_dir": str(node_dir / "played")},
                  "reconnect_min_s": 1, "reconnect_max_s": 1} | overrides
        agent = NodeAgent(NodeConfig(**values), clock=clock)  # clock: the box's own clock, possibly wrong
        if start:
            agent.start()
        agents.append(agent)
        return agent

    yield make
    for agent in agents:
        if not agent._dead:
            agent.kill()

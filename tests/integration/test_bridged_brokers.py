"""Two real Mosquitto processes bridged as `radio broker bridges` generates them (radio/bridges.py).

Commands published on the central broker reach a node on the district broker; node reports published on the
district broker reach the scheduler's session on the central broker; a restart of the district broker in the middle
of a stream of events and commands loses nothing (the duplicates QoS 1 allows are counted: the ingest stores each
event id once, see tests/deploy/).
"""

from __future__ import annotations

import os
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from radio.bridges import AreaRow, BridgeTree, BrokerSpec, generate, plan
from radio.broker import SCHEDULER_USER, Mosquitto, free_port, hash_password
from radio.mqtt import make_client, session_props
from radio.protocol import topics

pytestmark = pytest.mark.integration

AREAS = [AreaRow(1, "38", None), AreaRow(2, "38001", 1), AreaRow(3, "38001-01", 2), AreaRow(4, "38002", 1),
         AreaRow(5, "38002-01", 4), AreaRow(6, "38002-02", 4)]
NODES = [("n38001-010", 3), ("n38002-010", 5), ("n38002-020", 6)]
PASSWORDS = {SCHEDULER_USER: "pw-scheduler", "n38001-010": "pw-a", "n38002-010": "pw-b", "n38002-020": "pw-c"}


class Client:
    """A persistent MQTT 5 session (clean_start False) that records what it receives."""

    def __init__(self, port: int, user: str, subscriptions: list[str]) -> None:
        self.received: list[tuple[str, bytes]] = []
        self.lock = threading.Lock()
        self.subscribed = threading.Event()
        self.client = make_client(user, user, PASSWORDS[user])
        self.client.on_connect = lambda c, *a: c.subscribe([(t, 1) for t in subscriptions])
        self.client.on_subscribe = lambda *a: self.subscribed.set()
        self.client.on_message = self._on_message
        self.client.connect("127.0.0.1", port, clean_start=False, properties=session_props(3600))
        self.client.loop_start()
        assert self.subscribed.wait(10), f"{user} could not subscribe"

    def _on_message(self, client: Any, userdata: Any, msg: Any) -> None:
        with self.lock:
            self.received.append((msg.topic, bytes(msg.payload)))

    def payloads(self) -> Counter[bytes]:
        with self.lock:
            return Counter(p for _t, p in self.received)

    def publish(self, topic: str, payload: bytes) -> Any:
        return self.client.publish(topic, payload, qos=1)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()


def wait_until(pred: Any, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return bool(pred())


@pytest.fixture
def bridged(tmp_path: Path):
    central_port, district_port = free_port(), free_port()
    tree = BridgeTree(BrokerSpec("central", "127.0.0.1", central_port),
                      (BrokerSpec("huyen-a", "127.0.0.1", district_port, areas=("38002",)),))
    plans = plan(tree, AREAS, NODES)
    out = tmp_path / "brokers"
    hashes = {u: hash_password(p) for u, p in PASSWORDS.items()}
    # As radio.broker does: root's Mosquitto would drop to the 'mosquitto' user, who cannot read tmp_path.
    assert generate(tree, plans, hashes, out, run_as="root" if os.geteuid() == 0 else None) == []
    central = Mosquitto(out / "central", port=central_port)
    district = Mosquitto(out / "huyen-a", port=district_port)
    central.start()
    district.start()
    yield central, district, plans
    district.stop()
    central.stop()


def test_the_tree_puts_each_node_on_the_broker_of_its_area(bridged):
    _central, _district, plans = bridged
    assert [n.node_id for n in plans["central"].nodes] == ["n38001-010"]
    assert [n.node_id for n in plans["huyen-a"].nodes] == ["n38002-010", "n38002-020"]
    assert plans["huyen-a"].codes == {"38002", "38002-01", "38002-02"}
    assert plans["huyen-a"].above == {"38"}  # province-wide commands must come down too


def test_commands_go_down_and_reports_go_up_across_the_bridge(bridged):
    central, district, _plans = bridged
    scheduler = Client(central.port, SCHEDULER_USER, [topics.ALL_EVENTS, topics.ALL_HEARTBEATS])
    node_b = Client(district.port, "n38002-010", [topics.node_cmd("n38002-010"), topics.area_cmd("38002-01"),
                                                  topics.area_cmd("38002"), topics.area_cmd("38")])
    node_a = Client(central.port, "n38001-010", [topics.area_cmd("38001"), topics.area_cmd("38")])
    try:
        time.sleep(1.0)  # the bridge subscribes on the central broker once connected
        for topic in (topics.area_cmd("38002"), topics.area_cmd("38"), topics.node_cmd("n38002-010"),
                      topics.area_cmd("38001")):
            scheduler.publish(topic, topic.encode()).wait_for_publish(5)
        assert wait_until(lambda: len(node_b.received) >= 3, 10)
        time.sleep(0.5)
        assert sorted(t for t, _p in node_b.received) == sorted(
            [topics.area_cmd("38002"), topics.area_cmd("38"), topics.node_cmd("n38002-010")])
        assert wait_until(lambda: len(node_a.received) >= 2, 5)
        node_b.publish(topics.node_event("n38002-010"), b"event-1").wait_for_publish(5)
        node_b.publish(topics.node_heartbeat("n38002-010"), b"hb-1").wait_for_publish(5)
        assert wait_until(lambda: len(scheduler.received) >= 2, 10)
        assert sorted(scheduler.received) == [(topics.node_event("n38002-010"), b"event-1"),
                                              (topics.node_heartbeat("n38002-010"), b"hb-1")]
        # The district broker's ACL still confines its nodes: node B cannot report as node C.
        node_b.publish(topics.node_event("n38002-020"), b"forged").wait_for_publish(5)
        time.sleep(1.0)
        assert b"forged" not in scheduler.payloads()
    finally:
        for c in (scheduler, node_b, node_a):
            c.close()


def test_a_district_broker_restart_mid_stream_loses_nothing(bridged):
    central, district, _plans = bridged
    scheduler = Client(central.port, SCHEDULER_USER, [topics.ALL_EVENTS])
    node_b = Client(district.port, "n38002-010", [topics.area_cmd("38002")])
    try:
        time.sleep(1.0)
        sent: list[bytes] = []
        for i in range(300):
            payload = f"event-{i}".encode()
            # A node's outbox keeps an event until PUBACK; paho's session resends the unacknowledged on reconnect.
            node_b.publish(topics.node_event("n38002-010"), payload)
            sent.append(payload)
            if i == 100:
                district.stop()  # SIGTERM: Mosquitto saves its sessions and queues, as on a service restart
                # A command published while the district broker is away is queued for the bridge's session.
                scheduler.publish(topics.area_cmd("38002"), b"command-while-down").wait_for_publish(5)
            if i == 150:
                district.start()
            time.sleep(0.005)
        assert wait_until(lambda: set(sent) <= set(scheduler.payloads()), 60), \
            f"lost: {len(set(sent) - set(scheduler.payloads()))} of {len(sent)}"
        assert wait_until(lambda: b"command-while-down" in node_b.payloads(), 30)
        doubled = sum(n - 1 for n in scheduler.payloads().values() if n > 1)
        assert doubled <= 40  # QoS 1 may resend what was in flight at the restart (≤ the inflight window each way)
    finally:
        scheduler.close()
        node_b.close()

"""The scheduler's receiving client (scheduler/mqtt_receive.py): buffered reads, its own PUBLISH decoding and
acknowledgements in one write must deliver exactly what stock paho delivers, against a real Mosquitto."""

from __future__ import annotations

import random
import socket
import threading
import time

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from radio.broker import SCHEDULER_USER, Mosquitto
from radio.mqtt import make_client
from radio.protocol import topics
from scheduler.mqtt_receive import RECV_CHUNK, BufferedSocket, ReceivingClient
from scheduler.transport import Delivery, MqttTransport

pytestmark = pytest.mark.integration
PUBLISHER = "test-publisher"


class CountingSocket:
    """A socket end that counts recv calls."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock, self.calls = sock, 0

    def recv(self, n: int) -> bytes:
        self.calls += 1
        return self.sock.recv(n)

    def __getattr__(self, name: str):
        return getattr(self.sock, name)


def test_small_reads_are_served_from_one_socket_read() -> None:
    a, b = socket.socketpair()
    with a, b:
        data = bytes(range(256)) * 40  # 10,240 bytes, under one chunk
        a.sendall(data)
        inner = CountingSocket(b)
        sock = BufferedSocket(inner)
        got = sock.recv(1) + sock.recv(1) + sock.recv(3000)
        assert sock.pending() == len(data) - 3002
        got += sock.recv(len(data))  # asks for more than is buffered: only the rest, no further read
        assert got == data and inner.calls == 1 and sock.pending() == 0


def test_reads_larger_than_a_chunk_and_the_end_of_the_stream() -> None:
    a, b = socket.socketpair()
    b.setblocking(False)
    sock = BufferedSocket(b)
    with pytest.raises(BlockingIOError):  # nothing yet: the socket's own error, as paho expects it
        sock.recv(1)
    data = random.Random(7).randbytes(3 * RECV_CHUNK + 17)
    threading.Thread(target=lambda: (a.sendall(data), a.close())).start()
    got = bytearray()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            part = sock.recv(5000)
        except BlockingIOError:
            time.sleep(0.001)
            continue
        if not part:
            break  # end of file comes through as b""
        got += part
    assert bytes(got) == data
    sock.close()


def _publisher(port: int, password: str) -> mqtt.Client:
    client = make_client(PUBLISHER, PUBLISHER, password)
    client.connect("127.0.0.1", port)
    client.loop_start()
    return client


def _receiver(broker: Mosquitto, received: list[Delivery]) -> MqttTransport:
    transport = MqttTransport("127.0.0.1", broker.port, SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
    transport.handler = received.append
    transport.start()
    return transport


def _wait(cond, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not cond() and time.monotonic() < deadline:
        time.sleep(0.01)


def test_a_mixed_burst_arrives_whole_in_order_and_acknowledged_once(broker_factory) -> None:
    """Sizes across chunk boundaries and messages with properties (decoded by paho), queued by the broker while
    the scheduler was away, then a live mix of QoS 0 heartbeats and QoS 1 events: every one arrives once, in
    order, intact, and after ack_many none comes back on the next connection."""
    broker = broker_factory([], persistence=False, service_passwords={PUBLISHER: "pub-secret"})
    received: list[Delivery] = []
    first = _receiver(broker, received)
    first.stop()  # the persistent session now queues (QoS 1 only) for the scheduler
    rng = random.Random(13)

    def burst(count: int, *, heartbeats: bool) -> list[tuple[str, bytes, int]]:
        sent, infos = [], []
        for i in range(count):
            size = rng.choice([0, 1, 90, 300, 5000, RECV_CHUNK - 3, RECV_CHUNK + 11, 200_000])
            payload = rng.randbytes(size)
            props = None
            if i % 7 == 0:
                props = Properties(PacketTypes.PUBLISH)
                props.UserProperty = ("k", str(i))
            if heartbeats and i % 5 == 0:  # the scheduler takes heartbeats at QoS 0, whatever the publisher used
                topic, qos = topics.node_heartbeat(f"n{i % 9}"), 0
            else:
                topic, qos = topics.node_event(f"n{i % 9}"), 1
            infos.append(pub.publish(topic, payload, qos=1, properties=props))
            sent.append((topic, payload, qos))
        for info in infos:
            info.wait_for_publish(timeout=30)
        return sent

    pub = _publisher(broker.port, "pub-secret")
    queued = burst(1200, heartbeats=False)
    transport = _receiver(broker, received)
    _wait(lambda: len(received) >= len(queued))
    live = burst(800, heartbeats=True)
    _wait(lambda: len(received) >= len(queued) + len(live))
    pub.disconnect()
    pub.loop_stop()
    assert [(d.topic, d.payload, d.qos) for d in received] == queued + live
    assert all(not d.retain for d in received)
    transport.ack_many(received)
    time.sleep(0.5)  # the PUBACKs reach the broker
    transport.stop()

    again: list[Delivery] = []
    third = _receiver(broker, again)
    time.sleep(1.5)
    third.stop()
    assert again == []


def test_only_acknowledged_messages_are_forgotten_by_the_broker(broker_factory) -> None:
    broker = broker_factory([], persistence=False, service_passwords={PUBLISHER: "pub-secret"})
    _receiver(broker, []).stop()  # the session and its subscription exist before anything is published
    received: list[Delivery] = []
    transport = _receiver(broker, received)
    pub = _publisher(broker.port, "pub-secret")
    for i in range(200):
        pub.publish(topics.node_event("n1"), f"event {i}".encode(), qos=1).wait_for_publish(timeout=10)
    pub.disconnect()
    pub.loop_stop()
    _wait(lambda: len(received) == 200)
    assert len(received) == 200
    stale = Delivery(received[150].topic, received[150].payload, 1, False, received[150].mid, generation=0)
    transport.ack_many([*received[:100], stale])  # a delivery of an earlier connection is not acknowledged here
    time.sleep(0.5)
    transport.stop()

    again: list[Delivery] = []
    second = _receiver(broker, again)
    _wait(lambda: len(again) >= 100, timeout_s=10)
    time.sleep(0.5)
    second.stop()
    assert [d.payload for d in again] == [f"event {i}".encode() for i in range(100, 200)]


def test_per_topic_callbacks_still_go_through_paho(broker_factory) -> None:
    """message_callback_add keeps paho's own dispatch (topic matching) on this client."""
    broker = broker_factory([], persistence=False, service_passwords={PUBLISHER: "pub-secret"})
    client = make_client("scheduler", SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER],
                         client_class=ReceivingClient)
    filtered: list[bytes] = []
    other: list[bytes] = []
    client.message_callback_add(topics.node_event("n1"), lambda c, u, m: filtered.append(m.payload))
    client.on_message = lambda c, u, m: other.append(m.payload)
    client.on_connect = lambda c, u, f, rc, p: c.subscribe(f"{topics.ROOT}/#", qos=1)
    client.connect("127.0.0.1", broker.port)
    client.loop_start()
    time.sleep(0.5)
    pub = _publisher(broker.port, "pub-secret")
    pub.publish(topics.node_event("n1"), b"one", qos=1).wait_for_publish(timeout=10)
    pub.publish(topics.node_event("n2"), b"two", qos=1).wait_for_publish(timeout=10)
    _wait(lambda: filtered and other)
    client.disconnect()
    client.loop_stop()
    pub.disconnect()
    pub.loop_stop()
    assert filtered == [b"one"] and other == [b"two"]

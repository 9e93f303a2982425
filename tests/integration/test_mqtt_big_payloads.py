"""8 MB payloads (issue 10): a node with its own credentials sends an 8 MB PUBLISH on its event topic, raw on the
socket as a hostile client would (paho might refuse it before the wire); Mosquitto drops that connection
(max_packet_size). A payload under the broker's limit but over the protocol's reaches the ingest, which refuses
it as malformed. Ingest keeps storing the good events of twelve nodes, on SQLite and PostgreSQL."""

from __future__ import annotations

import socket
import struct
import time

import pytest
from sqlalchemy import func, select

from ingest_support import NodeClient, account, dispatched, event, node_id, now_ms, payload, wait_for
from radio.broker import MAX_PACKET_BYTES, SCHEDULER_USER
from radio.db.models import NodeEventRow
from radio.db.session import make_engine, make_sessionmaker
from radio.protocol import EventKind, topics
from radio.protocol.messages import MAX_PAYLOAD_BYTES
from scheduler.ingest_process import ProcessIngest
from scheduler.transport import MqttTransport

pytestmark = [pytest.mark.integration, pytest.mark.security]
A = [node_id("38001", i) for i in range(12)]
EIGHT_MB = 8 * 1024 * 1024


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        n, digit = n >> 7, n & 0x7F
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _str(s: str) -> bytes:
    raw = s.encode()
    return struct.pack("!H", len(raw)) + raw


def _raw_publish(port: int, user: str, password: str, topic: str, body: bytes, wait_s: float = 10) -> bytes:
    """CONNECT (MQTT 5) then one QoS 0 PUBLISH; returns what the broker sent back after the PUBLISH."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        variable = _str("MQTT") + bytes([5, 0xC2]) + struct.pack("!H", 30) + _varint(0)
        connect = variable + _str(user) + _str(user) + _str(password)
        sock.sendall(b"\x10" + _varint(len(connect)) + connect)
        connack = sock.recv(64)
        assert connack[:1] == b"\x20" and connack[3] == 0, connack  # accepted: these are real credentials
        packet = _str(topic) + _varint(0) + body
        try:
            sock.sendall(b"\x30" + _varint(len(packet)) + packet)
        except OSError:
            return b""  # closed while we were still sending
        sock.settimeout(wait_s)
        try:
            return sock.recv(64)  # a DISCONNECT (0xE0, 0x95 packet too large) or the closed socket's b""
        except OSError:
            return b""


def _count(sessions) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(NodeEventRow))


def test_eight_megabyte_payloads_are_refused_and_ingest_goes_on(tmp_path, broker_factory, db_url):
    assert MAX_PACKET_BYTES < EIGHT_MB and MAX_PAYLOAD_BYTES < MAX_PACKET_BYTES
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    cid = dispatched(sessions, tmp_path, villages=12)
    broker = broker_factory([account(n) for n in A])
    transport = MqttTransport("127.0.0.1", broker.port, SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
    ingest = ProcessIngest(db_url, acker=transport.ack_many)
    ingest.start()
    transport.handler = ingest.on_delivery
    transport.start()
    x = account(A[0])
    clients: dict[str, NodeClient] = {}
    try:
        assert wait_for(lambda: transport.is_connected, 10)
        # 8 MB of a well-formed event's JSON padding: the broker cuts the connection, nothing is delivered.
        big = payload(event(x.node_id, cid, EventKind.STARTED, now_ms()), pad="A" * EIGHT_MB)
        assert len(big) > EIGHT_MB
        answer = _raw_publish(broker.port, x.node_id, x.password, topics.node_event(x.node_id), big)
        assert answer == b"" or answer[:1] == b"\xe0", answer[:8]
        time.sleep(1.0)
        assert ingest.health().get("malformed", 0) == 0 and _count(sessions) == 0  # never delivered
        # Twice the protocol's limit, under the broker's: delivered, refused by the ingest before parsing.
        mid = payload(event(x.node_id, cid, EventKind.STARTED, now_ms()), pad="A" * (2 * MAX_PAYLOAD_BYTES))
        assert MAX_PAYLOAD_BYTES < len(mid) < MAX_PACKET_BYTES
        answer = _raw_publish(broker.port, x.node_id, x.password, topics.node_event(x.node_id), mid, wait_s=1)
        assert answer[:1] != b"\xe0", answer[:8]  # QoS 0: the broker says nothing, it does not disconnect
        assert wait_for(lambda: ingest.health().get("malformed", 0) >= 1, 10), ingest.health()
        assert _count(sessions) == 0
        # The same node and eleven others, connected normally: every event stored, the writer never restarted.
        start = now_ms()
        clients = {n: NodeClient(broker, account(n)) for n in A}
        for n, c in clients.items():
            c.publish(payload(event(n, cid, EventKind.STARTED, start)))
        assert wait_for(lambda: _count(sessions) == 12, 20), _count(sessions)
        h = ingest.health()
        assert h["alive"] and h["restarts"] == 0, h
        assert transport.is_connected and transport.disconnects == 0
    finally:
        for c in clients.values():
            c.close()
        ingest.stop()
        transport.stop()
        engine.dispose()

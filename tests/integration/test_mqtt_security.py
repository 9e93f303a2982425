"""Broker-level security and liveness on a real Mosquitto with a password file and ACL."""

import threading
import time
from datetime import UTC, datetime

import paho.mqtt.client as mqtt
import pytest
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from sqlalchemy import func, select

from factories import make_commune
from ingest_support import dispatched
from radio.broker import SCHEDULER_USER, NodeAccount
from radio.db.models import Node, NodeEventRow
from radio.node.agent import NodeAgent
from radio.node.config import NodeConfig
from radio.protocol import EventKind, NodeEvent, encode, topics
from radio.protocol.signing import generate_private_key, public_key_pem
from scheduler.ingest_writer import EventIngest
from scheduler.transport import MqttTransport

pytestmark = [pytest.mark.integration, pytest.mark.security]

X = NodeAccount("n38001-010", "px", ("38001-01", "38001", "38"))
Y = NodeAccount("n38001-020", "py", ("38001-02", "38001", "38"))


def _client(client_id):
    return mqtt.Client(CallbackAPIVersion.VERSION2, client_id=client_id, protocol=MQTTProtocolVersion.MQTTv5)


def _connect(broker, user, password, client_id="t"):
    """Connect and return (client, reason_code) after CONNACK."""
    c = _client(client_id)
    if user is not None:
        c.username_pw_set(user, password)
    got = threading.Event()
    result = {}

    def on_connect(client, userdata, flags, rc, props):
        result["rc"] = rc
        got.set()

    c.on_connect = on_connect
    c.connect("127.0.0.1", broker.port)
    c.loop_start()
    assert got.wait(5)
    return c, result["rc"]


def _scheduler(broker, sessions):
    t = MqttTransport("127.0.0.1", broker.port, SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
    ingest = EventIngest(sessions, lambda: datetime.now(UTC), flush_s=0.01,
                         acker=t.ack_many)
    ingest.start()
    t.handler = ingest.on_delivery
    t.start()
    return t, ingest


def _wait(pred, timeout=5.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return True
        time.sleep(0.05)
    return pred()


def test_anonymous_and_wrong_password_clients_are_refused(broker_factory):
    broker = broker_factory([X])
    c, rc = _connect(broker, None, None)
    assert rc.is_failure
    c.loop_stop()
    c, rc = _connect(broker, X.node_id, "wrong")
    assert rc.is_failure
    c.loop_stop()
    c, rc = _connect(broker, X.node_id, X.password)
    assert not rc.is_failure
    c.disconnect()
    c.loop_stop()


def test_node_cannot_publish_as_another_node(broker_factory, sessions):
    broker = broker_factory([X, Y])
    transport, ingest = _scheduler(broker, sessions)
    try:
        c, _rc = _connect(broker, X.node_id, X.password, "x")
        acks = {}
        done = threading.Event()

        def on_publish(client, userdata, mid, reason_code, props):
            acks[mid] = reason_code
            done.set()

        c.on_publish = on_publish
        forged = NodeEvent("n38001-020:c:started", Y.node_id, EventKind.STARTED, 1, "c")
        info = c.publish(topics.node_event(Y.node_id), encode(forged), qos=1)
        assert done.wait(5)
        assert acks[info.mid].value == 135  # MQTT 5: not authorized
        # Reading the other node's commands is refused at delivery too.
        got = []
        c.on_message = lambda *a: got.append(a)
        c.subscribe(topics.node_cmd(Y.node_id), qos=1)
        c.subscribe(topics.area_cmd("38001-02"), qos=1)
        time.sleep(0.3)
        transport.publish(topics.node_cmd(Y.node_id), b"{}", expiry_s=10)
        transport.publish(topics.area_cmd("38001-02"), b"{}", expiry_s=10)
        time.sleep(0.5)
        assert got == []
        c.disconnect()
        c.loop_stop()
    finally:
        transport.stop()
        ingest.stop()
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(NodeEventRow)) == 0


def test_node_killed_without_disconnect_shows_offline(broker_factory, sessions, tmp_path):
    with sessions() as s:
        make_commune(s, villages=1)
        s.commit()
    account = NodeAccount("n38001-010", "px", ("38001-01",))
    broker = broker_factory([account])
    transport, ingest = _scheduler(broker, sessions)
    key = generate_private_key(tmp_path / "k.pem")
    # A short will delay: long enough to show a brief drop does not flap, short enough for a test.
    agent = NodeAgent(NodeConfig(node_id=account.node_id, password=account.password, broker_port=broker.port,
                                 area_codes=account.area_codes, public_key_pem=public_key_pem(key),
                                 cache_dir=tmp_path / "cache", player="null", will_delay_s=3))
    try:
        agent.start()

        def online():
            with sessions() as s:
                return s.get(Node, account.node_id).online

        assert _wait(online)
        agent.kill()  # socket closed, no DISCONNECT: the broker publishes the last will after the delay
        killed = time.monotonic()
        time.sleep(1.5)
        assert online(), "went offline before the will delay: a short 4G drop would flap"
        assert _wait(lambda: not online(), timeout=10)
        assert time.monotonic() - killed >= 2.5
    finally:
        transport.stop()
        ingest.stop()


def test_same_event_delivered_twice_over_mqtt_is_stored_once(broker_factory, sessions, tmp_path):
    cid = dispatched(sessions, tmp_path)
    broker = broker_factory([X])
    transport, ingest = _scheduler(broker, sessions)
    try:
        c, _rc = _connect(broker, X.node_id, X.password, "x")
        now = int(time.time() * 1000)
        ev = NodeEvent(f"{X.node_id}:{cid}:received", X.node_id, EventKind.RECEIVED, now, cid)
        for _ in range(2):
            c.publish(topics.node_event(X.node_id), encode(ev), qos=1).wait_for_publish(5)
        other = NodeEvent(f"{X.node_id}:{cid}:started", X.node_id, EventKind.STARTED, now + 1, cid)
        c.publish(topics.node_event(X.node_id), encode(other), qos=1).wait_for_publish(5)

        def count():
            with sessions() as s:
                return s.scalar(select(func.count()).select_from(NodeEventRow))

        assert _wait(lambda: count() == 2)
        time.sleep(0.3)
        assert count() == 2
        c.disconnect()
        c.loop_stop()
    finally:
        transport.stop()
        ingest.stop()


def test_broker_start_fails_when_its_port_is_taken(tmp_path):
    import socket

    from radio.broker import Mosquitto

    with socket.socket() as squatter:
        squatter.bind(("127.0.0.1", 0))
        squatter.listen()
        broker = Mosquitto(tmp_path / "b", port=squatter.getsockname()[1])
        broker.write_config([])
        with pytest.raises(RuntimeError, match="mosquitto"):
            broker.start(timeout_s=3)

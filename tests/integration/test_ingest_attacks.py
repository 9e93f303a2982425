"""Attacks from a node's own credentials on a real Mosquitto (issue 10 items 1, 2 and 3)."""

import threading
import time

import pytest
from sqlalchemy import func, select

from ingest_support import (
    NodeClient,
    account,
    dispatched,
    event,
    health,
    node_id,
    now_ms,
    payload,
    scheduler_process,
    wait_for,
    wait_healthy,
)
from radio.broker import SCHEDULER_USER
from radio.db.models import AsRun, NodeEventRow
from radio.db.session import make_engine, make_sessionmaker
from radio.mqtt import make_client
from radio.protocol import EventKind, topics
from scheduler.ingest_process import ProcessIngest
from scheduler.transport import MqttTransport

pytestmark = [pytest.mark.integration, pytest.mark.security]
A = [node_id("38001", i) for i in range(12)]
B = node_id("38002", 0)
NESTED_REVIEW = b"[" * 100_000 + b"]" * 100_000  # the review's message: 200 kB
NESTED_SMALL = b"[" * 20_000 + b"]" * 20_000  # under the size limit, deeper than the parser's stack


def _count(sessions, model=NodeEventRow):
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model))


def test_nested_json_and_retained_poison_do_not_stop_ingest(tmp_path, broker_factory, sqlite_url):
    sessions = make_sessionmaker(make_engine(sqlite_url))
    cid = dispatched(sessions, tmp_path, villages=12)
    broker = broker_factory([account(n) for n in A], service_passwords={SCHEDULER_USER: "s", "auditor": "a"})
    nodes = {n: NodeClient(broker, account(n)) for n in A}
    x = nodes[A[0]]
    scheduler = scheduler_process(tmp_path, broker, sqlite_url)
    try:
        x.publish(NESTED_REVIEW, retain=True)  # retained before any scheduler runs
        scheduler.start()
        wait_healthy(sessions, scheduler.proc.pid)
        x.publish(NESTED_REVIEW)
        x.publish(NESTED_SMALL)
        x.publish(NESTED_SMALL, retain=True)  # live and retained: refused, then cleared at the broker
        start = now_ms()
        for n, c in nodes.items():
            c.publish(payload(event(n, cid, EventKind.STARTED, start)))
        assert wait_for(lambda: _count(sessions) == 12, 20)

        def counted():  # the health record is rewritten every second
            h = health(sessions)["ingest"]
            return h.get("malformed", 0) >= 2 and h.get("retained", 0) >= 1 and h
        h = wait_for(counted, 10)
        assert h and h["restarts"] == 0 and h["alive"], health(sessions)
        # A restarted scheduler is not fed the retained poison again.
        scheduler.stop()
        scheduler.start()
        wait_healthy(sessions, scheduler.proc.pid)
        for n, c in nodes.items():
            c.publish(payload(event(n, cid, EventKind.FINISHED, start + 11_000, played_ms=11_000)))
        assert wait_for(lambda: _count(sessions) == 24, 20)
        time.sleep(1.0)
        assert wait_healthy(sessions, scheduler.proc.pid)["ingest"]["restarts"] == 0
    finally:
        scheduler.stop()
        for c in nodes.values():
            c.close()
    # The retained copy published while the scheduler listened was cleared; a new subscriber does not get it.
    auditor = make_client("auditor", "auditor", "a")
    got: list[bytes] = []
    auditor.on_message = lambda c, u, m: got.append(bytes(m.payload))
    auditor.on_connect = lambda c, *a: c.subscribe(topics.node_event(A[0]), qos=1)
    auditor.connect("127.0.0.1", broker.port)
    auditor.loop_start()
    time.sleep(1.0)
    auditor.loop_stop()
    assert NESTED_SMALL not in got


def test_client_id_takeover_of_the_scheduler_and_of_another_node_is_refused(broker_factory):
    x_acct, y_acct = account(A[0]), account(A[1])
    broker = broker_factory([x_acct, y_acct])
    scheduler = MqttTransport("127.0.0.1", broker.port, SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
    scheduler.start()
    y = NodeClient(broker, y_acct)
    y.client.subscribe(topics.node_cmd(y_acct.node_id), qos=1)
    thieves = []
    try:
        # X connects with its own password but the scheduler's client id, then with Y's: before, each evicted
        # its victim (the scheduler logged nothing and every later event was "missed").
        for stolen_id in (SCHEDULER_USER, y_acct.node_id):
            thieves.append(NodeClient(broker, x_acct, client_id=stolen_id))
            time.sleep(1.5)
            assert scheduler.disconnects == 0 and scheduler.is_connected
            assert y.disconnects == []
            thieves[-1].close()
        scheduler.publish(topics.node_cmd(y_acct.node_id), b"for Y", expiry_s=30)
        assert wait_for(lambda: y.messages == [b"for Y"], 5)  # Y is still connected and still gets its commands
    finally:
        for c in (*thieves, y):
            c.close()
        scheduler.stop()


def test_a_second_client_on_the_scheduler_account_is_logged_and_the_scheduler_reconnects(broker_factory, caplog):
    broker = broker_factory([])
    scheduler = MqttTransport("127.0.0.1", broker.port, SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
    scheduler.start()
    other = make_client("other", SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
    connected = threading.Event()
    other.on_connect = lambda *a: connected.set()
    other.reconnect_delay_set(30, 60)  # stays away once evicted in its turn, so the two do not flap
    try:
        other.connect("127.0.0.1", broker.port, clean_start=False)
        other.loop_start()
        assert connected.wait(5)
        assert wait_for(lambda: scheduler.disconnects >= 1, 5)
        # The counter moves before the log line is written (on paho's thread): wait for the line too.
        assert wait_for(lambda: any("MQTT connection of scheduler lost" in r.message and "session takeover" in r.message
                                    for r in list(caplog.records)), 5)
        assert wait_for(lambda: scheduler.is_connected, 10)  # it reconnects (evicting the intruder)
    finally:
        other.loop_stop()
        scheduler.stop()


def test_forged_foreign_and_absurd_events_over_mqtt_beside_twelve_good_ones(tmp_path, broker_factory, db_url):
    engine = make_engine(db_url)
    sessions = make_sessionmaker(engine)
    cid = dispatched(sessions, tmp_path, villages=12, other_commune=True)
    broker = broker_factory([account(n) for n in [*A, B]])
    transport = MqttTransport("127.0.0.1", broker.port, SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
    ingest = ProcessIngest(db_url, acker=transport.ack_many)
    ingest.start()
    transport.handler = ingest.on_delivery
    transport.start()
    clients = {n: NodeClient(broker, account(n)) for n in [*A, B]}
    try:
        at = now_ms()
        x, y = A[0], A[1]
        clients[x].publish(payload(event(x, cid, EventKind.STARTED, at, event_id=f"{y}:{cid}:started")))
        clients[B].publish(payload(event(B, cid, EventKind.STARTED, at)))
        clients[B].publish(payload(event(B, cid, EventKind.FINISHED, at + 1, played_ms=999_999_999)))
        clients[x].publish(payload(event(x, cid, EventKind.RECEIVED, at)).replace(str(at).encode(),
                                                                                   str(10**30).encode()))
        for n in A:
            clients[n].publish(payload(event(n, cid, EventKind.STARTED, at + 7)))
        assert wait_for(lambda: _count(sessions) == 12, 20)
        assert wait_for(lambda: ingest.health().get("rejected") == 3 and ingest.health().get("malformed") == 1, 5)
        with sessions() as s:
            rows = s.scalars(select(AsRun).where(AsRun.command_id == cid)).all()
            assert sorted(r.node_id for r in rows) == A and {r.started_at_ms for r in rows} == {at + 7}
            assert {e.node_id for e in s.scalars(select(NodeEventRow))} == set(A)
    finally:
        for c in clients.values():
            c.close()
        ingest.stop()
        transport.stop()
        engine.dispose()

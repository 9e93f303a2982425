import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from factories import make_audio, make_bulletin, make_commune
from radio.db.models import AsRun, Node, NodeEventRow
from radio.protocol import EventKind, NodeEvent, NodeStatus, encode, topics
from radio.protocol.signing import generate_private_key
from scheduler.dispatch import Dispatcher
from scheduler.ingest import apply_to_as_run, insert_new_events
from scheduler.ingest_writer import EventIngest

NOW = datetime(2026, 11, 21, 23, 0, 0, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)


class NullPublisher:
    def publish(self, *a, **k):
        pass


def _dispatched(sessions, tmp_path):
    with sessions() as s:
        _c, villages, _n = make_commune(s, villages=2)
        b = make_bulletin(s, make_audio(s, duration_ms=3000), NOW + timedelta(seconds=10), villages)
        s.commit()
        bid = b.id
    cid = Dispatcher(sessions, NullPublisher(), generate_private_key(tmp_path / "k.pem"), lambda: NOW,
                     media_base_url="http://x").dispatch(bid)
    return bid, cid


def _event(cid, kind, at, node="n38001-010", detail=""):
    return NodeEvent(f"{node}:{cid}:{kind}", node, kind, at, cid, 1, 0, detail)


def test_same_event_twice_is_stored_once(sessions, tmp_path):
    _bid, cid = _dispatched(sessions, tmp_path)
    ev = _event(cid, EventKind.STARTED, 1000)
    with sessions() as s:
        assert len(insert_new_events(s, [ev, ev], NOW)) == 1
        s.commit()
    with sessions() as s:
        assert insert_new_events(s, [ev], NOW) == []
        s.commit()
        assert s.scalar(select(func.count()).select_from(NodeEventRow)) == 1


def test_a_rolled_back_batch_leaves_nothing_behind_and_the_next_one_stores(sessions, tmp_path):
    """PostgreSQL stages a batch (COPY into a temporary table, then one INSERT … ON CONFLICT): a batch whose
    transaction rolls back, even the very first on a connection (which created the staging table), must leave no
    rows staged or stored, and the next batch on the same pooled connection must still store each event once."""
    _bid, cid = _dispatched(sessions, tmp_path)
    first, second = _event(cid, EventKind.RECEIVED, 900), _event(cid, EventKind.STARTED, 1000)
    with sessions() as s:
        assert [e.event_id for e in insert_new_events(s, [first, second], NOW)] == [first.event_id, second.event_id]
        s.rollback()
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(NodeEventRow)) == 0
        assert len(insert_new_events(s, [second], NOW)) == 1
        s.commit()
    with sessions() as s:
        new = insert_new_events(s, [first, second, first], NOW)
        s.commit()
        assert [e.event_id for e in new] == [first.event_id]
        stored = s.execute(select(NodeEventRow.event_id, NodeEventRow.received_at, NodeEventRow.at_ms)
                           .order_by(NodeEventRow.at_ms)).all()
    assert [(r.event_id, r.received_at, r.at_ms) for r in stored] == [(first.event_id, NOW, 900),
                                                                      (second.event_id, NOW, 1000)]


def test_events_advance_as_run_rows(sessions, tmp_path):
    bid, cid = _dispatched(sessions, tmp_path)
    with sessions() as s:
        apply_to_as_run(s, [
            _event(cid, EventKind.STARTED, 1000),
            _event(cid, EventKind.FINISHED, 4000, detail=json.dumps({"played_ms": 3000})),
            _event(cid, EventKind.STARTED, 1005, node="n38001-020"),
            _event(cid, EventKind.INTERRUPTED, 2005, node="n38001-020", detail="stopped"),
        ])
        s.commit()
        rows = {r.node_id: r for r in s.scalars(select(AsRun).where(AsRun.bulletin_id == bid))}
    assert rows["n38001-010"].outcome == "completed"
    assert rows["n38001-010"].played_ms == 3000
    assert rows["n38001-010"].started_at_ms == 1000
    assert rows["n38001-020"].outcome == "interrupted"
    assert rows["n38001-020"].played_ms == 1000


def test_ingest_thread_dedupes_and_rejects_spoofed_node_ids(sessions, tmp_path):
    _bid, cid = _dispatched(sessions, tmp_path)
    ingest = EventIngest(sessions, lambda: NOW)
    ingest.start()
    ev = _event(cid, EventKind.STARTED, NOW_MS + 1000)
    for _ in range(3):
        ingest.on_message(topics.node_event("n38001-010"), encode(ev))
    # Published on node 020's topic but claiming to be 010: dropped.
    ingest.on_message(topics.node_event("n38001-020"), encode(_event(cid, EventKind.FINISHED, NOW_MS + 9)))
    ingest.on_message(topics.node_event("n38001-010"), b"garbage")
    ingest.on_message(topics.node_status("n38001-020"), encode(NodeStatus("n38001-020", True, 5, "0.1.0")))
    ingest.stop()
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(NodeEventRow)) == 1
        node = s.get(Node, "n38001-020")
        assert node.online and node.agent_version == "0.1.0" and node.last_seen_at == NOW


def test_heartbeats_update_the_node_row_with_the_newest_per_node(sessions, tmp_path):
    from radio.protocol import Heartbeat

    _bid, _cid = _dispatched(sessions, tmp_path)
    ingest = EventIngest(sessions, lambda: NOW)
    ingest.start()
    ingest.on_message(topics.node_heartbeat("n38001-010"), encode(Heartbeat("n38001-010", 5, "0.1.0", 70,
                                                                                   None, 100, 1000, -3, 60, 0)))
    ingest.on_message(topics.node_heartbeat("n38001-010"), encode(Heartbeat("n38001-010", 9, "0.1.0", 55, "c",
                                                                                   200, 1000, 12, 120, 2)))
    ingest.on_message(topics.node_heartbeat("n38001-020"), encode(Heartbeat("n38001-010", 9)))  # spoofed
    ingest.stop()
    with sessions() as s:
        node = s.get(Node, "n38001-010")
        assert (node.volume, node.clock_offset_ms, node.cache_bytes, node.outbox, node.heartbeat_at) == (
            55, 12, 200, 2, NOW)
        assert s.get(Node, "n38001-020").heartbeat_at is None


def test_a_chunk_larger_than_a_batch_is_stored_in_batches_in_order_and_flushed_at_stop(sessions, tmp_path):
    """The writer process hands over deliveries in chunks of any size: each is split into batches of at most
    `batch`, acknowledged in arrival order, and nothing received is left behind when the ingest stops."""
    from scheduler.transport import Delivery

    _bid, cid = _dispatched(sessions, tmp_path)
    batches: list[list[int]] = []
    ingest = EventIngest(sessions, lambda: NOW, batch=3, flush_s=5.0,
                         acker=lambda ds: batches.append([d.mid for d in ds]))
    ingest.start()
    deliveries = []
    for n, node in enumerate(["n38001-010", "n38001-020"]):
        for k, kind in enumerate((EventKind.RECEIVED, EventKind.STARTED, EventKind.INTERRUPTED, EventKind.FAILED)):
            ev = _event(cid, kind, NOW_MS + 10 * n + k, node=node)
            deliveries.append(Delivery(topics.node_event(node), encode(ev), mid=len(deliveries) + 1))
    ingest.on_deliveries(deliveries)  # 8 in one chunk; flush_s is long, so only the batch size cuts it
    ingest.on_deliveries([])
    ingest.stop()
    assert [len(b) for b in batches] == [3, 3, 2]
    assert [m for b in batches for m in b] == list(range(1, 9))
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(NodeEventRow)) == 8

"""Several ingest writers on one database (scheduler/ingest_parallel.py): split by commune, every event stored
once, rollups equal to a rebuild, acknowledgements in arrival order whichever writer stored the message."""

from __future__ import annotations

import json
import time
from datetime import UTC, date, datetime

from acct_support import local, ms, world
from sqlalchemy import func, select

from radio.db.models import AsRun, NodeEventRow
from radio.protocol import EventKind, NodeEvent, encode, topics
from radio.protocol.messages import event_id_for
from scheduler.ingest_parallel import CommunePartitioner, InOrderRelease
from scheduler.ingest_writer import EventIngest
from scheduler.transport import Delivery
from station.accounting import periods
from station.accounting.queries import area_scope, commune_figures
from station.accounting.rollups import rebuild


def test_release_follows_registration_order_whoever_finishes_first():
    released: list[list[int]] = []
    order: InOrderRelease[int] = InOrderRelease(released.append)
    a, b, c, d = [1], [2], [3], [4]  # distinct objects: identity, not value, is tracked
    order.register([a, b, c, d])
    order.finish([c])  # a later writer is done first: nothing may overtake a
    assert released == [] and order.waiting == 4
    order.finish([a])
    assert released == [[a]]
    order.finish([d], unreleased=[b])  # b is given up (left to the broker): it must not hold back d
    assert released == [[a], [c, d]] and order.waiting == 0


def test_nodes_of_one_commune_always_go_to_the_same_writer(sessions):
    now = [0.0]
    with sessions() as s:
        w = world(s)
        for i in range(6):
            w.commune(f"3800{i}", {f"V{i}a": 2, f"V{i}b": 2})
        s.commit()
        communes = {n.id: w.villages[n.id.rsplit("-", 1)[0]].parent_id for n in w.nodes.values()}
    part = CommunePartitioner(sessions, 2, clock=lambda: now[0])
    writer = {n: part.writer_for(topics.node_event(n)) for n in communes}
    by_commune: dict[int, set[int]] = {}
    for node, commune in communes.items():
        by_commune.setdefault(commune, set()).add(writer[node])
    assert all(len(ws) == 1 for ws in by_commune.values())
    assert set(writer.values()) == {0, 1}  # six communes: both writers get work
    # A made-up node id re-reads the map at most every few seconds, not on every message.
    reads = [0]
    real_read = part._read

    def counting_read(at: float) -> None:
        reads[0] += 1
        real_read(at)

    part._read = counting_read  # type: ignore[method-assign]
    for i in range(100):
        part.writer_for(topics.node_event(f"unknown-{i}"))
    now[0] += 10
    part.writer_for(topics.node_event("unknown-x"))
    assert reads[0] == 1


def test_two_writers_store_each_event_once_and_keep_rollups_and_ack_order(sessions):
    with sessions() as s:
        w = world(s)
        for i in range(5):
            w.commune(f"3810{i}", {f"T{i}": 3})
        bulletins = [w.bulletin(local(date(2025, 11, 20), 6 + h)) for h in range(3)]
        for b in bulletins:
            for node in w.nodes:
                w.run(b, node, "pending")
        s.commit()
        plan = [(b.command_id, ms(b.start_at)) for b in bulletins]  # type: ignore[attr-defined]
        nodes = sorted(w.nodes)
        province_scope_area = w.province
    part = CommunePartitioner(sessions, 2)
    assert {part.writer_for(topics.node_event(n)) for n in nodes} == {0, 1}  # both writers get work
    done = json.dumps({"played_ms": 60_000})
    deliveries = []
    for cid, t0 in plan:
        for node in nodes:
            for kind, at, detail in ((EventKind.RECEIVED, t0 - 5000, ""), (EventKind.STARTED, t0, ""),
                                     (EventKind.FINISHED, t0 + 60_000, done)):
                ev = NodeEvent(event_id_for(node, cid, kind), node, kind, at, cid, None, None, detail)
                deliveries.append(Delivery(topics.node_event(node), encode(ev), qos=1, mid=len(deliveries) + 1))
    deliveries.insert(7, deliveries[3])  # a re-send after a lost PUBACK
    acked: list[int] = []
    ingest = EventIngest(sessions, lambda: datetime.now(UTC), writers=2, batch=25, flush_s=0.01,
                         acker=lambda ds: acked.extend(d.mid for d in ds))
    ingest.start()
    for d in deliveries:
        ingest.on_delivery(d)
    deadline = time.monotonic() + 60
    while len(acked) < len(deliveries) and time.monotonic() < deadline:
        time.sleep(0.02)
    ingest.stop()
    assert acked == [d.mid for d in deliveries]  # every one, in the order they arrived
    unique = len(deliveries) - 1
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(NodeEventRow)) == unique
        assert s.scalar(select(func.count(func.distinct(NodeEventRow.event_id)))) == unique
        outcomes = s.execute(select(AsRun.outcome, func.count()).group_by(AsRun.outcome)).all()
        assert outcomes == [("completed", 3 * len(nodes))]
        scope = area_scope(s, s.merge(province_scope_area))
        kept = commune_figures(s, scope, periods.month(2025, 11))
        assert sum(f.completed for f in kept.values()) == 3 * len(nodes)
        with s.bind.begin() as conn:  # type: ignore[union-attr]
            rebuild(conn)
        assert commune_figures(s, scope, periods.month(2025, 11)) == kept
    assert ingest.stats().get("stored") == unique and ingest.stats().get("duplicates", 0) == 1


def test_a_remembered_route_follows_a_node_moved_to_another_commune_once_the_map_is_read_again(sessions):
    """writer_for remembers each topic's writer (no parsing or hashing per message), but only until the map is
    read again: a node moved to another commune then goes with its new commune."""
    from radio.db.models import Node
    from scheduler.ingest_parallel import PARTITION_MAP_MAX_AGE_S

    now = [0.0]
    with sessions() as s:
        w = world(s)
        for i in range(8):
            w.commune(f"3810{i}", {f"M{i}": 2})
        s.commit()
        communes = {n.id: w.villages[n.id.rsplit("-", 1)[0]].parent_id for n in w.nodes.values()}
        villages = {v.parent_id: v.id for v in w.villages.values()}
    part = CommunePartitioner(sessions, 2, clock=lambda: now[0])
    first = {n: part.writer_for(topics.node_event(n)) for n in communes}
    node = next(iter(communes))
    other = next(c for n, c in communes.items() if first[n] != first[node])  # a commune on the other writer
    with sessions() as s:
        s.get(Node, node).village_id = villages[other]
        s.commit()
    now[0] += 1
    assert part.writer_for(topics.node_event(node)) == first[node]  # the old map (and route) until it is re-read
    now[0] += PARTITION_MAP_MAX_AGE_S
    bystander = next(n for n in communes if n != node)
    assert part.writer_for(topics.node_event(bystander)) == first[bystander]  # this message re-reads the map
    assert part.writer_for(topics.node_event(node)) != first[node]
    assert all(part.writer_for(topics.node_event(n)) == first[n] for n in communes if n != node)

"""Forged, foreign, implausible and poisonous node events (issue 10 items 1 and 3, issue 11), on both databases.

Messages are queued before the writer starts, so each test's messages are one batch: a bad one must not take
the good ones with it.
"""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from ingest_support import DURATION_MS, dispatched, event, node_id, now_ms, payload
from radio.db.models import AsRun, Node, NodeEventRow
from radio.protocol import EventKind, NodeStatus, encode, topics
from scheduler import ingest_writer
from scheduler.ingest_writer import EventIngest
from scheduler.transport import Delivery

pytestmark = pytest.mark.security

A = [node_id("38001", i) for i in range(12)]  # the twelve nodes of commune A
B = node_id("38002", 0)  # a node of commune B


def _run(sessions, messages, clock=None):
    acked = []
    ingest = EventIngest(sessions, clock or (lambda: datetime.now(UTC)), acker=acked.extend, batch=10_000,
                         flush_s=0.5)
    for topic, body in messages:
        ingest.on_delivery(Delivery(topic, body, qos=1, mid=len(acked) + 1))
    ingest.start()
    ingest.stop()
    return ingest, acked


def _good(cid, at):
    return [(topics.node_event(n), payload(event(n, cid, EventKind.STARTED, at))) for n in A]


def _rows(sessions, cid):
    with sessions() as s:
        return {r.node_id: r for r in s.scalars(select(AsRun).where(AsRun.command_id == cid))}


def test_a_node_cannot_take_another_nodes_event_id(sessions, tmp_path):
    cid = dispatched(sessions, tmp_path, villages=12)
    x, y = A[0], A[1]
    at = now_ms()
    # X publishes (on its own topic, as the ACL forces) an event carrying Y's event id for the command.
    forged = event(x, cid, EventKind.STARTED, at, event_id=f"{y}:{cid}:started")
    ingest, acked = _run(sessions, [(topics.node_event(x), payload(forged)),
                                    (topics.node_event(y), payload(event(y, cid, EventKind.STARTED, at + 5)))])
    with sessions() as s:
        stored = {r.event_id: r.node_id for r in s.scalars(select(NodeEventRow))}
    assert stored == {f"{y}:{cid}:started": y}  # Y's real event, not dropped as a "duplicate"
    assert _rows(sessions, cid)[y].started_at_ms == at + 5
    assert ingest.stats()["rejected"] == 1
    assert len(acked) == 2  # the forged one is refused and acknowledged: never redelivered


def test_foreign_absurd_and_oversized_events_are_refused_and_the_twelve_good_ones_stored(sessions, tmp_path):
    cid = dispatched(sessions, tmp_path, villages=12, other_commune=True)
    at = now_ms()
    bad = [
        # A node of commune B reports commune A's command (its as-run would count for B's report).
        (topics.node_event(B), payload(event(B, cid, EventKind.STARTED, at))),
        (topics.node_event(B), payload(event(B, cid, EventKind.FINISHED, at + 1, played_ms=999_999_999))),
        # at_ms = 10**30 overflows BIGINT: before, the batch failed five times and was dropped.
        (topics.node_event(A[0]), payload(event(A[0], cid, EventKind.RECEIVED, at)).replace(
            str(at).encode(), str(10**30).encode())),
        # Plausible as an integer, but a day from now.
        (topics.node_event(A[1]), payload(event(A[1], cid, EventKind.RECEIVED, at + 86_400_000))),
        # Before the command existed.
        (topics.node_event(A[2]), payload(event(A[2], cid, EventKind.RECEIVED, at - 86_400_000))),
        (topics.node_event(A[3]), payload(event(A[3], "no-such-command", EventKind.STARTED, at))),
        (topics.node_event(A[4]), b"[" * 50_000 + b"]" * 50_000),
        (topics.node_event(A[5]), b'{"v":1,"type":"event","kind":' + b"[" * 5000 + b"]" * 5000 + b"}"),
    ]
    messages = bad[:4] + _good(cid, at) + bad[4:]
    ingest, acked = _run(sessions, messages)
    rows = _rows(sessions, cid)
    assert sorted(rows) == A  # no row for B was created
    assert all(rows[n].outcome == "started" and rows[n].started_at_ms == at for n in A)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(NodeEventRow)) == 12
    stats = ingest.stats()
    assert (stats["stored"], stats["rejected"], stats["malformed"]) == (12, 5, 3)
    assert stats["rejected_by_reason"]["command was not sent to this node"] == 2
    assert len(acked) == len(messages)


def test_played_time_beyond_the_item_is_clamped_and_flagged(sessions, tmp_path):
    cid = dispatched(sessions, tmp_path, villages=2)
    at = now_ms()
    x, y = A[0], A[1]
    messages = [
        (topics.node_event(x), payload(event(x, cid, EventKind.STARTED, at))),
        # Issue 11: a node restarted mid-play reported 48 s of an 11 s item.
        (topics.node_event(x), payload(event(x, cid, EventKind.FINISHED, at + 48_000, played_ms=48_000))),
        (topics.node_event(y), payload(event(y, cid, EventKind.STARTED, at))),
        # A player's timer overshoots by a few ms: clamped, not flagged.
        (topics.node_event(y), payload(event(y, cid, EventKind.FINISHED, at + DURATION_MS,
                                             played_ms=DURATION_MS + 12))),
    ]
    ingest, _acked = _run(sessions, messages)
    rows = _rows(sessions, cid)
    assert (rows[x].outcome, rows[x].played_ms, rows[x].played_reported_ms) == ("completed", DURATION_MS, 48_000)
    assert (rows[y].played_ms, rows[y].played_reported_ms) == (DURATION_MS, None)
    assert ingest.stats()["clamped"] == 1


def test_a_message_the_database_refuses_does_not_fail_its_batch(sessions, tmp_path, monkeypatch):
    cid = dispatched(sessions, tmp_path, villages=12)
    real = ingest_writer.apply_status

    def refuse_one(session, status, now):  # a fault in storing one message, whatever its cause
        if status.node_id == A[0]:
            raise ValueError("refused")
        real(session, status, now)

    monkeypatch.setattr(ingest_writer, "apply_status", refuse_one)
    monkeypatch.setattr(ingest_writer.EventIngest, "_database_answers", lambda self: True)
    messages = [(topics.node_status(n), encode(NodeStatus(n, True, 5))) for n in A[:2]] + _good(cid, now_ms())
    ingest, acked = _run(sessions, messages)
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(NodeEventRow)) == 12
        assert s.get(Node, A[1]).online and not s.get(Node, A[0]).online
    assert ingest.stats()["store_failed"] == 1
    assert len(acked) == len(messages)  # the poison one too: it would otherwise come back for ever


def test_an_event_delivered_late_from_an_outbox_is_still_accepted(sessions, tmp_path):
    """The bound is the command's issue time, not arrival: a node offline for two days reports afterwards."""
    issued = datetime.now(UTC) - timedelta(days=2)
    cid = dispatched(sessions, tmp_path, villages=1, clock=issued)
    at = int(issued.timestamp() * 1000) + 10_000
    ingest, _ = _run(sessions, [(topics.node_event(A[0]), payload(event(A[0], cid, EventKind.STARTED, at)))])
    assert ingest.stats()["stored"] == 1


def test_events_for_a_command_that_was_never_sent_are_refused(sessions, tmp_path):
    from factories import make_audio, make_bulletin
    from ingest_support import NullPublisher, province
    from radio.protocol.signing import generate_private_key
    from scheduler.dispatch import Dispatcher

    with sessions() as s:
        areas = province(s, {"38001": 1})
        bid = make_bulletin(s, make_audio(s), datetime.now(UTC) - timedelta(minutes=5), areas["38001"]).id
        s.commit()
    # The scheduler was down at air time: the airing is recorded missed with a command that is never published.
    Dispatcher(sessions, NullPublisher(), generate_private_key(tmp_path / "k.pem"), lambda: datetime.now(UTC),
               media_base_url="http://x").record_missed(bid, "down")
    with sessions() as s:
        cid = s.scalars(select(AsRun.command_id)).one()
    ingest, _ = _run(sessions, [(topics.node_event(A[0]), payload(event(A[0], cid, EventKind.STARTED, now_ms())))])
    assert ingest.stats()["rejected_by_reason"] == {"unknown command": 1}
    assert _rows(sessions, cid)[A[0]].outcome == "missed"


def test_a_node_with_an_event_key_must_sign_and_others_cannot_forge_its_events(sessions, tmp_path):
    """Per-node event signatures, as the ingest process applies them: the broker ACL is not the only guard."""
    from radio.protocol.event_signing import signed_event_bytes
    from radio.protocol.messages import to_dict
    from radio.protocol.signing import generate_private_key, public_key_pem
    from scheduler.event_keys import EventKeyring

    cid = dispatched(sessions, tmp_path, villages=3)
    signer, forger, keyless = A[0], A[1], A[2]
    key = generate_private_key(tmp_path / "node.pem")
    other_key = generate_private_key(tmp_path / "other.pem")
    with sessions() as s:
        s.get(Node, signer).event_public_key = public_key_pem(key)
        s.get(Node, forger).event_public_key = public_key_pem(key)
        s.commit()
    at = now_ms()
    signed = signed_event_bytes(to_dict(event(signer, cid, EventKind.STARTED, at)), key)
    wrong_key = signed_event_bytes(to_dict(event(forger, cid, EventKind.STARTED, at)), other_key)
    unsigned = payload(event(forger, cid, EventKind.FINISHED, at + 1000))
    acked = []
    ingest = EventIngest(sessions, lambda: datetime.now(UTC), acker=acked.extend, flush_s=0.5,
                         keyring=EventKeyring(sessions))
    for i, (node, body) in enumerate([(signer, signed), (forger, wrong_key), (forger, unsigned),
                                      (keyless, payload(event(keyless, cid, EventKind.STARTED, at)))]):
        ingest.on_delivery(Delivery(topics.node_event(node), body, qos=1, mid=i + 1))
    ingest.start()
    ingest.stop()
    with sessions() as s:
        stored = set(s.scalars(select(NodeEventRow.node_id)))
    assert stored == {signer, keyless}  # a node without a key on record is trusted on the ACL alone
    assert ingest.stats()["rejected"] == 2
    assert len(acked) == 4  # refused ones are acknowledged too: never redelivered

"""Hostile payloads end in ProtocolError, never in another exception that would kill the receiver (issue 10.1)."""

import json

import pytest

from radio.protocol import EventKind, NodeEvent, ProtocolError, decode_event, decode_heartbeat, encode
from radio.protocol.messages import MAX_PAYLOAD_BYTES, loads

pytestmark = pytest.mark.security

GOOD = NodeEvent("n1:c:started", "n1", EventKind.STARTED, 1_795_302_060_001, "c")


@pytest.mark.parametrize("payload", [
    b"[" * 100_000 + b"]" * 100_000,  # the review's message: larger than the limit
    b'{"v":1,"x":' + b"[" * 20_000 + b"]" * 20_000 + b"}",  # under the limit, deeper than the parser's stack
    b'{"v":1,"type":"event","at_ms":' + b"9" * 5000 + b"}",  # int with more digits than json accepts
    b"\xff\xfe not utf-8",
    b'{"v":true,"type":"event"}',  # True == 1 in Python, but it is not a version
    b"",
])
def test_hostile_payloads_are_protocol_errors(payload):
    with pytest.raises(ProtocolError):
        loads(payload)


def test_payload_size_limit_is_checked_before_parsing():
    big = encode(GOOD, {"pad": "x" * MAX_PAYLOAD_BYTES})
    with pytest.raises(ProtocolError, match="exceeds"):
        decode_event(big)
    assert decode_event(encode(GOOD)) == GOOD


@pytest.mark.parametrize("member,value", [
    ("at_ms", 10**30),  # would overflow BIGINT and fail the database batch
    ("at_ms", -1),
    ("attempt", 0),
    ("attempt", 10**6),
    ("command_id", "c" * 37),  # commands.id is 36 characters
    ("event_id", "e" * 129),
])
def test_event_members_out_of_their_column_range_are_refused(member, value):
    obj = json.loads(encode(GOOD))
    obj[member] = value
    with pytest.raises(ProtocolError):
        decode_event(json.dumps(obj))


@pytest.mark.parametrize("member,value", [("volume", 101), ("uptime_s", 2**31), ("outbox", -1),
                                          ("clock_offset_ms", 2**40), ("cache_bytes", 2**63)])
def test_heartbeat_numbers_are_bounded_to_the_node_row(member, value):
    obj = {"v": 1, "type": "heartbeat", "node_id": "n1", "at_ms": 5, member: value}
    with pytest.raises(ProtocolError):
        decode_heartbeat(json.dumps(obj))

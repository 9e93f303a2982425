"""Hostile payloads end in ProtocolError, never in another exception that would kill the receiver (issue 10.1)."""

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# --- the hot-path event decoder against the generic member checks -------------------------------------------------
def _reference_decode_event(payload: bytes) -> NodeEvent:
    """decode_event as it was written with the generic helpers, before its checks were written out for speed."""
    from radio.protocol.messages import INT32_MAX, INT64_MAX, MAX_ATTEMPT, _bounded, _field, _text

    obj = loads(payload)
    if obj.get("type") != "event":
        raise ProtocolError("not an event")
    try:
        kind = EventKind(obj.get("kind"))
    except ValueError as exc:
        raise ProtocolError("unknown event kind") from exc
    return NodeEvent(
        event_id=_text(obj, "event_id", 128), node_id=_text(obj, "node_id", 64), kind=kind,
        at_ms=_bounded(obj, "at_ms", 0, INT64_MAX), command_id=_text(obj, "command_id", 36, optional=True),
        bulletin_id=_field(obj, "bulletin_id", int, optional=True),
        scheduled_start_ms=_field(obj, "scheduled_start_ms", int, optional=True),
        detail=str(obj.get("detail") or "")[:500],
        attempt=_bounded(obj, "attempt", 1, MAX_ATTEMPT, optional=True) or 1,
        clock_offset_ms=_bounded(obj, "clock_offset_ms", -INT32_MAX, INT32_MAX, optional=True),
        clock_uncertainty_ms=_bounded(obj, "clock_uncertainty_ms", 0, INT32_MAX, optional=True),
    )


_any_value = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([0, 1, 100, 101, -1, 2**31 - 1, 2**31, 2**63 - 1, 2**63, -(2**63)]),
    st.text(max_size=3), st.text(min_size=35, max_size=40), st.text(min_size=126, max_size=130),
    st.sampled_from([k.value for k in EventKind] + ["event", "status", "FINISHED"]),
    st.lists(st.integers(), max_size=2), st.dictionaries(st.text(max_size=2), st.integers(), max_size=2),
    st.floats(allow_nan=False, allow_infinity=False),
)
_members = ("type", "kind", "event_id", "node_id", "at_ms", "command_id", "bulletin_id", "scheduled_start_ms",
            "detail", "attempt", "clock_offset_ms", "clock_uncertainty_ms")


@settings(max_examples=400, deadline=None)
@given(base=st.sampled_from([GOOD, NodeEvent("n2:c2:finished", "n2", EventKind.FINISHED, 5, "c2", 7, 3,
                                              '{"played_ms": 60000}', 2, -40, 12)]),
       changes=st.dictionaries(st.sampled_from(_members), _any_value, max_size=3),
       dropped=st.sets(st.sampled_from(_members), max_size=2))
def test_event_decoder_agrees_with_the_generic_checks(base, changes, dropped):
    obj = json.loads(encode(base)) | changes
    for name in dropped:
        obj.pop(name, None)
    _assert_agrees(json.dumps(obj).encode())


def _assert_agrees(payload: bytes) -> None:
    """decode_event refuses what the generic checks refuse, and otherwise gives the same event."""
    try:
        expected: NodeEvent | None = _reference_decode_event(payload)
    except ProtocolError:
        expected = None
    if expected is None:
        with pytest.raises(ProtocolError):
            decode_event(payload)
    else:
        assert decode_event(payload) == expected, payload


@pytest.mark.parametrize("payload", [
    b'\xef\xbb\xbf{"v":1}',  # a byte-order mark: the protocol is UTF-8 without one
    b'{"v":1,"type":"event","node_id":"\xed\xa0\x80"}',  # a lone surrogate, which no database column can store
    '{"v":1}'.encode("utf-16"),
])
def test_only_strict_utf8_is_read(payload):
    with pytest.raises(ProtocolError):
        loads(payload)


_EDGES = [None, True, False, 0, 1, -1, 100, 101, 2**31 - 1, 2**31, -(2**31) + 1, -(2**31), 2**63 - 1, 2**63,
          -(2**63), -(2**63) - 1, 1.5, "", "x", "c" * 36, "c" * 37, "e" * 64, "e" * 65, "e" * 128, "e" * 129,
          "started", "finished", "event", [], ["started"], {}, {"played_ms": 5}]


def test_event_decoder_agrees_with_the_generic_checks_on_every_edge():
    """Every member set to every edge value (and left out), one at a time: 400 cases, all agreeing."""
    for name in _members:
        for value in [*_EDGES, "<absent>"]:
            obj = json.loads(encode(GOOD))
            if value == "<absent>":
                obj.pop(name)
            else:
                obj[name] = value
            _assert_agrees(json.dumps(obj).encode())

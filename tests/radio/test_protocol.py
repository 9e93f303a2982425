import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from radio.protocol import (
    EventKind,
    NodeEvent,
    NodeStatus,
    PlayCommand,
    Priority,
    ProtocolError,
    StopCommand,
    decode_command,
    decode_event,
    decode_status,
    encode,
    topics,
)

ms = st.integers(min_value=0, max_value=2**53)
hexsha = st.text(alphabet="0123456789abcdef", min_size=64, max_size=64)
text = st.text(max_size=80)


@given(id=text, bid=st.integers(0, 2**31), a=ms, b=ms, c=ms, url=text, sha=hexsha, dur=ms,
       prio=st.sampled_from(list(Priority)), title=text)
def test_play_command_round_trips(id, bid, a, b, c, url, sha, dur, prio, title):
    cmd = PlayCommand(id, bid, a, b, c, url, sha, dur, prio, title)
    assert decode_command(encode(cmd)) == cmd


@given(id=text, a=ms, b=ms, target=st.none() | text)
def test_stop_command_round_trips(id, a, b, target):
    cmd = StopCommand(id, a, b, target)
    assert decode_command(encode(cmd)) == cmd


# Command ids are UUIDs: the server refuses longer ones (commands.id is 36 characters).
@given(kind=st.sampled_from(list(EventKind)), at=ms, detail=st.text(max_size=500), cid=st.none() | st.text(max_size=36))
def test_event_round_trips(kind, at, detail, cid):
    ev = NodeEvent("e1", "n1", kind, at, cid, 7, 5, detail)
    assert decode_event(encode(ev)) == ev


def test_status_round_trips():
    st_ = NodeStatus("n1", True, 123, "0.1.0")
    assert decode_status(encode(st_)) == st_


@pytest.mark.parametrize("payload", [
    b"not json",
    b"[]",
    b'{"v": 2, "type": "play"}',
    b'{"v": 1, "type": "dance"}',
    b'{"v": 1, "type": "play", "id": "x"}',
    json.dumps({"v": 1, "type": "play", "id": "x", "bulletin_id": 1, "issued_at_ms": 1, "start_at_ms": 2,
                "expires_at_ms": 3, "media_url": "u", "sha256": "../../etc/passwd", "duration_ms": 4}).encode(),
    json.dumps({"v": 1, "type": "play", "id": "x", "bulletin_id": True, "issued_at_ms": 1, "start_at_ms": 2,
                "expires_at_ms": 3, "media_url": "u", "sha256": "a" * 64, "duration_ms": 4}).encode(),
])
def test_malformed_commands_are_refused(payload):
    with pytest.raises(ProtocolError):
        decode_command(payload)


def test_unknown_event_kind_is_refused():
    with pytest.raises(ProtocolError):
        decode_event(b'{"v":1,"type":"event","event_id":"e","node_id":"n","kind":"exploded","at_ms":1}')


@pytest.mark.parametrize(("topic", "node"), [
    ("radio/v1/node/n1/event", "n1"),
    ("radio/v1/node/n-38001-0001/status", "n-38001-0001"),
    ("radio/v1/area/38001/cmd", None),
    ("other/v1/node/n1/event", None),
])
def test_node_id_from_topic(topic, node):
    assert topics.node_id_from_topic(topic) == node


def test_volume_command_round_trips_and_is_bounded():
    from radio.protocol import VolumeCommand

    cmd = VolumeCommand("v1", 1, 2, 70)
    assert decode_command(encode(cmd)) == cmd
    with pytest.raises(ProtocolError):
        decode_command(encode(VolumeCommand("v1", 1, 2, 101)))


def test_heartbeat_round_trips():
    from radio.protocol import Heartbeat, decode_heartbeat

    hb = Heartbeat("n1", 5, "0.1.0", 80, "c1", 1000, 5000, -12, 60, 3)
    assert decode_heartbeat(encode(hb)) == hb


def test_event_ids_are_deterministic_and_distinguish_replays():
    from radio.protocol import event_id_for

    assert event_id_for("n1", "c1", EventKind.STARTED) == "n1:c1:started"
    assert event_id_for("n1", "c1", EventKind.STARTED, 2) == "n1:c1:started:2"

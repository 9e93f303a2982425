"""Protocol edge cases (issue 11) as the reference node implements them: what goes into the outbox.

The agents here are not connected: every event waits in the outbox exactly as it would be published.
"""

import json
import time
import uuid

import pytest
from node_support import MediaServer, play_command, signed, wait_for

from radio.node.agent import NodeAgent
from radio.node.config import NodeConfig
from radio.protocol.messages import to_dict
from radio.protocol.signing import generate_private_key, public_key_pem, sign

pytestmark = pytest.mark.security
NODE = "n38001-0101"


@pytest.fixture
def key(tmp_path):
    return generate_private_key(tmp_path / "server.pem")


@pytest.fixture
def agent(tmp_path, key):
    a = NodeAgent(NodeConfig(node_id=NODE, password="pw", broker_port=9, area_codes=("38001-01", "38001", "38"),
                             public_key_pem=public_key_pem(key), cache_dir=tmp_path / "cache", player="null"))
    yield a
    a.kill()


def outbox(agent) -> list[dict]:
    return [json.loads(row.payload) for row in agent.state.outbox()]


def test_a_rejected_message_without_a_usable_id_gets_a_time_based_event_id(agent):
    before = int(time.time() * 1000)
    agent._on_command(b"{not json")
    (event,) = outbox(agent)
    assert event["kind"] == "rejected" and event["command_id"] is None
    assert event["event_id"] == f"{NODE}:{event['at_ms']}:rejected" and event["at_ms"] >= before
    assert event["detail"].startswith("malformed: not JSON")


def test_an_unknown_command_type_is_rejected_as_invalid(agent, key):
    payload = json.dumps(sign({"v": 1, "type": "reboot", "id": "r-1", "issued_at_ms": 1, "expires_at_ms": 2,
                               "targets": {"areas": ["38"]}}, key)).encode()
    agent._on_command(payload)
    (event,) = outbox(agent)
    assert event["event_id"] == f"{NODE}:r-1:rejected"
    assert event["detail"] == "invalid: unknown command type 'reboot'"


def test_a_play_missing_a_required_member_is_rejected_as_invalid(agent, key):
    obj = to_dict(play_command(int(time.time() * 1000) + 60_000))
    del obj["sha256"]
    agent._on_command(json.dumps(sign(obj, key)).encode())
    (event,) = outbox(agent)
    assert event["detail"] == "invalid: field 'sha256' missing or of the wrong type"


def test_media_still_missing_at_air_time_is_failed_not_missed(agent, key):
    media = MediaServer()
    try:
        cmd = play_command(int(time.time() * 1000) + 1500, url=f"{media.url}/media/absent.mp3")
        agent.cache.retry_min_s = 0.2
        agent._on_command(signed(cmd, key))
        assert wait_for(lambda: any(e["kind"] == "failed" for e in outbox(agent)), 6)
    finally:
        media.close()
    failed = next(e for e in outbox(agent) if e["kind"] == "failed")
    assert failed["detail"].startswith("media not available after") and "HTTP 404" in failed["detail"]
    assert failed["at_ms"] <= cmd.start_at_ms + 500  # given up at air time, not later


def test_a_command_for_another_village_is_refused_and_not_stored(agent, key):
    # A fresh, correctly signed command for another village (as a replay on the commune topic would bring).
    cmd = play_command(int(time.time() * 1000) + 60_000, command_id=str(uuid.uuid4()))
    other = to_dict(cmd) | {"targets": {"areas": ["38001-02"], "nodes": []}}
    agent._on_command(json.dumps(sign(other, key)).encode())
    (event,) = outbox(agent)
    assert event["kind"] == "rejected" and event["detail"].startswith("not addressed to this node")
    assert agent.state.commands() == []

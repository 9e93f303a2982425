"""Node behaviour on a real Mosquitto: emergency preemption (replay / drop), stop, volume, heartbeat, bad media."""

import hashlib
import json
import os
import time
import uuid

import pytest
from node_support import play_command, signed, wait_for

from radio.broker import NodeAccount
from radio.protocol import StopCommand, Targets, VolumeCommand, topics

pytestmark = [pytest.mark.faults, pytest.mark.integration]

A = NodeAccount("n38001-0101", "pw-a", ("38001-01", "38001", "38"))


def now_ms() -> int:
    return int(time.time() * 1000)


def played(agent) -> list[dict]:
    path = agent.config.cache_dir.parent / "played" / "played.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


@pytest.fixture
def setup(broker_factory, observer_factory, node_factory, media):
    broker = broker_factory([A])
    obs = observer_factory(broker)
    node = node_factory(A, broker.port, server_url=media.url, heartbeat_s=1)
    return broker, obs, node


@pytest.mark.parametrize("policy", ["replay", "drop"])
def test_emergency_cuts_the_bulletin_which_follows_its_policy(setup, media, key, policy):
    _broker, obs, node = setup
    normal_audio, alarm_audio = os.urandom(4000), os.urandom(3000)
    t0 = now_ms()
    normal = play_command(t0 + 1500, duration_ms=3000, media=normal_audio, url=media.add(normal_audio),
                          if_interrupted=policy)
    obs.publish(topics.area_cmd("38001"), signed(normal, key))
    assert wait_for(lambda: obs.event(normal.id, "started"), 5)
    alarm = play_command(t0 + 2500, duration_ms=1000, media=alarm_audio, url=media.add(alarm_audio),
                         priority="emergency")
    obs.publish(topics.node_cmd(A.node_id), signed(alarm, key))
    last = ("finished", 2) if policy == "replay" else ("finished", 1)
    assert wait_for(lambda: obs.event(normal.id if policy == "replay" else alarm.id, *last), 10)

    cut = obs.event(normal.id, "interrupted")
    assert json.loads(cut.detail)["reason"] == "emergency"
    assert abs(json.loads(cut.detail)["played_ms"] - 1000) <= 60
    alarm_start = obs.event(alarm.id, "started")
    assert 0 <= alarm_start.at_ms - alarm.start_at_ms <= 50
    if policy == "replay":
        assert obs.kinds(normal.id) == [("received", 1), ("started", 1), ("interrupted", 1), ("started", 2),
                                        ("finished", 2)]
        replay = obs.event(normal.id, "started", 2)
        assert replay.event_id == f"{A.node_id}:{normal.id}:started:2"
        assert 0 <= replay.at_ms - obs.event(alarm.id, "finished").at_ms <= 50
        assert [p["item_id"] for p in played(node)] == [normal.id, alarm.id, normal.id]
    else:
        time.sleep(0.5)
        assert obs.kinds(normal.id) == [("received", 1), ("started", 1), ("interrupted", 1)]
        assert [p["item_id"] for p in played(node)] == [normal.id, alarm.id]


def test_volume_and_stop_commands(setup, media, key):
    _broker, obs, node = setup
    t0 = now_ms()
    volume = VolumeCommand(str(uuid.uuid4()), t0, t0 + 60_000, volume=30, targets=Targets(nodes=(A.node_id,)))
    obs.publish(topics.node_cmd(A.node_id), signed(volume, key))
    assert wait_for(lambda: any(h.volume == 30 for h in obs.heartbeats), 5)
    audio = os.urandom(1000)
    cmd = play_command(now_ms() + 800, duration_ms=5000, media=audio, url=media.add(audio))
    obs.publish(topics.area_cmd("38001-01"), signed(cmd, key))
    assert wait_for(lambda: obs.event(cmd.id, "started"), 5)
    assert wait_for(lambda: any(h.current_command_id == cmd.id for h in obs.heartbeats), 3)
    stop = StopCommand(str(uuid.uuid4()), now_ms(), now_ms() + 60_000, target_command_id=None,
                       targets=Targets(nodes=(A.node_id,)))
    obs.publish(topics.node_cmd(A.node_id), signed(stop, key))
    assert wait_for(lambda: obs.event(cmd.id, "interrupted"), 3)
    assert json.loads(obs.event(cmd.id, "interrupted").detail)["reason"] == "stop"
    assert played(node)[0]["volume"] == 30

    beat = obs.heartbeats[-1]
    assert beat.clock_offset_ms is not None and abs(beat.clock_offset_ms) <= 20  # same machine, same clock
    assert beat.cache_bytes >= 1000 and beat.cache_limit_bytes == 500 * 1024 * 1024
    assert beat.agent_version and beat.uptime_s >= 0
    assert wait_for(lambda: node.state.outbox_size() == 0, 3)


def test_corrupted_download_is_fetched_again_and_never_played(setup, media, key):
    _broker, obs, node = setup
    good, doomed = os.urandom(5000), os.urandom(5000)
    good_url, doomed_url = media.add(good), media.add(doomed)
    media.bad[good_url.rsplit("/", 1)[-1]] = 2  # wrong bytes twice, then right
    media.bad[doomed_url.rsplit("/", 1)[-1]] = 10**6  # wrong bytes for ever
    t0 = now_ms()
    ok = play_command(t0 + 2500, duration_ms=500, media=good, url=good_url)
    bad = play_command(t0 + 2000, duration_ms=500, media=doomed, url=doomed_url)
    for cmd in (ok, bad):
        obs.publish(topics.node_cmd(A.node_id), signed(cmd, key))
    assert wait_for(lambda: obs.event(ok.id, "finished") and obs.event(bad.id, "failed"), 8)
    assert obs.kinds(bad.id) == [("failed", 1)]
    assert "sha256 mismatch" in obs.event(bad.id, "failed").detail
    [entry] = played(node)
    assert entry["item_id"] == ok.id
    out = node.config.cache_dir.parent / "played" / entry["file"]
    assert hashlib.sha256(out.read_bytes()).hexdigest() == ok.sha256


def test_forged_command_is_rejected_and_reported(setup, media, key, tmp_path):
    from radio.protocol.signing import generate_private_key

    _broker, obs, node = setup
    audio = os.urandom(100)
    cmd = play_command(now_ms() + 1000, media=audio, url=media.add(audio))
    obs.publish(topics.node_cmd(A.node_id), signed(cmd, generate_private_key(tmp_path / "evil.pem")))
    assert wait_for(lambda: obs.event(cmd.id, "rejected"), 3)
    assert played(node) == []

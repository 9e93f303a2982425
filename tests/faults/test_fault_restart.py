"""Agent crashes: killed without a clean stop and restarted, it keeps its schedule and its reports."""

import json
import os
import time

import pytest
from node_process import kill_hard, start_node_process, stop_clean, write_node_toml
from node_support import play_command, signed, wait_for

from radio.broker import NodeAccount
from radio.node.agent import NodeAgent
from radio.protocol import topics
from radio.protocol.signing import public_key_pem

pytestmark = [pytest.mark.faults, pytest.mark.integration]

A = NodeAccount("n38001-0301", "pw-r", ("38001-03", "38001", "38"))


def now_ms() -> int:
    return int(time.time() * 1000)


def test_killed_agent_restarted_before_air_time_plays_from_its_stored_schedule(
        broker_factory, observer_factory, media, key, tmp_path):
    broker = broker_factory([A])
    obs = observer_factory(broker)
    config = write_node_toml(tmp_path / "box" / "node.toml", node_id=A.node_id, password=A.password,
                             port=broker.port, areas=A.area_codes, public_key_pem=public_key_pem(key))
    proc = start_node_process(config, block_server_packages=False)
    try:
        audio = os.urandom(3000)
        cmd = play_command(now_ms() + 4000, duration_ms=500, media=audio, url=media.add(audio))
        assert wait_for(lambda: broker.process and obs.client.is_connected(), 5)
        time.sleep(1.0)  # the agent process is up and subscribed
        obs.publish(topics.area_cmd("38001-03"), signed(cmd, key))
        assert wait_for(lambda: obs.event(cmd.id, "received"), 5)
        kill_hard(proc)  # power cut: nothing flushed, no DISCONNECT
        media.files.clear()  # and the server is unreachable now: it must play from its cache
        proc = start_node_process(config, block_server_packages=False)
        assert wait_for(lambda: obs.event(cmd.id, "finished"), 8), (config.parent / "agent.log").read_text()
        started = obs.event(cmd.id, "started")
        assert 0 <= started.at_ms - cmd.start_at_ms <= 50
        lines = (config.parent / "played" / "played.jsonl").read_text().splitlines()
        assert [json.loads(x)["item_id"] for x in lines] == [cmd.id]
        assert obs.kinds(cmd.id) == [("received", 1), ("started", 1), ("finished", 1)]
        assert stop_clean(proc) == 0
    finally:
        kill_hard(proc)


def test_agent_back_after_air_time_reports_missed_and_stays_silent(
        broker_factory, observer_factory, node_factory, media, key):
    broker = broker_factory([A])
    obs = observer_factory(broker)
    agent = node_factory(A, broker.port, late_tolerance_ms=500)
    audio = os.urandom(1000)
    cmd = play_command(now_ms() + 1500, duration_ms=500, media=audio, url=media.add(audio),
                       expires_ms=now_ms() + 60_000)
    obs.publish(topics.node_cmd(A.node_id), signed(cmd, key))
    assert wait_for(lambda: obs.event(cmd.id, "received"), 5)
    agent.kill()
    time.sleep(max(0.0, (cmd.start_at_ms + 800) / 1000 - time.time()))
    again = node_factory(A, broker.port, late_tolerance_ms=500)
    assert wait_for(lambda: obs.event(cmd.id, "missed"), 5)
    assert "late by" in obs.event(cmd.id, "missed").detail
    assert not (again.config.cache_dir.parent / "played" / "played.jsonl").exists()
    assert again.state.commands() == []  # settled: a later restart does not report it again


def test_agent_killed_mid_item_reports_it_cut_after_restart(broker_factory, observer_factory, node_factory,
                                                           media, key):
    broker = broker_factory([A])
    obs = observer_factory(broker)
    agent = node_factory(A, broker.port)
    audio = os.urandom(1000)
    cmd = play_command(now_ms() + 800, duration_ms=5000, media=audio, url=media.add(audio))
    obs.publish(topics.node_cmd(A.node_id), signed(cmd, key))
    assert wait_for(lambda: obs.event(cmd.id, "started"), 5)
    agent.kill()
    again: NodeAgent = node_factory(A, broker.port)
    assert wait_for(lambda: obs.event(cmd.id, "interrupted"), 5)
    assert json.loads(obs.event(cmd.id, "interrupted").detail)["reason"] == "agent restarted during playback"
    time.sleep(0.3)
    assert len((again.config.cache_dir.parent / "played" / "played.jsonl").read_text().splitlines()) == 1

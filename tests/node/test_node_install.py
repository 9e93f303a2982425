"""A node-only install needs neither Flask nor SQLAlchemy: proven by running the agent with them unimportable."""

import importlib.metadata
import os
import threading
import time
import tomllib
from pathlib import Path

import pytest
from node_process import SERVER_ONLY, start_node_process, stop_clean, write_node_toml
from node_support import MediaServer, play_command, signed, wait_for

from radio.broker import SCHEDULER_USER, NodeAccount
from radio.mqtt import make_client, publish_props
from radio.protocol import decode_event, decode_heartbeat, decode_status, topics
from radio.protocol.signing import generate_private_key, public_key_pem

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = NodeAccount("n38001-0150", "pw", ("38001-01", "38001", "38"))


def _names(requirements):
    return {r.split(";")[0].split("[")[0].split("<")[0].split(">")[0].split("=")[0].strip().lower()
            for r in requirements}


def test_node_extra_lists_no_server_package():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    node_deps = _names(project["dependencies"] + project["optional-dependencies"].get("node", []))
    assert not node_deps & set(SERVER_ONLY)
    requires = importlib.metadata.metadata("commune-radio").get_all("Requires-Dist") or []
    installed = [r for r in requires if "extra ==" not in r or 'extra == "node"' in r]
    assert not _names(installed) & set(SERVER_ONLY)


def test_agent_runs_with_server_packages_unimportable(broker_factory, tmp_path):
    broker = broker_factory([ACCOUNT])
    key = generate_private_key(tmp_path / "k.pem")
    media = MediaServer()
    config = write_node_toml(tmp_path / "box" / "node.toml", node_id=ACCOUNT.node_id, password=ACCOUNT.password,
                             port=broker.port, areas=ACCOUNT.area_codes, public_key_pem=public_key_pem(key),
                             player="null", extra=f'heartbeat_s = 1\nserver_url = "{media.url}"')
    got = {"events": [], "beats": [], "status": []}
    lock = threading.Lock()

    def on_message(client, userdata, msg):
        with lock:
            if msg.topic.endswith("/event"):
                got["events"].append(decode_event(msg.payload))
            elif msg.topic.endswith("/heartbeat"):
                got["beats"].append(decode_heartbeat(msg.payload))
            else:
                got["status"].append(decode_status(msg.payload))

    server = make_client("server", SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
    server.on_message = on_message
    server.on_connect = lambda c, *a: c.subscribe([(topics.ALL_EVENTS, 1), (topics.ALL_HEARTBEATS, 0),
                                                   (topics.ALL_STATUS, 1)])
    server.connect("127.0.0.1", broker.port)
    server.loop_start()
    proc = start_node_process(config)
    try:
        assert wait_for(lambda: any(s.online for s in got["status"]), 10), (config.parent / "agent.log").read_text()
        audio = os.urandom(2000)
        cmd = play_command(int(time.time() * 1000) + 1000, duration_ms=300, media=audio, url=media.add(audio))
        server.publish(topics.area_cmd("38001"), signed(cmd, key), qos=1, properties=publish_props(60))
        assert wait_for(lambda: [e.kind for e in got["events"]] == ["received", "started", "finished"], 8)
        assert wait_for(lambda: got["beats"], 3)
        assert stop_clean(proc) == 0  # 3 would mean a server package was imported after all
        assert wait_for(lambda: got["status"] and not got["status"][-1].online, 5)
    finally:
        if proc.poll() is None:
            proc.kill()
        server.disconnect()
        server.loop_stop()
        media.close()

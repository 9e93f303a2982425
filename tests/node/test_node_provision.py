"""`radio node provision`: a DB row, broker credentials and ACL that a real agent can use, and a config bundle."""

import dataclasses
import json
import time

import pytest
from node_support import play_command, signed, wait_for
from sqlalchemy.orm import Session

from factories import make_commune
from launcher.cli import main as radio_main
from radio.broker import SCHEDULER_USER, NodeAccount
from radio.db.models import Node
from radio.db.session import make_engine, make_sessionmaker
from radio.mqtt import make_client, publish_props
from radio.node.agent import NodeAgent
from radio.node.config import load_node_config
from radio.protocol import EventKind, NodeEvent, encode, topics
from radio.protocol.signing import load_private_key
from scheduler.event_keys import EventKeyring
from station.provision import EVENT_KEY_FILE, provision_node, read_password_file

pytestmark = pytest.mark.integration

OLD = NodeAccount("n38001-010", "old-password", ("38001-01", "38001", "38"))


@pytest.fixture
def server(tmp_path, sqlite_url, broker_factory):
    engine = make_engine(sqlite_url)
    with Session(engine) as s:
        make_commune(s, villages=2)
        s.commit()
    engine.dispose()
    broker = broker_factory([OLD])
    settings = tmp_path / "server.toml"
    settings.write_text(f'data_dir = "{tmp_path / "data"}"\ndatabase_url = "{sqlite_url}"\n'
                        f"mqtt_port = {broker.port}\n")
    return settings, broker


def _connects(port, user, password):
    client = make_client(f"probe-{user}", user, password)
    result = {}
    client.on_connect = lambda c, u, f, rc, p: result.setdefault("rc", rc)
    client.connect("127.0.0.1", port)
    client.loop_start()
    wait_for(lambda: "rc" in result, 5)
    client.disconnect()
    client.loop_stop()
    return "rc" in result and not result["rc"].is_failure


def test_provisioned_node_connects_and_receives_its_area_commands(server, tmp_path, sqlite_url):
    settings, broker = server
    before = read_password_file(broker.workdir / "passwd")
    result = provision_node(node_id="n38001-0200", village_code="38001-02", out_dir=tmp_path / "bundle",
                            broker_dir=broker.workdir, broker_pid=broker.process.pid, settings_file=str(settings))
    assert result.area_codes == ("38001-02", "38001", "38") and result.broker_reloaded
    after = read_password_file(broker.workdir / "passwd")
    assert {u: h for u, h in after.items() if u != "n38001-0200"} == before  # others keep their hashes
    assert result.password not in (broker.workdir / "passwd").read_text()  # only a hash is stored
    assert (result.config_path.stat().st_mode & 0o777) == 0o600
    engine = make_engine(sqlite_url)
    with Session(engine) as s:
        assert s.get(Node, "n38001-0200").village.code == "38001-02"
    engine.dispose()

    time.sleep(0.3)  # mosquitto re-reads its files on SIGHUP
    assert _connects(broker.port, OLD.node_id, OLD.password)
    config = dataclasses.replace(load_node_config(result.config_path), cache_dir=tmp_path / "box" / "cache",
                                 state_dir=tmp_path / "box", player="null", broker_host="127.0.0.1")
    assert config.will_delay_s == 30 and config.broker_port == broker.port
    agent = NodeAgent(config)
    agent.start()
    try:
        # A command on the commune topic, signed with the server's key, reaches the new node (ACL + key).
        key = load_private_key(tmp_path / "data" / "keys" / "server_ed25519.pem")
        sender = make_client("sender", SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
        sender.connect("127.0.0.1", broker.port)
        sender.loop_start()
        cmd = play_command(int(time.time() * 1000) + 60_000, url="http://127.0.0.1:9/m.mp3")
        sender.publish(topics.area_cmd("38001"), signed(cmd, key), qos=1,
                       properties=publish_props(60)).wait_for_publish(5)
        assert wait_for(lambda: cmd.id in agent._seen, 5)
        sender.disconnect()
        sender.loop_stop()
    finally:
        agent.stop()


def test_provision_cli_refuses_an_unknown_village(server, tmp_path, capsys):
    settings, _broker = server
    code = radio_main(["node", "provision", "--node-id", "n1", "--village", "99999-01", "--out",
                       str(tmp_path / "b"), "--server-config", str(settings)])
    assert code == 2 and "no area with code '99999-01'" in capsys.readouterr().err


def test_provision_without_broker_dir_tells_the_operator(server, tmp_path, capsys):
    settings, _broker = server
    code = radio_main(["node", "provision", "--node-id", "n38001-0300", "--village", "38001-01", "--out",
                       str(tmp_path / "b"), "--server-config", str(settings), "--broker-host", "mqtt.example.vn"])
    assert code == 0 and "broker not updated" in capsys.readouterr().out
    assert 'broker_host = "mqtt.example.vn"' in (tmp_path / "b" / "node.toml").read_text()


@pytest.mark.security
def test_provisioned_node_signs_its_events_with_its_own_key(server, tmp_path, sqlite_url):
    settings, broker = server
    result = provision_node(node_id="n38001-0201", village_code="38001-02", out_dir=tmp_path / "bundle",
                            settings_file=str(settings))
    assert (tmp_path / "bundle" / EVENT_KEY_FILE).stat().st_mode & 0o777 == 0o600
    config = dataclasses.replace(load_node_config(result.config_path), cache_dir=tmp_path / "box" / "cache",
                                 state_dir=tmp_path / "box", player="null", broker_port=broker.port,
                                 broker_host="127.0.0.1")
    assert config.event_key_pem.startswith("-----BEGIN PRIVATE KEY-----")
    sessions = make_sessionmaker(make_engine(sqlite_url))
    keyring = EventKeyring(sessions)
    agent = NodeAgent(config)  # not started: its events wait in the outbox, exactly as they will be sent
    try:
        agent._report(EventKind.REJECTED, "c-1", detail="test")
        payload = agent.state.outbox()[0].payload
    finally:
        agent.kill()
    assert json.loads(payload)["sig"] and keyring.problem("n38001-0201", payload) is None
    # A record forged by someone with broker access (no node key) is refused, signed or not.
    forged = encode(NodeEvent("n38001-0201:c-2:finished", "n38001-0201", EventKind.FINISHED, 1, "c-2"))
    assert keyring.problem("n38001-0201", forged) == "unsigned event from a node that has an event key"
    # Re-provisioning makes a new key: the old bundle can no longer speak for the node.
    provision_node(node_id="n38001-0201", village_code="38001-02", out_dir=tmp_path / "bundle2",
                   settings_file=str(settings))
    keyring.refresh()
    assert keyring.problem("n38001-0201", payload) == "event signature does not verify under the node's key"

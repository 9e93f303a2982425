"""`radio node provision --ca-file`: the bundle makes the node use MQTT over TLS against the province CA."""

import pytest
from sqlalchemy.orm import Session

from factories import make_commune
from launcher.cli import main as radio_main
from radio.broker import TlsListener, free_port
from radio.db.session import make_engine
from radio.node.agent import NodeAgent
from radio.node.config import load_node_config

pytestmark = pytest.mark.integration


def test_provisioned_tls_node_connects_to_the_tls_listener(tmp_path, sqlite_url, broker_factory, pki):
    engine = make_engine(sqlite_url)
    with Session(engine) as s:
        make_commune(s, villages=1)
        s.commit()
    engine.dispose()
    tls = TlsListener(pki.server.cert, pki.server.key, pki.ca.cert, port=free_port(), bind="127.0.0.1")
    broker = broker_factory([], tls=tls)
    settings = tmp_path / "server.toml"
    settings.write_text(f'data_dir = "{tmp_path / "data"}"\ndatabase_url = "{sqlite_url}"\n'
                        f'mqtt_port = {broker.port}\npublic_base_url = "https://localhost:8443"\n')
    bundle = tmp_path / "bundle"
    assert radio_main(["node", "provision", "--node-id", "n38001-0100", "--village", "38001-01", "--out", str(bundle),
                       "--server-config", str(settings), "--broker-dir", str(broker.workdir),
                       "--broker-pid", str(broker.process.pid), "--broker-host", "localhost",
                       "--broker-port", str(tls.port), "--ca-file", str(pki.ca.cert)]) == 0
    config = load_node_config(bundle / "node.toml")
    assert config.broker_tls and config.ca_file == bundle / "ca.crt"
    assert config.ca_file.read_bytes() == pki.ca.cert.read_bytes()
    agent = NodeAgent(config)
    agent.start(wait_s=0)
    try:
        agent._connected.wait(10)  # raises when refused or unanswered
    finally:
        agent.stop()


def test_provision_refuses_a_ca_file_that_is_not_a_certificate(tmp_path, sqlite_url, capsys):
    engine = make_engine(sqlite_url)
    with Session(engine) as s:
        make_commune(s, villages=1)
        s.commit()
    engine.dispose()
    settings = tmp_path / "server.toml"
    settings.write_text(f'data_dir = "{tmp_path / "data"}"\ndatabase_url = "{sqlite_url}"\n')
    (tmp_path / "key.pem").write_text("-----BEGIN PRIVATE KEY-----\n")
    assert radio_main(["node", "provision", "--node-id", "n38001-0101", "--village", "38001-01",
                       "--out", str(tmp_path / "b"), "--server-config", str(settings),
                       "--ca-file", str(tmp_path / "key.pem")]) == 2
    assert "no PEM certificate" in capsys.readouterr().err

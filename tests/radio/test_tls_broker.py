"""Real TLS to a real Mosquitto: a node verifies the province CA and the broker's host name before it logs in."""

from __future__ import annotations

import ssl
import time
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from radio.broker import SCHEDULER_USER, NodeAccount, TlsListener, free_port
from radio.mqtt import make_client
from radio.node.agent import NodeAgent
from radio.node.config import NodeConfig, NodeConfigError, node_config_from_dict
from radio.node.tls import client_context
from radio.pki import PkiError, init_ca, issue_files, load_ca, make_test_pki
from radio.protocol.signing import public_key_pem

pytestmark = pytest.mark.integration


def tls_broker(broker_factory, pki, accounts):  # type: ignore[no-untyped-def]
    tls = TlsListener(pki.server.cert, pki.server.key, pki.ca.cert, port=free_port(), bind="127.0.0.1")
    return broker_factory(accounts, tls=tls)


def agent_for(tmp_path: Path, account: NodeAccount, *, host: str, port: int, ca_file: Path) -> NodeAgent:
    config = NodeConfig(node_id=account.node_id, password=account.password, broker_host=host, broker_port=port,
                        broker_tls=True, ca_file=ca_file, area_codes=account.area_codes,
                        public_key_pem=public_key_pem(Ed25519PrivateKey.generate()),
                        cache_dir=tmp_path / account.node_id / "cache", player="null", heartbeat_s=3600,
                        reconnect_min_s=1, reconnect_max_s=1)
    return NodeAgent(config)


def connects(agent: NodeAgent, wait_s: float) -> bool:
    agent.start(wait_s=0)
    try:
        agent._connected.wait(wait_s)
        return True
    except ConnectionError:
        return False
    finally:
        agent.stop()


def test_node_connects_over_tls_with_the_province_ca(tmp_path, broker_factory, pki):
    account = NodeAccount("node-tls-1", "pw-tls-1", ("38001",))
    broker = tls_broker(broker_factory, pki, [account])
    assert broker.tls is not None
    conf = broker.conf_path.read_text()
    # The plaintext listener stays on loopback; only the TLS one would face the network in a deployment.
    assert f"listener {broker.port} 127.0.0.1" in conf and f"listener {broker.tls.port} 127.0.0.1" in conf
    agent = agent_for(tmp_path, account, host="localhost", port=broker.tls.port, ca_file=pki.ca.cert)
    assert connects(agent, 10)


def test_a_node_on_the_tls_listener_cannot_take_over_the_schedulers_session(tmp_path, broker_factory, pki):
    account = NodeAccount("node-tls-4", "pw-tls-4", ("38001",))
    broker = tls_broker(broker_factory, pki, [account])
    assert broker.tls is not None
    lost: list[object] = []
    scheduler = make_client(SCHEDULER_USER, SCHEDULER_USER, broker.service_passwords[SCHEDULER_USER])
    scheduler.on_disconnect = lambda *args: lost.append(args)
    scheduler.connect("127.0.0.1", broker.port)
    scheduler.loop_start()
    intruder = make_client(SCHEDULER_USER, account.node_id, account.password)  # the scheduler's client id
    intruder.tls_set_context(client_context(pki.ca.cert))
    connected: list[object] = []
    intruder.on_connect = lambda c, u, f, rc, p: connected.append(rc)
    try:
        time.sleep(0.5)
        intruder.connect("localhost", broker.tls.port)
        intruder.loop_start()
        deadline = time.monotonic() + 5
        while not connected and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)
        assert connected and not connected[0].is_failure  # it logged in, as itself...
        assert not lost, "the scheduler was evicted by a node using its client id over TLS"  # ...and took nothing
    finally:
        intruder.disconnect()
        intruder.loop_stop()
        scheduler.disconnect()
        scheduler.loop_stop()


def test_node_refuses_a_broker_certificate_from_another_ca(tmp_path, broker_factory, pki):
    account = NodeAccount("node-tls-2", "pw-tls-2", ("38001",))
    broker = tls_broker(broker_factory, pki, [account])
    assert broker.tls is not None
    other = make_test_pki(tmp_path / "other-ca", common_name="Another CA")
    agent = agent_for(tmp_path, account, host="localhost", port=broker.tls.port, ca_file=other.ca.cert)
    assert not connects(agent, 3)
    # The same handshake with the standard library says why: the chain does not lead to the node's CA.
    with pytest.raises(ssl.SSLCertVerificationError, match="certificate verify failed"):
        _handshake(broker.tls.port, "localhost", other.ca.cert)


def test_node_refuses_a_broker_certificate_for_another_host_name(tmp_path, broker_factory):
    # A certificate for the province's broker name only: reaching it as 127.0.0.1 must fail the name check.
    directory = tmp_path / "pki"
    ca = init_ca(directory)
    server = issue_files(directory, "server", directory, hosts=["mqtt.example.vn"])
    account = NodeAccount("node-tls-3", "pw-tls-3", ("38001",))
    tls = TlsListener(server.cert, server.key, ca.cert, port=free_port(), bind="127.0.0.1")
    broker = broker_factory([account], tls=tls)
    agent = agent_for(tmp_path, account, host="127.0.0.1", port=tls.port, ca_file=ca.cert)
    assert not connects(agent, 3)
    with pytest.raises(ssl.SSLCertVerificationError, match=r"IP address mismatch|Hostname mismatch"):
        _handshake(tls.port, "127.0.0.1", ca.cert)
    assert broker.process is not None and broker.process.poll() is None


def _handshake(port: int, host: str, ca_file: Path) -> None:
    import socket

    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw, \
            client_context(ca_file).wrap_socket(raw, server_hostname=host):
        pass


def test_issued_certificates_name_their_hosts_and_chain_to_the_ca(tmp_path):
    ca_files = init_ca(tmp_path)
    files = issue_files(tmp_path, "web", tmp_path / "out", hosts=["radio.example.vn", "10.0.0.5"])
    chain = x509.load_pem_x509_certificates(files.cert.read_bytes())
    leaf, ca_cert = chain
    assert ca_cert == load_ca(tmp_path).cert
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["radio.example.vn"]
    assert [str(a) for a in san.get_values_for_type(x509.IPAddress)] == ["10.0.0.5"]
    leaf.verify_directly_issued_by(ca_cert)
    assert files.key.stat().st_mode & 0o777 == 0o600 and ca_files.key.stat().st_mode & 0o777 == 0o600
    with pytest.raises(PkiError, match="exists"):
        init_ca(tmp_path)
    with pytest.raises(PkiError, match="at least one host"):
        issue_files(tmp_path, "nohost", tmp_path / "out")


def test_node_config_reads_tls_keys(tmp_path, pki):
    key = public_key_pem(Ed25519PrivateKey.generate())
    base = {"node_id": "n1", "password": "p", "public_key_pem": key}
    config = node_config_from_dict(base | {"broker_tls": True, "ca_file": str(pki.ca.cert)}, base_dir=tmp_path)
    assert config.broker_tls and config.ca_file == pki.ca.cert
    with pytest.raises(NodeConfigError, match="broker_tls"):
        node_config_from_dict(base | {"broker_tls": "yes"}, base_dir=tmp_path)
    (tmp_path / "bad.pem").write_text("not a certificate")
    with pytest.raises(NodeConfigError, match="no PEM certificate"):
        node_config_from_dict(base | {"ca_file": "bad.pem"}, base_dir=tmp_path)
    with pytest.raises(NodeConfigError, match="cannot read ca_file"):
        node_config_from_dict(base | {"ca_file": "missing.pem"}, base_dir=tmp_path)


def test_pki_commands_make_a_ca_and_certificates(tmp_path, capsys):
    from launcher.cli import main

    ca_dir = tmp_path / "ca"
    assert main(["pki", "init", "--ca-dir", str(ca_dir), "--name", "Tỉnh Thử CA"]) == 0
    assert main(["pki", "issue", "mqtt", "--ca-dir", str(ca_dir), "--host", "mqtt.example.vn"]) == 0
    assert main(["pki", "issue", "bridge-38001", "--ca-dir", str(ca_dir), "--client", "--out", str(tmp_path)]) == 0
    leaf = x509.load_pem_x509_certificates((ca_dir / "mqtt.crt").read_bytes())[0]
    leaf.verify_directly_issued_by(load_ca(ca_dir).cert)
    client = x509.load_pem_x509_certificates((tmp_path / "bridge-38001.crt").read_bytes())[0]
    usage = client.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert x509.oid.ExtendedKeyUsageOID.CLIENT_AUTH in usage
    capsys.readouterr()
    assert main(["pki", "init", "--ca-dir", str(ca_dir)]) == 2  # never silently replaces a CA
    assert "exists" in capsys.readouterr().err

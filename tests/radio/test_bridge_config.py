"""radio/bridges.py without a broker: the tree file, the plan over the areas, the files, provisioning with --bridges."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from factories import make_commune
from launcher.cli import main as radio_main
from radio.bridges import (
    AreaRow,
    BridgeError,
    BridgeTree,
    BrokerSpec,
    generate,
    load_tree,
    plan,
    read_hashes,
    tree_from_dict,
)
from radio.broker import SCHEDULER_USER, hash_password, password_text
from radio.db.models import Node
from radio.db.session import make_engine
from radio.pki import make_test_pki
from station.provision import provision_node

AREAS = [AreaRow(1, "38", None), AreaRow(2, "38001", 1), AreaRow(3, "38001-01", 2), AreaRow(4, "38002", 1),
         AreaRow(5, "38002-01", 4), AreaRow(6, "38003", 1), AreaRow(7, "38003-01", 6)]
TREE = BridgeTree(BrokerSpec("central", "mqtt.tinh", 1883, "0.0.0.0"),
                  (BrokerSpec("a", "10.0.0.2", 1884, areas=("38002",)),
                   BrokerSpec("b", "10.0.0.3", 1885, areas=("38003-01",))))


def test_each_area_and_node_goes_to_the_broker_of_its_nearest_listed_ancestor():
    plans = plan(TREE, AREAS, [("x1", 3), ("y1", 5), ("z1", 7)])
    assert plans["central"].codes == {"38", "38001", "38001-01", "38003"}
    assert plans["a"].codes == {"38002", "38002-01"} and plans["a"].above == {"38"}
    assert plans["b"].codes == {"38003-01"} and plans["b"].above == {"38003", "38"}
    assert [(n.node_id, n.area_codes) for n in plans["b"].nodes] == [("z1", ("38003-01", "38003", "38"))]
    assert [n.node_id for n in plans["central"].nodes] == ["x1"]


@pytest.mark.parametrize("raw, message", [
    ({"central": {"host": "h"}, "broker": [{"name": "a", "host": "h", "areas": ["99999"]}]}, "no area"),
    ({"central": {"host": "h"}, "broker": [{"name": "a", "host": "h", "areas": ["38002"]},
                                           {"name": "b", "host": "h", "areas": ["38002"]}]}, "listed for both"),
    ({"central": {"host": "h"}, "broker": [{"name": "central", "host": "h", "areas": ["38002"]}]}, "not 'central'"),
    ({"central": {"host": "h"}, "broker": [{"name": "A b", "host": "h", "areas": ["38002"]}]}, "lower-case"),
    ({"central": {"host": "h", "port": 70000}}, "port"),
    ({"central": {"host": "h", "areas": ["38"]}}, "give it no areas"),
    ({"central": {"host": "h"}, "broker": [{"name": "a", "host": "h", "areas": []}]}, "serves no areas"),
    ({"central": {"host": "h", "tls": True}}, "unknown keys"),
    ({"broker": []}, "a table expected"),
])
def test_a_bad_tree_is_refused_with_the_reason(raw, message):
    with pytest.raises(BridgeError, match=message):
        plan(tree_from_dict(raw), AREAS, [])


def test_files_keep_nodes_on_their_broker_and_bridges_persistent_with_qos1(tmp_path):
    plans = plan(TREE, AREAS, [("x1", 3), ("y1", 5)])
    hashes = {SCHEDULER_USER: hash_password("s"), "x1": hash_password("x"), "y1": hash_password("y")}
    warnings = generate(TREE, plans, hashes, tmp_path / "out")
    assert warnings == []
    out = tmp_path / "out"
    assert set(read_hashes(out / "a" / "passwd")) == {"y1"}
    assert set(read_hashes(out / "central" / "passwd")) == {SCHEDULER_USER, "x1", "bridge-a", "bridge-b"}
    conf = (out / "a" / "mosquitto.conf").read_text().splitlines()
    for line in ("connection bridge-a", "address mqtt.tinh:1883", "cleansession false", "local_cleansession false",
                 "persistence true", "remote_username bridge-a", "topic radio/v1/area/38/cmd in 1",
                 "topic radio/v1/area/38002-01/cmd in 1", "topic radio/v1/node/+/event out 1",
                 "topic radio/v1/node/+/status out 1", "topic radio/v1/node/+/heartbeat out 1"):
        assert line in conf
    assert "topic radio/v1/area/38001/cmd in 1" not in conf  # another commune's commands stay off this link
    acl = (out / "central" / "acl").read_text()
    bridge_block = acl.split("user bridge-a\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert "topic read radio/v1/area/38002/cmd" in bridge_block
    assert "topic read radio/v1/area/38001/cmd" not in bridge_block
    # The bridge password is made once: regenerating keeps it (the district broker's config stays valid).
    password = (out / "a" / "bridge-password").read_text()
    generate(TREE, plans, hashes, tmp_path / "out")
    assert (out / "a" / "bridge-password").read_text() == password
    # A node with no hash yet is named, not silently dropped.
    assert generate(TREE, plan(TREE, AREAS, [("x1", 3), ("new", 5)]), hashes, out) == [
        "node new has no password hash: left out (provision it)"]


def test_provision_with_bridges_points_the_node_at_its_nearest_broker(tmp_path, sqlite_url):
    engine = make_engine(sqlite_url)
    with Session(engine) as s:
        make_commune(s, villages=2)  # 38001 with 38001-01, 38001-02 (and their nodes)
        s.commit()
    engine.dispose()
    settings = tmp_path / "server.toml"
    settings.write_text(f'data_dir = "{tmp_path / "data"}"\ndatabase_url = "{sqlite_url}"\n')
    (tmp_path / "passwd").write_text(password_text({SCHEDULER_USER: "s"}))
    (tmp_path / "tree.toml").write_text('[central]\nhost = "central.tinh"\nport = 1883\n\n[[broker]]\nname = "d"\n'
                                        'host = "d.huyen"\nport = 1884\nareas = ["38001-02"]\n')
    out = tmp_path / "brokers"
    assert radio_main(["broker", "bridges", "--tree", str(tmp_path / "tree.toml"), "--passwd",
                       str(tmp_path / "passwd"), "--out", str(out), "--config", str(settings)]) == 0
    assert load_tree(out / "tree.toml") == load_tree(tmp_path / "tree.toml")
    far = provision_node(node_id="n-far", village_code="38001-02", out_dir=tmp_path / "far", bridges_dir=out,
                         settings_file=str(settings))
    near = provision_node(node_id="n-near", village_code="38001-01", out_dir=tmp_path / "near", bridges_dir=out,
                          settings_file=str(settings))
    far_toml = tomllib.loads(far.config_path.read_text())
    near_toml = tomllib.loads(near.config_path.read_text())
    assert (far_toml["broker_host"], far_toml["broker_port"]) == ("d.huyen", 1884)
    assert (near_toml["broker_host"], near_toml["broker_port"]) == ("central.tinh", 1883)
    assert "n-far" in read_hashes(out / "d" / "passwd") and "n-far" not in read_hashes(out / "central" / "passwd")
    assert "n-near" in read_hashes(out / "central" / "passwd")
    # Both accounts kept for the next regeneration, with the scheduler's.
    assert {"n-far", "n-near", SCHEDULER_USER} <= set(read_hashes(out / "passwd-all"))
    assert "user n-far" in (out / "d" / "acl").read_text()


def test_provision_refuses_bridges_with_a_broker_dir(tmp_path: Path):
    from station.provision import ProvisionError

    with pytest.raises(ProvisionError, match="exclude each other"):
        provision_node(node_id="n1", village_code="38001-01", out_dir=tmp_path, bridges_dir=tmp_path,
                       broker_dir=tmp_path)


TLS_TREE = {"tls": {"ca_file": "/etc/mosquitto/certs/ca.crt", "cert_dir": "/etc/mosquitto/certs"},
            "central": {"host": "mqtt.tinh", "listen": "0.0.0.0", "tls_port": 8883},
            "broker": [{"name": "a", "host": "a.huyen", "port": 1884, "tls_port": 8884, "listen": "0.0.0.0",
                        "areas": ["38002"]}]}


def test_a_tls_tree_listens_with_tls_keeps_plaintext_on_loopback_and_bridges_check_the_central_name(tmp_path):
    tree = tree_from_dict(TLS_TREE)
    out = tmp_path / "out"
    generate(tree, plan(tree, AREAS, [("y1", 5)]), {SCHEDULER_USER: hash_password("s"), "y1": hash_password("y")},
             out)
    central = (out / "central" / "mosquitto.conf").read_text().splitlines()
    district = (out / "a" / "mosquitto.conf").read_text().splitlines()
    for conf, name, tls_port in ((central, "central", 8883), (district, "a", 8884)):
        plain = next(line for line in conf if line.startswith("listener ") and f" {tls_port} " not in line)
        assert plain.endswith(" 127.0.0.1"), plain  # plaintext never leaves the machine
        tls_at = conf.index(f"listener {tls_port} 0.0.0.0")
        tls_block = conf[tls_at:]
        for line in (f"certfile /etc/mosquitto/certs/{name}.crt", f"keyfile /etc/mosquitto/certs/{name}.key",
                     "cafile /etc/mosquitto/certs/ca.crt", "tls_version tlsv1.2", "use_username_as_clientid true"):
            assert line in tls_block, (name, line)
        # Each listener takes the client id from the user name (a listener option in Mosquitto 2.0).
        assert "use_username_as_clientid true" in conf[:tls_at]
    bridge = district[district.index("connection bridge-a"):]
    assert "address mqtt.tinh:8883" in bridge  # the central TLS port, under the name its certificate carries
    assert "bridge_cafile /etc/mosquitto/certs/ca.crt" in bridge and "bridge_insecure false" in bridge
    index = json.loads((out / "brokers.json").read_text())
    assert index["central"]["tls_port"] == 8883 and index["brokers"][0]["tls_port"] == 8884


@pytest.mark.parametrize("tls, message", [
    ({"ca_file": "/ca.crt"}, "cert_dir is required"),
    ({"ca_file": "/ca.crt", "cert_dir": "/c", "port": 1}, "unknown keys"),
    ("yes", "a table expected"),
])
def test_a_bad_tls_table_is_refused(tls, message):
    with pytest.raises(BridgeError, match=message):
        tree_from_dict({"central": {"host": "h"}, "tls": tls})


def test_a_broker_whose_tls_port_is_its_plaintext_port_is_refused():
    with pytest.raises(BridgeError, match="must differ"):
        tree_from_dict({"central": {"host": "h", "port": 8883}})


def test_provision_for_tls_brokers_needs_the_ca_and_points_the_node_at_the_tls_port(tmp_path, sqlite_url):
    from station.provision import ProvisionError

    engine = make_engine(sqlite_url)
    with Session(engine) as s:
        make_commune(s, villages=2)
        s.commit()
    settings = tmp_path / "server.toml"
    settings.write_text(f'data_dir = "{tmp_path / "data"}"\ndatabase_url = "{sqlite_url}"\n')
    (tmp_path / "passwd").write_text(password_text({SCHEDULER_USER: "s"}))
    (tmp_path / "tree.toml").write_text(
        '[tls]\nca_file = "/etc/mosquitto/certs/ca.crt"\ncert_dir = "/etc/mosquitto/certs"\n\n'
        '[central]\nhost = "central.tinh"\ntls_port = 8883\n\n'
        '[[broker]]\nname = "d"\nhost = "d.huyen"\nport = 1884\ntls_port = 8884\nareas = ["38001-02"]\n')
    out = tmp_path / "brokers"
    assert radio_main(["broker", "bridges", "--tree", str(tmp_path / "tree.toml"), "--passwd",
                       str(tmp_path / "passwd"), "--out", str(out), "--config", str(settings)]) == 0
    ca = make_test_pki(tmp_path / "pki").ca.cert
    # Without the CA the node could not reach its broker at all: refused before anything is written.
    with pytest.raises(ProvisionError, match="TLS only: give --ca-file"):
        provision_node(node_id="n-no-ca", village_code="38001-02", out_dir=tmp_path / "no-ca", bridges_dir=out,
                       settings_file=str(settings))
    assert not (tmp_path / "no-ca").exists() and "n-no-ca" not in read_hashes(out / "passwd-all")
    with Session(engine) as s:
        assert s.get(Node, "n-no-ca") is None
    engine.dispose()
    far = provision_node(node_id="n-far", village_code="38001-02", out_dir=tmp_path / "far", bridges_dir=out,
                         settings_file=str(settings), ca_file=ca)
    near = provision_node(node_id="n-near", village_code="38001-01", out_dir=tmp_path / "near", bridges_dir=out,
                          settings_file=str(settings), ca_file=ca)
    far_toml = tomllib.loads(far.config_path.read_text())
    near_toml = tomllib.loads(near.config_path.read_text())
    assert (far_toml["broker_host"], far_toml["broker_port"], far_toml["broker_tls"]) == ("d.huyen", 8884, True)
    assert (near_toml["broker_host"], near_toml["broker_port"], near_toml["broker_tls"]) == ("central.tinh", 8883,
                                                                                              True)
    assert (tmp_path / "far" / far_toml["ca_file"]).read_text() == ca.read_text()


def test_provision_with_a_ca_for_plaintext_brokers_is_refused(tmp_path, sqlite_url):
    from station.provision import ProvisionError

    (tmp_path / "brokers").mkdir()
    (tmp_path / "brokers" / "brokers.json").write_text(json.dumps(
        {"central": {"host": "c", "port": 1883}, "brokers": []}))  # written before TLS existed: no tls_port
    with pytest.raises(ProvisionError, match="has no TLS listener"):
        provision_node(node_id="n1", village_code="38001-01", out_dir=tmp_path / "n1",
                       bridges_dir=tmp_path / "brokers", ca_file=make_test_pki(tmp_path / "pki").ca.cert)
    assert not (tmp_path / "n1").exists()

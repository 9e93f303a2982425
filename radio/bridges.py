"""Bridged Mosquitto brokers for a province: one central broker, one per district or cluster, made from the area tree.

The scheduler connects to the central broker only. Each district broker serves the loudspeakers of its areas and
keeps one bridge connection to the central broker: area and node command topics come down, node events, status and
heartbeats go up. The bridge is an MQTT client of the central broker with its own account and ACL, QoS 1 in both
directions, and persistent sessions at both ends (`cleansession false`, `local_cleansession false`, persistence
on), so a bridge or broker restart loses nothing: the central broker keeps the commands queued for an absent
bridge, the district broker keeps the events queued for an absent central link, on disk across its own restart.
Duplicates that QoS 1 may produce on a reconnect are stored once by the scheduler (event ids are unique).

The tree file (TOML) says which broker serves which areas; every node of an area below a listed code (a province,
commune or village) connects to that broker, the others to the central broker:

    [central]
    host = "mqtt.example.vn"   # as the district brokers reach it
    port = 1883
    listen = "0.0.0.0"         # the address the broker binds (default 127.0.0.1)

    [[broker]]
    name = "cam-thuy"          # letters, digits and '-'
    host = "10.1.2.3"          # as the loudspeakers reach it
    port = 1883
    areas = ["38001", "38002"]

`generate()` writes `<out>/central/` and `<out>/<name>/` (mosquitto.conf, passwd, acl) and `<out>/brokers.json`
(which broker serves which area codes, read by `radio node provision --bridges`). Node password hashes come from the
existing password file (a node's password is never known here); the bridge passwords are made once and kept in
`<out>/<name>/bridge-password`.

TLS (a province across 4G and the Internet): a `[tls]` table gives the CA and the directory of the brokers'
certificates (`<name>.crt` with its chain and `<name>.key`, e.g. from `radio pki issue <name>`). Each broker then
listens with TLS on its `tls_port` (default 8883) at its `listen` address, its plaintext port only on loopback (the
scheduler beside the central broker); each bridge connects to the central TLS port and checks the central
certificate against the CA and the central `host` name; nodes are provisioned for the TLS port of their broker:

    [tls]
    ca_file = "/etc/mosquitto/certs/ca.crt"
    cert_dir = "/etc/mosquitto/certs"

    [central]
    host = "mqtt.example.vn"
    listen = "0.0.0.0"
    tls_port = 8883
"""

from __future__ import annotations

import json
import re
import secrets
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.broker import (
    MAX_PACKET_BYTES,
    SCHEDULER_USER,
    NodeAccount,
    TlsListener,
    acl_text,
    hash_password,
    tls_listener_lines,
)
from radio.db.models import Area, Node
from radio.protocol import topics

CENTRAL = "central"
BRIDGE_PREFIX = "bridge-"
BROKERS_FILE = "brokers.json"
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")


class BridgeError(ValueError):
    pass


@dataclass(frozen=True)
class BrokerSpec:
    """One broker of the tree: where it listens, how others reach it, and which areas it serves."""

    name: str
    host: str
    port: int = 1883
    listen: str = "127.0.0.1"
    areas: tuple[str, ...] = ()
    tls_port: int = 8883  # used when the tree has a [tls] table

    @property
    def bridge_user(self) -> str:
        return f"{BRIDGE_PREFIX}{self.name}"


@dataclass(frozen=True)
class TreeTls:
    """The CA every broker's certificate is signed by, and where `<name>.crt` / `<name>.key` are installed."""

    ca_file: Path
    cert_dir: Path


@dataclass(frozen=True)
class BridgeTree:
    central: BrokerSpec
    brokers: tuple[BrokerSpec, ...]
    tls: TreeTls | None = None


@dataclass(frozen=True)
class AreaRow:
    id: int
    code: str
    parent_id: int | None


@dataclass
class BrokerPlan:
    """What one broker serves once the tree is laid over the areas: its area codes and its nodes."""

    spec: BrokerSpec
    codes: set[str] = field(default_factory=set)  # areas at or below the listed ones: their nodes connect here
    above: set[str] = field(default_factory=set)  # ancestors: their commands must come down the bridge too
    nodes: list[NodeAccount] = field(default_factory=list)


def load_tree(path: Path) -> BridgeTree:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise BridgeError(f"{path}: {exc}") from exc
    return tree_from_dict(raw)


def tree_from_dict(raw: Mapping[str, object]) -> BridgeTree:
    def spec(name: str, item: object) -> BrokerSpec:
        if not isinstance(item, dict):
            raise BridgeError(f"broker {name!r}: a table expected")
        unknown = set(item) - {"name", "host", "port", "listen", "areas", "tls_port"}
        if unknown:
            raise BridgeError(f"broker {name!r}: unknown keys {sorted(unknown)}")
        port, tls_port = item.get("port", 1883), item.get("tls_port", 8883)
        for key, value in (("port", port), ("tls_port", tls_port)):
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 65535:
                raise BridgeError(f"broker {name!r}: {key} must be 1..65535")
        if port == tls_port:
            raise BridgeError(f"broker {name!r}: port and tls_port must differ")
        areas = item.get("areas", [])
        if not isinstance(areas, list) or not all(isinstance(a, str) and a for a in areas):
            raise BridgeError(f"broker {name!r}: areas must be a list of area codes")
        host = item.get("host")
        if not isinstance(host, str) or not host:
            raise BridgeError(f"broker {name!r}: host is required")
        return BrokerSpec(name, host, port, str(item.get("listen", "127.0.0.1")), tuple(areas), tls_port)

    central = spec(CENTRAL, raw.get("central"))
    if central.areas:
        raise BridgeError("the central broker serves every area no other broker serves: give it no areas")
    brokers = []
    for item in raw.get("broker", []) or []:  # type: ignore[union-attr]
        name = item.get("name") if isinstance(item, dict) else None
        if not isinstance(name, str) or not _NAME.match(name) or name == CENTRAL:
            raise BridgeError(f"broker name {name!r}: lower-case letters, digits and '-', not 'central'")
        b = spec(name, item)
        if not b.areas:
            raise BridgeError(f"broker {name!r} serves no areas")
        brokers.append(b)
    names = [b.name for b in brokers]
    if len(set(names)) != len(names):
        raise BridgeError("two brokers with the same name")
    return BridgeTree(central, tuple(brokers), _tls(raw.get("tls")))


def _tls(raw: object) -> TreeTls | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise BridgeError("[tls]: a table expected")
    unknown = set(raw) - {"ca_file", "cert_dir"}
    if unknown:
        raise BridgeError(f"[tls]: unknown keys {sorted(unknown)}")
    for key in ("ca_file", "cert_dir"):
        if not isinstance(raw.get(key), str) or not raw[key]:
            raise BridgeError(f"[tls]: {key} is required (a path)")
    return TreeTls(Path(raw["ca_file"]), Path(raw["cert_dir"]))


def plan(tree: BridgeTree, areas: Iterable[AreaRow], nodes: Iterable[tuple[str, int]]) -> dict[str, BrokerPlan]:
    """Lay the tree over the areas: each area (and node) is served by the broker of its nearest listed ancestor."""
    by_id = {a.id: a for a in areas}
    by_code = {a.code: a for a in by_id.values()}
    owner: dict[int, str] = {}  # area id listed in the tree → broker name
    for b in tree.brokers:
        for code in b.areas:
            area = by_code.get(code)
            if area is None:
                raise BridgeError(f"broker {b.name!r}: no area with code {code!r}")
            if area.id in owner:
                raise BridgeError(f"area {code} is listed for both {owner[area.id]!r} and {b.name!r}")
            owner[area.id] = b.name
    plans = {CENTRAL: BrokerPlan(tree.central)} | {b.name: BrokerPlan(b) for b in tree.brokers}

    def chain(area_id: int | None) -> list[AreaRow]:
        out = []
        while area_id is not None and area_id in by_id:
            out.append(by_id[area_id])
            area_id = by_id[area_id].parent_id
        return out

    def broker_of(area_id: int) -> str:
        return next((owner[a.id] for a in chain(area_id) if a.id in owner), CENTRAL)

    for area in by_id.values():
        name = broker_of(area.id)
        plans[name].codes.add(area.code)
        if name != CENTRAL:
            plans[name].above.update(a.code for a in chain(area.parent_id) if broker_of(a.id) != name)
    for node_id, village_id in nodes:
        codes = tuple(a.code for a in chain(village_id))
        plans[broker_of(village_id)].nodes.append(NodeAccount(node_id, "", codes))
    for p in plans.values():
        p.nodes.sort(key=lambda n: n.node_id)
    return plans


# --- the files --------------------------------------------------------------------------------------------------
def broker_conf(spec: BrokerSpec, conf_dir: Path, *, tls: TreeTls | None = None,
                run_as: str | None = None) -> list[str]:
    """The lines every broker of the tree shares (as radio.broker.Mosquitto, with a listen address of its own).
    With TLS the plaintext port is bound to loopback and the TLS listener to the listen address.
    run_as: the user Mosquitto runs as when started by root (its default, 'mosquitto', must read these files)."""
    tls_lines = [] if tls is None else tls_listener_lines(TlsListener(
        tls.cert_dir / f"{spec.name}.crt", tls.cert_dir / f"{spec.name}.key", tls.ca_file, spec.tls_port, spec.listen))
    return [
        f"# {spec.name}: generated by `radio broker bridges` (radio/bridges.py); regenerate, do not edit",
        f"listener {spec.port} {'127.0.0.1' if tls else spec.listen}",
        "allow_anonymous false",
        # A listener option in Mosquitto 2.0: it applies to the listener above (the TLS one sets its own).
        "use_username_as_clientid true",
        f"max_packet_size {MAX_PACKET_BYTES}",
        f"password_file {conf_dir / 'passwd'}",
        f"acl_file {conf_dir / 'acl'}",
        # Sessions and queued QoS 1 messages survive a restart; saved every second, and at a clean shutdown.
        "persistence true",
        f"persistence_location {conf_dir}/",
        "autosave_interval 1",
        "max_queued_messages 0",
        "max_inflight_messages 20",
        "log_type error", "log_type warning", "log_type notice",
        f"log_dest file {conf_dir / 'mosquitto.log'}",
        "max_keepalive 300",
        *tls_lines,
        *([f"user {run_as}"] if run_as else []),
    ]


def bridge_topics(p: BrokerPlan) -> list[str]:
    """Area commands of the broker's areas and those above them come down; node reports go up; QoS 1 each way."""
    down = sorted(p.codes | p.above)
    return ([f"topic {topics.area_cmd(code)} in 1" for code in down]
            + [f"topic {topics.node_cmd('+')} in 1",
               f"topic {topics.ALL_EVENTS} out 1", f"topic {topics.ALL_STATUS} out 1",
               f"topic {topics.ALL_HEARTBEATS} out 1"])


def bridge_conf(p: BrokerPlan, central: BrokerSpec, password: str, *, tls: TreeTls | None = None) -> list[str]:
    user = p.spec.bridge_user
    # Over TLS the district broker checks the central certificate: signed by the CA, issued for central's host.
    tls_lines = [] if tls is None else [f"bridge_cafile {tls.ca_file}", "bridge_insecure false",
                                        "bridge_tls_version tlsv1.2"]
    return [
        "",
        f"connection {user}",
        f"address {central.host}:{central.tls_port if tls else central.port}",
        *tls_lines,
        f"remote_username {user}",
        f"remote_password {password}",
        f"remote_clientid {user}",
        f"local_clientid {user}-local",
        # Persistent at both ends: the central broker queues commands for a bridge that is down, the district
        # broker queues node reports while the central link is down, both kept on disk.
        "cleansession false",
        "local_cleansession false",
        "bridge_protocol_version mqttv311",
        "try_private true",
        "notifications false",
        "keepalive_interval 30",
        "restart_timeout 1 15",
        "start_type automatic",
        *bridge_topics(p),
    ]


def central_acl(central_nodes: list[NodeAccount], plans: Mapping[str, BrokerPlan],
                service_users: Iterable[str]) -> str:
    """The central ACL: services and the nodes that connect there (as radio.broker), plus one block per bridge.

    A bridge may read the command topics of its areas (and those above) and every node's command topic, and write
    every node's reports: it speaks for the loudspeakers behind it, whose own ACL the district broker enforces.
    Per-node event signatures (docs/architecture.md) keep a compromised district broker from forging a node that
    has a key."""
    lines = [acl_text(central_nodes, service_users)]
    for name, p in sorted(plans.items()):
        if name == CENTRAL:
            continue
        lines.append(f"user {p.spec.bridge_user}")
        lines += [f"topic read {topics.area_cmd(code)}" for code in sorted(p.codes | p.above)]
        lines += [f"topic read {topics.node_cmd('+')}", f"topic write {topics.ALL_EVENTS}",
                  f"topic readwrite {topics.ALL_STATUS}", f"topic write {topics.ALL_HEARTBEATS}", ""]
    return "\n".join(lines)


def _bridge_password(path: Path) -> str:
    if path.exists():
        return path.read_text().strip()
    pw = secrets.token_urlsafe(24)
    _write_private(path, pw + "\n")
    return pw


def generate(tree: BridgeTree, plans: Mapping[str, BrokerPlan], hashes: Mapping[str, str], out: Path, *,
             conf_root: Path | None = None, run_as: str | None = None) -> list[str]:
    """Write every broker's files under `out`; returns warnings (nodes with no password hash are left out).

    hashes: user → Mosquitto hash (the existing password file): service users (every user that is not a node)
    stay on the central broker, each node goes to its broker. conf_root: where `out` is installed (paths inside
    the configs), default `out` itself."""
    out = out.resolve()
    root = (conf_root or out)
    node_ids = {n.node_id for p in plans.values() for n in p.nodes}
    services = [u for u in hashes if u not in node_ids and not u.startswith(BRIDGE_PREFIX)]
    if SCHEDULER_USER not in services:
        raise BridgeError(f"the password file has no {SCHEDULER_USER!r} account")
    warnings = [f"node {n} has no password hash: left out (provision it)" for n in sorted(node_ids - set(hashes))]
    bridge_hashes = {}
    for name, p in sorted(plans.items()):
        d = out / name
        d.mkdir(parents=True, exist_ok=True)
        nodes = [n for n in p.nodes if n.node_id in hashes]
        users = {n.node_id: hashes[n.node_id] for n in nodes}
        if name == CENTRAL:
            continue
        pw = _bridge_password(d / "bridge-password")
        bridge_hashes[p.spec.bridge_user] = hash_password(pw)
        _write_private(d / "passwd", "".join(f"{u}:{h}\n" for u, h in users.items()))
        _write_private(d / "acl", acl_text(nodes, ()))
        conf = (broker_conf(p.spec, root / name, tls=tree.tls, run_as=run_as)
                + bridge_conf(p, tree.central, pw, tls=tree.tls))
        _write_private(d / "mosquitto.conf", "\n".join(conf) + "\n")
    central = plans[CENTRAL]
    d = out / CENTRAL
    nodes = [n for n in central.nodes if n.node_id in hashes]
    users = {u: hashes[u] for u in services} | bridge_hashes | {n.node_id: hashes[n.node_id] for n in nodes}
    _write_private(d / "passwd", "".join(f"{u}:{h}\n" for u, h in users.items()))
    _write_private(d / "acl", central_acl(nodes, plans, services))
    _write_private(d / "mosquitto.conf",
                   "\n".join(broker_conf(central.spec, root / CENTRAL, tls=tree.tls, run_as=run_as)) + "\n")

    def tls_port(spec: BrokerSpec) -> int | None:  # what a node connects to, when the brokers use TLS
        return spec.tls_port if tree.tls else None

    index = {"central": {"host": tree.central.host, "port": tree.central.port, "tls_port": tls_port(tree.central)},
             "brokers": [{"name": name, "host": p.spec.host, "port": p.spec.port, "tls_port": tls_port(p.spec),
                          "codes": sorted(p.codes)}
                         for name, p in sorted(plans.items()) if name != CENTRAL]}
    _write_private(out / BROKERS_FILE, json.dumps(index, indent=2) + "\n")
    return warnings


ALL_PASSWORDS = "passwd-all"  # every account's hash (services and nodes): what provisioning updates
TREE_FILE = "tree.toml"


def read_hashes(path: Path) -> dict[str, str]:
    """user → hash of a Mosquitto password file, order kept."""
    users: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if ":" in line and not line.startswith("#"):
                user, hashed = line.split(":", 1)
                users[user] = hashed
    return users


def areas_and_nodes(session: Session) -> tuple[list[AreaRow], list[tuple[str, int]]]:
    """The area tree and every node's village, from the database."""
    areas = [AreaRow(i, c, p) for i, c, p in session.execute(select(Area.id, Area.code, Area.parent_id))]
    return areas, [(n, v) for n, v in session.execute(select(Node.id, Node.village_id))]


def build(session: Session, tree_path: Path, hashes: Mapping[str, str], out: Path,
          conf_root: Path | None = None, run_as: str | None = None) -> tuple[dict[str, BrokerPlan], list[str]]:
    """Plan and write every broker's files from the database, the tree file and the password hashes; the tree and
    the hashes are kept in `out` so that provisioning a node later regenerates the same layout."""
    tree = load_tree(tree_path)
    areas, nodes = areas_and_nodes(session)
    plans = plan(tree, areas, nodes)
    out.mkdir(parents=True, exist_ok=True)
    warnings = generate(tree, plans, hashes, out, conf_root=conf_root, run_as=run_as)
    if tree_path.resolve() != (out / TREE_FILE).resolve():
        (out / TREE_FILE).write_text(tree_path.read_text(encoding="utf-8"), encoding="utf-8")
    _write_private(out / ALL_PASSWORDS, "".join(f"{u}:{h}\n" for u, h in hashes.items()))
    return plans, warnings


def add_node_password(session: Session, out: Path, node_id: str, password: str) -> list[str]:
    """A node (re)provisioned: its new hash goes into the kept password list, and every broker is regenerated."""
    hashes = read_hashes(out / ALL_PASSWORDS)
    hashes[node_id] = hash_password(password)
    root, run_as = _installed_as(out)
    _plans, warnings = build(session, out / TREE_FILE, hashes, out, conf_root=root, run_as=run_as)
    return warnings


def _installed_as(out: Path) -> tuple[Path | None, str | None]:
    """The install root and run-as user recorded in central's config, so a regeneration keeps them."""
    root, user = None, None
    conf = out / CENTRAL / "mosquitto.conf"
    if conf.exists():
        for line in conf.read_text().splitlines():
            if line.startswith("password_file "):
                root = Path(line.split(" ", 1)[1]).parent.parent
            elif line.startswith("user "):
                user = line.split(" ", 1)[1]
    return root, user


@dataclass(frozen=True)
class NearestBroker:
    name: str
    host: str
    port: int
    directory: Path
    tls_port: int | None = None  # set when the brokers use TLS: the port a node connects to


def nearest_broker(bridges_dir: Path, area_codes: Iterable[str]) -> NearestBroker:
    """The broker a node of these areas (village first) connects to, from `<bridges_dir>/brokers.json`."""
    try:
        index = json.loads((bridges_dir / BROKERS_FILE).read_text())
    except (OSError, ValueError) as exc:
        raise BridgeError(f"{bridges_dir / BROKERS_FILE}: {exc} (run `radio broker bridges` first)") from exc
    codes = list(area_codes)
    for b in index["brokers"]:
        if codes and codes[0] in b["codes"]:
            return NearestBroker(b["name"], b["host"], int(b["port"]), bridges_dir / b["name"],
                                 b.get("tls_port"))
    c = index["central"]
    return NearestBroker(CENTRAL, c["host"], int(c["port"]), bridges_dir / CENTRAL, c.get("tls_port"))


def _write_private(path: Path, text: str) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    tmp.chmod(0o600)
    tmp.replace(path)

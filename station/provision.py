"""Provisioning a real loudspeaker box (server side): DB row, broker credentials + ACL, and a config bundle.

`radio node provision --node-id n38001-0003 --village 38001-03 --out bundle/` creates or updates the node,
gives it a fresh random password and a fresh Ed25519 event key (the box signs its as-run events with it; the
public half is stored on the node row), writes `node.toml` + `server_public_key.pem` + `node_event_key.pem`
for the box, and, with
`--broker-dir`, rewrites mosquitto's password file (other users keep their hashes: only hashes are stored)
and ACL (rebuilt from the database, so it always matches the nodes' areas), then asks mosquitto to reload.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.bridges import BridgeError, add_node_password, nearest_broker
from radio.broker import SCHEDULER_USER, LocalRun, NodeAccount, acl_text, hash_password, read_run_file
from radio.db.models import Area, AreaLevel, Node
from radio.db.session import make_engine, make_sessionmaker
from radio.protocol import topics
from radio.protocol.signing import load_or_create_private_key, public_key_pem
from radio.settings import load_settings
from station.accounting.rollups import move_node

KEY_FILE = "server_public_key.pem"
EVENT_KEY_FILE = "node_event_key.pem"
CA_FILE = "ca.crt"  # the province CA, when the node uses TLS
TLS_PORT = 8883


class ProvisionError(Exception):
    pass


@dataclass(frozen=True)
class ProvisionResult:
    node_id: str
    password: str
    area_codes: tuple[str, ...]
    config_path: Path
    broker_reloaded: bool
    summary: str


def area_chain(session: Session, village: Area) -> tuple[str, ...]:
    """The node's group topics: its village, then every area above it (commune, province)."""
    codes = []
    area: Area | None = village
    while area is not None:
        codes.append(area.code)
        area = session.get(Area, area.parent_id) if area.parent_id else None
    return tuple(codes)


def upsert_node(session: Session, node_id: str, village_code: str, name: str | None) -> tuple[str, ...]:
    village = session.scalars(select(Area).where(Area.code == village_code)).first()
    if village is None:
        raise ProvisionError(f"no area with code {village_code!r}: import the areas first")
    if village.level != AreaLevel.VILLAGE:
        raise ProvisionError(f"{village_code} is a {village.level}, not a village")
    node = session.get(Node, node_id)
    if node is None:
        node = Node(id=node_id, name=name or f"Cụm loa {village.name}", village_id=village.id)
        session.add(node)
    else:
        if name:
            node.name = name
        if node.village_id != village.id:
            # The airtime rollups count the node's past rows in its commune: move both in one transaction.
            session.flush()
            move_node(session.connection(), node_id, village.id)
            session.expire(node, ["village_id", "village"])
    session.flush()
    return area_chain(session, village)


def all_accounts(session: Session) -> list[NodeAccount]:
    """Every node with its areas, for the ACL (passwords are not needed there)."""
    return [NodeAccount(n.id, "", area_chain(session, n.village)) for n in session.scalars(select(Node))]


def read_password_file(path: Path) -> dict[str, str]:
    """user → hash, as mosquitto stores them; order kept."""
    users: dict[str, str] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if ":" in line and not line.startswith("#"):
                user, hashed = line.split(":", 1)
                users[user] = hashed
    return users


def service_users(acl_path: Path) -> list[str]:
    """Users the existing ACL gives the whole tree (the scheduler): kept as they are."""
    users, current = [], None
    if acl_path.exists():
        for line in acl_path.read_text().splitlines():
            parts = line.split()
            if parts[:1] == ["user"] and len(parts) == 2:
                current = parts[1]
            elif parts == ["topic", "readwrite", f"{topics.ROOT}/#"] and current:
                users.append(current)
    return users or [SCHEDULER_USER]


def update_broker(broker_dir: Path, node_id: str, password: str, accounts: list[NodeAccount]) -> None:
    passwd, acl = broker_dir / "passwd", broker_dir / "acl"
    users = read_password_file(passwd)
    users[node_id] = hash_password(password)
    _write_private(passwd, "".join(f"{u}:{h}\n" for u, h in users.items()))
    _write_private(acl, acl_text(accounts, service_users(acl)))


def reload_broker(broker_dir: Path | None, pid: int | None) -> bool:
    """SIGHUP mosquitto (it re-reads password file and ACL); False when no pid is known."""
    if pid is None and broker_dir is not None and (broker_dir / "mosquitto.pid").exists():
        pid = int((broker_dir / "mosquitto.pid").read_text().strip() or 0) or None
    if pid is None:
        return False
    try:
        os.kill(pid, signal.SIGHUP)
    except OSError as exc:
        raise ProvisionError(f"could not signal mosquitto (pid {pid}): {exc}") from exc
    return True


def node_toml(node_id: str, password: str, areas: tuple[str, ...], broker_host: str, broker_port: int,
              server_url: str, *, late_tolerance_ms: int = 5000, local_player: str | None = None,
              bundle_dir: Path = Path("."), tls_ca_file: str | None = None) -> str:
    """The box's config. local_player: a node run next to a local system (the demo), with its cache, state and
    output in the bundle directory, instead of the installed box's system directories and sound card."""
    quoted = ", ".join(f'"{a}"' for a in areas)
    # MQTT over TLS, the broker's certificate checked against the province CA shipped in the bundle.
    tls = f'broker_tls = true\nca_file = "{tls_ca_file}"\n' if tls_ca_file else ""
    if local_player:
        dirs = 'cache_dir = "cache"\nstate_dir = "."'
        player = f'player = "{local_player}"'
        options = f'out_dir = "{bundle_dir.resolve() / "played"}"'
    else:
        dirs = 'cache_dir = "/var/cache/commune-radio"\nstate_dir = "/var/lib/commune-radio"'
        player = 'player = "auto"'
        options = '# alsa_device = "hw:1,0"'
    return f"""# Commune Radio loudspeaker node {node_id} (generated by `radio node provision`; see docs/node.md)
node_id = "{node_id}"
password = "{password}"
broker_host = "{broker_host}"
broker_port = {broker_port}
{tls}area_codes = [{quoted}]
public_key_file = "{KEY_FILE}"
event_key_file = "{EVENT_KEY_FILE}"
server_url = "{server_url}"
{dirs}
cache_limit_mb = 500
{player}
late_tolerance_ms = {late_tolerance_ms}
will_delay_s = 30
heartbeat_s = 60

[player_options]
volume = 100
{options}
"""


def running_local_system(data_dir: Path) -> LocalRun | None:
    """The local system (`radio demo`) running on this data dir, if any; ProvisionError when its run file
    names a broker that is no longer running (never fall back to another broker)."""
    try:
        run = read_run_file(data_dir)
    except ValueError as exc:
        raise ProvisionError(str(exc)) from exc
    if run is not None and not run.broker_running():
        raise ProvisionError(f"the local system of {data_dir} is not running (its broker, pid {run.broker_pid}, "
                             f"is gone): start it again, or delete {data_dir}/local-system.json")
    return run


def provision_node(*, node_id: str, village_code: str, out_dir: Path, name: str | None = None,
                   broker_host: str | None = None, broker_port: int | None = None, server_url: str | None = None,
                   broker_dir: Path | None = None, broker_pid: int | None = None,
                   settings_file: str | None = None, password: str | None = None,
                   data_dir: Path | None = None, ca_file: Path | None = None,
                   bridges_dir: Path | None = None) -> ProvisionResult:
    """data_dir: the server's data dir (default: from the settings). When a local system (`radio demo`) runs
    on it, its database, broker (directory, port, pid to reload) and web address are the defaults.
    ca_file: the province CA (PEM): copied into the bundle as ca.crt, and the node connects with TLS (8883 unless
    broker_port says otherwise) and checks media and /time over https against it.
    bridges_dir: the output of `radio broker bridges`: the node's broker is the one serving its village (host and
    port unless given), and every broker's files are regenerated with the node's new account."""
    if bridges_dir is not None and broker_dir is not None:
        raise ProvisionError("--bridges and --broker-dir exclude each other: the bridges directory has every broker")
    ca_pem = ""
    if ca_file is not None:  # checked before anything is written
        try:
            ca_pem = Path(ca_file).read_text()
        except OSError as exc:
            raise ProvisionError(f"cannot read the CA file {ca_file}: {exc}") from exc
        if "BEGIN CERTIFICATE" not in ca_pem:
            raise ProvisionError(f"{ca_file} holds no PEM certificate")
    if bridges_dir is not None:  # the node's broker and its transport agree with --ca-file, before anything is written
        try:
            planned = nearest_broker(bridges_dir, [village_code])
        except BridgeError as exc:
            raise ProvisionError(str(exc)) from exc
        if planned.tls_port is not None and not ca_pem:
            raise ProvisionError(f"broker {planned.name} takes nodes over TLS only: give --ca-file (the province "
                                 "CA that signed the brokers' certificates)")
        if ca_pem and planned.tls_port is None:
            raise ProvisionError(f"broker {planned.name} has no TLS listener: add a [tls] table to the tree and run "
                                 "`radio broker bridges` again, or provision without --ca-file")
    settings = load_settings(settings_file, **({"data_dir": data_dir} if data_dir is not None else {}))
    local = running_local_system(settings.data_dir)
    if local is not None:
        settings = replace(settings, database_url=local.database_url)
        broker_host = broker_host or "127.0.0.1"
        broker_port = broker_port or local.broker_port
        server_url = server_url or local.server_url
        broker_dir = broker_dir or local.broker_dir
        if broker_pid is None and broker_dir.resolve() == local.broker_dir.resolve():
            broker_pid = local.broker_pid
    password = password or secrets.token_urlsafe(18)
    # A new key at each provisioning, like the password: a box re-provisioned (or replaced) signs with the new
    # one, and whatever held the old bundle can no longer speak for the node.
    event_key = Ed25519PrivateKey.generate()
    engine = make_engine(settings.db_url)
    try:
        with make_sessionmaker(engine)() as session:
            areas = upsert_node(session, node_id, village_code, name)
            node = session.get(Node, node_id)
            assert node is not None
            node.event_public_key = public_key_pem(event_key)
            accounts = all_accounts(session)
            session.commit()
            if bridges_dir is not None:
                try:
                    nearest = nearest_broker(bridges_dir, areas)
                    bridge_warnings = add_node_password(session, bridges_dir, node_id, password)
                except BridgeError as exc:
                    raise ProvisionError(str(exc)) from exc
                broker_host = broker_host or nearest.host
                broker_port = broker_port or nearest.tls_port or nearest.port
    finally:
        engine.dispose()
    key = load_or_create_private_key(settings.signing_key_path)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / KEY_FILE).write_text(public_key_pem(key))
    _write_private(out_dir / EVENT_KEY_FILE, event_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode("ascii"))
    if ca_pem:
        (out_dir / CA_FILE).write_text(ca_pem)
        broker_port = broker_port or TLS_PORT
    config_path = out_dir / "node.toml"
    _write_private(config_path, node_toml(node_id, password, areas, broker_host or settings.mqtt_host,
                                          broker_port or settings.mqtt_port, server_url or settings.media_base_url,
                                          late_tolerance_ms=int(settings.late_tolerance_s * 1000),
                                          local_player=local.player if local is not None else None,
                                          bundle_dir=out_dir, tls_ca_file=CA_FILE if ca_pem else None))
    reloaded = False
    if broker_dir is not None:
        update_broker(broker_dir, node_id, password, accounts)
        reloaded = reload_broker(broker_dir, broker_pid)
    if bridges_dir is not None:
        reloaded = reload_broker(nearest.directory, broker_pid)
    lines = [f"node {node_id} in {', '.join(areas)}: config bundle in {out_dir}/ (node.toml, {KEY_FILE}, "
             f"{EVENT_KEY_FILE})"]
    if local is not None:
        lines.append(f"into the local system running on {settings.data_dir} (broker pid {local.broker_pid}, "
                     f"port {local.broker_port})")
    if bridges_dir is not None:
        lines.append(f"broker {nearest.name} ({nearest.host}:{nearest.port}): files regenerated in {bridges_dir}; "
                     + ("reloaded" if reloaded else f"reload it and the central broker (systemctl reload "
                        f"mosquitto@{nearest.name} mosquitto@central)"))
        lines += [f"warning: {w}" for w in bridge_warnings]
    elif broker_dir is None:
        lines.append("broker not updated (no --broker-dir): add the node's password and ACL yourself")
    elif not reloaded:
        lines.append(f"broker files updated in {broker_dir}: run `systemctl reload mosquitto` to apply them")
    else:
        lines.append("broker files updated and mosquitto reloaded")
    if local is not None:
        lines.append(f"run it here: radio node --config {config_path}")
    else:
        lines.append("copy the bundle to the box as /etc/commune-radio/ (mode 0600, owner commune-radio)")
    return ProvisionResult(node_id, password, areas, config_path, reloaded, "\n".join(lines))


def _write_private(path: Path, text: str) -> None:
    """Replace a file atomically, keeping the owner and mode of the one it replaces (mosquitto must still
    read its password file after root rewrote it); a new file is private to its writer."""
    old = path.stat() if path.exists() else None
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text)
    tmp.chmod(old.st_mode & 0o777 if old else 0o600)
    if old is not None:
        with contextlib.suppress(PermissionError):  # not root: the file stays ours, as it was
            os.chown(tmp, old.st_uid, old.st_gid)
    tmp.replace(path)

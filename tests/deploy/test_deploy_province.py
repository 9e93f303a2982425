"""`pytest -m deploy`: a province deployment on real engines, every part its own process, started by the CLI.

PostgreSQL; a central Mosquitto bridged to a district Mosquitto (`radio broker bridges` from the area tree);
the web under its production server (`radio serve`: whatever that command runs, the test follows it); the
scheduler (`radio scheduler`); four loudspeaker agents (`radio node`, file player), provisioned with
`radio node provision --bridges`, two on each broker. One bulletin for the commune airs on all four; the district
broker is restarted while it plays; every as-run row ends `completed` once and every node event is stored once.

TLS everywhere it would leave the machine, as docs/deploy.md sets it up: a province CA and certificates made with
`radio pki`; both brokers take nodes on TLS listeners only (plaintext on loopback, for the scheduler); the bridge
connects to the central TLS listener and checks its certificate; nodes check the brokers' certificates and fetch
media and `/time` over HTTPS from gunicorn, all against the CA in their bundle. (Plaintext bridging is
tests/integration/test_bridged_brokers.py.)
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import func, select

from radio.broker import SCHEDULER_USER, Mosquitto, free_port, password_text
from radio.db.models import AsRun, AudioAssetRow, Bulletin, BulletinTarget, Node, NodeEventRow
from radio.db.session import make_engine, make_sessionmaker
from radio.seed import seed_sample_commune

# ~100 s on 2 shared cores; the bound is for a loaded machine (seven processes start and import the server).
pytestmark = [pytest.mark.deploy, pytest.mark.integration, pytest.mark.postgres, pytest.mark.timeout(300)]

REPO = Path(__file__).resolve().parents[2]
CENTRAL_VILLAGE, DISTRICT_VILLAGE = "38001-01", "38001-02"
NODES = {"n38001-c1": CENTRAL_VILLAGE, "n38001-c2": CENTRAL_VILLAGE,
         "n38001-d1": DISTRICT_VILLAGE, "n38001-d2": DISTRICT_VILLAGE}
TEXT = "Thông báo của Ủy ban nhân dân xã. Đài truyền thanh kiểm tra hệ thống loa truyền thanh của các thôn."


def radio(*args: str, env: dict[str, str], log: Path | None = None, wait: bool = True) -> Any:
    """The `radio` command as an operator runs it (python -m launcher.cli, the console script's target)."""
    cmd = [sys.executable, "-m", "launcher.cli", *args]
    if wait:
        done = subprocess.run(cmd, env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, f"radio {' '.join(args)}: {done.stdout}{done.stderr}"
        return done.stdout
    assert log is not None
    with log.open("w") as out:  # the child keeps its own descriptor
        return subprocess.Popen(cmd, env=env, cwd=REPO, stdout=out, stderr=out)


def wait_for(pred: Callable[[], Any], timeout: float, what: str, step: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@dataclass
class Province:
    db_url: str
    env: dict[str, str]
    web_url: str
    central: Mosquitto
    district: Mosquitto
    data_dir: Path
    tmp: Path
    ca_file: Path


@pytest.fixture
def province(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Province]:
    db_url = request.getfixturevalue("postgres_server")  # tests/conftest.py: a throw-away database
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    engine.dispose()
    web_port, central_port, district_port = free_port(), free_port(), free_port()
    central_tls, district_tls = free_port(), free_port()
    scheduler_password = "deploy-" + os.urandom(8).hex()
    data_dir = tmp_path / "data"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    # The province CA and the certificates of both brokers and the web, as docs/deploy.md section 5 makes them.
    ca_dir, certs = tmp_path / "province-ca", tmp_path / "certs"
    radio("pki", "init", "--ca-dir", str(ca_dir), "--name", "Đài truyền thanh tỉnh - CA thử", env=env)
    for name in ("central", "huyen-a", "web"):
        radio("pki", "issue", name, "--ca-dir", str(ca_dir), "--host", "127.0.0.1", "--host", "localhost",
              "--out", str(certs), env=env)
    ca_file = ca_dir / "ca.crt"
    config = tmp_path / "server.toml"
    config.write_text(
        f'data_dir = "{data_dir}"\ndatabase_url = "{db_url}"\nmqtt_port = {central_port}\n'
        f'mqtt_password = "{scheduler_password}"\nweb_port = {web_port}\n'
        f'tls_cert_file = "{certs / "web.crt"}"\ntls_key_file = "{certs / "web.key"}"\n'
        f'public_base_url = "https://127.0.0.1:{web_port}"\ndispatch_lead_s = 6.0\nleader_ttl_s = 3.0\n')
    env["RADIO_CONFIG"] = str(config)
    radio("db", "upgrade", env=env)
    engine = make_engine(db_url)
    with make_sessionmaker(engine)() as session:
        seed_sample_commune(session, nodes=0)
        session.commit()
    engine.dispose()
    # The single broker's password file as it is before the split: the scheduler's account.
    passwd = tmp_path / "passwd"
    passwd.write_text(password_text({SCHEDULER_USER: scheduler_password}))
    tree = tmp_path / "tree.toml"
    tree.write_text(f'[tls]\nca_file = "{ca_file}"\ncert_dir = "{certs}"\n\n'
                    f'[central]\nhost = "127.0.0.1"\nport = {central_port}\ntls_port = {central_tls}\n\n'
                    f'[[broker]]\nname = "huyen-a"\nhost = "127.0.0.1"\nport = {district_port}\n'
                    f'tls_port = {district_tls}\nareas = ["{DISTRICT_VILLAGE}"]\n')
    brokers = tmp_path / "brokers"
    run_as = ["--run-as", "root"] if os.geteuid() == 0 else []  # root's Mosquitto drops to 'mosquitto'
    radio("broker", "bridges", "--tree", str(tree), "--passwd", str(passwd), "--out", str(brokers), *run_as, env=env)
    for node_id, village in NODES.items():
        bundle = tmp_path / "nodes" / node_id
        radio("node", "provision", "--node-id", node_id, "--village", village, "--out", str(bundle),
              "--bridges", str(brokers), "--ca-file", str(ca_file), env=env)
        # The bundle as provisioned, with the directories and player of a box under test instead of /var.
        toml = (bundle / "node.toml").read_text()
        toml = (toml.replace('cache_dir = "/var/cache/commune-radio"', f'cache_dir = "{bundle / "cache"}"')
                .replace('state_dir = "/var/lib/commune-radio"', f'state_dir = "{bundle}"')
                .replace('player = "auto"', 'player = "file"')
                .replace('# alsa_device = "hw:1,0"', f'out_dir = "{bundle / "played"}"')
                .replace("heartbeat_s = 60", "heartbeat_s = 60\nreconnect_min_s = 1\nreconnect_max_s = 2"))
        (bundle / "node.toml").write_text(toml)
        provisioned = tomllib.loads(toml)
        # Each node on its broker's TLS listener, media and /time over HTTPS, all checked against the province CA.
        assert provisioned["broker_tls"] is True
        assert (bundle / provisioned["ca_file"]).read_text() == ca_file.read_text()
        assert provisioned["broker_port"] == (district_tls if village == DISTRICT_VILLAGE else central_tls)
        assert provisioned["server_url"].startswith("https://127.0.0.1:")
    central = Mosquitto(brokers / "central", port=central_port)
    district = Mosquitto(brokers / "huyen-a", port=district_port)
    procs: list[subprocess.Popen[bytes]] = []
    try:
        central.start()
        district.start()
        procs.append(radio("serve", env=env, log=tmp_path / "web.log", wait=False))
        procs.append(radio("scheduler", env=env, log=tmp_path / "scheduler.log", wait=False))
        for node_id in NODES:
            bundle = tmp_path / "nodes" / node_id
            procs.append(radio("node", "--config", str(bundle / "node.toml"), env=env, log=bundle / "agent.log",
                               wait=False))
        yield Province(db_url, env, f"https://127.0.0.1:{web_port}", central, district, data_dir, tmp_path, ca_file)
    finally:
        for proc in reversed(procs):
            stop(proc)
        district.stop()
        central.stop()


def schedule(province: Province, start_in_s: float) -> int:
    """A bulletin for the whole commune, as the web's scheduling form stores it (speech made by the library)."""
    from audio_library import AudioLibrary
    from radio.db.models import Area
    from station.assets import upsert_audio_asset

    asset = AudioLibrary(province.data_dir / "audio").synthesize(TEXT)
    engine = make_engine(province.db_url)
    with make_sessionmaker(engine)() as session:
        commune = session.scalars(select(Area).where(Area.code == "38001")).one()
        row = upsert_audio_asset(session, asset)
        bulletin = Bulletin(title="Bản tin triển khai", audio_id=row.id,
                            start_at=datetime.now(UTC) + timedelta(seconds=start_in_s))
        bulletin.targets.append(BulletinTarget(area_id=commune.id))
        session.add(bulletin)
        session.commit()
        bulletin_id = bulletin.id
    engine.dispose()
    return bulletin_id


def test_a_bulletin_airs_across_two_bridged_brokers_and_every_as_run_row_arrives_once(province: Province) -> None:
    engine = make_engine(province.db_url)
    sessions = make_sessionmaker(engine)

    def query(stmt: Any) -> list[Any]:
        with sessions() as s:
            return list(s.execute(stmt).all())

    try:
        wait_for(lambda: _json(f"{province.web_url}/healthz", province.ca_file).get("scheduler"), 90,
                 "the web and the scheduler")
        health = _json(f"{province.web_url}/healthz", province.ca_file)
        assert health["ok"] is True
        # Every node's birth reached the database through its broker (and the bridge, for the district's).
        wait_for(lambda: query(select(func.count()).select_from(Node).where(Node.online.is_(True)))[0][0] == 4, 60,
                 "all four nodes online")
        bulletin_id = schedule(province, start_in_s=10)

        def outcomes() -> dict[str, int]:
            return dict(query(select(AsRun.outcome, func.count()).where(AsRun.bulletin_id == bulletin_id)
                              .group_by(AsRun.outcome)))

        wait_for(lambda: outcomes().get("started", 0) + outcomes().get("completed", 0) == 4, 40, "four starts")
        province.district.stop()  # a district broker restart while the bulletin plays
        time.sleep(1.0)
        province.district.start()
        wait_for(lambda: outcomes() == {"completed": 4}, 60, "four completed rows")
        time.sleep(2.0)  # any late re-send (QoS 1 after the restart) must not add a row or an event
        rows = query(select(AsRun.node_id, AsRun.attempt, AsRun.outcome, AsRun.started_at_ms)
                     .where(AsRun.bulletin_id == bulletin_id))
        assert sorted((r.node_id, r.attempt, r.outcome) for r in rows) == [(n, 1, "completed") for n in sorted(NODES)]
        starts = [r.started_at_ms for r in rows]
        skew = max(starts) - min(starts)
        print(f"start skew across the two brokers: {skew} ms (as-run, whole ms)")  # shown with pytest -s
        # Real agents on one loaded machine, each its own process: far inside the 40 ms echo threshold, with room.
        assert skew <= 50, f"start skew across brokers {skew} ms"
        events = query(select(NodeEventRow.node_id, NodeEventRow.kind, func.count())
                       .group_by(NodeEventRow.node_id, NodeEventRow.kind))
        per_node = {(n, k): c for n, k, c in events}
        for node_id in NODES:
            for kind in ("received", "started", "finished"):
                assert per_node.get((node_id, kind)) == 1, f"{node_id} {kind}: {per_node.get((node_id, kind))}"
        # The media came from the production web: each file player played the library's bytes, once.
        sha = query(select(AudioAssetRow.sha256).join(Bulletin, Bulletin.audio_id == AudioAssetRow.id)
                    .where(Bulletin.id == bulletin_id))[0][0]
        for node_id in NODES:
            played = province.tmp / "nodes" / node_id / "played"
            lines = [json.loads(x) for x in (played / "played.jsonl").read_text().splitlines()]
            assert len(lines) == 1, f"{node_id} played {lines}"
            digest = hashlib.sha256((played / lines[0]["file"]).read_bytes()).hexdigest()
            assert digest == sha, f"{node_id} played other bytes than the library's"
    finally:
        engine.dispose()


def _json(url: str, ca_file: Path) -> dict[str, Any]:
    try:
        r = requests.get(url, timeout=2, verify=str(ca_file))
    except requests.RequestException:
        return {}
    return r.json() if r.status_code == 200 else {}

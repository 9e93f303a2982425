"""Shared by the ingest security tests: a dispatched bulletin on real nodes, events as nodes send them."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from factories import make_audio, make_bulletin
from launcher.processes import SchedulerProcess
from radio.broker import SCHEDULER_USER, NodeAccount
from radio.db.models import Area, AreaLevel, Node
from radio.mqtt import make_client
from radio.protocol import EventKind, NodeEvent, encode, topics
from radio.protocol.messages import event_id_for
from radio.protocol.signing import generate_private_key
from scheduler.dispatch import Dispatcher
from station.service_health import SCHEDULER, read_service_health

DURATION_MS = 11_000


class NullPublisher:
    def publish(self, *a: object, **k: object) -> None:
        pass


def province(session: Session, communes: dict[str, int]) -> dict[str, list[Area]]:
    """Province 38 with the given communes, each with n villages of one node n<commune>-<vv>0."""
    prov = Area(code="38", name="Tỉnh Thử", level=AreaLevel.PROVINCE)
    session.add(prov)
    session.flush()
    out: dict[str, list[Area]] = {}
    for code, villages in communes.items():
        commune = Area(code=code, name=f"Xã {code}", level=AreaLevel.COMMUNE, parent_id=prov.id)
        session.add(commune)
        session.flush()
        out[code] = []
        for i in range(villages):
            v = Area(code=f"{code}-{i + 1:02d}", name=f"Thôn {i + 1}", level=AreaLevel.VILLAGE, parent_id=commune.id)
            session.add(v)
            session.flush()
            session.add(Node(id=node_id(code, i), name=f"Cụm loa {i + 1}", village_id=v.id))
            out[code].append(v)
    session.flush()
    return out


def node_id(commune: str, i: int) -> str:
    return f"n{commune}-{i + 1:02d}0"


def account(node: str) -> NodeAccount:
    commune = node[1:6]
    return NodeAccount(node, f"pw-{node}", (f"{commune}-{node[7:9]}", commune, "38"))


def dispatched(sessions: sessionmaker[Session], tmp_path: Path, *, villages: int = 2,
               other_commune: bool = False, clock: datetime | None = None) -> str:
    """A bulletin for commune 38001 (one node per village) dispatched now; returns the play command id."""
    now = clock or datetime.now(UTC)
    with sessions() as s:
        areas = province(s, {"38001": villages} | ({"38002": 1} if other_commune else {}))
        b = make_bulletin(s, make_audio(s, duration_ms=DURATION_MS), now + timedelta(seconds=10), areas["38001"])
        s.commit()
        bid = b.id
    cid = Dispatcher(sessions, NullPublisher(), generate_private_key(tmp_path / "k.pem"), lambda: now,
                     media_base_url="http://x").dispatch(bid)
    assert cid is not None
    return cid


def event(node: str, cid: str, kind: EventKind, at_ms: int, *, played_ms: int | None = None,
          event_id: str | None = None) -> NodeEvent:
    detail = json.dumps({"played_ms": played_ms}) if played_ms is not None else ""
    return NodeEvent(event_id or event_id_for(node, cid, kind), node, kind, at_ms, cid, None, None, detail)


def payload(ev: NodeEvent, **extra: object) -> bytes:
    return encode(ev, extra or None)


def now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


# --- real processes and nodes on a real broker ------------------------------------------------------------
def scheduler_process(tmp_path: Path, broker: Any, db_url: str) -> SchedulerProcess:
    """`radio scheduler` as its own process on this test's database and broker (see launcher/processes.py)."""
    env = dict(os.environ, RADIO_DATA_DIR=str(tmp_path / "data"), RADIO_DATABASE_URL=db_url,
               RADIO_MQTT_PORT=str(broker.port), RADIO_MQTT_PASSWORD=broker.service_passwords[SCHEDULER_USER],
               RADIO_LEADER_TTL_S="3", RADIO_MEDIA_BASE_URL="http://127.0.0.1:9")
    return SchedulerProcess(env, tmp_path)


def health(sessions: sessionmaker[Session]) -> dict[str, Any] | None:
    with sessions() as s:
        return read_service_health(s, SCHEDULER, datetime.now(UTC))


def wait_for(pred: Callable[[], Any], timeout: float, step: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = pred()
        if value:
            return value
        time.sleep(step)
    return pred()


def wait_healthy(sessions: sessionmaker[Session], pid: int, timeout: float = 40) -> dict[str, Any]:
    """The scheduler with this pid leads, is connected and has a live ingest writer."""
    def ready() -> dict[str, Any] | None:
        h = health(sessions)
        return h if h and h["ok"] and h["holder"].endswith(f":{pid}") else None
    found = wait_for(ready, timeout, 0.2)
    assert found, f"scheduler {pid} never became healthy: {health(sessions)}"
    return found


def pid_alive(pid: int) -> bool:
    """Running, not a zombie waiting to be reaped."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class NodeClient:
    """A node's MQTT connection with its own credentials, publishing raw payloads on its event topic."""

    def __init__(self, broker: Any, acct: NodeAccount, *, client_id: str | None = None) -> None:
        self.account = acct
        self.client = make_client(client_id or acct.node_id, acct.node_id, acct.password)
        self.disconnects: list[str] = []
        self.messages: list[bytes] = []
        connected = threading.Event()
        self.client.on_connect = lambda *a: connected.set()
        self.client.on_disconnect = lambda c, u, f, rc, p: self.disconnects.append(str(rc))
        self.client.on_message = lambda c, u, m: self.messages.append(bytes(m.payload))
        self.client.connect("127.0.0.1", broker.port)
        self.client.loop_start()
        assert connected.wait(10)

    def publish(self, body: bytes, *, retain: bool = False, topic: str | None = None) -> None:
        info = self.client.publish(topic or topics.node_event(self.account.node_id), body, qos=1, retain=retain)
        info.wait_for_publish(10)

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

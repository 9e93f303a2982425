"""Shared by the ingest security tests: a dispatched bulletin on real nodes, events as nodes send them."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from factories import make_audio, make_bulletin
from radio.broker import NodeAccount
from radio.db.models import Area, AreaLevel, Node
from radio.protocol import EventKind, NodeEvent, encode
from radio.protocol.messages import event_id_for
from radio.protocol.signing import generate_private_key
from scheduler.dispatch import Dispatcher

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

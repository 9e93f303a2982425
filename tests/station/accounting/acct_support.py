"""Hand-built as-run scenarios for the accounting tests: areas, nodes, bulletins and as_run rows."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from radio.db.models import Area, AreaLevel, Article, AsRun, AudioAssetRow, Bulletin, CommandRow, Node
from radio.protocol import EventKind, NodeEvent
from radio.protocol.messages import event_id_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def local(d: date, hh: int = 6, mm: int = 0, ss: int = 0) -> datetime:
    """A local (Vietnam) wall-clock time as aware UTC, the way the database stores it."""
    return datetime.combine(d, time(hh, mm, ss), VN).astimezone(UTC)


def ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


@dataclass
class World:
    session: Session
    province: Area
    communes: dict[str, Area] = field(default_factory=dict)
    villages: dict[str, Area] = field(default_factory=dict)
    nodes: dict[str, Node] = field(default_factory=dict)

    def commune(self, code: str, villages: dict[str, int]) -> Area:
        """A commune with villages {name: number of loudspeakers}; node ids are '<village>-<n>'."""
        c = Area(code=code, name=f"Xã {code}", level=AreaLevel.COMMUNE, parent_id=self.province.id)
        self.session.add(c)
        self.session.flush()
        self.communes[code] = c
        for i, (name, count) in enumerate(villages.items(), start=1):
            v = Area(code=f"{code}-{i:02d}", name=name, level=AreaLevel.VILLAGE, parent_id=c.id)
            self.session.add(v)
            self.session.flush()
            self.villages[name] = v
            for j in range(1, count + 1):
                n = Node(id=f"{name}-{j}", name=f"Loa {name} {j}", village_id=v.id)
                self.session.add(n)
                self.nodes[n.id] = n
        self.session.flush()
        return c

    def article(self, title: str = "Bài") -> Article:
        a = Article(title=title, body="…")
        self.session.add(a)
        self.session.flush()
        return a

    def bulletin(self, start: datetime, *, duration_ms: int = 60_000, priority: str = "normal", kind: str = "item",
                 article: Article | None = None, title: str = "Bản tin") -> Bulletin:
        seed = uuid.uuid4().hex
        audio = AudioAssetRow(sha256=hashlib.sha256(seed.encode()).hexdigest(), duration_ms=duration_ms,
                              size_bytes=1, engine="espeak-ng")
        self.session.add(audio)
        self.session.flush()
        b = Bulletin(title=title, audio_id=audio.id, start_at=start, priority=priority, kind=kind,
                     article_id=article.id if article else None, status="done")
        self.session.add(b)
        self.session.flush()
        cmd = CommandRow(id=str(uuid.uuid4()), bulletin_id=b.id, kind="play", topics=[], payload="{}",
                         issued_at=start, start_at=start, expires_at=start + timedelta(hours=1))
        self.session.add(cmd)
        self.session.flush()
        b.command_id = cmd.id  # type: ignore[attr-defined]
        return b

    def run(self, bulletin: Bulletin, node_id: str, outcome: str, played_s: float = 0, *, attempt: int = 1,
            late_ms: int = 0, detail: str = "", requested_ms: int | None = None) -> AsRun:
        started = None
        if outcome in ("started", "completed", "interrupted"):
            started = ms(bulletin.start_at) + late_ms
        row = AsRun(command_id=bulletin.command_id, bulletin_id=bulletin.id,  # type: ignore[attr-defined]
                    node_id=node_id, attempt=attempt, scheduled_start=bulletin.start_at,
                    requested_ms=requested_ms if requested_ms is not None else bulletin.audio.duration_ms
                    if bulletin.audio else 60_000,
                    started_at_ms=started, played_ms=int(played_s * 1000), outcome=outcome, detail=detail)
        self.session.add(row)
        self.session.flush()
        return row


def world(session: Session, code: str = "38") -> World:
    p = Area(code=code, name="Tỉnh Thử", level=AreaLevel.PROVINCE)
    session.add(p)
    session.flush()
    return World(session, p)


def month_rows_off(session: Session) -> dict:
    """The acct_commune_month rows that differ from the sums of their acct_commune_day rows, computed here in
    Python: {(commune, month, topic): (kept, expected)}; empty when they all agree."""
    from collections import defaultdict

    from sqlalchemy import select

    from radio.db.planning import CommuneDayRollup, CommuneMonthRollup
    from station.accounting.sql import DAY_SUMS

    d, m = CommuneDayRollup, CommuneMonthRollup
    expected: dict[tuple, list] = defaultdict(lambda: [None, *([0] * len(DAY_SUMS))])
    for row in session.execute(select(d.commune_id, d.day, d.topic_id, d.province_id,
                                      *(getattr(d, c) for c in DAY_SUMS))):
        key = (row[0], str(row[1])[:8] + "01", row[2])
        acc = expected[key]
        acc[0] = row[3] if acc[0] is None else max(acc[0], row[3])
        for i, v in enumerate(row[4:], start=1):
            acc[i] += int(v)
    kept = {(row[0], str(row[1]), row[2]): [row[3], *(int(v) for v in row[4:])]
            for row in session.execute(select(m.commune_id, m.month, m.topic_id, m.province_id,
                                              *(getattr(m, c) for c in DAY_SUMS)))}
    return {k: (kept.get(k), expected.get(k)) for k in set(kept) | set(expected) if kept.get(k) != expected.get(k)}


def two_provinces(session: Session) -> tuple[World, Article]:
    """Province 38: 38001 (Đông: 2 loudspeakers, Tây: 1), 38002 (Bắc: 1); province 39: 39001 (Nam: 1), its
    villages and communes in the same World; and one article."""
    w = world(session)
    w.commune("38001", {"Đông": 2, "Tây": 1})
    w.commune("38002", {"Bắc": 1})
    other = world(session, "39")
    other.commune("39001", {"Nam": 1})
    w.villages.update(other.villages)
    w.communes.update(other.communes)
    return w, w.article("Giảm nghèo")


def node_event(b: Bulletin, node: str, kind: EventKind, at: int, detail: str = "", attempt: int = 1) -> NodeEvent:
    """The event a node sends for bulletin `b` (made by World.bulletin, which gives it a command_id)."""
    cid = b.command_id  # type: ignore[attr-defined]
    return NodeEvent(event_id_for(node, cid, kind, attempt), node, kind, at, cid, b.id, None, detail, attempt)

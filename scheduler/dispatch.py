"""Turn due bulletins and control requests into signed commands: stored first, then published.

Play commands go to group topics (one publish per target area) and to chosen nodes' own topics.
"""

from __future__ import annotations

import json
import logging
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from radio.db.models import Area, AsRun, Bulletin, BulletinStatus, CommandRow, ControlRequest, Outcome
from radio.protocol import PlayCommand, Priority, StopCommand, Targets, VolumeCommand, topics
from radio.protocol.messages import to_dict
from radio.protocol.signing import sign
from station.policy.areas import policy_for_area
from station.targets import bulletin_nodes, bulletin_topics

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]
CONTROL_TTL = timedelta(minutes=10)  # default validity of stop and volume commands (setting command_ttl_s)
# A "stop whatever plays" is about the moment the operator pressed it: queued for an offline node it must not
# cut the next bulletin minutes later (nodes also ignore it for items started after its issued_at_ms).
STOP_ANY_TTL = timedelta(seconds=60)


def bulletin_targets(bulletin: Bulletin) -> Targets:
    """The signed targets of a bulletin's commands: exactly the areas and nodes it was scheduled for."""
    return Targets(areas=tuple(sorted({t.area.code for t in bulletin.targets})),
                   nodes=tuple(sorted({t.node_id for t in bulletin.node_targets})))


class Publisher(Protocol):
    def publish(self, topic: str, payload: bytes, *, expiry_s: float | None, retain: bool = False) -> None: ...


def to_ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


class Dispatcher:
    def __init__(self, sessions: sessionmaker[Session], transport: Publisher, key: Ed25519PrivateKey, clock: Clock,
                 *, media_base_url: str, late_tolerance_s: float = 5.0, late_start_lead_s: float = 3.0,
                 control_ttl_s: float = CONTROL_TTL.total_seconds()) -> None:
        self.sessions = sessions
        self.transport = transport
        self.key = key
        self.clock = clock
        self.media_base_url = media_base_url.rstrip("/")
        self.late_tolerance = timedelta(seconds=late_tolerance_s)
        self.late_start_lead = timedelta(seconds=late_start_lead_s)
        self.control_ttl = timedelta(seconds=control_ttl_s)
        # APScheduler's job thread and the reconcile job may both decide a bulletin is due; a second caller
        # must see the first one's committed command, never build a second one (found at 1,000 nodes).
        self._lock = threading.Lock()

    # --- play --------------------------------------------------------------------------------------
    def dispatch(self, bulletin_id: int, *, late_start: bool = False, resend: bool = False) -> str | None:
        """Publish the bulletin's play command; returns its id. Idempotent: one command per bulletin, ever.

        late_start: the scheduled time has passed (the scheduler was down) but the area's policy still allows
        airing it now; the command then starts a few seconds from now and the bulletin says why.
        resend: publish a command that was already sent again (after a restart), with the same id.
        """
        with self._lock, self.sessions() as session:
            bulletin = session.get(Bulletin, bulletin_id)
            if bulletin is None or bulletin.status not in (BulletinStatus.SCHEDULED, BulletinStatus.DISPATCHED):
                return None
            row = self._play_row(session, bulletin_id)
            if row is None:
                start = self.clock() + self.late_start_lead if late_start else bulletin.start_at
                row = self._create_play(session, bulletin, start)
                if late_start:
                    bulletin.status_detail = (f"Phát muộn lúc {start.isoformat(timespec='seconds')}: bộ lập lịch "
                                              "không chạy vào giờ phát.")
                session.commit()
            elif row.published_at is not None and not resend:
                return row.id
            return row.id if self._publish(session, row) else None

    def _play_row(self, session: Session, bulletin_id: int) -> CommandRow | None:
        return session.scalars(
            select(CommandRow).where(CommandRow.bulletin_id == bulletin_id, CommandRow.kind == "play")
        ).first()

    def _create_play(self, session: Session, bulletin: Bulletin, start: datetime) -> CommandRow:
        now = self.clock()
        duration_ms = bulletin.audio.duration_ms
        # Valid until the item would have ended when started at the latest acceptable moment.
        expires_at = start + timedelta(milliseconds=duration_ms) + self.late_tolerance
        nodes = bulletin_nodes(session, bulletin)
        fate = policy_for_area(session, nodes[0].village_id).interrupted if nodes else "replay"
        cmd = PlayCommand(
            id=str(uuid.uuid4()), bulletin_id=bulletin.id, issued_at_ms=to_ms(now), start_at_ms=to_ms(start),
            expires_at_ms=to_ms(expires_at), media_url=f"{self.media_base_url}/media/{bulletin.audio.sha256}.mp3",
            sha256=bulletin.audio.sha256, duration_ms=duration_ms, priority=Priority(bulletin.priority),
            title=bulletin.title, if_interrupted=fate or "replay", targets=bulletin_targets(bulletin),
        )
        row = self._store(session, cmd, bulletin_topics(bulletin), bulletin.id, start=start)
        # One multi-row INSERT: a commune-wide command to 1,000 nodes must be stored in milliseconds.
        if nodes:
            session.execute(insert(AsRun), [
                {"command_id": cmd.id, "bulletin_id": bulletin.id, "node_id": node.id, "attempt": 1,
                 "scheduled_start": bulletin.start_at, "requested_ms": duration_ms, "played_ms": 0,
                 "outcome": Outcome.PENDING, "detail": ""}
                for node in nodes
            ])
        bulletin.status = BulletinStatus.DISPATCHED
        bulletin.dispatched_at = now
        return row

    def record_missed(self, bulletin_id: int, reason: str) -> None:
        """Air time passed with nothing sent: one 'missed' as-run row per expected node, with the reason."""
        with self._lock, self.sessions() as session:
            bulletin = session.get(Bulletin, bulletin_id)
            if bulletin is None or bulletin.status != BulletinStatus.SCHEDULED:
                return
            now = self.clock()
            row = CommandRow(id=str(uuid.uuid4()), bulletin_id=bulletin.id, kind="play",
                             topics=bulletin_topics(bulletin), payload="", issued_at=now, start_at=bulletin.start_at,
                             expires_at=bulletin.start_at)  # never published: payload empty, published_at null
            session.add(row)
            session.flush()
            nodes = bulletin_nodes(session, bulletin)
            if nodes:
                session.execute(insert(AsRun), [
                    {"command_id": row.id, "bulletin_id": bulletin.id, "node_id": node.id, "attempt": 1,
                     "scheduled_start": bulletin.start_at, "requested_ms": bulletin.audio.duration_ms,
                     "played_ms": 0, "outcome": Outcome.MISSED, "detail": reason}
                    for node in nodes
                ])
            bulletin.status = BulletinStatus.MISSED
            bulletin.status_detail = reason
            session.commit()

    # --- stop and volume ---------------------------------------------------------------------------
    def send_stop(self, bulletin_id: int, *, resend: bool = False) -> str | None:
        """A cancelled bulletin that was already sent: nodes drop it, or stop it if it is playing."""
        with self._lock, self.sessions() as session:
            play = self._play_row(session, bulletin_id)
            if play is None or play.published_at is None:
                return None
            row = session.scalars(select(CommandRow).where(CommandRow.bulletin_id == bulletin_id,
                                                           CommandRow.kind == "stop")).first()
            if row is None:
                now = self.clock()
                cmd = StopCommand(id=str(uuid.uuid4()), issued_at_ms=to_ms(now),
                                  expires_at_ms=to_ms(max(play.expires_at, now + self.control_ttl)),
                                  target_command_id=play.id, targets=_targets_of(play))
                row = self._store(session, cmd, list(play.topics), bulletin_id)
                session.execute(update(AsRun).where(AsRun.command_id == play.id, AsRun.outcome == Outcome.PENDING)
                                .values(outcome=Outcome.CANCELLED, detail="Bản tin đã bị huỷ."))
                session.commit()
            elif row.published_at is not None and not resend:
                return row.id
            return row.id if self._publish(session, row) else None

    def send_control(self, request_id: int) -> str | None:
        with self._lock, self.sessions() as session:
            req = session.get(ControlRequest, request_id)
            if req is None or req.sent_at is not None:
                return None
            now = self.clock()
            area = session.get(Area, req.area_id) if req.area_id is not None else None
            topic = topics.node_cmd(req.node_id) if req.node_id else topics.area_cmd(area.code) if area else None
            expires = to_ms(now + self.control_ttl)
            targets = Targets(nodes=(req.node_id,)) if req.node_id else Targets(areas=(area.code,) if area else ())
            cmd: VolumeCommand | StopCommand | None = None
            if req.kind == "volume" and req.volume is not None:
                cmd = VolumeCommand(id=str(uuid.uuid4()), issued_at_ms=to_ms(now),
                                    expires_at_ms=expires, volume=req.volume, targets=targets)
            elif req.kind == "stop":
                cmd = StopCommand(id=str(uuid.uuid4()), issued_at_ms=to_ms(now),
                                  expires_at_ms=min(expires, to_ms(now + STOP_ANY_TTL)), targets=targets)
            if cmd is None or topic is None:
                log.warning("control request %s is malformed: ignored", req.id)
                req.sent_at = now
                session.commit()
                return None
            row = self._store(session, cmd, [topic], None)
            req.command_id, req.sent_at = cmd.id, now
            session.commit()
            return cmd.id if self._publish(session, row) else None

    # --- common ------------------------------------------------------------------------------------
    def _store(self, session: Session, cmd: PlayCommand | StopCommand | VolumeCommand, topic_list: list[str],
               bulletin_id: int | None, *, start: datetime | None = None) -> CommandRow:
        payload = json.dumps(sign(to_dict(cmd), self.key), separators=(",", ":"), ensure_ascii=False)
        row = CommandRow(id=cmd.id, bulletin_id=bulletin_id, kind=cmd.type, topics=topic_list, payload=payload,
                         issued_at=self.clock(), start_at=start,
                         expires_at=datetime.fromtimestamp(cmd.expires_at_ms / 1000, tz=self.clock().tzinfo))
        session.add(row)
        session.flush()
        return row

    def _publish(self, session: Session, row: CommandRow) -> bool:
        now = self.clock()
        if now >= row.expires_at:
            log.warning("command %s expired before it could be sent", row.id)
            return False
        expiry_s = (row.expires_at - now).total_seconds()
        for topic in row.topics:
            self.transport.publish(topic, row.payload.encode("utf-8"), expiry_s=expiry_s)
        row.published_at = now
        session.commit()
        log.info("%s command %s sent to %s", row.kind, row.id, ", ".join(row.topics))
        return True


def _targets_of(play: CommandRow) -> Targets:
    """The targets signed into a stored play command (a stop for it goes to exactly the same nodes)."""
    raw = json.loads(play.payload).get("targets") or {}
    return Targets(areas=tuple(raw.get("areas") or ()), nodes=tuple(raw.get("nodes") or ()))

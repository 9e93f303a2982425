"""Turn a due bulletin into one signed play command, stored before it is published, sent to group topics."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Protocol

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from radio.db.models import AsRun, Bulletin, BulletinStatus, CommandRow, Outcome
from radio.protocol import PlayCommand, Priority, topics
from radio.protocol.messages import to_dict
from radio.protocol.signing import sign
from scheduler.targets import nodes_in_areas

log = logging.getLogger(__name__)
Clock = Callable[[], datetime]


class Publisher(Protocol):
    def publish(self, topic: str, payload: bytes, *, expiry_s: float | None, retain: bool = False) -> None: ...


def to_ms(dt: datetime) -> int:
    return int(dt.timestamp() * 1000)


class Dispatcher:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        transport: Publisher,
        key: Ed25519PrivateKey,
        clock: Clock,
        *,
        media_base_url: str,
        late_tolerance_s: float = 5.0,
    ) -> None:
        self.sessions = sessions
        self.transport = transport
        self.key = key
        self.clock = clock
        self.media_base_url = media_base_url.rstrip("/")
        self.late_tolerance_s = late_tolerance_s

    def dispatch(self, bulletin_id: int) -> str | None:
        """Publish the bulletin's play command; returns its id. Idempotent: a stored command is re-sent as is."""
        with self.sessions() as session:
            bulletin = session.get(Bulletin, bulletin_id)
            if bulletin is None or bulletin.status not in (BulletinStatus.SCHEDULED, BulletinStatus.DISPATCHED):
                return None
            row = session.scalars(
                select(CommandRow).where(CommandRow.bulletin_id == bulletin_id, CommandRow.kind == "play")
            ).first()
            if row is None:
                row = self._create_command(session, bulletin)
                session.commit()
            now = self.clock()
            if now >= row.expires_at:
                log.warning("command %s for bulletin %s expired before it could be sent", row.id, bulletin_id)
                return None
            expiry_s = (row.expires_at - now).total_seconds()
            for topic in row.topics:
                self.transport.publish(topic, row.payload.encode("utf-8"), expiry_s=expiry_s)
            row.published_at = now
            session.commit()
            log.info("bulletin %s dispatched as %s to %s", bulletin_id, row.id, ", ".join(row.topics))
            return row.id

    def _create_command(self, session: Session, bulletin: Bulletin) -> CommandRow:
        now = self.clock()
        duration_ms = bulletin.audio.duration_ms
        # Valid until the bulletin would have ended when started at the latest acceptable moment.
        expires_at = bulletin.start_at + timedelta(milliseconds=duration_ms, seconds=self.late_tolerance_s)
        cmd = PlayCommand(
            id=str(uuid.uuid4()),
            bulletin_id=bulletin.id,
            issued_at_ms=to_ms(now),
            start_at_ms=to_ms(bulletin.start_at),
            expires_at_ms=to_ms(expires_at),
            media_url=f"{self.media_base_url}/media/{bulletin.audio.sha256}.mp3",
            sha256=bulletin.audio.sha256,
            duration_ms=duration_ms,
            priority=Priority(bulletin.priority),
            title=bulletin.title,
        )
        payload = json.dumps(sign(to_dict(cmd), self.key), separators=(",", ":"), ensure_ascii=False)
        area_ids = [t.area_id for t in bulletin.targets]
        group_topics = sorted({topics.area_cmd(t.area.code) for t in bulletin.targets})
        row = CommandRow(
            id=cmd.id, bulletin_id=bulletin.id, kind="play", topics=group_topics, payload=payload,
            issued_at=now, start_at=bulletin.start_at, expires_at=expires_at,
        )
        session.add(row)
        session.flush()
        for node in nodes_in_areas(session, area_ids):
            session.add(AsRun(
                command_id=cmd.id, bulletin_id=bulletin.id, node_id=node.id, scheduled_start=bulletin.start_at,
                requested_ms=duration_ms, outcome=Outcome.PENDING,
            ))
        bulletin.status = BulletinStatus.DISPATCHED
        bulletin.dispatched_at = now
        return row

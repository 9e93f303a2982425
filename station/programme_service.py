"""Put bulletins into a programme occurrence: jingles around them, back to back, priority first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import AudioAssetRow, Bulletin, BulletinStatus, BulletinTarget, Programme
from radio.protocol import Priority
from station.errors import BulletinError
from station.policy.placement import violations
from station.policy.rules import Airing
from station.programmes import TZ, PlanItem, occurrences, plan_occurrence
from station.targets import resolve_nodes

JINGLE_TITLES = {"sign_on": "Nhạc hiệu mở đầu", "sign_off": "Nhạc hiệu kết thúc"}


def is_occurrence(programme: Programme, start: datetime) -> bool:
    window = timedelta(seconds=1)
    return any(
        occurrences(slot.local_time, slot.days, start - window, start + window,
                    valid_from=slot.valid_from, valid_to=slot.valid_to, tz=TZ)
        for slot in programme.slots
    )


def upcoming_occurrences(programme: Programme, now: datetime, days: int = 7) -> list[datetime]:
    found = {
        occ for slot in programme.slots
        for occ in occurrences(slot.local_time, slot.days, now, now + timedelta(days=days),
                               valid_from=slot.valid_from, valid_to=slot.valid_to, tz=TZ)
    }
    return sorted(found)


def occurrence_bulletins(session: Session, programme_id: int, occurrence: datetime) -> list[Bulletin]:
    return list(session.scalars(
        select(Bulletin).where(Bulletin.programme_id == programme_id, Bulletin.occurrence_start == occurrence,
                               Bulletin.status.in_((BulletinStatus.SCHEDULED, BulletinStatus.DISPATCHED)))
    ))


def add_to_programme(session: Session, *, programme_id: int, occurrence_start: datetime | None, title: str,
                     audio: AudioAssetRow, priority: str, created_by: int | None, now: datetime,
                     article_id: int | None, language: str) -> Bulletin:
    programme = session.get(Programme, programme_id)
    if programme is None or not programme.active:
        raise BulletinError("Không tìm thấy chương trình đang hoạt động.")
    if occurrence_start is None or occurrence_start.tzinfo is None:
        raise BulletinError("Hãy chọn buổi phát của chương trình.")
    occurrence = occurrence_start.astimezone(UTC)
    if not is_occurrence(programme, occurrence):
        raise BulletinError("Thời điểm đã chọn không phải một buổi phát của chương trình.")
    if occurrence <= now:
        raise BulletinError("Buổi phát này đã qua.")
    siblings = occurrence_bulletins(session, programme.id, occurrence)
    if any(b.status == BulletinStatus.DISPATCHED for b in siblings):
        raise BulletinError("Buổi phát này đã bắt đầu gửi lệnh tới cụm loa; hãy chọn buổi sau.")

    area_ids = [t.area_id for t in programme.targets]
    position = 1 + max((b.position for b in siblings if b.kind == "item"), default=0)
    bulletin = _new(title, audio, priority, programme, occurrence, area_ids, created_by, now, "item", position)
    bulletin.article_id, bulletin.language = article_id, language
    session.add(bulletin)
    members = [*siblings, bulletin]
    for kind, jingle_id in (("sign_on", programme.sign_on_audio_id), ("sign_off", programme.sign_off_audio_id)):
        if jingle_id is not None and not any(b.kind == kind for b in siblings):
            jingle = session.get(AudioAssetRow, jingle_id)
            assert jingle is not None
            row = _new(JINGLE_TITLES[kind], jingle, Priority.NORMAL, programme, occurrence, area_ids, created_by, now,
                       kind, 0)
            session.add(row)
            members.append(row)
    session.flush()
    plan = plan_occurrence(occurrence, [
        PlanItem(b.id, b.kind, b.priority, b.position, b.audio.duration_ms if b.audio else audio.duration_ms)
        for b in members
    ])
    for b in members:
        b.start_at = plan[b.id]
    nodes = resolve_nodes(session, area_ids, [])
    placements = [Airing(b.start_at, b.start_at + timedelta(milliseconds=session.get(AudioAssetRow, b.audio_id)
                                                            .duration_ms), b.id, b.title)
                  for b in sorted(members, key=lambda m: m.start_at)]
    problems = violations(session, nodes, placements, exclude=[b.id for b in members])
    if problems:
        raise BulletinError(" ".join(problems))
    session.flush()
    return bulletin


def _new(title: str, audio: AudioAssetRow, priority: str, programme: Programme, occurrence: datetime,
         area_ids: list[int], created_by: int | None, now: datetime, kind: str, position: int) -> Bulletin:
    return Bulletin(
        title=title, audio_id=audio.id, priority=priority, start_at=occurrence, status=BulletinStatus.SCHEDULED,
        created_by=created_by, created_at=now, updated_at=now, kind=kind, programme_id=programme.id,
        occurrence_start=occurrence, position=position,
        targets=[BulletinTarget(area_id=a) for a in area_ids],
    )

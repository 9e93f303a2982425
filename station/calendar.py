"""The week calendar of one commune: what airs when (bulletins and programme airings), and moving a bulletin.

Weeks are ISO weeks (Monday to Sunday) in local time, Asia/Ho_Chi_Minh: "2026-W48". Moving a bulletin goes
through the same area rules as creating one (station.policy.placement): quiet hours, session caps, no overlap on a
node. Like station.bulletins, nothing here commits: the caller groups the change with its audit entry.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, selectinload

from radio.db.models import Bulletin, BulletinNodeTarget, BulletinStatus, BulletinTarget, Node, Programme
from station.errors import BulletinError
from station.policy.placement import queue_placement, violations
from station.policy.rules import Airing
from station.programmes import occurrences
from station.targets import bulletin_nodes, descendant_area_ids

WEEK_PATTERN = re.compile(r"(\d{4})-W(\d{1,2})")
# Same slack as creation: a form submitted "for now" arrives a moment later.
PAST_SLACK = timedelta(seconds=2)
OVERLAP_CHOICES = ("refuse", "queue")


def parse_week(text: str | None, today: date) -> date:
    """The Monday of an ISO week written "2026-W48"; the current week when empty; ValueError when unreadable."""
    if not text:
        return today - timedelta(days=today.weekday())
    match = WEEK_PATTERN.fullmatch(text.strip())
    if match is None:
        raise ValueError(text)
    return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)  # ValueError for week 54 etc.


def week_name(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def week_bounds(monday: date, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Local Monday 00:00 to next Monday 00:00, as aware UTC."""
    start = datetime.combine(monday, time(0), tz)
    return start.astimezone(UTC), (start + timedelta(days=7)).astimezone(UTC)


@dataclass(frozen=True)
class SlotAiring:
    """A programme airing in the week, shown even when nothing is planned in it yet."""

    programme_id: int
    programme_name: str
    start: datetime


@dataclass(frozen=True)
class Week:
    monday: date
    bulletins: list[Bulletin]
    slots: list[SlotAiring]

    def days(self) -> list[date]:
        return [self.monday + timedelta(days=i) for i in range(7)]


def commune_bulletins(session: Session, commune_id: int, start: datetime, end: datetime) -> list[Bulletin]:
    """Bulletins starting in [start, end) aimed at the commune, one of its villages or one of its nodes."""
    areas = descendant_area_ids(session, [commune_id])
    node_ids = select(Node.id).where(Node.village_id.in_(areas))
    by_area = select(BulletinTarget.bulletin_id).where(BulletinTarget.area_id.in_(areas))
    by_node = select(BulletinNodeTarget.bulletin_id).where(BulletinNodeTarget.node_id.in_(node_ids))
    return list(session.scalars(
        select(Bulletin)
        .where(Bulletin.start_at >= start, Bulletin.start_at < end,
               or_(Bulletin.id.in_(by_area), Bulletin.id.in_(by_node)))
        .options(selectinload(Bulletin.audio), selectinload(Bulletin.targets).joinedload(BulletinTarget.area))
        .order_by(Bulletin.start_at, Bulletin.id)
    ))


def programme_airings(session: Session, commune_id: int, start: datetime, end: datetime,
                      tz: ZoneInfo) -> list[SlotAiring]:
    programmes = session.scalars(
        select(Programme).where(Programme.commune_id == commune_id, Programme.active.is_(True))
        .options(selectinload(Programme.slots))
    ).all()
    found = {
        SlotAiring(p.id, p.name, occ.astimezone(UTC))
        for p in programmes for slot in p.slots
        for occ in occurrences(slot.local_time, slot.days, start, end - timedelta(microseconds=1),
                               valid_from=slot.valid_from, valid_to=slot.valid_to, tz=tz)
    }
    return sorted(found, key=lambda s: (s.start, s.programme_name))


def load_week(session: Session, commune_id: int, monday: date, tz: ZoneInfo) -> Week:
    start, end = week_bounds(monday, tz)
    return Week(monday, commune_bulletins(session, commune_id, start, end),
                programme_airings(session, commune_id, start, end, tz))


def reschedule_bulletin(session: Session, bulletin_id: int, new_start: datetime, *, now: datetime,
                        on_overlap: str = "refuse") -> Bulletin:
    """Move a still-scheduled bulletin to another start (flushed, not committed); BulletinError otherwise.

    Refused for programme items (their time follows the programme) and emergencies (they air at once).
    """
    if new_start.tzinfo is None or now.tzinfo is None:
        raise BulletinError("Thời điểm phát thiếu múi giờ.")
    if on_overlap not in OVERLAP_CHOICES:
        raise BulletinError("Cách xử lý trùng giờ không hợp lệ.")
    bulletin = session.get(Bulletin, bulletin_id)
    if bulletin is None:
        raise BulletinError("Không tìm thấy bản tin.")
    if bulletin.status != BulletinStatus.SCHEDULED:
        raise BulletinError("Chỉ đổi giờ được bản tin đang chờ phát.")
    if bulletin.programme_id is not None or bulletin.kind != "item":
        raise BulletinError("Bản tin thuộc chương trình phát theo giờ của chương trình; hãy đổi giờ của chương trình.")
    if bulletin.priority == "emergency":
        raise BulletinError("Bản tin khẩn cấp phát ngay, không đổi giờ được.")
    if new_start < now - PAST_SLACK:
        raise BulletinError("Thời điểm phát đã qua. Hãy chọn một thời điểm trong tương lai.")
    nodes = bulletin_nodes(session, bulletin)
    airing = Airing(new_start, new_start + timedelta(milliseconds=bulletin.audio.duration_ms), bulletin.id,
                    bulletin.title)
    if on_overlap == "queue":
        airing = queue_placement(session, nodes, airing, exclude=[bulletin.id])
    problems = violations(session, nodes, [airing], exclude=[bulletin.id])
    if problems:
        raise BulletinError(" ".join(problems))
    # Conditional: the scheduler may dispatch this bulletin between our read and our write; a bulletin whose
    # command is already out must not silently get a new time the nodes never hear about.
    result = session.execute(
        update(Bulletin)
        .where(Bulletin.id == bulletin.id, Bulletin.status == BulletinStatus.SCHEDULED)
        .values(start_at=airing.start.astimezone(UTC), updated_at=now,
                status_detail="" if airing.start == new_start else
                f"Đã xếp nối tiếp do trùng giờ (dự kiến ban đầu {new_start.isoformat()}).")
        .execution_options(synchronize_session=False)
    )
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise BulletinError("Bản tin vừa được gửi lệnh tới cụm loa; không đổi giờ được nữa.")
    session.flush()
    session.refresh(bulletin)
    return bulletin

"""Create and cancel bulletins: pure database logic shared by the web and the CLI.

The scheduler process polls for status == "scheduled" and dispatches; this module only writes rows and
never commits, so a caller can group it with other writes (audit, approval) in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from radio.db.models import (
    Area,
    AreaLevel,
    Article,
    AudioAssetRow,
    Bulletin,
    BulletinNodeTarget,
    BulletinStatus,
    BulletinTarget,
    Node,
    Programme,
)
from radio.protocol import Priority
from station.approval import NOT_YOUR_AREA, NotAllowed, area_covers, can_read_article, check_airable, mark_scheduled
from station.audit import Actor, record, snapshot
from station.errors import BulletinError, OverlapRefused
from station.policy.placement import queue_placement, violations_and_rules
from station.policy.rules import Airing
from station.programme_service import add_to_programme
from station.targets import resolve_nodes

# A form submitted "for now" arrives a moment later; a start this close to now is still accepted.
PAST_SLACK = timedelta(seconds=2)
# A dispatched bulletin can still be cancelled: the scheduler then sends a signed stop to its nodes.
CANCELLABLE: tuple[str, ...] = (BulletinStatus.SCHEDULED, BulletinStatus.DISPATCHED)
BULLETIN_FIELDS = ("title", "article_id", "audio_id", "priority", "start_at", "status", "programme_id",
                   "occurrence_start", "approval_skipped")
OUTSIDE_AREA = "Bạn không được phát tới khu vực đã chọn."


def _require_aware(value: datetime, what: str) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise BulletinError(f"{what} thiếu múi giờ.")


def _collapse_targets(areas: Iterable[Area]) -> list[Area]:
    """Drop areas already covered by a selected ancestor, so no node is addressed twice."""
    chosen = {a.id: a for a in areas}
    kept: list[Area] = []
    for area in chosen.values():
        parent = area.parent
        while parent is not None and parent.id not in chosen:
            parent = parent.parent
        if parent is None:
            kept.append(area)
    return sorted(kept, key=lambda a: a.code)


@dataclass(frozen=True)
class Placement:
    """Where a bulletin goes in time: a fixed start, or an occurrence of a programme."""

    start_at: datetime | None = None
    programme_id: int | None = None
    occurrence_start: datetime | None = None


def create_bulletin(
    session: Session,
    *,
    title: str,
    audio_id: int | None,
    start_at: datetime | None,
    area_ids: list[int],
    priority: str,
    created_by: int | None,
    now: datetime,
    article_id: int | None = None,
    node_ids: Sequence[str] = (),
    on_overlap: str = "refuse",
    programme_id: int | None = None,
    occurrence_start: datetime | None = None,
    emergency_lead: timedelta = timedelta(seconds=3),
    actor: Actor | None = None,
    remote_addr: str = "",
) -> Bulletin:
    """Add a scheduled bulletin with its targets (flushed, not committed); BulletinError on bad input.

    Emergencies air at once (now + emergency_lead) and skip the area rules (Thông tư 39/2020). Other
    bulletins must respect quiet hours, session caps and never overlap on a node: with on_overlap="queue"
    they are moved back to back after what is already there, otherwise refused.

    Only approved articles air (station.approval.check_airable); with an actor, every target must lie in
    the actor's area and the creation is recorded in the audit log. actor=None is a trusted server caller.
    """
    _require_aware(now, "Thời điểm hiện tại")
    title = (title or "").strip()
    if not title:
        raise BulletinError("Bản tin phải có tiêu đề.")
    if priority not in set(Priority):
        raise BulletinError("Mức ưu tiên không hợp lệ.")
    if on_overlap not in ("refuse", "queue"):
        raise BulletinError("Cách xử lý trùng giờ không hợp lệ.")
    audio = session.get(AudioAssetRow, audio_id) if audio_id is not None else None
    if audio is None:
        raise BulletinError("Bài viết chưa có âm thanh. Hãy tạo âm thanh trước khi lên lịch.")
    language, article = "vi", None
    if article_id is not None:
        article = session.get(Article, article_id)
        if article is None:
            raise BulletinError("Không tìm thấy bài viết.")
        # Before the approval check: another commune's draft must not air (nor even be named) by skipping
        # approval as an "emergency" of a leader who is not its leader.
        if actor is not None and not can_read_article(session, actor, article):
            raise NotAllowed(NOT_YOUR_AREA)
        language = article.language
    skipped = check_airable(session, article, actor, priority)

    if programme_id is not None:
        if priority == "emergency":
            raise BulletinError("Bản tin khẩn cấp phát ngay, không xếp vào chương trình.")
        programme = session.get(Programme, programme_id)
        if actor is not None and programme is not None and not area_covers(session, actor.area_id,
                                                                           programme.commune_id):
            raise NotAllowed(OUTSIDE_AREA)
        bulletin = add_to_programme(session, programme_id=programme_id, occurrence_start=occurrence_start,
                                    title=title, audio=audio, priority=priority, created_by=created_by, now=now,
                                    article_id=article_id, language=language)
        return _created(session, bulletin, article, actor, remote_addr, skipped,
                        programme.commune_id if programme else None)

    if priority == "emergency":
        start_at = now + emergency_lead
    if start_at is None:
        raise BulletinError("Hãy chọn thời điểm phát.")
    _require_aware(start_at, "Thời điểm phát")
    if start_at < now - PAST_SLACK:
        raise BulletinError("Thời điểm phát đã qua. Hãy chọn một thời điểm trong tương lai.")
    areas = _load_areas(session, area_ids, allow_empty=bool(node_ids))
    nodes = _load_nodes(session, node_ids)
    target_area_ids = [a.id for a in areas] + [n.village_id for n in nodes]
    if actor is not None and not all(area_covers(session, actor.area_id, a) for a in target_area_ids):
        raise NotAllowed(OUTSIDE_AREA)
    targeted = resolve_nodes(session, [a.id for a in areas], [n.id for n in nodes])
    airing = Airing(start_at, start_at + timedelta(milliseconds=audio.duration_ms), None, title)
    if priority != "emergency":
        if on_overlap == "queue":
            airing = queue_placement(session, targeted, airing)
        problems, rules = violations_and_rules(session, targeted, [airing])
        if problems:
            # Only the overlap is solved by queueing; with another rule broken too, queueing would not help.
            only_overlap = rules == {"overlap"} and on_overlap != "queue"
            raise (OverlapRefused if only_overlap else BulletinError)(" ".join(problems))

    bulletin = Bulletin(
        title=title, article_id=article_id, audio_id=audio.id, priority=priority, language=language,
        start_at=airing.start.astimezone(UTC), status=BulletinStatus.SCHEDULED, created_by=created_by,
        created_at=now, updated_at=now,
        targets=[BulletinTarget(area_id=a.id) for a in _collapse_targets(areas)],
        node_targets=[BulletinNodeTarget(node_id=n.id) for n in nodes if n not in targeted or not areas],
    )
    if airing.start != start_at:
        bulletin.status_detail = f"Đã xếp nối tiếp do trùng giờ (dự kiến ban đầu {start_at.isoformat()})."
    session.add(bulletin)
    session.flush()
    return _created(session, bulletin, article, actor, remote_addr, skipped,
                    _commune_of(session, target_area_ids[0]) if target_area_ids else None)


def _commune_of(session: Session, area_id: int) -> int:
    """The commune an area belongs to (the audit log is filtered by area; a village rolls up to its commune)."""
    area = session.get(Area, area_id)
    if area is not None and area.level == AreaLevel.VILLAGE and area.parent_id is not None:
        return area.parent_id
    return area_id


def _created(session: Session, bulletin: Bulletin, article: Article | None, actor: Actor | None,
             remote_addr: str, skipped: bool, area_id: int | None) -> Bulletin:
    """After a bulletin is added: note a skipped approval, move the article on, write the audit entry."""
    bulletin.approval_skipped = skipped
    mark_scheduled(article)
    session.flush()
    detail = ("Phát khẩn cấp không qua duyệt (Thông tư 39/2020/TT-BTTTT)." if skipped
              else "Khẩn cấp." if bulletin.priority == "emergency" else "")
    after = snapshot(bulletin, BULLETIN_FIELDS) | {"targets": target_names(session, bulletin)}
    record(session, actor, "bulletin.emergency" if bulletin.priority == "emergency" else "bulletin.create",
           "bulletin", bulletin.id, None, after, detail, area_id=area_id, remote_addr=remote_addr)
    return bulletin


def target_names(session: Session, bulletin: Bulletin) -> list[str]:
    """Where a bulletin airs, by name (villages, communes, single loudspeakers), as the audit log keeps it: the
    names at the time of scheduling stay readable after an area is renamed or a node is moved."""
    names = [t.area.name for t in bulletin.targets if t.area is not None]
    node_ids = [t.node_id for t in bulletin.node_targets]
    if node_ids:
        names += list(session.scalars(select(Node.name).where(Node.id.in_(node_ids)).order_by(Node.name)))
    return names


def bulletin_area_ids(session: Session, bulletin: Bulletin) -> list[int]:
    """Every area a bulletin airs in (its target areas and its single nodes' villages)."""
    villages = session.scalars(select(Node.village_id).where(
        Node.id.in_([t.node_id for t in bulletin.node_targets]))).all() if bulletin.node_targets else []
    return [t.area_id for t in bulletin.targets] + list(villages)


def _load_areas(session: Session, area_ids: list[int], *, allow_empty: bool) -> list[Area]:
    ids = sorted(set(area_ids))
    if not ids and not allow_empty:
        raise BulletinError("Hãy chọn ít nhất một thôn hoặc cả xã để phát.")
    areas = list(session.scalars(select(Area).where(Area.id.in_(ids)))) if ids else []
    if len(areas) != len(ids):
        raise BulletinError("Có khu vực được chọn không tồn tại.")
    return areas


def _load_nodes(session: Session, node_ids: Sequence[str]) -> list[Node]:
    ids = sorted(set(node_ids))
    nodes = list(session.scalars(select(Node).where(Node.id.in_(ids)))) if ids else []
    if len(nodes) != len(ids):
        raise BulletinError("Có cụm loa được chọn không tồn tại.")
    return nodes


def cancel_bulletin(session: Session, bulletin_id: int, *, now: datetime, actor: Actor | None = None,
                    remote_addr: str = "") -> Bulletin:
    """Mark a still-scheduled bulletin cancelled (not committed); BulletinError if it cannot be.

    With an actor: NotAllowed unless every area it airs in is the actor's, and the cancellation is audited.
    """
    _require_aware(now, "Thời điểm hiện tại")
    current = session.get(Bulletin, bulletin_id)
    if current is None:
        raise BulletinError("Không tìm thấy bản tin.")
    areas = bulletin_area_ids(session, current)
    if actor is not None and not all(area_covers(session, actor.area_id, a) for a in areas):
        raise NotAllowed("Bạn không được huỷ bản tin phát ngoài khu vực của mình.")
    before = snapshot(current, BULLETIN_FIELDS)
    # A conditional UPDATE rather than read-then-write: the scheduler may dispatch this very bulletin
    # between our read and our write, and a dispatched bulletin must not silently turn "cancelled".
    result = session.execute(
        update(Bulletin)
        .where(Bulletin.id == bulletin_id, Bulletin.status.in_(CANCELLABLE))
        .values(status=BulletinStatus.CANCELLED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    bulletin = session.get(Bulletin, bulletin_id, populate_existing=True)
    if bulletin is None:
        raise BulletinError("Không tìm thấy bản tin.")
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise BulletinError("Chỉ huỷ được bản tin đang chờ phát hoặc đã gửi lệnh.")
    record(session, actor, "bulletin.cancel", "bulletin", bulletin.id, before, snapshot(bulletin, BULLETIN_FIELDS),
           area_id=_commune_of(session, areas[0]) if areas else None, remote_addr=remote_addr)
    return bulletin

"""A warning's life: draft → active (re-aired every interval as an emergency) → replaced | cancelled.

Airing is the scheduler's job (`air_due`, every poll): it makes one emergency bulletin per due warning, so quiet
hours and caps do not apply (station.bulletins treats emergencies so), and the warning's next time moves one
interval on. Ending a warning stops its cycle (no next time) and cancels its airings still to come or on air:
the scheduler then sends a stop to every node they were sent to. Every step is in the audit log.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from radio.db.alerts import DisasterWarning, WarningAiring, WarningStatus, WarningTarget
from radio.db.models import Area, AreaLevel, Article, ArticleStatus, Bulletin, BulletinStatus
from radio.protocol import Priority
from station.audit import Actor, record, snapshot
from station.bulletins import cancel_bulletin, create_bulletin
from station.errors import BulletinError
from station.warnings.hazards import LEVELS, Hazard

log = logging.getLogger(__name__)
MIN_INTERVAL_S = 10  # tests air every few seconds; the form offers 15 min and more
MAX_INTERVAL_S = 24 * 3600
FIELDS = ("status", "hazard", "level", "title", "interval_s", "next_air_at", "replaced_by_id")


class WarningError(BulletinError):
    """A warning that cannot be made or changed as asked (Vietnamese message)."""


def new_warning(session: Session, *, commune: Area, hazard: str, level: int, village_ids: list[int], title: str,
                body: str, interval_s: int, created_by: int | None, now: datetime, source: str = "form",
                cap_identifier: str | None = None) -> DisasterWarning:
    """A validated draft (flushed, not committed)."""
    if commune.level != AreaLevel.COMMUNE:
        raise WarningError("Cảnh báo thuộc về một xã.")
    if hazard not in set(Hazard):
        raise WarningError("Loại thiên tai không hợp lệ.")
    if level not in LEVELS:
        raise WarningError("Cấp độ rủi ro phải từ 1 đến 5.")
    if not title.strip() or not body.strip():
        raise WarningError("Cảnh báo phải có tiêu đề và nội dung.")
    if not MIN_INTERVAL_S <= interval_s <= MAX_INTERVAL_S:
        raise WarningError("Chu kỳ phát lại phải từ 10 giây đến 24 giờ.")
    villages = set(session.scalars(select(Area.id).where(Area.parent_id == commune.id)))
    chosen = sorted(set(village_ids))
    if any(v not in villages for v in chosen):
        raise WarningError("Có thôn được chọn không thuộc xã.")
    warning = DisasterWarning(commune_id=commune.id, hazard=hazard, level=level, title=title.strip()[:300],
                              body=body.strip(), interval_s=interval_s, created_by=created_by, created_at=now,
                              source=source, cap_identifier=cap_identifier, status=WarningStatus.DRAFT,
                              targets=[WarningTarget(area_id=v) for v in chosen])
    session.add(warning)
    session.flush()
    return warning


def activate(session: Session, warning: DisasterWarning, *, audio_id: int, actor: Actor, now: datetime,
             replaces: DisasterWarning | None = None, remote_addr: str = "") -> None:
    """Put a draft on air now and every interval after (not committed). The text becomes an approved article of
    the commune (the leader issuing the warning approves it), so it is also on the residents' page."""
    if warning.status != WarningStatus.DRAFT:
        raise WarningError("Chỉ phát được cảnh báo đang ở dạng nháp.")
    article = Article(title=warning.title, body=warning.body, language="vi", commune_id=warning.commune_id,
                      author_id=actor.user_id, audio_id=audio_id, status=ArticleStatus.APPROVED,
                      reviewed_by=actor.user_id, reviewed_at=now, created_at=now, updated_at=now,
                      review_comment="Cảnh báo thiên tai")
    session.add(article)
    session.flush()
    before = snapshot(warning, FIELDS)
    warning.article_id, warning.audio_id = article.id, audio_id
    warning.status, warning.activated_at, warning.activated_by = WarningStatus.ACTIVE, now, actor.user_id
    warning.next_air_at = now
    record(session, actor, "warning.activate", "warning", warning.id, before, snapshot(warning, FIELDS),
           area_id=warning.commune_id, remote_addr=remote_addr)
    if replaces is not None:
        end_warning(session, replaces, status=WarningStatus.REPLACED, actor=actor, now=now, replaced_by=warning,
                    remote_addr=remote_addr)


def end_warning(session: Session, warning: DisasterWarning, *, status: str, actor: Actor | None, now: datetime,
                replaced_by: DisasterWarning | None = None, remote_addr: str = "") -> list[int]:
    """Stop the cycle (not committed); returns the airings cancelled (the scheduler sends their stops)."""
    if warning.status not in (WarningStatus.ACTIVE, WarningStatus.DRAFT):
        raise WarningError("Cảnh báo này đã kết thúc.")
    before = snapshot(warning, FIELDS)
    warning.status, warning.ended_at, warning.next_air_at = status, now, None
    warning.ended_by = actor.user_id if actor else None
    warning.replaced_by_id = replaced_by.id if replaced_by else None
    cancelled = []
    for bulletin_id in session.scalars(
        select(Bulletin.id).join(WarningAiring, WarningAiring.bulletin_id == Bulletin.id)
        .where(WarningAiring.warning_id == warning.id,
               Bulletin.status.in_((BulletinStatus.SCHEDULED, BulletinStatus.DISPATCHED)))
    ).all():
        try:
            cancel_bulletin(session, bulletin_id, now=now)  # trusted: the actor's right is the warning's
            cancelled.append(bulletin_id)
        except BulletinError:
            log.info("airing %s of warning %s ended on its own", bulletin_id, warning.id)
    action = "warning.replace" if status == WarningStatus.REPLACED else "warning.cancel"
    record(session, actor, action, "warning", warning.id, before, snapshot(warning, FIELDS) | {"stopped": cancelled},
           area_id=warning.commune_id, remote_addr=remote_addr)
    return cancelled


def announce_end(session: Session, warning: DisasterWarning, *, audio_id: int, actor: Actor, now: datetime,
                 emergency_lead: timedelta, remote_addr: str = "") -> int:
    """Say once, on the warning's loudspeakers, that it is lifted (not committed); returns the bulletin's id.

    Residents heard the warning every interval; silence alone would leave them waiting for the next one. Aired as an
    emergency (quiet hours and caps do not apply) to the same villages, after the stops of the cancelled airings."""
    if warning.status != WarningStatus.CANCELLED:
        raise WarningError("Chỉ thông báo huỷ cho cảnh báo đã huỷ.")
    areas = [t.area_id for t in warning.targets] or [warning.commune_id]
    bulletin = create_bulletin(session, title=f"Huỷ cảnh báo: {warning.title}"[:300], audio_id=audio_id,
                               start_at=None, area_ids=areas, priority=Priority.EMERGENCY, created_by=actor.user_id,
                               now=now, emergency_lead=emergency_lead)
    record(session, actor, "warning.announce_end", "warning", warning.id, None, {"bulletin_id": bulletin.id},
           area_id=warning.commune_id, remote_addr=remote_addr)
    return bulletin.id


def air_due(session: Session, now: datetime, emergency_lead: timedelta) -> list[int]:
    """Make the emergency bulletin of every active warning whose time has come (committed); returns their ids."""
    made = []
    due = session.scalars(select(DisasterWarning).where(DisasterWarning.status == WarningStatus.ACTIVE,
                                                        DisasterWarning.next_air_at <= now)
                          .order_by(DisasterWarning.next_air_at)).all()
    for warning in due:
        areas = [t.area_id for t in warning.targets] or [warning.commune_id]
        try:
            bulletin = create_bulletin(session, title=warning.title, audio_id=warning.audio_id, start_at=None,
                                       area_ids=areas, priority=Priority.EMERGENCY, created_by=warning.activated_by,
                                       now=now, article_id=warning.article_id, emergency_lead=emergency_lead)
        except BulletinError as exc:
            log.error("warning %s could not be aired: %s", warning.id, exc.message)
            continue
        session.add(WarningAiring(warning_id=warning.id, bulletin_id=bulletin.id, at=now))
        count = session.scalar(select(func.count()).select_from(WarningAiring)
                               .where(WarningAiring.warning_id == warning.id))
        assert warning.next_air_at is not None
        interval = timedelta(seconds=warning.interval_s)
        following = warning.next_air_at + interval
        # After a scheduler outage: one airing now, then the rhythm again, never a burst of catch-ups.
        warning.next_air_at = following if following > now else now + interval
        record(session, None, "warning.air", "warning", warning.id, None,
               {"bulletin_id": bulletin.id, "airing": count, "next_air_at": warning.next_air_at},
               area_id=warning.commune_id)
        made.append(bulletin.id)
    session.commit()
    return made


def active_warnings(session: Session, commune_ids: set[int] | None) -> list[DisasterWarning]:
    """Active warnings, most severe first, of these communes (None: all)."""
    query = select(DisasterWarning).where(DisasterWarning.status == WarningStatus.ACTIVE)
    if commune_ids is not None:
        query = query.where(DisasterWarning.commune_id.in_(commune_ids or {-1}))
    return list(session.scalars(query.order_by(DisasterWarning.level.desc(), DisasterWarning.activated_at.desc())))

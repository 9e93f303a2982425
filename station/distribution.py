"""Province-to-commune bulletins: a province (or district grouping) sends an item to chosen communes, each commune
schedules it as its own bulletin or declines it with a reason, and the province reads who aired it where.

Only rows, never commits (callers group a step with its audit entry); every step that an actor takes checks the
area rule (station.approval.area_covers) and writes the audit log, as the rest of the station does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from radio.db.models import Area, AreaLevel, Article, ArticleStatus, AsRun, Bulletin, Outcome
from radio.db.province import DeliveryMode, DeliveryStatus, ProvinceAiring, ProvinceBulletin, ProvinceDelivery
from radio.db.types import utcnow
from station.approval import NotAllowed, area_covers, article_area_id, can_read_article
from station.audit import Actor, record, snapshot
from station.bulletins import create_bulletin
from station.errors import BulletinError

SENDERS = frozenset({"broadcaster", "leader", "admin"})
DELIVERY_FIELDS = ("province_bulletin_id", "commune_id", "status", "reason", "article_id")
SENT_FIELDS = ("title", "mode", "window_start", "window_end", "field_category", "audio_id", "origin_area_id")
# Outcomes that count as "aired" for the province: the item reached the loudspeaker and played (fully or until an
# emergency cut it). The reporting rules of station.accounting count the same two.
AIRED = (Outcome.COMPLETED, Outcome.INTERRUPTED)


def _not_province() -> NotAllowed:
    return NotAllowed("Chỉ tài khoản cấp tỉnh mới gửi được bản tin xuống xã.")


def province_of(session: Session, area_id: int | None) -> Area | None:
    """The province an area lies in (itself for a province)."""
    area = session.get(Area, area_id) if area_id is not None else None
    while area is not None and area.level != AreaLevel.PROVINCE:
        area = area.parent
    return area


def send_to_communes(session: Session, actor: Actor, *, article: Article, commune_ids: Sequence[int], mode: str,
                     window: tuple[datetime, datetime] | None, now: datetime, district_id: int | None = None,
                     remote_addr: str = "") -> ProvinceBulletin:
    """Send an approved province article with audio to the chosen communes of the actor's province."""
    if actor.role not in SENDERS:
        raise _not_province()
    origin = province_of(session, article_area_id(session, article))
    actor_area = session.get(Area, actor.area_id) if actor.area_id is not None else None
    if origin is None or (actor_area is not None and actor_area.level != AreaLevel.PROVINCE):
        raise _not_province()
    if not area_covers(session, actor.area_id, origin.id) or not can_read_article(session, actor, article):
        raise _not_province()
    if article.status not in ArticleStatus.AIRABLE:
        raise BulletinError("Bài viết chưa được lãnh đạo duyệt: chưa gửi xuống xã được.")
    if article.audio_id is None:
        raise BulletinError("Bài viết chưa có âm thanh. Hãy tạo âm thanh trước khi gửi xuống xã.")
    if mode not in set(DeliveryMode):
        raise BulletinError("Hình thức gửi không hợp lệ.")
    if mode == DeliveryMode.MUST_AIR:
        if window is None:
            raise BulletinError("Bản tin bắt buộc phát cần khoảng thời gian phát.")
        if window[1] <= window[0] or window[1] <= now:
            raise BulletinError("Khoảng thời gian phát không hợp lệ: giờ kết thúc phải sau giờ bắt đầu và sau lúc này.")
    communes = _communes(session, commune_ids, origin)
    item = ProvinceBulletin(
        origin_area_id=origin.id, district_id=district_id, article_id=article.id, title=article.title,
        body=article.body, summary=article.summary, field_category=article.field_category,
        content_type=article.content_type, author_name=article.author_name, pen_name=article.pen_name,
        source=article.source, produced_at=article.produced_at, language=article.language,
        audio_id=article.audio_id, mode=mode, window_start=window[0] if window and mode == DeliveryMode.MUST_AIR
        else None, window_end=window[1] if window and mode == DeliveryMode.MUST_AIR else None,
        created_by=actor.user_id, created_at=now)
    session.add(item)
    session.flush()
    for commune in communes:
        session.add(ProvinceDelivery(province_bulletin_id=item.id, commune_id=commune.id))
    session.flush()
    record(session, actor, "province.send", "province_bulletin", item.id, None, snapshot(item, SENT_FIELDS),
           ", ".join(c.name for c in communes), area_id=origin.id, remote_addr=remote_addr)
    return item


def _communes(session: Session, commune_ids: Sequence[int], province: Area) -> list[Area]:
    ids = sorted(set(commune_ids))
    if not ids:
        raise BulletinError("Hãy chọn ít nhất một xã nhận bản tin.")
    communes = list(session.scalars(select(Area).where(Area.id.in_(ids)).order_by(Area.code)))
    if len(communes) != len(ids) or any(c.level != AreaLevel.COMMUNE or c.parent_id != province.id
                                        for c in communes):
        raise BulletinError("Chỉ gửi được tới các xã của tỉnh mình.")
    return communes


def _delivery_for(session: Session, actor: Actor, delivery_id: int) -> ProvinceDelivery:
    delivery = session.get(ProvinceDelivery, delivery_id)
    if delivery is None:
        raise BulletinError("Không tìm thấy bản tin của tỉnh.")
    if not area_covers(session, actor.area_id, delivery.commune_id):
        raise NotAllowed("Bản tin này gửi cho xã khác.")
    return delivery


def schedule_delivery(session: Session, actor: Actor, delivery_id: int, *, start_at: datetime,
                      area_ids: Sequence[int], now: datetime, on_overlap: str = "refuse",
                      remote_addr: str = "") -> Bulletin:
    """The commune airs the province item: a commune article (a copy, approved by the province's sending) and a
    bulletin made through the normal rules (quiet hours, caps, overlap), linked back to the delivery."""
    delivery = _delivery_for(session, actor, delivery_id)
    if delivery.status in (DeliveryStatus.DECLINED, DeliveryStatus.WITHDRAWN):
        raise BulletinError("Bản tin này đã bị từ chối hoặc thu hồi, không lên lịch được.")
    item = session.get(ProvinceBulletin, delivery.province_bulletin_id)
    assert item is not None  # foreign key
    if item.audio_id is None:
        raise BulletinError("Bản tin của tỉnh chưa có âm thanh: hãy chờ tỉnh gửi tệp âm thanh.")
    if item.mode == DeliveryMode.MUST_AIR and item.window_start and item.window_end and not (
            item.window_start <= start_at < item.window_end):
        raise BulletinError("Bản tin bắt buộc phát phải lên lịch trong khoảng thời gian tỉnh yêu cầu.")
    before = snapshot(delivery, DELIVERY_FIELDS)
    article = session.get(Article, delivery.article_id) if delivery.article_id else None
    if article is None:
        article = Article(
            title=item.title, body=item.body or item.title, language=item.language, commune_id=delivery.commune_id,
            author_id=item.created_by, audio_id=item.audio_id, status=ArticleStatus.APPROVED,
            reviewed_by=item.created_by, reviewed_at=item.created_at,
            review_comment="Bản tin của tỉnh (đã duyệt ở cấp tỉnh).", field_category=item.field_category,
            content_type=item.content_type, author_name=item.author_name, pen_name=item.pen_name,
            summary=item.summary, produced_at=item.produced_at, source=item.source or "Tỉnh")
        session.add(article)
        session.flush()
        delivery.article_id = article.id
    bulletin = create_bulletin(
        session, title=item.title, audio_id=item.audio_id, start_at=start_at,
        area_ids=list(area_ids) or [delivery.commune_id], priority=item.priority, created_by=actor.user_id, now=now,
        article_id=article.id, on_overlap=on_overlap, actor=actor, remote_addr=remote_addr)
    session.add(ProvinceAiring(delivery_id=delivery.id, bulletin_id=bulletin.id))
    delivery.status, delivery.decided_by, delivery.decided_at = DeliveryStatus.SCHEDULED, actor.user_id, now
    delivery.reason = ""
    session.flush()
    record(session, actor, "province.schedule", "province_delivery", delivery.id, before,
           snapshot(delivery, DELIVERY_FIELDS), f"bulletin {bulletin.id}", area_id=delivery.commune_id,
           remote_addr=remote_addr)
    return bulletin


def decline_delivery(session: Session, actor: Actor, delivery_id: int, *, reason: str, now: datetime,
                     remote_addr: str = "") -> ProvinceDelivery:
    """The commune will not air the item; the reason goes to the province (required, at most 1000 characters)."""
    delivery = _delivery_for(session, actor, delivery_id)
    reason = (reason or "").strip()
    if not reason:
        raise BulletinError("Hãy ghi lý do không phát để tỉnh biết.")
    if len(reason) > 1000:
        raise BulletinError("Lý do dài quá 1000 ký tự.")
    if delivery.status != DeliveryStatus.NEW:
        raise BulletinError("Chỉ từ chối được bản tin chưa xử lý.")
    before = snapshot(delivery, DELIVERY_FIELDS)
    delivery.status, delivery.reason = DeliveryStatus.DECLINED, reason
    delivery.decided_by, delivery.decided_at = actor.user_id, now
    session.flush()
    record(session, actor, "province.decline", "province_delivery", delivery.id, before,
           snapshot(delivery, DELIVERY_FIELDS), reason, area_id=delivery.commune_id, remote_addr=remote_addr)
    return delivery


@dataclass(frozen=True)
class CommuneAiring:
    """What one commune did with a province item, as the province sees it."""

    delivery: ProvinceDelivery
    commune: Area
    bulletins: list[Bulletin]
    loudspeakers: int  # distinct loudspeakers that played it (as-run completed or interrupted)
    first_start_ms: int | None  # the earliest actual start reported by a loudspeaker
    played_ms: int


def airings(session: Session, item_id: int) -> list[CommuneAiring]:
    """Per receiving commune: status, its bulletins, and from the as-run log on how many loudspeakers it played."""
    rows = session.execute(select(ProvinceDelivery, Area).join(Area, Area.id == ProvinceDelivery.commune_id)
                           .where(ProvinceDelivery.province_bulletin_id == item_id).order_by(Area.code)).all()
    result = []
    for delivery, commune in rows:
        bulletin_ids = select(ProvinceAiring.bulletin_id).where(ProvinceAiring.delivery_id == delivery.id)
        bulletins = list(session.scalars(select(Bulletin).where(Bulletin.id.in_(bulletin_ids))
                                         .order_by(Bulletin.start_at)))
        count, first, played = session.execute(
            select(func.count(func.distinct(AsRun.node_id)), func.min(AsRun.started_at_ms),
                   func.coalesce(func.sum(AsRun.played_ms), 0))
            .where(AsRun.bulletin_id.in_(bulletin_ids), AsRun.outcome.in_(AIRED))).one()
        result.append(CommuneAiring(delivery, commune, bulletins, int(count or 0),
                                    int(first) if first is not None else None, int(played or 0)))
    return result


def withdraw(session: Session, actor: Actor, item_id: int, *, now: datetime | None = None,
             remote_addr: str = "") -> int:
    """The province takes an item back: undecided deliveries become withdrawn (scheduled ones stay: the commune
    cancels its own bulletin). Returns how many deliveries were withdrawn."""
    item = session.get(ProvinceBulletin, item_id)
    if item is None:
        raise BulletinError("Không tìm thấy bản tin của tỉnh.")
    if not area_covers(session, actor.area_id, item.origin_area_id) or actor.role not in SENDERS:
        raise _not_province()
    pending = list(session.scalars(select(ProvinceDelivery).where(
        ProvinceDelivery.province_bulletin_id == item_id, ProvinceDelivery.status == DeliveryStatus.NEW)))
    for delivery in pending:
        delivery.status, delivery.decided_at, delivery.decided_by = DeliveryStatus.WITHDRAWN, now or utcnow(), \
            actor.user_id
    session.flush()
    record(session, actor, "province.withdraw", "province_bulletin", item.id, None, {"withdrawn": len(pending)},
           area_id=item.origin_area_id, remote_addr=remote_addr)
    return len(pending)


def inbox_query(commune_scope: set[int] | None, *, open_only: bool = False):  # type: ignore[no-untyped-def]
    """Deliveries for the communes in scope (None: all), newest first, with their items."""
    query = (select(ProvinceDelivery, ProvinceBulletin)
             .join(ProvinceBulletin, ProvinceBulletin.id == ProvinceDelivery.province_bulletin_id)
             .order_by(ProvinceBulletin.created_at.desc(), ProvinceDelivery.id.desc()))
    if commune_scope is not None:
        query = query.where(ProvinceDelivery.commune_id.in_(commune_scope or {-1}))
    if open_only:
        query = query.where(ProvinceDelivery.status == DeliveryStatus.NEW)
    return query


def must_air_overdue(item: ProvinceBulletin, now: datetime) -> bool:
    """A must-air item whose window has closed."""
    return item.mode == DeliveryMode.MUST_AIR and item.window_end is not None and item.window_end <= now


def suggested_start(item: ProvinceBulletin, now: datetime) -> datetime:
    """A start the form proposes: the window's start, or five minutes from now if that has passed."""
    soon = now + timedelta(minutes=5)
    if item.window_start is not None and item.window_start > soon:
        return item.window_start
    return soon


__all__ = ["AIRED", "CommuneAiring", "airings", "decline_delivery", "inbox_query",
           "must_air_overdue", "province_of", "schedule_delivery", "send_to_communes", "suggested_start", "withdraw"]

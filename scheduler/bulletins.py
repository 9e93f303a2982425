"""Create and cancel bulletins: pure database logic shared by the web and the CLI.

The scheduler process polls for status == "scheduled" and dispatches; this module only writes rows and
never commits, so a caller can group it with other writes (audit, approval) in one transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from radio.db.models import Area, Article, AudioAssetRow, Bulletin, BulletinStatus, BulletinTarget

PRIORITIES: tuple[str, ...] = ("normal", "priority", "emergency")
# A form submitted "for now" arrives a moment later; a start this close to now is still accepted.
PAST_SLACK = timedelta(seconds=2)
CANCELLABLE: tuple[str, ...] = (BulletinStatus.SCHEDULED,)


class BulletinError(ValueError):
    """A request the broadcaster can fix; the message is Vietnamese and shown as-is."""

    def __init__(self, message_vi: str) -> None:
        super().__init__(message_vi)
        self.message = message_vi


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


def create_bulletin(
    session: Session,
    *,
    title: str,
    audio_id: int | None,
    start_at: datetime,
    area_ids: list[int],
    priority: str,
    created_by: int | None,
    now: datetime,
    article_id: int | None = None,
) -> Bulletin:
    """Add a scheduled bulletin with its targets (flushed, not committed); BulletinError on bad input."""
    _require_aware(now, "Thời điểm hiện tại")
    title = (title or "").strip()
    if not title:
        raise BulletinError("Bản tin phải có tiêu đề.")
    if priority not in PRIORITIES:
        raise BulletinError("Mức ưu tiên không hợp lệ.")
    _require_aware(start_at, "Thời điểm phát")
    if start_at < now - PAST_SLACK:
        raise BulletinError("Thời điểm phát đã qua. Hãy chọn một thời điểm trong tương lai.")

    ids = sorted(set(area_ids))
    if not ids:
        raise BulletinError("Hãy chọn ít nhất một thôn hoặc cả xã để phát.")
    areas = list(session.scalars(select(Area).where(Area.id.in_(ids))))
    if len(areas) != len(ids):
        raise BulletinError("Có khu vực được chọn không tồn tại.")

    if audio_id is None or session.get(AudioAssetRow, audio_id) is None:
        raise BulletinError("Bài viết chưa có âm thanh. Hãy tạo âm thanh trước khi lên lịch.")
    language = "vi"
    if article_id is not None:
        article = session.get(Article, article_id)
        if article is None:
            raise BulletinError("Không tìm thấy bài viết.")
        language = article.language

    bulletin = Bulletin(
        title=title,
        article_id=article_id,
        audio_id=audio_id,
        priority=priority,
        language=language,
        start_at=start_at.astimezone(UTC),
        status=BulletinStatus.SCHEDULED,
        created_by=created_by,
        created_at=now,
        updated_at=now,
        targets=[BulletinTarget(area_id=a.id) for a in _collapse_targets(areas)],
    )
    session.add(bulletin)
    session.flush()
    return bulletin


def cancel_bulletin(session: Session, bulletin_id: int, *, now: datetime) -> Bulletin:
    """Mark a still-scheduled bulletin cancelled (not committed); BulletinError if it cannot be."""
    _require_aware(now, "Thời điểm hiện tại")
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
        raise BulletinError("Chỉ huỷ được bản tin đang chờ phát.")
    return bulletin

"""station.bulletins: the rules for creating and cancelling bulletins, without Flask."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from web_support import Seed, add_article_with_audio

from radio.db.models import Bulletin, BulletinStatus, BulletinTarget
from station.bulletins import BulletinError, cancel_bulletin, create_bulletin

NOW = datetime(2025, 11, 21, 1, 0, tzinfo=UTC)


def _args(seed: Seed, audio_id: int | None, **overrides: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "title": "Phòng chống bão",
        "audio_id": audio_id,
        "start_at": NOW + timedelta(hours=1),
        "area_ids": [seed.village_dong_id],
        "priority": "normal",
        "created_by": seed.broadcaster_id,
        "now": NOW,
    }
    args.update(overrides)
    return args


def test_creates_scheduled_bulletin_with_targets(db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    start = datetime(2025, 11, 22, 6, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    bulletin = create_bulletin(db, **_args(seed, article.audio_id, start_at=start, priority="priority",
                                           area_ids=[seed.village_dong_id, seed.village_bac_id],
                                           article_id=article.id))
    db.commit()
    db.expire_all()
    stored = db.get(Bulletin, bulletin.id)
    assert stored is not None
    assert stored.status == BulletinStatus.SCHEDULED
    assert stored.start_at == datetime(2025, 11, 21, 23, 0, tzinfo=UTC)
    assert stored.priority == "priority" and stored.language == "vi"
    assert sorted(t.area_id for t in stored.targets) == sorted([seed.village_dong_id, seed.village_bac_id])


def test_does_not_commit(db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    create_bulletin(db, **_args(seed, article.audio_id))
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Bulletin)) == 0


def test_village_under_a_chosen_commune_is_not_targeted_twice(db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    bulletin = create_bulletin(db, **_args(seed, article.audio_id,
                                           area_ids=[seed.commune_id, seed.village_dong_id, seed.commune_id]))
    assert [t.area_id for t in bulletin.targets] == [seed.commune_id]


def test_start_within_slack_is_accepted(db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    create_bulletin(db, **_args(seed, article.audio_id, start_at=NOW - timedelta(seconds=2)))


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"area_ids": []}, "ít nhất một"),
        ({"area_ids": [987654]}, "không tồn tại"),
        ({"start_at": NOW - timedelta(seconds=2, milliseconds=1)}, "đã qua"),
        ({"start_at": datetime(2025, 11, 22, 6, 0)}, "múi giờ"),
        ({"priority": "urgent"}, "ưu tiên"),
        ({"audio_id": None}, "chưa có âm thanh"),
        ({"audio_id": 987654}, "chưa có âm thanh"),
        ({"title": "  "}, "tiêu đề"),
        ({"article_id": 987654}, "bài viết"),
    ],
    ids=["no-targets", "unknown-area", "past", "naive", "priority", "no-audio", "unknown-audio", "title",
         "unknown-article"],
)
def test_rejects_bad_requests_and_writes_nothing(db: Session, seed: Seed, overrides: dict[str, Any],
                                                 message: str) -> None:
    article = add_article_with_audio(db)
    with pytest.raises(BulletinError) as info:
        create_bulletin(db, **{**_args(seed, article.audio_id), **overrides})
    assert message.lower() in info.value.message.lower()
    db.commit()
    assert db.scalar(select(func.count()).select_from(Bulletin)) == 0
    assert db.scalar(select(func.count()).select_from(BulletinTarget)) == 0


def test_cancel_scheduled_bulletin(db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    bulletin = create_bulletin(db, **_args(seed, article.audio_id))
    db.commit()
    later = NOW + timedelta(minutes=5)
    cancelled = cancel_bulletin(db, bulletin.id, now=later)
    db.commit()
    assert cancelled.status == BulletinStatus.CANCELLED
    assert cancelled.updated_at == later


def test_dispatched_bulletin_can_be_cancelled_so_the_scheduler_sends_a_stop(db: Session, seed: Seed) -> None:
    article = add_article_with_audio(db)
    bulletin = create_bulletin(db, **_args(seed, article.audio_id))
    bulletin.status = BulletinStatus.DISPATCHED
    db.commit()
    assert cancel_bulletin(db, bulletin.id, now=NOW).status == BulletinStatus.CANCELLED


@pytest.mark.parametrize("status", [BulletinStatus.DONE, BulletinStatus.CANCELLED, BulletinStatus.MISSED])
def test_only_pending_bulletins_can_be_cancelled(db: Session, seed: Seed, status: str) -> None:
    article = add_article_with_audio(db)
    bulletin = create_bulletin(db, **_args(seed, article.audio_id))
    bulletin.status = status
    db.commit()
    with pytest.raises(BulletinError, match="đang chờ phát"):
        cancel_bulletin(db, bulletin.id, now=NOW)
    db.rollback()
    db.expire_all()
    stored = db.get(Bulletin, bulletin.id)
    assert stored is not None and stored.status == status


def test_cancel_unknown_bulletin(db: Session, seed: Seed) -> None:
    with pytest.raises(BulletinError, match="Không tìm thấy"):
        cancel_bulletin(db, 424242, now=NOW)

"""Aired / not aired bulletins for the residents' page tests."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.orm import Session
from web_support import FakeAudioLibrary, Seed

from radio.db.models import (
    Article,
    ArticleStatus,
    AsRun,
    AudioAssetRow,
    Bulletin,
    BulletinStatus,
    BulletinTarget,
    CommandRow,
    Outcome,
)
from radio.db.types import utcnow


def add_airing(db: Session, seed: Seed, audio: FakeAudioLibrary, title: str, *,
               article_status: str = ArticleStatus.AIRED, outcome: str = Outcome.COMPLETED,
               bulletin_status: str = BulletinStatus.DONE, commune_id: int | None = None,
               start_at: datetime | None = None, article: Article | None = None, played_ms: int = 61_000,
               kind: str = "item") -> Article:
    """An article of Xã An Bình (or `commune_id`) and one bulletin of it that loa-dong-1 played (`outcome`)."""
    if article is None:
        stored = audio.synthesize(title)
        asset = AudioAssetRow(sha256=stored.sha256, duration_ms=61_000, size_bytes=stored.size_bytes,
                              engine="espeak-ng", voice="vi")
        article = Article(title=title, body="Nội dung.", status=article_status, audio=asset,
                          commune_id=commune_id or seed.commune_id)
        db.add(article)
        db.flush()
    start = start_at or utcnow() - timedelta(hours=1)
    bulletin = Bulletin(title=title, article_id=article.id, audio_id=article.audio_id, start_at=start,
                        status=bulletin_status, kind=kind)
    bulletin.targets.append(BulletinTarget(area_id=seed.village_dong_id))
    db.add(bulletin)
    db.flush()
    command = CommandRow(id=str(uuid.uuid4()), bulletin_id=bulletin.id, kind="play", topics=[], payload="{}",
                         issued_at=start, start_at=start, expires_at=start + timedelta(minutes=5))
    db.add(command)
    db.flush()
    db.add(AsRun(command_id=command.id, bulletin_id=bulletin.id, node_id="loa-dong-1", scheduled_start=start,
                 requested_ms=61_000, played_ms=played_ms if outcome != Outcome.MISSED else 0, outcome=outcome))
    db.commit()
    return article

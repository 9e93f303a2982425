"""What a commune's residents may hear again: bulletins that aired and whose article is approved.

Read by the public page and feed (web/public.py), which need no login, so every rule of what is public lives
here, in one query: an item appears only when
- it is an article item (not a programme jingle, not a bare upload without an article),
- its article still counts as approved (ArticleStatus.AIRABLE): an article sent back to review or rejected
  disappears at once, as does one whose bulletin was cancelled,
- at least one loudspeaker actually played it (an as-run row completed, or interrupted after some sound).
One entry per article (the newest airing): a warning re-aired every two hours is one item, not twelve.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import (
    Area,
    AreaLevel,
    Article,
    ArticleStatus,
    AsRun,
    AudioAssetRow,
    Bulletin,
    BulletinStatus,
    Outcome,
)

# The page lists at most this many items, and search looks through at most SCAN_LIMIT airings: bounded work
# for an unauthenticated request whatever the archive's size.
PAGE_LIMIT = 50
SCAN_LIMIT = 2000
MAX_QUERY_CHARS = 100


@dataclass(frozen=True)
class PublicItem:
    """One aired, approved article as a resident sees it."""

    article_id: int
    title: str
    aired_at: datetime  # UTC, the newest airing
    duration_ms: int
    size_bytes: int
    sha256: str


def find_commune(session: Session, code: str) -> Area | None:
    """The commune with this code (the public URLs name communes by their official code), else None."""
    if not code.isdigit() or len(code) > 16:
        return None
    return session.scalar(select(Area).where(Area.code == code, Area.level == AreaLevel.COMMUNE))


def fold(text: str) -> str:
    """Lower case without diacritics ("Bão số 3" → "bao so 3"): residents often type without accents."""
    text = text.casefold().replace("đ", "d")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _aired_airings(commune_id: int):  # type: ignore[no-untyped-def]  # a SQLAlchemy Select of row tuples
    aired = (
        select(AsRun.id)
        .where(AsRun.bulletin_id == Bulletin.id)
        .where((AsRun.outcome == Outcome.COMPLETED)
               | ((AsRun.outcome == Outcome.INTERRUPTED) & (AsRun.played_ms > 0)))
        .exists()
    )
    return (
        select(Article.id, Article.title, Bulletin.start_at, AudioAssetRow.duration_ms, AudioAssetRow.size_bytes,
               AudioAssetRow.sha256)
        .join(Bulletin, Bulletin.article_id == Article.id)
        .join(AudioAssetRow, AudioAssetRow.id == Bulletin.audio_id)
        .where(Article.commune_id == commune_id)
        .where(Article.status.in_(ArticleStatus.AIRABLE))
        .where(Bulletin.kind == "item")
        .where(Bulletin.status != BulletinStatus.CANCELLED)
        .where(aired)
        .order_by(Bulletin.start_at.desc(), Bulletin.id.desc())
        .limit(SCAN_LIMIT)
    )


def list_items(session: Session, commune_id: int, query: str = "", limit: int = PAGE_LIMIT) -> list[PublicItem]:
    """Aired, approved items of the commune, newest first, optionally those whose title contains `query`
    (ignoring case and diacritics)."""
    needle = fold(query.strip()[:MAX_QUERY_CHARS])
    items: list[PublicItem] = []
    seen: set[int] = set()
    for article_id, title, start_at, duration_ms, size_bytes, sha in session.execute(_aired_airings(commune_id)):
        if article_id in seen:
            continue
        seen.add(article_id)
        if needle and needle not in fold(title):
            continue
        items.append(PublicItem(article_id, title, start_at, duration_ms, size_bytes, sha))
        if len(items) >= limit:
            break
    return items


def find_item(session: Session, commune_id: int, article_id: int) -> PublicItem | None:
    """One public item by article id (for its audio), or None when it is not (or no longer) public."""
    stmt = _aired_airings(commune_id).where(Article.id == article_id).limit(1)
    row = session.execute(stmt).first()
    if row is None:
        return None
    return PublicItem(row[0], row[1], row[2], row[3], row[4], row[5])

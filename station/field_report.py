"""Bulletins counted by field category (lĩnh vực): the breakdown province monitors are asked for (issue 16)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from radio.db.models import Article, AsRun, Bulletin, BulletinStatus, FieldCategory
from station.isolation import Scope, condition, restrict

AIRED_OUTCOMES = ("completed", "interrupted")


@dataclass(frozen=True)
class FieldRow:
    """One field category (None: not classified) over a period."""

    category: str | None
    bulletins: int  # scheduled in the period, not cancelled
    aired: int  # of those, played by at least one loudspeaker
    loudspeaker_airings: int  # as-run rows that played
    played_ms: int


def field_rows(session: Session, scope: Scope, start: datetime, end: datetime) -> list[FieldRow]:
    """Per category, in the fixed order of FieldCategory then "not classified"; bulletins seen by `scope` only."""
    category = Article.field_category
    bulletins = restrict(
        select(category, Bulletin.id).join(Article, Article.id == Bulletin.article_id, isouter=True)
        .where(Bulletin.start_at >= start, Bulletin.start_at < end, Bulletin.kind == "item",
               Bulletin.status != BulletinStatus.CANCELLED), Bulletin, scope).subquery()
    counts = dict(session.execute(select(bulletins.c.field_category, func.count())
                                  .group_by(bulletins.c.field_category)).all())
    played = {row[0]: row[1:] for row in session.execute(
        select(bulletins.c.field_category, func.count(func.distinct(AsRun.bulletin_id)), func.count(AsRun.id),
               func.coalesce(func.sum(AsRun.played_ms), 0))
        .join(AsRun, AsRun.bulletin_id == bulletins.c.id)
        .where(AsRun.outcome.in_(AIRED_OUTCOMES), condition(AsRun, scope))
        .group_by(bulletins.c.field_category)).all()}
    rows = []
    for code in [*FieldCategory, None]:
        aired, airings, ms = played.get(code, (0, 0, 0))
        rows.append(FieldRow(code, int(counts.get(code, 0)), int(aired), int(airings), int(ms)))
    return rows

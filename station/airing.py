"""What a person should read as a bulletin's state: its stored status, corrected by what is playing now.

The stored status moves scheduled → dispatched → done when the scheduler closes the airing, so on its own it
says "dispatched" while the loudspeakers play, and "done" while a replay after an emergency still plays.
People want "playing" then: any loudspeaker reporting the item started (and not finished), or a dispatched
bulletin inside its air time.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from radio.db.models import Article, ArticleStatus, AsRun, Bulletin, BulletinStatus, Node, Outcome
from station.targets import descendant_area_ids

PLAYING = "playing"


def playing_ids(session: Session, bulletin_ids: Iterable[int]) -> set[int]:
    """The bulletins among these with a loudspeaker playing them now (an as-run row started, not ended)."""
    ids = list(set(bulletin_ids))
    if not ids:
        return set()
    return set(session.scalars(select(AsRun.bulletin_id).where(
        AsRun.bulletin_id.in_(ids), AsRun.outcome == Outcome.STARTED).distinct()))


def shown_status(bulletin: Bulletin, now: datetime, playing: set[int]) -> str:
    """The status to show: PLAYING while it plays, else the stored status."""
    if bulletin.status == BulletinStatus.CANCELLED:
        return bulletin.status
    if bulletin.id in playing:
        return PLAYING
    if bulletin.status == BulletinStatus.DISPATCHED and bulletin.start_at <= now:
        end = bulletin.start_at + timedelta(milliseconds=bulletin.audio.duration_ms if bulletin.audio else 0)
        if now < end:
            return PLAYING
    return bulletin.status


# An identical bulletin this close to the new one is most likely the same form sent twice.
SAME_SLOT = timedelta(hours=1)


def same_slot(session: Session, *, article_id: int | None, audio_id: int | None, start_at: datetime,
              area_ids: Iterable[int], node_ids: Iterable[str], window: timedelta = SAME_SLOT) -> list[Bulletin]:
    """Bulletins still to air with the same content around the same time on some of the same loudspeakers."""
    if article_id is None and audio_id is None:
        return []
    same_content = Bulletin.article_id == article_id if article_id is not None else Bulletin.audio_id == audio_id
    found = list(session.scalars(select(Bulletin).where(
        same_content, Bulletin.status.in_((BulletinStatus.SCHEDULED, BulletinStatus.DISPATCHED)),
        Bulletin.start_at >= start_at - window, Bulletin.start_at <= start_at + window)
        .order_by(Bulletin.start_at)))
    if not found:
        return []
    wanted_areas = descendant_area_ids(session, list(area_ids)) if area_ids else set()
    wanted_nodes = set(node_ids)
    out = []
    for b in found:
        areas = descendant_area_ids(session, [t.area_id for t in b.targets]) if b.targets else set()
        nodes = {t.node_id for t in b.node_targets}
        if areas & wanted_areas or nodes & wanted_nodes or (wanted_nodes and _in_areas(session, wanted_nodes, areas)) \
                or (nodes and _in_areas(session, nodes, wanted_areas)):
            out.append(b)
    return out


def _in_areas(session: Session, node_ids: set[str], area_ids: set[int]) -> bool:
    if not area_ids:
        return False
    return session.scalar(select(Node.id).where(Node.id.in_(node_ids), Node.village_id.in_(area_ids)).limit(1)) \
        is not None


def mark_aired(session: Session, bulletin_ids: Iterable[int]) -> int:
    """Articles of these finished bulletins that a loudspeaker played to the end move to "aired" (from approved
    or scheduled; an article edited since, back in draft or review, keeps its new status). Returns how many."""
    ids = list(bulletin_ids)
    if not ids:
        return 0
    played = select(Bulletin.article_id).join(AsRun, AsRun.bulletin_id == Bulletin.id).where(
        Bulletin.id.in_(ids), Bulletin.article_id.is_not(None), AsRun.outcome == Outcome.COMPLETED)
    result = session.execute(update(Article).where(
        Article.id.in_(played), Article.status.in_((ArticleStatus.APPROVED, ArticleStatus.SCHEDULED)))
        .values(status=ArticleStatus.AIRED).execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)

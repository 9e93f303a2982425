"""What each role has to do today (the home page, "Việc hôm nay"), read through the isolation table.

Every query here takes the user's isolation scope (station.isolation: a set of area ids, None for national
accounts) and filters with `restrict`, exactly as the lists and the API do, so the home page never shows
another commune's article, bulletin or loudspeaker. `now` is passed in; nothing here commits.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from radio.db.models import (
    Area,
    AreaLevel,
    Article,
    AsRun,
    Bulletin,
    BulletinStatus,
    BulletinTarget,
    Node,
    Outcome,
)
from station.accounting import periods
from station.accounting.dashboard import area_dashboard, commune_dashboard
from station.accounting.queries import area_scope
from station.isolation import Scope, restrict

LIST_LIMIT = 10
# A loudspeaker silent for longer than this is listed as offline even if its last status said online
# (its last will may have been lost with the broker).
SILENT_AFTER = timedelta(minutes=10)


def articles_in(session: Session, scope: Scope, status: str, limit: int = LIST_LIMIT) -> list[Article]:
    """The scope's articles in one approval status, most recently changed first."""
    query = select(Article).where(Article.status == status).options(selectinload(Article.audio))
    return list(session.scalars(restrict(query, Article, scope)
                                .order_by(Article.updated_at.desc(), Article.id.desc()).limit(limit)))


def count_articles(session: Session, scope: Scope, status: str) -> int:
    query = select(func.count()).select_from(Article).where(Article.status == status)
    return int(session.scalar(restrict(query, Article, scope)) or 0)


def _with_targets(scope: Scope):  # type: ignore[no-untyped-def]
    return restrict(select(Bulletin), Bulletin, scope).options(
        selectinload(Bulletin.targets).joinedload(BulletinTarget.area), selectinload(Bulletin.audio))


def airing_next(session: Session, scope: Scope, now: datetime, limit: int = 5) -> list[Bulletin]:
    """Bulletins still to air (or airing now), soonest first; cancelled ones are not coming."""
    query = _with_targets(scope).where(
        Bulletin.status.in_((BulletinStatus.SCHEDULED, BulletinStatus.DISPATCHED)),
        Bulletin.start_at >= now - timedelta(hours=1))
    rows = session.scalars(query.order_by(Bulletin.start_at, Bulletin.position, Bulletin.id).limit(limit * 2)).all()
    # A dispatched bulletin an hour old is over unless it is still playing: keep those whose end is ahead.
    return [b for b in rows if b.start_at + timedelta(milliseconds=b.audio.duration_ms) >= now][:limit]


@dataclass
class AiredToday:
    """One bulletin of today with the outcome of its airing on the scope's loudspeakers."""

    bulletin: Bulletin
    outcomes: Counter[str] = field(default_factory=Counter)

    @property
    def nodes(self) -> int:
        return sum(self.outcomes.values())

    @property
    def completed(self) -> int:
        return self.outcomes[Outcome.COMPLETED]

    @property
    def playing(self) -> bool:
        return self.outcomes[Outcome.STARTED] > 0

    @property
    def problems(self) -> int:
        return sum(n for o, n in self.outcomes.items() if o not in (Outcome.COMPLETED, Outcome.STARTED,
                                                                      Outcome.PENDING))


def day_bounds(now: datetime, tz: ZoneInfo) -> tuple[datetime, datetime]:
    """Midnight to midnight of the local day containing `now`, in UTC (the calendar day people mean)."""
    local = now.astimezone(tz)
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    return start.astimezone(now.tzinfo), (start + timedelta(days=1)).astimezone(now.tzinfo)


def aired_today(session: Session, scope: Scope, now: datetime, tz: ZoneInfo, limit: int = LIST_LIMIT
                ) -> list[AiredToday]:
    """Today's bulletins that have started, latest first, with their as-run outcomes counted per final attempt.

    Only the scope's loudspeakers are counted (a bulletin shared with another commune shows ours only)."""
    start, _end = day_bounds(now, tz)
    bulletins = session.scalars(_with_targets(scope).where(
        Bulletin.start_at >= start, Bulletin.start_at <= now, Bulletin.status != BulletinStatus.CANCELLED)
        .order_by(Bulletin.start_at.desc(), Bulletin.id.desc()).limit(limit)).all()
    found = {b.id: AiredToday(b) for b in bulletins}
    if found:
        rows = session.execute(restrict(
            select(AsRun.bulletin_id, AsRun.node_id, AsRun.attempt, AsRun.outcome)
            .where(AsRun.bulletin_id.in_(found)), AsRun, scope).order_by(AsRun.attempt)).all()
        last: dict[tuple[int, str], str] = {}
        for bulletin_id, node_id, _attempt, outcome in rows:
            last[(bulletin_id, node_id)] = outcome  # a replay (attempt 2) decides the node's outcome
        for (bulletin_id, _node), outcome in last.items():
            found[bulletin_id].outcomes[outcome] += 1
    return [found[b.id] for b in bulletins]


def offline_nodes(session: Session, scope: Scope, now: datetime, limit: int = 50) -> list[Node]:
    """Loudspeakers that are offline or have not been heard from recently, the longest silent first."""
    silent = (Node.online.is_(False)) | (Node.last_seen_at.is_(None)) | (Node.last_seen_at < now - SILENT_AFTER)
    query = restrict(select(Node).where(silent), Node, scope).options(selectinload(Node.village))
    return list(session.scalars(query.order_by(Node.last_seen_at.is_not(None), Node.last_seen_at, Node.id)
                                .limit(limit)))


def count_offline_nodes(session: Session, scope: Scope, now: datetime) -> int:
    silent = (Node.online.is_(False)) | (Node.last_seen_at.is_(None)) | (Node.last_seen_at < now - SILENT_AFTER)
    return int(session.scalar(restrict(select(func.count()).select_from(Node).where(silent), Node, scope)) or 0)


@dataclass(frozen=True)
class BehindCommune:
    """A commune behind the pace of one of its plan targets: what was expected by today and what aired."""

    commune: Area
    metric: str
    actual: float
    expected: float
    target: float


def _roots(session: Session, user_area_id: int | None) -> list[Area]:
    """The provinces or communes a monitor answers for (a national account: every province)."""
    if user_area_id is None:
        return list(session.scalars(select(Area).where(Area.level == AreaLevel.PROVINCE).order_by(Area.code)))
    area = session.get(Area, user_area_id)
    if area is not None and area.level == AreaLevel.VILLAGE:
        area = area.parent
    return [area] if area is not None else []


def communes_behind(session: Session, user_area_id: int | None, now: datetime, tz: ZoneInfo) -> list[BehindCommune]:
    """Communes behind the pace of a plan target in force today, from the same rollups as the dashboards."""
    today = periods.local_today(now, tz)
    out: list[BehindCommune] = []
    for root in _roots(session, user_area_id):
        if root.level == AreaLevel.COMMUNE:
            standings = [(root, p) for p in commune_dashboard(session, root, today, now).progress]
        else:
            board = area_dashboard(session, root, area_scope(session, root), today, now)
            standings = [(line.commune, t) for line in board.lines for t in line.targets]
        for commune, s in standings:
            if not s.on_track:
                out.append(BehindCommune(commune, s.target.metric, s.actual, s.expected_by_today, s.target.value))
    # The furthest behind first (share of the expected amount still missing).
    return sorted(out, key=lambda b: (b.actual / b.expected) if b.expected else 1.0)

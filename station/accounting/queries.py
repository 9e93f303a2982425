"""Reading the accounting: rollups for communes and above, as-run rows (through the rules) for villages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, case, func, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from radio.db.models import Area, AreaLevel, AsRun, Bulletin, DistrictGroup, DistrictMember, Node
from radio.db.planning import (
    CommuneArticleMonthRollup,
    CommuneBulletinRollup,
    CommuneDayRollup,
    CommuneMonthRollup,
)
from station.accounting.periods import LOCAL_TZ, Period, weeks
from station.accounting.rules import Fact, Figures, fold, reason_of
from station.accounting.sql import L3_COLUMNS

SUMMED = [c for c in L3_COLUMNS if c not in ("commune_id", "day", "topic_id", "province_id")]


@dataclass(frozen=True)
class Scope:
    """The communes an area or district grouping stands for, and the dates the grouping is valid."""

    label: str
    commune_ids: tuple[int, ...]
    province_id: int | None = None  # set when the scope is a whole province (reads its rollup index)
    valid_from: date | None = None
    valid_to: date | None = None


def area_scope(session: Session, area: Area) -> Scope:
    if area.level == AreaLevel.PROVINCE:
        ids = session.scalars(select(Area.id).where(Area.parent_id == area.id).order_by(Area.code)).all()
        return Scope(area.name, tuple(ids), province_id=area.id)
    if area.level == AreaLevel.COMMUNE:
        return Scope(area.name, (area.id,))
    return Scope(area.name, (area.parent_id,) if area.parent_id else ())


def district_scope(session: Session, district: DistrictGroup) -> Scope:
    ids = session.scalars(select(DistrictMember.commune_id).where(DistrictMember.district_id == district.id)).all()
    return Scope(district.name, tuple(sorted(ids)), valid_from=district.valid_from, valid_to=district.valid_to)


def scope_commune_ids(scope: Scope) -> Sequence[int] | Select:
    """The scope's communes, for an IN: a subquery for a whole province. Its 100-300 commune ids as bound values
    made each statement cost more to build and parse in Python than the database spent running it."""
    if scope.province_id is not None:
        return select(Area.id).where(Area.parent_id == scope.province_id)
    return scope.commune_ids or (-1,)


def _where(model: type, scope: Scope) -> list:
    conds = []
    if scope.province_id is not None:
        conds.append(model.province_id == scope.province_id)  # type: ignore[attr-defined]
    else:
        conds.append(model.commune_id.in_(scope.commune_ids or (-1,)))  # type: ignore[attr-defined]
    return conds


def commune_figures(session: Session, scope: Scope, period: Period, topic_id: int = 0) -> dict[int, Figures]:
    """Figures per commune over the period (local dates): the whole months inside it from acct_commune_month, the
    days before and after them from acct_commune_day, and the article masks."""
    clipped = period.clip(scope.valid_from, scope.valid_to)
    if clipped is None:
        return {}
    day_ranges, months = split_months(clipped.start, clipped.end)
    r, m = CommuneDayRollup, CommuneMonthRollup
    parts: list[Select] = [
        select(r.commune_id, *(getattr(r, c) for c in SUMMED))
        .where(*_where(r, scope), r.topic_id == topic_id, r.day >= lo, r.day <= hi) for lo, hi in day_ranges]
    if months:
        parts.append(select(m.commune_id, *(getattr(m, c) for c in SUMMED))
                     .where(*_where(m, scope), m.topic_id == topic_id, m.month >= months[0], m.month <= months[1]))
    # One statement, the sources' rows appended and summed per commune: each branch is a range read of its own
    # index, and PostgreSQL aggregates the few thousand rows in one pass, where a statement per source would add a
    # round trip and a second statement to build, and a merge in Python.
    rows_of = union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    rows = session.execute(
        select(rows_of.c.commune_id, *(func.sum(rows_of.c[c]) for c in SUMMED)).group_by(rows_of.c.commune_id)
    ).all()
    out: dict[int, Figures] = {}
    for row in rows:
        out[row[0]] = Figures(**{c: int(v or 0) for c, v in zip(SUMMED, row[1:], strict=True)})
    for commune_id, count in article_counts(session, scope, clipped, topic_id):
        out.setdefault(commune_id, Figures()).articles_aired = count
    return out


def split_months(start: date, end: date) -> tuple[list[tuple[date, date]], tuple[date, date] | None]:
    """[start, end] as the day ranges outside whole months (both ends inclusive, at most two) and the first and
    last of the whole months inside it (None when there is none)."""
    first = start if start.day == 1 else _next_month(start)
    after = end + timedelta(days=1)
    stop = after if after.day == 1 else end.replace(day=1)  # the first day after the whole months
    if first >= stop:
        return [(start, end)], None
    days = ([(start, first - timedelta(days=1))] if start < first else []) + ([(stop, end)] if stop <= end else [])
    return days, (first, _previous_month(stop))


def _next_month(d: date) -> date:
    return date(d.year + d.month // 12, d.month % 12 + 1, 1)


def _previous_month(first_day: date) -> date:
    return (first_day - timedelta(days=1)).replace(day=1)


def _month_start(d: date) -> date:
    return d.replace(day=1)


def _mask(first: int, last: int) -> int:
    return ((1 << last) - 1) & ~((1 << (first - 1)) - 1)


def article_counts(session: Session, scope: Scope, period: Period, topic_id: int = 0) -> list[tuple[int, int]]:
    """Per commune, the distinct articles that played successfully on some day of the period."""
    from radio.db.planning import ArticleTopic

    m = CommuneArticleMonthRollup
    first_m, last_m = _month_start(period.start), _month_start(period.end)
    full = _mask(1, 31)
    if first_m == last_m:
        mask_expr = case((m.month == first_m, _mask(period.start.day, period.end.day)), else_=0)
    else:
        mask_expr = case((m.month == first_m, _mask(period.start.day, 31)),
                         (m.month == last_m, _mask(1, period.end.day)), else_=full)
    query: Select = (select(m.commune_id, func.count(func.distinct(m.article_id)))
                     .where(*_where(m, scope), m.month >= first_m, m.month <= last_m,
                            m.days_mask.op("&")(mask_expr) != 0)
                     .group_by(m.commune_id))
    if topic_id:
        query = query.join(ArticleTopic, and_(ArticleTopic.article_id == m.article_id,
                                              ArticleTopic.topic_id == topic_id))
    return [(c, a) for c, a in session.execute(query)]


def daily_airtime(session: Session, scope: Scope, period: Period, topic_id: int = 0) -> dict[date, int]:
    r = CommuneDayRollup
    rows = session.execute(
        select(r.day, func.sum(r.airtime_played_ms))
        .where(*_where(r, scope), r.topic_id == topic_id, r.day >= period.start, r.day <= period.end)
        .group_by(r.day)
    ).all()
    return {d: int(v or 0) for d, v in rows}


def weekly_airtime(session: Session, scope: Scope, period: Period, topic_id: int = 0) -> list[tuple[Period, int]]:
    daily = daily_airtime(session, scope, period, topic_id)
    return [(w, sum(v for d, v in daily.items() if w.start <= d <= w.end)) for w in weeks(period.start, period.end)]


def missed_bulletins(session: Session, scope: Scope, period: Period, limit: int = 20) -> list[tuple]:
    """Bulletins sent to a commune that no loudspeaker there completed, newest first."""
    cb = CommuneBulletinRollup
    return list(session.execute(
        select(cb.day, cb.commune_id, cb.bulletin_id, Bulletin.title, cb.missed, cb.failed, cb.interrupted,
               cb.rejected, cb.nodes_targeted)
        .join(Bulletin, Bulletin.id == cb.bulletin_id)
        .where(*_where(cb, scope), cb.nodes_completed == 0, cb.day >= period.start, cb.day <= period.end,
               cb.kind == "item", cb.nodes_targeted > 0, cb.open == 0)
        .order_by(cb.day.desc(), cb.bulletin_id.desc()).limit(limit)
    ).all())


# --- village level and drill-down: as_run rows through the rules -------------------------------------------
def _fact_query(period: Period) -> Select:
    village = aliased(Area)
    lo, hi = period.utc_bounds()
    return (select(AsRun, Node.village_id, village.parent_id, Bulletin.kind, Bulletin.priority, Bulletin.article_id)
            .join(Node, Node.id == AsRun.node_id).join(village, village.id == Node.village_id)
            .join(Bulletin, Bulletin.id == AsRun.bulletin_id)
            .where(AsRun.scheduled_start >= lo, AsRun.scheduled_start < hi))


def facts(session: Session, period: Period, *, commune_ids: Sequence[int] = (), village_ids: Sequence[int] = (),
          node_ids: Sequence[str] = ()) -> list[Fact]:
    query = _fact_query(period)
    if village_ids:
        query = query.where(Node.village_id.in_(village_ids))
    elif commune_ids:
        vids = select(Area.id).where(Area.parent_id.in_(commune_ids))
        query = query.where(Node.village_id.in_(vids))
    if node_ids:
        query = query.where(AsRun.node_id.in_(node_ids))
    out = []
    for row, village_id, commune_id, kind, priority, article_id in session.execute(query):
        out.append(Fact(
            bulletin_id=row.bulletin_id, node_id=row.node_id, village_id=village_id, commune_id=commune_id,
            outcome=row.outcome, requested_ms=row.requested_ms, played_ms=row.played_ms,
            day=row.scheduled_start.astimezone(LOCAL_TZ).date(), attempt=row.attempt,
            scheduled_ms=int(row.scheduled_start.timestamp() * 1000), started_at_ms=row.started_at_ms, kind=kind,
            priority=priority, article_id=article_id, detail=row.detail))
    return out


def village_figures(session: Session, commune_id: int, period: Period) -> dict[int, Figures]:
    return {int(k): v for k, v in fold(facts(session, period, commune_ids=[commune_id]),
                                        key=lambda f: f.village_id).items()}  # type: ignore[arg-type]


def reasons(session: Session, commune_ids: Sequence[int], period: Period) -> list[tuple[str, str, int]]:
    """(outcome, reason, loudspeaker count) for missed / interrupted / failed / rejected rows, most frequent first."""
    lo, hi = period.utc_bounds()
    vids = select(Area.id).where(Area.parent_id.in_(commune_ids or (-1,)))
    rows = session.execute(
        select(AsRun.outcome, AsRun.detail)
        .join(Node, Node.id == AsRun.node_id)
        .where(Node.village_id.in_(vids), AsRun.scheduled_start >= lo, AsRun.scheduled_start < hi,
               AsRun.outcome.in_(("missed", "interrupted", "failed", "rejected")))
    ).all()
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for outcome, detail in rows:
        counts[(outcome, reason_of(outcome, detail))] += 1
    return sorted(((o, r, n) for (o, r), n in counts.items()), key=lambda t: (-t[2], t[0], t[1]))


# --- node health ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Health:
    nodes: int
    online: int
    uptime: float | None  # share of the window the nodes were online, from their status changes


def node_health(session: Session, commune_ids: Sequence[int] | Select, now: datetime,
                window: timedelta = timedelta(days=7)) -> dict[int, Health]:
    """commune_ids: ids, or a subquery of them (scope_commune_ids)."""
    from radio.db.planning import NodeStatusChange

    village = aliased(Area)
    in_scope = village.parent_id.in_(commune_ids if isinstance(commune_ids, Select) else (commune_ids or (-1,)))
    nodes = session.execute(
        select(Node.id, Node.online, village.parent_id).join(village, village.id == Node.village_id).where(in_scope)
    ).all()
    start = now - window
    changes: dict[str, list[tuple[datetime, bool]]] = defaultdict(list)
    # The scope's nodes as a subquery, not as a list of their ids: a province has thousands of nodes, and a list of
    # bound ids cost the dashboard more time (building and parsing the statement) than the database spent on it.
    scoped = select(Node.id).join(village, village.id == Node.village_id).where(in_scope).scalar_subquery()
    last_before = (select(NodeStatusChange.node_id, func.max(NodeStatusChange.at).label("at"))
                   .where(NodeStatusChange.node_id.in_(scoped), NodeStatusChange.at < start)
                   .group_by(NodeStatusChange.node_id).subquery())
    for node_id, at, online in session.execute(
        select(NodeStatusChange.node_id, NodeStatusChange.at, NodeStatusChange.online)
        .outerjoin(last_before, and_(last_before.c.node_id == NodeStatusChange.node_id,
                                     last_before.c.at == NodeStatusChange.at))
        .where(NodeStatusChange.node_id.in_(scoped),
               or_(NodeStatusChange.at >= start, last_before.c.at.is_not(None)))
        .order_by(NodeStatusChange.node_id, NodeStatusChange.at)
    ):
        changes[node_id].append((at, online))
    per: dict[int, list[tuple[int, float | None]]] = defaultdict(list)
    for node_id, online, commune_id in nodes:
        per[commune_id].append((int(bool(online)), uptime_share(changes.get(node_id, []), start, now)))
    out = {}
    for commune_id, items in per.items():
        known = [u for _o, u in items if u is not None]
        out[commune_id] = Health(len(items), sum(o for o, _u in items),
                                 sum(known) / len(known) if known else None)
    return out


def uptime_share(changes: list[tuple[datetime, bool]], start: datetime, end: datetime) -> float | None:
    """Share of [start, end) spent online, given ordered status changes; None when nothing is known."""
    if not changes:
        return None
    online_s = 0.0
    state: bool | None = None
    since = start
    for at, online in changes:
        at = max(at, start)
        if state:
            online_s += (at - since).total_seconds()
        state, since = online, at
    if state:
        online_s += (end - since).total_seconds()
    known_from = max(start, changes[0][0])
    span = (end - known_from).total_seconds()
    return min(1.0, online_s / span) if span > 0 else None

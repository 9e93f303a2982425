"""What the dashboards show, computed from the rollups (never a scan of as_run at province scale)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, selectinload

from radio.db.models import Area, AreaLevel, Bulletin, BulletinNodeTarget, BulletinTarget, DistrictGroup, Node
from radio.db.planning import Metric, Plan, PlanTarget
from station.accounting import periods
from station.accounting.periods import Period
from station.accounting.progress import Progress, TargetStanding, actual, target_period, target_progress
from station.accounting.queries import (
    Health,
    Scope,
    commune_figures,
    missed_bulletins,
    node_health,
    scope_commune_ids,
    village_figures,
    weekly_airtime,
)
from station.accounting.rules import Figures, total


@dataclass(frozen=True)
class CommuneTarget(TargetStanding):
    """One commune's standing on one target, for the province and district dashboards."""


@dataclass
class CommuneLine:
    commune: Area
    figures: Figures
    health: Health | None
    targets: list[CommuneTarget] = field(default_factory=list)

    @property
    def behind(self) -> bool:
        return any(not t.on_track for t in self.targets)


@dataclass
class AreaDashboard:
    scope: Scope
    period: Period
    today: date
    lines: list[CommuneLine]
    totals: Figures
    weekly: list[tuple[Period, int]]
    weekly_target_ms: float | None  # the airtime target spread over weeks, for the chart's line
    missed: list[tuple]


def active_plans(session: Session, area_ids: Sequence[int], today: date) -> list[Plan]:
    """Plans in force today with a target on one of these areas (or issued for one of them)."""
    ids = list(area_ids) or [-1]
    return list(session.scalars(
        select(Plan).options(selectinload(Plan.targets))
        .where(Plan.period_start <= today, Plan.period_end >= today,
               or_(Plan.area_id.in_(ids), Plan.id.in_(select(PlanTarget.plan_id).where(PlanTarget.area_id.in_(ids)))))
        .order_by(Plan.period_start, Plan.id)
    ))


def _for_whole(t: PlanTarget, plan: Plan, area_id: int | None, district_id: int | None) -> bool:
    """Is the target set on the dashboard's own area (or district grouping)?"""
    if district_id is not None:
        return t.district_id == district_id
    return t.district_id is None and (t.area_id or plan.area_id) == area_id


def per_commune_targets(session: Session, plans: list[Plan], scope: Scope, area_id: int | None,
                        today: date, known: dict[tuple[date, date, int], dict[int, Figures]] | None = None,
                        district_id: int | None = None) -> dict[int, list[CommuneTarget]]:
    """Targets that apply to each commune: scoped to the commune itself, or "each commune" of the area."""
    cache = dict(known or {})
    out: dict[int, list[CommuneTarget]] = {c: [] for c in scope.commune_ids}
    for plan in plans:
        for t in plan.targets:
            tarea = t.area_id or plan.area_id
            if t.each_commune and _for_whole(t, plan, area_id, district_id):
                communes = list(scope.commune_ids)
            elif tarea in out:
                communes = [tarea]
            else:
                continue
            p = target_period(t, plan, today)
            key = (p.start, p.end, t.topic_id or 0)
            if key not in cache:
                cache[key] = commune_figures(session, scope, p, t.topic_id or 0)
            for cid in communes:
                fig = cache[key].get(cid, Figures())
                value = actual(t.metric, fig)
                expected = t.value if t.metric == Metric.COVERAGE else t.value * p.elapsed_fraction(today)
                out[cid].append(CommuneTarget(t, p, value, expected))
    return out


def area_dashboard(session: Session, area: Area | DistrictGroup, scope: Scope, today: date, now: datetime,
                   period: Period | None = None) -> AreaDashboard:
    """Province or district grouping: communes with figures, progress and pace, health, weekly chart, missed."""
    period = period or periods.containing("year", today)
    figs = commune_figures(session, scope, period)
    communes = {a.id: a for a in session.scalars(select(Area).where(Area.id.in_(scope_commune_ids(scope))))}
    health = node_health(session, scope_commune_ids(scope), now)
    district_id = area.id if isinstance(area, DistrictGroup) else None
    area_id = None if district_id else area.id
    if district_id is not None:
        plans = [p for p in active_plans(session, [area.province_id, *scope.commune_ids], today)  # type: ignore[union-attr]
                 if any(t.district_id == district_id for t in p.targets)]
    else:
        plans = active_plans(session, [area.id], today)
    targets = per_commune_targets(session, plans, scope, area_id, today, {(period.start, period.end, 0): figs},
                                  district_id)
    lines = [CommuneLine(communes[c], figs.get(c, Figures()), health.get(c), targets.get(c, []))
             for c in scope.commune_ids if c in communes]
    to_date = Period(period.start, min(period.end, today), period.label)
    weekly = weekly_airtime(session, scope, to_date)
    return AreaDashboard(scope, period, today, lines, total(figs.values()), weekly,
                         _weekly_airtime_target(plans, area_id, district_id, len(scope.commune_ids), today),
                         missed_bulletins(session, scope, period))


def _weekly_airtime_target(plans: list[Plan], area_id: int | None, district_id: int | None, communes: int,
                           today: date) -> float | None:
    for plan in plans:
        for t in plan.targets:
            if t.metric == Metric.AIRTIME_MINUTES and _for_whole(t, plan, area_id, district_id) and not t.topic_id:
                p = target_period(t, plan, today)
                value = t.value * (communes if t.each_commune else 1)
                return value * 60_000 / (p.days / 7)
    return None


@dataclass
class CommuneDashboard:
    commune: Area
    week: Period
    schedule: list[Bulletin]
    week_figures: Figures
    villages: list[tuple[Area, Figures]]
    progress: list[Progress | CommuneTarget]
    weekly: list[tuple[Period, int]]
    weekly_target_ms: float | None
    health: Health | None


def week_of(today: date) -> Period:
    monday = today - timedelta(days=today.weekday())
    return Period(monday, monday + timedelta(days=6), f"Tuần {monday:%d/%m} – {monday + timedelta(days=6):%d/%m/%Y}")


def commune_schedule(session: Session, commune: Area, week: Period) -> list[Bulletin]:
    lo, hi = week.utc_bounds()
    village_ids = select(Area.id).where(Area.parent_id == commune.id)
    node_ids = select(Node.id).where(Node.village_id.in_(village_ids))
    targeted = or_(
        Bulletin.id.in_(select(BulletinTarget.bulletin_id).where(
            or_(BulletinTarget.area_id == commune.id, BulletinTarget.area_id.in_(village_ids)))),
        Bulletin.id.in_(select(BulletinNodeTarget.bulletin_id).where(BulletinNodeTarget.node_id.in_(node_ids))),
    )
    return list(session.scalars(select(Bulletin).where(Bulletin.start_at >= lo, Bulletin.start_at < hi, targeted)
                                .order_by(Bulletin.start_at, Bulletin.position, Bulletin.id)))


def commune_dashboard(session: Session, commune: Area, today: date, now: datetime) -> CommuneDashboard:
    assert commune.level == AreaLevel.COMMUNE
    week = week_of(today)
    scope = Scope(commune.name, (commune.id,))
    villages = village_figures(session, commune.id, week)
    village_rows = list(session.scalars(select(Area).where(Area.parent_id == commune.id).order_by(Area.code)))
    week_fig = commune_figures(session, scope, week).get(commune.id, Figures())
    own_plans = active_plans(session, [commune.id, commune.parent_id or -1], today)
    progress: list[Progress | CommuneTarget] = []
    for plan in own_plans:
        for t in plan.targets:
            if (t.area_id or plan.area_id) == commune.id and not t.each_commune:
                progress.append(target_progress(session, t, plan, today))
    for items in per_commune_targets(session, own_plans, scope, commune.parent_id, today).values():
        progress.extend(i for i in items if i.target.each_commune)
    quarter = periods.containing("quarter", today)
    weekly = weekly_airtime(session, scope, Period(quarter.start, min(quarter.end, today), quarter.label))
    target_ms = None
    for item in progress:
        t = item.target
        if t.metric == Metric.AIRTIME_MINUTES and not t.topic_id:
            target_ms = t.value * 60_000 / (item.period.days / 7)
            break
    health = node_health(session, [commune.id], now).get(commune.id)
    return CommuneDashboard(commune, week, commune_schedule(session, commune, week), week_fig,
                            [(v, villages.get(v.id, Figures())) for v in village_rows], progress, weekly, target_ms,
                            health)

"""Progress of plan targets: the period a target covers, what aired, and the pace expected by today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from radio.db.models import Area, AreaLevel, DistrictGroup
from radio.db.planning import Metric, PeriodKind, Plan, PlanTarget
from station.accounting import periods
from station.accounting.periods import Period
from station.accounting.queries import Scope, area_scope, commune_figures, district_scope, village_figures
from station.accounting.rules import Figures, total


def actual(metric: str, fig: Figures) -> float:
    if metric == Metric.AIRTIME_MINUTES:
        return fig.airtime_minutes
    if metric == Metric.BULLETINS:
        return float(fig.bulletins_played)
    if metric == Metric.ARTICLES:
        return float(fig.articles_aired)
    if metric == Metric.COVERAGE:
        return 100.0 * (fig.coverage or 0.0)
    raise ValueError(metric)


def target_period(target: PlanTarget, plan: Plan, today: date) -> Period:
    """The period the target is measured over now: a recurring target uses the one containing today."""
    whole = Period(plan.period_start, plan.period_end, f"{plan.period_start:%d/%m/%Y} – {plan.period_end:%d/%m/%Y}")
    if target.period_kind == PeriodKind.PLAN:
        return whole
    anchor = target.period_start or plan.period_start
    if target.recurring:
        anchor = min(max(today, plan.period_start), plan.period_end)
    p = periods.containing(target.period_kind, anchor)
    return p.clip(plan.period_start, plan.period_end) or p if target.recurring else p


@dataclass(frozen=True)
class TargetStanding:
    """A target's actual value against the value expected by today (the target pro rata to time passed)."""

    target: PlanTarget
    period: Period
    actual: float
    expected_by_today: float

    @property
    def ratio(self) -> float | None:
        return self.actual / self.target.value if self.target.value else None

    @property
    def on_track(self) -> bool:
        # Coverage is a share, not a running total: it has no pace, only the target itself.
        if self.target.metric == Metric.COVERAGE:
            return self.actual >= self.target.value
        return self.actual >= self.expected_by_today


@dataclass(frozen=True)
class Progress(TargetStanding):
    scope_label: str = ""
    figures: Figures | None = None


def target_scope(session: Session, target: PlanTarget, plan: Plan) -> tuple[Scope, int | None]:
    """The communes the target counts (and a village id when it is scoped to one village)."""
    if target.district_id is not None:
        district = session.get(DistrictGroup, target.district_id)
        if district is not None:
            return district_scope(session, district), None
    area = session.get(Area, target.area_id or plan.area_id or -1)
    if area is None:
        return Scope("—", ()), None
    if area.level == AreaLevel.VILLAGE:
        return Scope(area.name, (area.parent_id,) if area.parent_id else ()), area.id
    return area_scope(session, area), None


def figures_for(session: Session, scope: Scope, period: Period, topic_id: int | None,
                village_id: int | None = None) -> Figures:
    if village_id is not None:
        per_village = village_figures(session, scope.commune_ids[0], period) if scope.commune_ids else {}
        return per_village.get(village_id, Figures())
    return total(commune_figures(session, scope, period, topic_id or 0).values())


def target_progress(session: Session, target: PlanTarget, plan: Plan, today: date) -> Progress:
    period = target_period(target, plan, today)
    scope, village_id = target_scope(session, target, plan)
    fig = figures_for(session, scope, period, target.topic_id, village_id)
    value = actual(target.metric, fig)
    expected = target.value if target.metric == Metric.COVERAGE else target.value * period.elapsed_fraction(today)
    return Progress(target, period, value, expected, scope_label=scope.label, figures=fig)


def plan_progress(session: Session, plan: Plan, today: date) -> list[Progress]:
    return [target_progress(session, t, plan, today) for t in plan.targets]

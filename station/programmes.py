"""Recurring programmes: slot occurrences in local time and back-to-back planning of their items (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

from radio.protocol import Priority

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ITEM_GAP = timedelta(seconds=1)
PRIORITY_FIRST = (Priority.EMERGENCY, Priority.PRIORITY)


def occurrences(local_time: time, days: str, after: datetime, until: datetime, *,
                valid_from: date | None = None, valid_to: date | None = None, tz: ZoneInfo = TZ) -> list[datetime]:
    """Start times (aware) of a slot in [after, until]. `days` uses names (mon-fri, sat,sun): APScheduler's
    numeric day_of_week counts from Monday even in crontab strings (TECH_NOTES), so numbers are refused."""
    if any(ch.isdigit() for ch in days):
        raise ValueError("days must use day names (mon, tue, ..., sun), not numbers")
    start_date = datetime.combine(valid_from, time(0), tz) if valid_from else None
    end_date = datetime.combine(valid_to, time(23, 59, 59), tz) if valid_to else None
    trigger = CronTrigger(day_of_week=days, hour=local_time.hour, minute=local_time.minute,
                          second=local_time.second, timezone=tz, start_date=start_date, end_date=end_date)
    found: list[datetime] = []
    previous = None
    now = after - timedelta(microseconds=1)
    while len(found) < 1000:
        fire = trigger.get_next_fire_time(previous, now)
        if fire is None or fire > until:
            break
        if fire >= after:
            found.append(fire)
        previous = fire
        now = fire
    return found


@dataclass(frozen=True)
class PlanItem:
    key: int  # bulletin id (or any stable key)
    kind: str  # "sign_on" | "item" | "sign_off"
    priority: str
    position: int
    duration_ms: int


def order_items(items: Sequence[PlanItem]) -> list[PlanItem]:
    """Sign-on, then priority items (TT39: first in the programme), then the rest by position, then sign-off."""
    def rank(item: PlanItem) -> tuple[int, int, int, int]:
        kind_rank = {"sign_on": 0, "item": 1, "sign_off": 2}[item.kind]
        return kind_rank, 0 if item.priority in PRIORITY_FIRST else 1, item.position, item.key

    return sorted(items, key=rank)


def plan_occurrence(start: datetime, items: Sequence[PlanItem], gap: timedelta = ITEM_GAP) -> dict[int, datetime]:
    """Absolute start of each item, back to back from the slot start."""
    starts: dict[int, datetime] = {}
    t = start
    for item in order_items(items):
        starts[item.key] = t
        t = t + timedelta(milliseconds=item.duration_ms) + gap
    return starts

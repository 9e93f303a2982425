"""Reporting periods in local time: months, quarters, halves, years and a plan's own dates."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
QUARTER_NAMES = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Period:
    """Local dates, both inclusive."""

    start: date
    end: date
    label: str

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def utc_bounds(self, tz: ZoneInfo = LOCAL_TZ) -> tuple[datetime, datetime]:
        """[local midnight of start, local midnight after end) in UTC."""
        lo = datetime.combine(self.start, time(0), tz).astimezone(UTC)
        hi = datetime.combine(self.end + timedelta(days=1), time(0), tz).astimezone(UTC)
        return lo, hi

    def elapsed_fraction(self, today: date) -> float:
        """How much of the period has passed by the end of `today` (the pace a target is held to)."""
        if today < self.start:
            return 0.0
        if today >= self.end:
            return 1.0
        return ((today - self.start).days + 1) / self.days

    def clip(self, lo: date | None, hi: date | None) -> Period | None:
        start = max(self.start, lo) if lo else self.start
        end = min(self.end, hi) if hi else self.end
        return Period(start, end, self.label) if start <= end else None


def _month_end(d: date) -> date:
    nxt = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def month(year: int, m: int) -> Period:
    start = date(year, m, 1)
    return Period(start, _month_end(start), f"Tháng {m}/{year}")


def quarter(year: int, q: int) -> Period:
    start = date(year, 3 * (q - 1) + 1, 1)
    return Period(start, _month_end(date(year, 3 * q, 1)), f"Quý {QUARTER_NAMES[q - 1]}/{year}")


def half(year: int, h: int) -> Period:
    start = date(year, 1 if h == 1 else 7, 1)
    return Period(start, _month_end(date(year, 6 if h == 1 else 12, 1)),
                  f"6 tháng {'đầu' if h == 1 else 'cuối'} năm {year}")


def year(y: int) -> Period:
    return Period(date(y, 1, 1), date(y, 12, 31), f"Năm {y}")


def containing(kind: str, day: date) -> Period:
    """The month / quarter / half / year that contains `day`."""
    if kind == "month":
        return month(day.year, day.month)
    if kind == "quarter":
        return quarter(day.year, (day.month - 1) // 3 + 1)
    if kind == "half":
        return half(day.year, 1 if day.month <= 6 else 2)
    if kind == "year":
        return year(day.year)
    raise ValueError(f"unknown period kind {kind!r}")


def each(kind: str, start: date, end: date) -> Iterator[Period]:
    """Every period of `kind` overlapping [start, end], in order."""
    current = containing(kind, start)
    while current.start <= end:
        yield current
        current = containing(kind, current.end + timedelta(days=1))


def weeks(start: date, end: date) -> list[Period]:
    """Monday-to-Sunday weeks overlapping [start, end], clipped to it."""
    monday = start - timedelta(days=start.weekday())
    out = []
    while monday <= end:
        p = Period(max(monday, start), min(monday + timedelta(days=6), end), f"{monday:%d/%m}")
        out.append(p)
        monday += timedelta(days=7)
    return out


def local_today(now: datetime, tz: ZoneInfo = LOCAL_TZ) -> date:
    return now.astimezone(tz).date()

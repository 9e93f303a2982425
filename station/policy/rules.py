"""Area airtime rules (pure): quiet hours, session length and sessions per day, overlap on a node.

Inputs are aware datetimes; rules are read in the area's local time (Asia/Ho_Chi_Minh). Emergency bulletins
are exempt from every rule here (Thông tư 39/2020): the caller does not call these checks for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


@dataclass(frozen=True)
class AreaPolicy:
    """Rules for an area. None means "not set here": the parent area's value applies (see merge_policies)."""

    quiet_start: time | None = None  # local time; the window may wrap midnight (21:30 → 05:30)
    quiet_end: time | None = None
    max_session_minutes: int | None = None
    max_sessions_per_day: int | None = None
    interrupted: str | None = None  # "replay" or "drop": fate of an item cut by an emergency
    late_start_window_s: int | None = None  # after a scheduler outage, still start this late; else "missed"
    session_gap_minutes: int | None = None  # items closer than this form one session


DEFAULT_POLICY = AreaPolicy(interrupted="replay", late_start_window_s=0, session_gap_minutes=10)


def merge_policies(chain: Sequence[AreaPolicy | None]) -> AreaPolicy:
    """Nearest area first (village, commune, province): each rule comes from the nearest area that sets it."""
    merged = {}
    for f in fields(AreaPolicy):
        value = None
        for policy in [*chain, DEFAULT_POLICY]:
            if policy is not None and getattr(policy, f.name) is not None:
                value = getattr(policy, f.name)
                break
        merged[f.name] = value
    return replace(AreaPolicy(), **merged)


@dataclass(frozen=True)
class Airing:
    """Something that occupies a node's loudspeaker from start to end."""

    start: datetime
    end: datetime
    bulletin_id: int | None = None
    title: str = ""


@dataclass(frozen=True)
class Violation:
    code: str
    message: str  # Vietnamese, shown to the broadcaster as is


def _local(dt: datetime) -> datetime:
    return dt.astimezone(TZ)


def _fmt(dt: datetime) -> str:
    return _local(dt).strftime("%H:%M %d/%m/%Y")


def quiet_windows(policy: AreaPolicy, around: datetime) -> list[tuple[datetime, datetime]]:
    """Quiet windows (aware, local) that could touch the day of `around` (yesterday's may spill over)."""
    if policy.quiet_start is None or policy.quiet_end is None or policy.quiet_start == policy.quiet_end:
        return []
    day = _local(around).date()
    windows = []
    for d in (day - timedelta(days=1), day, day + timedelta(days=1)):
        start = datetime.combine(d, policy.quiet_start, TZ)
        end_day = d if policy.quiet_end > policy.quiet_start else d + timedelta(days=1)
        windows.append((start, datetime.combine(end_day, policy.quiet_end, TZ)))
    return windows


def check_quiet_hours(policy: AreaPolicy, airing: Airing) -> Violation | None:
    for q_start, q_end in quiet_windows(policy, airing.start):
        if airing.start < q_end and airing.end > q_start:
            return Violation(
                "quiet_hours",
                f"Giờ yên tĩnh của địa bàn từ {policy.quiet_start:%H:%M} đến {policy.quiet_end:%H:%M}: "
                f"không phát lúc {_fmt(airing.start)}. Hãy chọn giờ từ {policy.quiet_end:%H:%M} "
                f"đến trước {policy.quiet_start:%H:%M}.",
            )
    return None


def sessions(airings: Iterable[Airing], gap: timedelta) -> list[list[Airing]]:
    """Group airings into sessions (phiên phát): consecutive items separated by less than `gap`."""
    result: list[list[Airing]] = []
    for a in sorted(airings, key=lambda a: a.start):
        if result and a.start - max(x.end for x in result[-1]) < gap:
            result[-1].append(a)
        else:
            result.append([a])
    return result


def _session_span(session: list[Airing]) -> tuple[datetime, datetime]:
    return min(a.start for a in session), max(a.end for a in session)


def check_caps(policy: AreaPolicy, existing: Sequence[Airing], new: Airing) -> list[Violation]:
    gap = timedelta(minutes=policy.session_gap_minutes or 0)
    violations: list[Violation] = []
    all_sessions = sessions([*existing, new], gap)
    mine = next(s for s in all_sessions if new in s)
    if policy.max_session_minutes is not None:
        start, end = _session_span(mine)
        minutes = (end - start).total_seconds() / 60
        if minutes > policy.max_session_minutes + 1e-9:
            violations.append(Violation(
                "max_session_minutes",
                f"Phiên phát từ {_fmt(start)} sẽ dài {minutes:.0f} phút, vượt mức tối đa "
                f"{policy.max_session_minutes} phút của địa bàn. Hãy chọn giờ cách phiên đó xa hơn, hoặc rút "
                "ngắn bản tin.",
            ))
    if policy.max_sessions_per_day is not None:
        day: date = _local(new.start).date()
        count = sum(1 for s in all_sessions if _local(_session_span(s)[0]).date() == day)
        if count > policy.max_sessions_per_day:
            violations.append(Violation(
                "max_sessions_per_day",
                f"Ngày {day:%d/%m/%Y} sẽ có {count} phiên phát, vượt mức tối đa "
                f"{policy.max_sessions_per_day} phiên/ngày của địa bàn. Hãy chọn giờ sát một phiên đã có để ghép "
                "vào, hoặc chọn ngày khác.",
            ))
    return violations


def find_overlap(existing: Iterable[Airing], new: Airing) -> Airing | None:
    for a in sorted(existing, key=lambda a: a.start):
        if a.start < new.end and new.start < a.end:
            return a
    return None


def queue_after(existing: Sequence[Airing], new: Airing, gap: timedelta = timedelta(seconds=1)) -> Airing:
    """Move `new` to the earliest start at or after its own that overlaps nothing (back to back)."""
    duration = new.end - new.start
    candidate = new
    while (clash := find_overlap(existing, candidate)) is not None:
        start = clash.end + gap
        candidate = replace(candidate, start=start, end=start + duration)
    return candidate


def check_airing(policy: AreaPolicy, existing: Sequence[Airing], new: Airing) -> list[Violation]:
    """Every rule violation for placing `new` on a node that already has `existing` (overlap included)."""
    violations: list[Violation] = []
    clash = find_overlap(existing, new)
    if clash is not None:
        violations.append(Violation(
            "overlap",
            f"Trùng giờ với bản tin “{clash.title}” ({_fmt(clash.start)} – {_local(clash.end):%H:%M:%S}) "
            "trên cùng cụm loa. Hãy chọn giờ khác, hoặc chọn “Xếp nối tiếp sau bản tin trước” để phát ngay "
            "sau bản tin đó.",
        ))
    if (quiet := check_quiet_hours(policy, new)) is not None:
        violations.append(quiet)
    violations += check_caps(policy, existing, new)
    return violations

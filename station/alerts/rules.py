"""Pure decisions over node and airing facts: no database, times passed in (tests drive them with a clock)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from station.alerts.kinds import AlertThresholds


def offline_since(changes: Sequence[tuple[datetime, bool]], online: bool,
                  status_at: datetime | None) -> datetime | None:
    """When the current outage began (the last change to offline), or None if the node is online.

    `changes` are the node's (time, online) transitions in time order; a node with none but offline status
    has been offline since its status time."""
    if online:
        return None
    for at, is_online in reversed(changes):
        if not is_online:
            return at
        break
    return status_at


def online_since(changes: Sequence[tuple[datetime, bool]], online: bool) -> datetime | None:
    """When the node came back (the last change to online), or None if offline or never changed."""
    if not online or not changes:
        return None
    at, is_online = changes[-1]
    return at if is_online else None


def offline_problem(changes: Sequence[tuple[datetime, bool]], online: bool, status_at: datetime | None,
                    now: datetime, t: AlertThresholds, counted_after: datetime | None = None) -> str | None:
    """"outage" when offline longer than the threshold, "flapping" when it went offline flap_count times in
    the window (drops before `counted_after`, the end of the last alert, are not counted again), else None."""
    since = offline_since(changes, online, status_at)
    if since is not None and now - since >= timedelta(seconds=t.offline_after_s):
        return "outage"
    window_start = now - timedelta(seconds=t.flap_window_s)
    if counted_after is not None:
        window_start = max(window_start, counted_after)
    drops = sum(1 for at, is_online in changes if not is_online and at > window_start)
    if drops >= t.flap_count:
        return "flapping"
    return None


def offline_recovered(changes: Sequence[tuple[datetime, bool]], online: bool, now: datetime,
                      t: AlertThresholds) -> bool:
    """An open offline alert may close: online without a break for recovery_s."""
    back = online_since(changes, online)
    return back is not None and now - back >= timedelta(seconds=t.recovery_s)


def clock_problem(offset_ms: int | None, uncertainty_ms: int | None, t: AlertThresholds) -> bool:
    if uncertainty_ms is not None and uncertainty_ms > t.clock_uncertainty_ms:
        return True
    return offset_ms is not None and abs(offset_ms) > t.clock_offset_ms


def cache_problem(cache_bytes: int | None, limit_bytes: int | None, storage_error: str | None,
                  t: AlertThresholds) -> bool:
    if storage_error:
        return True
    return bool(cache_bytes is not None and limit_bytes and cache_bytes >= t.cache_full_ratio * limit_bytes)


def airing_problem(outcomes: Sequence[tuple[str, int, int]]) -> str | None:
    """From a finished bulletin's (outcome, played_ms, requested_ms) per node: "not_aired" when some node
    did not play it at all, "partly_aired" when some node stopped before the end, else None."""
    if any(o in ("missed", "failed", "rejected") or (o == "interrupted" and played <= 0)
           for o, played, _requested in outcomes):
        return "not_aired"
    if any(o == "interrupted" or (o == "completed" and played < requested - 1000)
           for o, played, requested in outcomes):
        return "partly_aired"
    return None

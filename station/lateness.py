"""How on time a bulletin aired: start error against the schedule and skew across its nodes, in server time.

A node reports its start in its best estimate of server time (its clock plus the offset it measured against
GET /time, docs/protocol.md) with that estimate (`clock_offset_ms`, `clock_uncertainty_ms`). A node that sends no
estimate (an older agent) reported its raw clock: its start is corrected here with the offset of its last
heartbeat, so a box 3 s fast that started 3 s early shows -3000 ms, not the scheduled time. A start that can be
put in server time by neither is counted as unverified.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import AsRun, Node


@dataclass(frozen=True)
class Timeliness:
    nodes_started: int
    error_p50_ms: float | None  # actual start minus scheduled start (positive = late)
    error_p99_ms: float | None
    error_max_ms: float | None  # largest absolute error
    skew_ms: float | None  # latest start minus earliest start across nodes
    skew_p99_ms: float | None  # p99 of |start - median start|
    unverified: int = 0  # starts whose clock was never measured: their error may be the node's clock error
    clock_uncertainty_max_ms: float | None = None  # the worst error bound the nodes reported on their starts


@dataclass(frozen=True)
class Start:
    """One node's reported start and the clock estimate behind it."""

    at_ms: int
    scheduled_ms: int
    clock_offset_ms: int | None = None  # from the event: the correction the node applied (None: raw clock)
    clock_uncertainty_ms: int | None = None
    heartbeat_offset_ms: int | None = None  # server minus node clock from the node's last heartbeat


def server_start_ms(start: Start) -> tuple[int, bool]:
    """The start in server time, and whether it really is in server time (False: the node's unchecked clock)."""
    if start.clock_offset_ms is not None:
        return start.at_ms, True  # the node already corrected it
    if start.heartbeat_offset_ms is not None:
        return start.at_ms + start.heartbeat_offset_ms, True
    return start.at_ms, False


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: conservative (never interpolates below a real observation)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def timeliness(starts_ms: Sequence[int], scheduled_ms: Sequence[int], *, unverified: int = 0,
               clock_uncertainty_max_ms: float | None = None) -> Timeliness:
    if not starts_ms:
        return Timeliness(0, None, None, None, None, None, unverified, clock_uncertainty_max_ms)
    errors = [s - p for s, p in zip(starts_ms, scheduled_ms, strict=True)]
    median = percentile(starts_ms, 50)
    deviations = [abs(s - median) for s in starts_ms]
    return Timeliness(
        nodes_started=len(starts_ms),
        error_p50_ms=percentile(errors, 50),
        error_p99_ms=percentile(errors, 99),
        error_max_ms=max(abs(e) for e in errors),
        skew_ms=max(starts_ms) - min(starts_ms),
        skew_p99_ms=percentile(deviations, 99),
        unverified=unverified,
        clock_uncertainty_max_ms=clock_uncertainty_max_ms,
    )


def starts_timeliness(starts: Sequence[Start]) -> Timeliness:
    corrected = [server_start_ms(s) for s in starts]
    bounds = [s.clock_uncertainty_ms for s in starts if s.clock_uncertainty_ms is not None]
    return timeliness([c[0] for c in corrected], [s.scheduled_ms for s in starts],
                      unverified=sum(1 for c in corrected if not c[1]),
                      clock_uncertainty_max_ms=max(bounds) if bounds else None)


def bulletin_timeliness(session: Session, bulletin_id: int) -> Timeliness:
    """Computed from each node's first attempt (a replay after an emergency is deliberately late)."""
    rows = session.execute(
        select(AsRun.started_at_ms, AsRun.scheduled_start, AsRun.clock_offset_ms, AsRun.clock_uncertainty_ms,
               Node.clock_offset_ms)
        .join(Node, Node.id == AsRun.node_id)
        .where(AsRun.bulletin_id == bulletin_id, AsRun.attempt == 1, AsRun.started_at_ms.is_not(None))
    ).all()
    return starts_timeliness([Start(r[0], int(r[1].timestamp() * 1000), r[2], r[3], r[4]) for r in rows])

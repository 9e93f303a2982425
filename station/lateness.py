"""How on time a bulletin aired: start error against the schedule and skew across its nodes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import AsRun


@dataclass(frozen=True)
class Timeliness:
    nodes_started: int
    error_p50_ms: float | None  # actual start minus scheduled start (positive = late)
    error_p99_ms: float | None
    error_max_ms: float | None  # largest absolute error
    skew_ms: float | None  # latest start minus earliest start across nodes
    skew_p99_ms: float | None  # p99 of |start - median start|


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile: conservative (never interpolates below a real observation)."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-q * len(ordered) // 100))))
    return ordered[rank - 1]


def timeliness(starts_ms: Sequence[int], scheduled_ms: Sequence[int]) -> Timeliness:
    if not starts_ms:
        return Timeliness(0, None, None, None, None, None)
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
    )


def bulletin_timeliness(session: Session, bulletin_id: int) -> Timeliness:
    """Computed from each node's first attempt (a replay after an emergency is deliberately late)."""
    rows = session.execute(
        select(AsRun.started_at_ms, AsRun.scheduled_start)
        .where(AsRun.bulletin_id == bulletin_id, AsRun.attempt == 1, AsRun.started_at_ms.is_not(None))
    ).all()
    return timeliness([r[0] for r in rows], [int(r[1].timestamp() * 1000) for r in rows])

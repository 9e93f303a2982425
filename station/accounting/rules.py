"""The accounting rules as plain Python over as-run facts (docs/accounting.md).

The database rollups (station.accounting.sql.RollupSQL) implement the same rules in SQL for scale; this module is the
readable reference, used directly for village-level figures and reasons, and by the tests to check the SQL.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, fields
from datetime import date

from station.accounting.sql import LATE_START_MS

OPEN = ("pending", "started")
COUNTED_OUTCOMES = ("completed", "interrupted", "failed", "missed", "rejected", "cancelled")


@dataclass(frozen=True)
class Fact:
    """One as_run row with what the rules need to know about its bulletin and node."""

    bulletin_id: int
    node_id: str
    village_id: int
    commune_id: int
    outcome: str
    requested_ms: int
    played_ms: int
    day: date  # local date of the scheduled start
    attempt: int = 1
    scheduled_ms: int = 0
    started_at_ms: int | None = None
    kind: str = "item"
    priority: str = "normal"
    article_id: int | None = None
    detail: str = ""


@dataclass
class Figures:
    """Additive sums for one area and period; ratios are derived."""

    bulletins_sent: int = 0
    bulletins_played: int = 0
    urgent_sent: int = 0
    urgent_played: int = 0
    bulletins_missed: int = 0
    node_rows: int = 0
    nodes_targeted: int = 0
    nodes_completed: int = 0
    requested_ms: int = 0
    played_ms: int = 0
    airtime_requested_ms: int = 0
    airtime_played_ms: int = 0
    completed: int = 0
    interrupted: int = 0
    failed: int = 0
    missed: int = 0
    rejected: int = 0
    cancelled: int = 0
    open: int = 0
    late: int = 0
    # Distinct articles played successfully, counted per station (commune): summing communes is right.
    articles_aired: int = 0

    def add(self, other: Figures) -> None:
        for f in fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def played_ratio(self) -> float | None:
        """Seconds played over seconds requested, summed over every loudspeaker (the field measure)."""
        return self.played_ms / self.requested_ms if self.requested_ms else None

    @property
    def airtime_ratio(self) -> float | None:
        return self.airtime_played_ms / self.airtime_requested_ms if self.airtime_requested_ms else None

    @property
    def coverage(self) -> float | None:
        """Share of targeted loudspeakers (per bulletin) that completed it."""
        return self.nodes_completed / self.nodes_targeted if self.nodes_targeted else None

    @property
    def airtime_minutes(self) -> float:
        return self.airtime_played_ms / 60_000


def is_late(fact: Fact) -> bool:
    return (fact.attempt == 1 and fact.started_at_ms is not None
            and fact.started_at_ms - fact.scheduled_ms > LATE_START_MS)


def _station_bulletin(facts: list[Fact]) -> Figures:
    """One bulletin at one station (commune, or village for village figures): loudspeakers counted once."""
    fig = Figures()
    by_node: dict[str, list[Fact]] = defaultdict(list)
    for f in facts:
        by_node[f.node_id].append(f)
        fig.node_rows += 1
        if f.outcome != "cancelled":
            fig.requested_ms += f.requested_ms
        fig.played_ms += f.played_ms
        if f.outcome in OPEN:
            fig.open += 1
        elif f.outcome in COUNTED_OUTCOMES:
            setattr(fig, f.outcome, getattr(fig, f.outcome) + 1)
        fig.late += is_late(f)
    for rows in by_node.values():
        live = [r for r in rows if r.outcome != "cancelled"]
        fig.nodes_targeted += bool(live)
        fig.nodes_completed += any(r.outcome == "completed" for r in rows)
        fig.airtime_requested_ms = max(fig.airtime_requested_ms, max((r.requested_ms for r in live), default=0))
        # A replay after an emergency adds to what the node played, never beyond the item's length.
        node_air = min(sum(r.played_ms for r in rows), max(r.requested_ms for r in rows))
        fig.airtime_played_ms = max(fig.airtime_played_ms, node_air)
    first = facts[0]
    if first.kind == "item" and fig.nodes_targeted:
        fig.bulletins_sent = 1
        fig.bulletins_played = int(fig.nodes_completed > 0)
        fig.urgent_sent = int(first.priority == "emergency")
        fig.urgent_played = int(first.priority == "emergency" and fig.nodes_completed > 0)
        fig.bulletins_missed = int(fig.nodes_completed == 0 and fig.open == 0)
    return fig


def fold(facts: Iterable[Fact], key: Callable[[Fact], Hashable] = lambda f: f.commune_id) -> dict[Hashable, Figures]:
    """Figures per key (commune by default; pass `lambda f: f.village_id` for villages)."""
    groups: dict[tuple[Hashable, int], list[Fact]] = defaultdict(list)
    for f in facts:
        groups[(key(f), f.bulletin_id)].append(f)
    result: dict[Hashable, Figures] = defaultdict(Figures)
    articles: dict[Hashable, set[int]] = defaultdict(set)
    for (k, _bulletin), rows in groups.items():
        fig = _station_bulletin(rows)
        result[k].add(fig)
        if fig.bulletins_played and rows[0].article_id is not None:
            articles[k].add(rows[0].article_id)
    for k, ids in articles.items():
        result[k].articles_aired = len(ids)
    return dict(result)


def total(figures: Iterable[Figures]) -> Figures:
    out = Figures()
    for f in figures:
        out.add(f)
    return out


def reason_of(outcome: str, detail: str) -> str:
    """The reason a node gives for a missed, interrupted, failed or rejected item, as one short text."""
    text = (detail or "").strip()
    try:
        obj = json.loads(text)
    except ValueError:
        obj = None
    if isinstance(obj, dict):
        text = str(obj.get("reason") or "").strip()
    if not text:
        return "không rõ lý do" if outcome != "interrupted" else "bị dừng"
    return text[:120]

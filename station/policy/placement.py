"""Apply the area rules (station.policy.rules) to a placement on real nodes, using what is already scheduled."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from radio.db.models import Bulletin, BulletinStatus, BulletinTarget, Node
from station.policy.areas import policy_for_area
from station.policy.rules import Airing, AreaPolicy, check_airing, queue_after
from station.targets import bulletin_nodes

ACTIVE = (BulletinStatus.SCHEDULED, BulletinStatus.DISPATCHED)
# Wide enough for the longest session cap and the neighbouring local days.
WINDOW = timedelta(days=2)


def airing_of(bulletin: Bulletin) -> Airing:
    end = bulletin.start_at + timedelta(milliseconds=bulletin.audio.duration_ms)
    return Airing(bulletin.start_at, end, bulletin.id, bulletin.title)


def airings_by_node(session: Session, node_ids: set[str], around: datetime,
                    exclude: Iterable[int] = ()) -> dict[str, list[Airing]]:
    """What each of these nodes already has scheduled within two days either side of `around`."""
    excluded = set(exclude)
    bulletins = session.scalars(
        select(Bulletin)
        .where(Bulletin.status.in_(ACTIVE), Bulletin.start_at > around - WINDOW, Bulletin.start_at < around + WINDOW)
        .options(selectinload(Bulletin.targets).joinedload(BulletinTarget.area), selectinload(Bulletin.node_targets),
                 selectinload(Bulletin.audio))
    ).all()
    result: dict[str, list[Airing]] = defaultdict(list)
    for bulletin in bulletins:
        if bulletin.id in excluded:
            continue
        for node in bulletin_nodes(session, bulletin):
            if node.id in node_ids:
                result[node.id].append(airing_of(bulletin))
    return result


def violations(session: Session, nodes: Sequence[Node], placements: Sequence[Airing],
               exclude: Iterable[int] = ()) -> list[str]:
    """Vietnamese messages for every rule the placements would break, each naming the nodes concerned."""
    return violations_and_rules(session, nodes, placements, exclude)[0]


def violations_and_rules(session: Session, nodes: Sequence[Node], placements: Sequence[Airing],
                         exclude: Iterable[int] = ()) -> tuple[list[str], set[str]]:
    """The messages of `violations`, and which rules they come from ("overlap", quiet hours, caps...)."""
    if not nodes or not placements:
        return [], set()
    existing = airings_by_node(session, {n.id for n in nodes}, placements[0].start, exclude)
    policies: dict[int, AreaPolicy] = {}
    found: dict[str, list[str]] = defaultdict(list)
    rules: set[str] = set()
    for node in nodes:
        policy = policies.get(node.village_id) or policies.setdefault(node.village_id,
                                                                      policy_for_area(session, node.village_id))
        placed = list(existing.get(node.id, []))
        for airing in placements:
            for v in check_airing(policy, placed, airing):
                found[v.message].append(node.name)
                rules.add(v.code)
            placed.append(airing)
    return [_with_nodes(message, names) for message, names in found.items()], rules


def _with_nodes(message: str, names: list[str]) -> str:
    shown = ", ".join(names[:3]) + (f" và {len(names) - 3} cụm loa khác" if len(names) > 3 else "")
    return f"{message} (cụm loa: {shown})"


def queue_placement(session: Session, nodes: Sequence[Node], airing: Airing, exclude: Iterable[int] = ()) -> Airing:
    """The earliest start at or after the requested one that overlaps nothing on any of the nodes."""
    existing = airings_by_node(session, {n.id for n in nodes}, airing.start, exclude)
    candidate = airing
    for _ in range(100):
        moved = max((queue_after(existing.get(n.id, []), candidate) for n in nodes), key=lambda a: a.start)
        if moved.start == candidate.start:
            return candidate
        candidate = replace(candidate, start=moved.start, end=moved.end)
    return candidate

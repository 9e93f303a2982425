"""Which areas, nodes and programmes a user may see and act on, from the area their account is tied to.

A user without an area (admin, national monitor) sees everything; a province user their province; a commune
user their commune and its villages. A village-level account acts for its commune, as the bulletin form
always has (one station serves the whole commune).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import Area, AreaLevel, Node
from station.isolation import scope_of


@dataclass(frozen=True)
class CommuneGroup:
    """One commune, its villages and each village's loudspeakers, as target checkboxes are laid out."""

    commune: Area
    villages: list[Area]
    nodes_by_village: dict[int, list[Node]] = field(default_factory=dict)


def scope_root(db: Session, area_id: int | None) -> Area | None:
    """The top area of the user's scope; None means the whole country."""
    area = db.get(Area, area_id) if area_id is not None else None
    if area is not None and area.level == AreaLevel.VILLAGE:
        return area.parent
    return area


def visible_communes(db: Session, area_id: int | None) -> list[Area]:
    query = select(Area).where(Area.level == AreaLevel.COMMUNE).order_by(Area.code)
    root = scope_root(db, area_id)
    if root is not None and root.level == AreaLevel.PROVINCE:
        query = query.where(Area.parent_id == root.id)
    elif root is not None:
        query = query.where(Area.id == root.id)
    return list(db.scalars(query))


def visible_area_ids(db: Session, area_id: int | None) -> set[int] | None:
    """Every area id in scope, or None for "no limit" (so callers skip a country-sized set)."""
    return scope_of(db, area_id)


def area_in_scope(db: Session, area_id: int | None, target_id: int) -> bool:
    allowed = visible_area_ids(db, area_id)
    return db.get(Area, target_id) is not None and (allowed is None or target_id in allowed)


def target_groups(db: Session, area_id: int | None, *, with_nodes: bool = False) -> list[CommuneGroup]:
    """The communes (with villages, optionally with their nodes) a user may target."""
    communes = visible_communes(db, area_id)
    villages = db.scalars(
        select(Area).where(Area.parent_id.in_([c.id for c in communes])).order_by(Area.code)
    ).all()
    by_commune: dict[int, list[Area]] = {c.id: [] for c in communes}
    for village in villages:
        by_commune[village.parent_id or 0].append(village)
    nodes: dict[int, list[Node]] = {}
    if with_nodes and villages:
        for node in db.scalars(
            select(Node).where(Node.village_id.in_([v.id for v in villages])).order_by(Node.name, Node.id)
        ):
            nodes.setdefault(node.village_id, []).append(node)
    return [CommuneGroup(c, by_commune[c.id], nodes) for c in communes]


def group_area_ids(groups: list[CommuneGroup]) -> set[int]:
    return {g.commune.id for g in groups} | {v.id for g in groups for v in g.villages}


def group_node_ids(groups: list[CommuneGroup]) -> set[str]:
    return {n.id for g in groups for ns in g.nodes_by_village.values() for n in ns}


def require_in_scope(target_area_id: int) -> None:
    """403 unless the logged-in user's area covers the target area (views call this after a 404 check)."""
    from flask import abort
    from flask_login import current_user

    from web.context import get_db

    if not area_in_scope(get_db(), current_user.area_id, target_area_id):
        abort(403)


def area_or_abort(area_id: int) -> Area:
    """The area: 404 when unknown, 403 when outside the logged-in user's scope."""
    from flask import abort

    from web.context import get_db

    area = get_db().get(Area, area_id)
    if area is None:
        abort(404)
    require_in_scope(area.id)
    return area

"""Resolve a bulletin's target areas to MQTT group topics and to the nodes expected to play it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import Area, Node


def descendant_area_ids(session: Session, area_ids: list[int]) -> set[int]:
    """The areas themselves plus everything below them (province → communes → villages)."""
    found = set(area_ids)
    frontier = list(area_ids)
    while frontier:
        children = session.scalars(select(Area.id).where(Area.parent_id.in_(frontier))).all()
        frontier = [c for c in children if c not in found]
        found.update(frontier)
    return found


def nodes_in_areas(session: Session, area_ids: list[int]) -> list[Node]:
    villages = descendant_area_ids(session, area_ids)
    return list(session.scalars(select(Node).where(Node.village_id.in_(villages)).order_by(Node.id)))


def area_codes_for_node(session: Session, node: Node) -> tuple[str, ...]:
    """Village, commune and province codes: the group topics a node listens to."""
    codes: list[str] = []
    area: Area | None = node.village
    while area is not None:
        codes.append(area.code)
        area = area.parent
    return tuple(codes)

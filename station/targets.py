"""Resolve targets (areas and chosen nodes) to MQTT topics and to the nodes expected to play."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import Area, Bulletin, Node
from radio.protocol import topics


def descendant_area_ids(session: Session, area_ids: Iterable[int]) -> set[int]:
    """The areas themselves plus everything below them (province → communes → villages)."""
    found = set(area_ids)
    frontier = list(found)
    while frontier:
        children = session.scalars(select(Area.id).where(Area.parent_id.in_(frontier))).all()
        frontier = [c for c in children if c not in found]
        found.update(frontier)
    return found


def nodes_in_areas(session: Session, area_ids: Iterable[int]) -> list[Node]:
    villages = descendant_area_ids(session, area_ids)
    return list(session.scalars(select(Node).where(Node.village_id.in_(villages)).order_by(Node.id)))


def resolve_nodes(session: Session, area_ids: Iterable[int], node_ids: Iterable[str]) -> list[Node]:
    """Every node addressed by the areas or named directly, once each, ordered by id."""
    nodes = {n.id: n for n in nodes_in_areas(session, area_ids)}
    named = [n for n in node_ids if n not in nodes]
    if named:
        nodes.update({n.id: n for n in session.scalars(select(Node).where(Node.id.in_(named)))})
    return [nodes[k] for k in sorted(nodes)]


def bulletin_nodes(session: Session, bulletin: Bulletin) -> list[Node]:
    return resolve_nodes(session, [t.area_id for t in bulletin.targets], [t.node_id for t in bulletin.node_targets])


def bulletin_topics(bulletin: Bulletin) -> list[str]:
    """One group topic per target area (a commune-wide command is one publish) plus one per chosen node."""
    return sorted({topics.area_cmd(t.area.code) for t in bulletin.targets}
                  | {topics.node_cmd(t.node_id) for t in bulletin.node_targets})


def area_chain(session: Session, area_id: int) -> list[Area]:
    chain: list[Area] = []
    area = session.get(Area, area_id)
    while area is not None:
        chain.append(area)
        area = area.parent
    return chain


def area_codes_for_node(session: Session, node: Node) -> tuple[str, ...]:
    """Village, commune and province codes: the group topics a node listens to."""
    return tuple(a.code for a in area_chain(session, node.village_id))

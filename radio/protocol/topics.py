"""MQTT topic names. One place, so the ACL generator, the scheduler and the nodes cannot drift apart."""

from __future__ import annotations

ROOT = "radio/v1"


def node_cmd(node_id: str) -> str:
    """Commands addressed to one node."""
    return f"{ROOT}/node/{node_id}/cmd"


def area_cmd(area_code: str) -> str:
    """Commands for every node in an area (village, commune or province): one publish reaches all."""
    return f"{ROOT}/area/{area_code}/cmd"


def node_event(node_id: str) -> str:
    """As-run and other events a node reports."""
    return f"{ROOT}/node/{node_id}/event"


def node_status(node_id: str) -> str:
    """Retained online/offline status: birth on connect, last will on a dropped link."""
    return f"{ROOT}/node/{node_id}/status"


def node_heartbeat(node_id: str) -> str:
    """Periodic health: volume, current item, cache use, clock offset, outbox size."""
    return f"{ROOT}/node/{node_id}/heartbeat"


ALL_EVENTS = f"{ROOT}/node/+/event"
ALL_STATUS = f"{ROOT}/node/+/status"
ALL_HEARTBEATS = f"{ROOT}/node/+/heartbeat"


def node_id_from_topic(topic: str) -> str | None:
    """The node id in `radio/v1/node/<id>/...`, or None for other topics."""
    parts = topic.split("/")
    if len(parts) >= 4 and parts[0] == "radio" and parts[1] == "v1" and parts[2] == "node":
        return parts[3]
    return None

"""Which node events the server believes: the node is the topic's, the command was sent to it, times are plausible.

The broker's ACL proves only who published on a topic. Everything else in an event is the node's word, so an
event is accepted only when
- its node is the topic's node and its event_id is the one the protocol derives from (node, command, kind,
  attempt): a node cannot take another node's event id and make the real event look like a duplicate;
- its command is a play command sent to that node: an as_run row exists for them, or the command went to the
  node's own topic or one of its areas (a node that joined the area after dispatch);
- at_ms lies between the command's issue time and the server's now, each widened by CLOCK_SLACK_MS for node
  clocks without NTP. A node offline for days still delivers its outbox later: the bound is the command's issue
  time, not the time of arrival.
Played times are clamped where they are folded into as_run (scheduler/ingest.py), not refused.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import Area, CommandRow, Node
from radio.protocol import NodeEvent, topics
from radio.protocol.messages import event_id_for
from scheduler.ingest_rows import RowKey, RowState, load_rows

CLOCK_SLACK_MS = 10 * 60 * 1000
_CHUNK = 400


@dataclass(frozen=True)
class Rejection:
    event: NodeEvent
    reason: str


def identity_problem(event: NodeEvent, topic_node: str | None) -> str | None:
    """Checks that need no database: the node is the topic's, the event id is the protocol's, a command is named."""
    if topic_node is None or event.node_id != topic_node:
        return "node id differs from the topic's node"
    if event.command_id is None:
        return "no command id"
    if event.event_id != event_id_for(topic_node, event.command_id, event.kind, event.attempt):
        return "event id is not {node}:{command}:{kind}[:{attempt}]"
    return None


@dataclass(frozen=True)
class _Command:
    issued_ms: int
    topics: frozenset[str]


@dataclass
class Acceptance:
    accepted: list[NodeEvent] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    # The as_run rows of the accepted events' (command, node) pairs, read once here and folded into by
    # scheduler/ingest.py in the same transaction.
    rows: dict[RowKey, RowState] = field(default_factory=dict)


def accept_events(session: Session, events: list[NodeEvent], now: datetime) -> Acceptance:
    """Split events (identity already checked) into accepted and rejected, with a few queries per batch."""
    out = Acceptance()
    if not events:
        return out
    commands = _play_commands(session, sorted({e.command_id or "" for e in events}))
    pairs = sorted({(e.command_id or "", e.node_id) for e in events if e.command_id in commands})
    out.rows = load_rows(session, pairs)
    expected = {(c, n) for c, n, _attempt in out.rows}
    areas: dict[str, frozenset[str]] = {}
    now_ms = int(now.timestamp() * 1000)
    accepted, rejected = out.accepted, out.rejected
    for event in events:
        cmd = commands.get(event.command_id or "")
        if cmd is None:
            rejected.append(Rejection(event, "unknown command"))
            continue
        if (event.command_id, event.node_id) not in expected:
            if event.node_id not in areas:
                areas[event.node_id] = _node_topics(session, event.node_id)
            if not cmd.topics & areas[event.node_id]:
                rejected.append(Rejection(event, "command was not sent to this node"))
                continue
        if not cmd.issued_ms - CLOCK_SLACK_MS <= event.at_ms <= now_ms + CLOCK_SLACK_MS:
            rejected.append(Rejection(event, "at_ms outside the command's issue time .. now"))
            continue
        accepted.append(event)
    return out


def _chunks(items: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i:i + _CHUNK]


def _play_commands(session: Session, ids: list[str]) -> dict[str, _Command]:
    out: dict[str, _Command] = {}
    for chunk in _chunks(ids):
        for cid, issued, topic_list in session.execute(
            select(CommandRow.id, CommandRow.issued_at, CommandRow.topics)
            # An empty payload is a command recorded 'missed' and never sent (Dispatcher.record_missed).
            .where(CommandRow.id.in_(chunk), CommandRow.kind == "play", CommandRow.payload != "")
        ):
            out[cid] = _Command(int(issued.timestamp() * 1000), frozenset(topic_list or ()))
    return out


def _node_topics(session: Session, node_id: str) -> frozenset[str]:
    """The command topics a node reads: its own and those of its village and every area above it."""
    node = session.get(Node, node_id)
    if node is None:
        return frozenset()
    out = {topics.node_cmd(node_id)}
    area: Area | None = session.get(Area, node.village_id)
    while area is not None:
        out.add(topics.area_cmd(area.code))
        area = session.get(Area, area.parent_id) if area.parent_id else None
    return frozenset(out)

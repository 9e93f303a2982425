"""The one place a node decides whether a received command may be acted on.

Shared by the agent and the simulator so both enforce the same rules (docs/protocol.md, "Validation order").
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from radio.protocol import ProtocolError
from radio.protocol.messages import Command, Targets, decode_command_obj, loads
from radio.protocol.signing import verify


@dataclass(frozen=True)
class Accepted:
    command: Command


@dataclass(frozen=True)
class Rejected:
    """Report this to the server (event 'rejected'); command_id when one could be read."""

    reason: str
    command_id: str | None


@dataclass(frozen=True)
class Duplicate:
    """Seen before (QoS 1 re-delivery, overlapping subscriptions, re-send after a restart): ignore quietly."""

    command_id: str


Verdict = Accepted | Rejected | Duplicate


@dataclass(frozen=True)
class Recipient:
    """Who is judging: a command must name this node id or one of these areas (village, commune, province)."""

    node_id: str
    area_codes: tuple[str, ...]


class SeenIds:
    """Bounded memory of command ids, oldest forgotten first. Expired commands are refused anyway, so only
    ids younger than the longest command lifetime need remembering."""

    def __init__(self, capacity: int = 10000, initial: list[str] | None = None) -> None:
        self.capacity = capacity
        self._ids: OrderedDict[str, None] = OrderedDict((i, None) for i in (initial or [])[-capacity:])
        self._lock = threading.Lock()

    def add(self, command_id: str) -> bool:
        """Remember the id; False if it was already known."""
        with self._lock:
            if command_id in self._ids:
                return False
            self._ids[command_id] = None
            if len(self._ids) > self.capacity:
                self._ids.popitem(last=False)
            return True

    def __contains__(self, command_id: str) -> bool:
        with self._lock:
            return command_id in self._ids

    def snapshot(self) -> list[str]:
        with self._lock:
            return list(self._ids)


def judge(payload: bytes, keys: list[Ed25519PublicKey], seen: SeenIds, now_ms: int, *, me: Recipient) -> Verdict:
    """Validate in the documented order: JSON/version → signature → fields → duplicate → targets → expiry.

    now_ms is the node's best estimate of server time (its clock corrected by the measured offset)."""
    try:
        obj = loads(payload)
    except ProtocolError as exc:
        return Rejected(f"malformed: {exc}", None)
    raw_id = obj.get("id")
    command_id = raw_id if isinstance(raw_id, str) else None
    if not verify(obj, keys):
        return Rejected("bad or missing signature", command_id)
    try:
        command = decode_command_obj(obj)
    except ProtocolError as exc:
        return Rejected(f"invalid: {exc}", command_id)
    if not seen.add(command.id):
        return Duplicate(command.id)
    # The topic a command came on proves nothing (anyone with broker write access can re-publish a signed
    # village command on the commune topic): only the signed targets say whom it is for.
    if not command.targets.names(me.node_id, me.area_codes):
        return Rejected(f"not addressed to this node (targets: {_describe(command.targets)})", command.id)
    if now_ms > command.expires_at_ms:
        return Rejected("expired", command.id)
    return Accepted(command)


def _describe(targets: Targets) -> str:
    named = [*targets.areas, *targets.nodes]
    return ", ".join(named[:5]) + (" ..." if len(named) > 5 else "") if named else "none"

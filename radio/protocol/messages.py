"""Typed protocol messages, decoded and validated once at the edge.

All times are integer milliseconds since the Unix epoch (UTC), so a signature never depends on how a
language prints floats. Unknown members are ignored (forward compatibility); a different major "v" is refused.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

PROTOCOL_VERSION = 1


class ProtocolError(ValueError):
    """A payload that is not a valid message of this protocol version."""


class Priority(StrEnum):
    NORMAL = "normal"
    PRIORITY = "priority"
    EMERGENCY = "emergency"


class EventKind(StrEnum):
    RECEIVED = "received"  # command accepted and media fetched (ready to air)
    STARTED = "started"
    FINISHED = "finished"  # played to the end
    INTERRUPTED = "interrupted"  # cut by a stop or an emergency
    FAILED = "failed"  # could not play (media, player)
    MISSED = "missed"  # air time passed before the node could start
    REJECTED = "rejected"  # unsigned, tampered, expired or replayed command


@dataclass(frozen=True)
class Targets:
    """Whom a command is for, inside the signed bytes: a node acts only on a command naming its id or one of
    its areas, so a command re-published on a wider topic (or replayed elsewhere) is refused, not played."""

    areas: tuple[str, ...] = ()
    nodes: tuple[str, ...] = ()

    def names(self, node_id: str, area_codes: tuple[str, ...] | list[str]) -> bool:
        return node_id in self.nodes or any(code in self.areas for code in area_codes)


NO_TARGETS = Targets()


@dataclass(frozen=True)
class PlayCommand:
    id: str
    bulletin_id: int
    issued_at_ms: int
    start_at_ms: int
    expires_at_ms: int
    media_url: str
    sha256: str
    duration_ms: int
    priority: Priority = Priority.NORMAL
    title: str = ""
    # What the node does with this item if an emergency cuts it: "replay" it after, or "drop" it (area policy).
    if_interrupted: str = "replay"
    targets: Targets = NO_TARGETS  # empty: addressed to nobody, refused
    type: str = "play"
    v: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class StopCommand:
    id: str
    issued_at_ms: int
    expires_at_ms: int
    target_command_id: str | None = None  # None: stop whatever is playing
    targets: Targets = NO_TARGETS  # empty: addressed to nobody, refused
    type: str = "stop"
    v: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class VolumeCommand:
    id: str
    issued_at_ms: int
    expires_at_ms: int
    volume: int  # 0-100, applied to the current and later items
    targets: Targets = NO_TARGETS  # empty: addressed to nobody, refused
    type: str = "volume"
    v: int = PROTOCOL_VERSION


Command = PlayCommand | StopCommand | VolumeCommand


@dataclass(frozen=True)
class NodeEvent:
    event_id: str  # unique per (node, command, kind): the server stores each event once
    node_id: str
    kind: EventKind
    at_ms: int
    command_id: str | None = None
    bulletin_id: int | None = None
    scheduled_start_ms: int | None = None
    detail: str = ""
    attempt: int = 1  # 2, 3... when an interrupted item is replayed
    # The correction the node added to its own clock to get at_ms (server time); None: no measurement, at_ms is
    # the node's raw clock. The uncertainty bounds |at_ms - server time| as the node knows it.
    clock_offset_ms: int | None = None
    clock_uncertainty_ms: int | None = None
    type: str = "event"
    v: int = PROTOCOL_VERSION


def event_id_for(node_id: str, command_id: str, kind: EventKind | str, attempt: int = 1) -> str:
    """The deterministic event id (docs/protocol.md): a re-sent event carries the same id."""
    base = f"{node_id}:{command_id}:{kind}"
    return base if attempt == 1 else f"{base}:{attempt}"


@dataclass(frozen=True)
class Heartbeat:
    node_id: str
    at_ms: int
    agent_version: str = ""
    volume: int = 100
    current_command_id: str | None = None
    cache_bytes: int = 0
    cache_limit_bytes: int = 0
    clock_offset_ms: int | None = None  # server clock minus node clock, measured by the node
    uptime_s: int = 0
    outbox: int = 0  # events waiting to be delivered
    clock_uncertainty_ms: int | None = None  # half the round trip of the offset measurement
    storage_error: str | None = None  # why the node cannot write its state or cache (e.g. disk full)
    clock_drift_ppm: float | None = None  # the node's clock rate error against the server's, once measured
    clock_source: str | None = None  # what the node's server time rests on: server, chrony, external, box
    # What the box knows of itself (temperature, storage, position, signal, power): docs/protocol.md. Decoded
    # leniently here (a bad field must not cost the heartbeat); the scheduler bounds each field (scheduler.health).
    telemetry: dict[str, Any] | None = None
    type: str = "heartbeat"
    v: int = PROTOCOL_VERSION


@dataclass(frozen=True)
class NodeStatus:
    node_id: str
    online: bool
    at_ms: int
    agent_version: str = ""
    type: str = "status"
    v: int = PROTOCOL_VERSION


def to_dict(msg: Any) -> dict[str, Any]:
    return {k: (str(v) if isinstance(v, StrEnum) else v) for k, v in asdict(msg).items()}


def encode(msg: Any, extra: dict[str, Any] | None = None) -> bytes:
    obj = to_dict(msg)
    if extra:
        obj.update(extra)
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


# A node message is a few hundred bytes; commands with target lists a few kB. Anything larger is refused before
# parsing, so one message can never cost the receiver much memory or time.
MAX_PAYLOAD_BYTES = 64 * 1024
# Integers must fit the database's BIGINT; narrower columns are checked where the value is used.
INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1


def loads(payload: bytes | str) -> dict[str, Any]:
    """Parse one message; every way a hostile payload can break the parser ends in ProtocolError."""
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise ProtocolError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD_BYTES}")
    try:
        # Decoded here, strictly: json.loads(bytes) would first guess among UTF-8/16/32 (a quarter of a small
        # message's parse time) and let lone surrogates through, which no database column can store.
        obj = json.loads(payload.decode("utf-8") if isinstance(payload, bytes | bytearray) else payload)
    # RecursionError: deeply nested arrays ([[[[...) overflow the parser's stack; ValueError also covers
    # integers with more than 4,300 digits, which json refuses outside JSONDecodeError.
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ProtocolError(f"not JSON: {type(exc).__name__}: {str(exc)[:100]}") from exc
    if not isinstance(obj, dict):
        raise ProtocolError("payload is not a JSON object")
    version = obj.get("v")
    if type(version) is not int or version != PROTOCOL_VERSION:  # True == 1 in Python: not a version
        raise ProtocolError(f"unsupported protocol version {str(version)[:20]!r}")
    return obj


def _field(obj: dict[str, Any], name: str, kind: type | tuple[type, ...], *, optional: bool = False) -> Any:
    value = obj.get(name)
    if value is None and optional:
        return None
    # bool is an int in Python; never accept it where a number is meant.
    if not isinstance(value, kind) or (isinstance(value, bool) and bool not in _as_tuple(kind)):
        raise ProtocolError(f"field {name!r} missing or of the wrong type")
    if isinstance(value, int) and not isinstance(value, bool) and not INT64_MIN <= value <= INT64_MAX:
        raise ProtocolError(f"field {name!r} out of range")
    return value


def _bounded(obj: dict[str, Any], name: str, lo: int, hi: int, *, optional: bool = False) -> Any:
    """An integer member within [lo, hi] (the column it is stored in, or what the protocol allows)."""
    value = _field(obj, name, int, optional=optional)
    if value is not None and not lo <= value <= hi:
        raise ProtocolError(f"field {name!r} out of range")
    return value


def _as_tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)


def _targets(obj: dict[str, Any]) -> Targets:
    raw = obj.get("targets")
    if raw is None:
        return NO_TARGETS
    if not isinstance(raw, dict):
        raise ProtocolError("targets must be an object")
    lists = []
    for name in ("areas", "nodes"):
        value = raw.get(name) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ProtocolError(f"targets.{name} must be a list of strings")
        lists.append(tuple(value))
    return Targets(areas=lists[0], nodes=lists[1])


def decode_command_obj(obj: dict[str, Any]) -> Command:
    kind = obj.get("type")
    if kind == "play":
        try:
            priority = Priority(obj.get("priority", "normal"))
        except ValueError as exc:
            raise ProtocolError("unknown priority") from exc
        sha = _field(obj, "sha256", str)
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ProtocolError("sha256 must be 64 lowercase hex digits")
        return PlayCommand(
            id=_field(obj, "id", str),
            bulletin_id=_field(obj, "bulletin_id", int),
            issued_at_ms=_field(obj, "issued_at_ms", int),
            start_at_ms=_field(obj, "start_at_ms", int),
            expires_at_ms=_field(obj, "expires_at_ms", int),
            media_url=_field(obj, "media_url", str),
            sha256=sha,
            duration_ms=_field(obj, "duration_ms", int),
            priority=priority,
            title=obj.get("title") or "",
            if_interrupted="drop" if obj.get("if_interrupted") == "drop" else "replay",
            targets=_targets(obj),
        )
    if kind == "stop":
        return StopCommand(
            id=_field(obj, "id", str),
            issued_at_ms=_field(obj, "issued_at_ms", int),
            expires_at_ms=_field(obj, "expires_at_ms", int),
            target_command_id=_field(obj, "target_command_id", str, optional=True),
            targets=_targets(obj),
        )
    if kind == "volume":
        volume = _field(obj, "volume", int)
        if not 0 <= volume <= 100:
            raise ProtocolError("volume must be 0-100")
        return VolumeCommand(
            id=_field(obj, "id", str),
            issued_at_ms=_field(obj, "issued_at_ms", int),
            expires_at_ms=_field(obj, "expires_at_ms", int),
            volume=volume,
            targets=_targets(obj),
        )
    raise ProtocolError(f"unknown command type {kind!r}")


def decode_command(payload: bytes | str) -> Command:
    return decode_command_obj(loads(payload))


INT32_MAX = 2**31 - 1
MAX_ATTEMPT = 100  # replays after emergencies: a handful in practice


def _text(obj: dict[str, Any], name: str, max_len: int, *, optional: bool = False) -> Any:
    """A string member no longer than its column (a longer one would fail the whole database batch)."""
    value = _field(obj, name, str, optional=optional)
    if value is not None and len(value) > max_len:
        raise ProtocolError(f"field {name!r} longer than {max_len}")
    return value


def _clip(value: str | None, max_len: int) -> str | None:
    """A free-text member (an OS error message) cut to its column rather than refused."""
    return value[:max_len] if value else value


def _str_member(obj: dict[str, Any], name: str, max_len: int, optional: bool = False) -> Any:
    """_text for the hot path (every node event): the same checks with one type test in the common case."""
    value = obj.get(name)
    if type(value) is str:  # json yields exactly str: no subclass to allow for
        if len(value) > max_len:
            raise ProtocolError(f"field {name!r} longer than {max_len}")
        return value
    if value is None and optional:
        return None
    raise ProtocolError(f"field {name!r} missing or of the wrong type")


def _int_member(obj: dict[str, Any], name: str, lo: int, hi: int, optional: bool = False) -> Any:
    """_bounded for the hot path; `type(...) is int` also refuses true/false, which are ints to Python."""
    value = obj.get(name)
    if type(value) is int:
        if not lo <= value <= hi:
            raise ProtocolError(f"field {name!r} out of range")
        return value
    if value is None and optional:
        return None
    raise ProtocolError(f"field {name!r} missing or of the wrong type")


_EVENT_KINDS = {k.value: k for k in EventKind}


def decode_event(payload: bytes | str) -> NodeEvent:
    # The scheduler decodes every node event (20,000 a second in a province burst): checks written out for speed,
    # with the same outcome as _text/_bounded/_field (tests/radio/test_protocol_robust.py holds them to it).
    obj = loads(payload)
    if obj.get("type") != "event":
        raise ProtocolError("not an event")
    kind_value = obj.get("kind")
    kind = _EVENT_KINDS.get(kind_value) if type(kind_value) is str else None  # a list or dict is not hashable
    if kind is None:
        raise ProtocolError(f"unknown event kind {str(obj.get('kind'))[:20]!r}")
    detail = obj.get("detail")
    return NodeEvent(
        _str_member(obj, "event_id", 128),
        _str_member(obj, "node_id", 64),
        kind,
        _int_member(obj, "at_ms", 0, INT64_MAX),
        _str_member(obj, "command_id", 36, True),
        _int_member(obj, "bulletin_id", INT64_MIN, INT64_MAX, True),
        _int_member(obj, "scheduled_start_ms", INT64_MIN, INT64_MAX, True),
        (detail if type(detail) is str else str(detail or ""))[:500],
        _int_member(obj, "attempt", 1, MAX_ATTEMPT, True) or 1,
        _int_member(obj, "clock_offset_ms", -INT32_MAX, INT32_MAX, True),
        _int_member(obj, "clock_uncertainty_ms", 0, INT32_MAX, True),
    )


def decode_status(payload: bytes | str) -> NodeStatus:
    obj = loads(payload)
    if obj.get("type") != "status":
        raise ProtocolError("not a status")
    return NodeStatus(
        node_id=_text(obj, "node_id", 64),
        online=_field(obj, "online", bool),
        at_ms=_field(obj, "at_ms", int),
        agent_version=str(obj.get("agent_version") or "")[:32],
    )


def decode_heartbeat(payload: bytes | str) -> Heartbeat:
    obj = loads(payload)
    if obj.get("type") != "heartbeat":
        raise ProtocolError("not a heartbeat")
    # Bounds are the node row's columns: an out-of-range number would fail the batch it is written in.
    return Heartbeat(
        node_id=_text(obj, "node_id", 64),
        at_ms=_field(obj, "at_ms", int),
        agent_version=str(obj.get("agent_version") or "")[:32],
        volume=_bounded(obj, "volume", 0, 100, optional=True) or 0,
        current_command_id=_text(obj, "current_command_id", 36, optional=True),
        cache_bytes=_bounded(obj, "cache_bytes", 0, INT64_MAX, optional=True) or 0,
        cache_limit_bytes=_bounded(obj, "cache_limit_bytes", 0, INT64_MAX, optional=True) or 0,
        clock_offset_ms=_bounded(obj, "clock_offset_ms", -INT32_MAX, INT32_MAX, optional=True),
        uptime_s=_bounded(obj, "uptime_s", 0, INT32_MAX, optional=True) or 0,
        outbox=_bounded(obj, "outbox", 0, INT32_MAX, optional=True) or 0,
        clock_uncertainty_ms=_bounded(obj, "clock_uncertainty_ms", 0, INT32_MAX, optional=True),
        storage_error=_clip(_field(obj, "storage_error", str, optional=True), 200),
        clock_drift_ppm=_drift(obj),
        clock_source=_source(obj),
        telemetry=_telemetry(obj),
    )


TELEMETRY_KEYS = ("temperature_c", "storage_free_bytes", "storage_total_bytes", "latitude", "longitude",
                  "signal_dbm", "network", "amplifier_on", "mains_on", "mains_lost_at_ms")


def _telemetry(obj: dict[str, Any]) -> dict[str, Any] | None:
    """The known members with scalar values; anything else (a list, a nested object, a long text, an unknown
    key from a newer agent) is dropped. Values are range-checked per field where they are stored."""
    raw = obj.get("telemetry")
    if not isinstance(raw, dict):
        return None
    kept = {k: raw[k] for k in TELEMETRY_KEYS
            if isinstance(raw.get(k), bool | int | float) or (isinstance(raw.get(k), str) and len(raw[k]) <= 32)}
    return kept or None


CLOCK_SOURCES = ("server", "chrony", "external", "box")


def _drift(obj: dict[str, Any]) -> float | None:
    """A drift within ±1,000 ppm (a crystal is within ±100), rounded; anything else is not a drift."""
    value = obj.get("clock_drift_ppm")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not -1000 <= value <= 1000:
        raise ProtocolError("clock_drift_ppm out of range")
    return round(float(value), 2)


def _source(obj: dict[str, Any]) -> str | None:
    value = obj.get("clock_source")
    if value is None:
        return None
    if value not in CLOCK_SOURCES:  # a newer agent's source is shown as unknown rather than refused
        return None
    return str(value)

"""The MQTT protocol between the scheduler and loudspeaker nodes (see docs/protocol.md).

Importable on a node: depends only on the standard library and `cryptography`.
"""

from radio.protocol.messages import (
    PROTOCOL_VERSION,
    EventKind,
    Heartbeat,
    NodeEvent,
    NodeStatus,
    PlayCommand,
    Priority,
    ProtocolError,
    StopCommand,
    Targets,
    VolumeCommand,
    decode_command,
    decode_event,
    decode_heartbeat,
    decode_status,
    encode,
    event_id_for,
)

__all__ = [
    "PROTOCOL_VERSION",
    "EventKind",
    "Heartbeat",
    "NodeEvent",
    "NodeStatus",
    "PlayCommand",
    "Priority",
    "ProtocolError",
    "StopCommand",
    "Targets",
    "VolumeCommand",
    "decode_command",
    "decode_event",
    "decode_heartbeat",
    "decode_status",
    "encode",
    "event_id_for",
]

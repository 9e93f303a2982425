"""The MQTT protocol between the scheduler and loudspeaker nodes (see docs/protocol.md).

Importable on a node: depends only on the standard library and `cryptography`.
"""

from radio.protocol.messages import (
    PROTOCOL_VERSION,
    EventKind,
    NodeEvent,
    NodeStatus,
    PlayCommand,
    Priority,
    ProtocolError,
    StopCommand,
    decode_command,
    decode_event,
    decode_status,
    encode,
)

__all__ = [
    "PROTOCOL_VERSION",
    "EventKind",
    "NodeEvent",
    "NodeStatus",
    "PlayCommand",
    "Priority",
    "ProtocolError",
    "StopCommand",
    "decode_command",
    "decode_event",
    "decode_status",
    "encode",
]

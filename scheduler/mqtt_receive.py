"""A paho client for the scheduler's receiving side: buffered socket reads and acknowledgements in one write.

Why: stock paho 2 reads every packet with three `recv` calls (the command byte, the length bytes one at a time,
then the rest), goes back to `select` after each packet, and writes every PUBACK on its own (a wake-up byte on its
socket pair and one `send` per acknowledgement). At a province's burst that was ~67 µs of CPU per QoS 1 event in
the scheduler, the largest share of the ingest's cost (docs/benchmarks.md, "As-run ingest"). This client reads
the socket in 64 KiB pieces, handles every complete packet it holds before returning to `select`, and queues the
acknowledgements of a stored batch as one write. It relies on paho's socket-wrapper contract (`recv`, `send`,
`pending`, `fileno`: what paho's own WebSocket wrapper provides) and on `_packet_queue`; paho is pinned by the
lock file and tests/scheduler/test_mqtt_receive.py checks both against the installed version.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.client import time_func
from paho.mqtt.enums import MQTTErrorCode, MQTTProtocolVersion

RECV_CHUNK = 65536
# Complete packets handled from the buffer before paho's loop runs again (writes, keepalive, wake-ups): bounded,
# so a flood cannot hold back the acknowledgements the broker waits for.
MAX_PACKETS_PER_READ = 1000
PUBACK = 0x40
_PUBACK = struct.Struct("!BBH")  # MQTT 5 PUBACK, reason Success without properties: remaining length 2


class BufferedSocket:
    """Wraps the connection's socket (plain or TLS): `recv` serves from a buffer filled RECV_CHUNK at a time."""

    def __init__(self, sock: Any) -> None:
        self._sock = sock
        self._buf = b""
        self._pos = 0

    def recv(self, bufsize: int) -> bytes:
        buf, pos = self._buf, self._pos
        if pos >= len(buf):
            # Errors (BlockingIOError, TLS want-read, a reset) come from the socket as they would unbuffered.
            buf = self._sock.recv(max(bufsize, RECV_CHUNK))
            if len(buf) <= bufsize:  # all of it asked for, or end of file (b"")
                self._buf, self._pos = b"", 0
                return buf
            pos = 0
        end = pos + bufsize
        if end >= len(buf):
            self._buf, self._pos = b"", 0
        else:
            self._buf, self._pos = buf, end
        return buf[pos:end]

    def buffered(self) -> int:
        return len(self._buf) - self._pos

    def pending(self) -> int:
        """What can be read without waiting: paho's loop skips `select` while this is not 0."""
        inner = self._sock.pending() if hasattr(self._sock, "pending") else 0
        return self.buffered() + inner

    def send(self, data: bytes | bytearray | memoryview) -> int:
        return int(self._sock.send(data))

    def fileno(self) -> int:
        return int(self._sock.fileno())

    def close(self) -> None:
        self._buf, self._pos = b"", 0
        self._sock.close()

    def setblocking(self, flag: bool) -> None:
        self._sock.setblocking(flag)

    def __getattr__(self, name: str) -> Any:  # anything else paho or ssl may ask of the socket
        return getattr(self._sock, name)


class ReceivingClient(mqtt.Client):
    """paho's Client with buffered reads and `ack_many`; everything else is paho's own."""

    _filtered_callbacks = False  # message_callback_add used: then paho's own dispatch (topic matching) runs

    def message_callback_add(self, sub: str, callback: Any) -> None:
        self._filtered_callbacks = True
        super().message_callback_add(sub, callback)

    def _handle_on_message(self, message: mqtt.MQTTMessage) -> None:
        """Straight to on_message when no per-topic callbacks exist: paho would first match the topic against
        an empty tree of them, a third of its receiving time."""
        if self._filtered_callbacks:
            super()._handle_on_message(message)
            return
        on_message = self.on_message
        if on_message is None:
            return
        with self._in_callback_mutex:
            try:
                on_message(self, self._userdata, message)
            except Exception as err:  # as paho does: logged, raised only if the client does not suppress
                self._easy_log(mqtt.MQTT_LOG_ERR, "Caught exception in on_message: %s", err)
                if not self.suppress_exceptions:
                    raise

    def _create_socket(self) -> Any:
        return BufferedSocket(super()._create_socket())

    def loop_read(self, max_packets: int = 1) -> MQTTErrorCode:
        rc = super().loop_read(max_packets)
        for _ in range(MAX_PACKETS_PER_READ):
            sock = self._sock
            if rc != MQTTErrorCode.MQTT_ERR_SUCCESS or not isinstance(sock, BufferedSocket) or not sock.buffered():
                break
            rc = super().loop_read(max_packets)
        return rc

    def _handle_publish(self) -> MQTTErrorCode:
        """A QoS 0/1 PUBLISH without properties (every node event and heartbeat: nodes set none) is decoded here
        without building paho's Properties object, which cost more than the rest of the packet; `properties` is
        then None. Anything else (QoS 2, properties, a topic alias, a malformed packet) goes to paho unchanged."""
        header = self._in_packet["command"]
        qos = (header & 0x06) >> 1
        packet = self._in_packet["packet"]
        n = len(packet)
        if self._protocol != MQTTProtocolVersion.MQTTv5 or qos > 1 or n < 3:
            return super()._handle_publish()
        topic_end = 2 + ((packet[0] << 8) | packet[1])
        pos = topic_end + 2 if qos else topic_end
        if topic_end == 2 or pos >= n or packet[pos] != 0:  # no topic (an alias), too short, or properties
            return super()._handle_publish()
        message = mqtt.MQTTMessage(mid=(packet[topic_end] << 8) | packet[topic_end + 1] if qos else 0,
                                   topic=bytes(packet[2:topic_end]))
        message.dup = bool(header & 0x08)
        message.qos = qos
        message.retain = bool(header & 0x01)
        message.payload = bytes(packet[pos + 1:])
        message.timestamp = time_func()
        self._handle_on_message(message)
        if qos == 0 or self._manual_ack:
            return MQTTErrorCode.MQTT_ERR_SUCCESS
        return self._send_puback(message.mid)

    def ack_many(self, mids: Iterable[int]) -> MQTTErrorCode:
        """Acknowledge QoS 1 messages (manual_ack) with one queued write instead of one per message."""
        if not self._manual_ack:
            return MQTTErrorCode.MQTT_ERR_SUCCESS
        packet = b"".join([_PUBACK.pack(PUBACK, 2, mid) for mid in mids])
        if not packet:
            return MQTTErrorCode.MQTT_ERR_SUCCESS
        return self._packet_queue(PUBACK, packet, 0, 1)

"""paho-mqtt 2 client construction, shared by the scheduler and the node agent (MQTT 5 only)."""

from __future__ import annotations

import threading
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion, MQTTProtocolVersion
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties


def make_client(client_id: str, username: str, password: str, *, manual_ack: bool = False,
                client_class: type[mqtt.Client] = mqtt.Client) -> mqtt.Client:
    """manual_ack: incoming QoS 1 messages are acknowledged by the caller (client.ack) once they are safe.
    client_class: paho's Client or a subclass (the scheduler's receiving client, scheduler/mqtt_receive.py)."""
    client = client_class(
        CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=MQTTProtocolVersion.MQTTv5,
        manual_ack=manual_ack,
    )
    client.username_pw_set(username, password)
    # Mosquitto's receive maximum is 20; more inflight only slows things down (TECH_NOTES).
    client.max_inflight_messages_set(20)
    client.max_queued_messages_set(0)
    client.reconnect_delay_set(min_delay=1, max_delay=30)
    return client


def publish_props(expiry_s: float | None = None) -> Properties | None:
    if expiry_s is None:
        return None
    props = Properties(PacketTypes.PUBLISH)
    props.MessageExpiryInterval = max(1, int(expiry_s))
    return props


def session_props(expiry_s: int, *, receive_maximum: int | None = None) -> Properties:
    """CONNECT properties of a persistent session. receive_maximum: how many QoS 1 messages the broker may send
    before we acknowledge any (MQTT 5; Mosquitto otherwise uses its max_inflight_messages, 20)."""
    props = Properties(PacketTypes.CONNECT)
    props.SessionExpiryInterval = expiry_s
    if receive_maximum is not None:
        props.ReceiveMaximum = receive_maximum
    return props


class ConnectWaiter:
    """Lets the caller block until the first CONNACK and learn whether it was accepted."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.reason: Any = None

    def set(self, reason_code: Any) -> None:
        self.reason = reason_code
        self.event.set()

    def wait(self, timeout: float) -> None:
        if not self.event.wait(timeout):
            raise ConnectionError("no answer from the MQTT broker")
        if getattr(self.reason, "is_failure", False):
            raise ConnectionError(f"MQTT broker refused the connection: {self.reason}")

"""The scheduler's MQTT connection: publishes signed commands, receives node events and status."""

from __future__ import annotations

import logging
from collections.abc import Callable

import paho.mqtt.client as mqtt

from radio.mqtt import ConnectWaiter, make_client, publish_props, session_props
from radio.protocol import topics

log = logging.getLogger(__name__)
MessageHandler = Callable[[str, bytes], None]


class MqttTransport:
    def __init__(self, host: str, port: int, username: str, password: str, *, client_id: str = "scheduler") -> None:
        self.host, self.port = host, port
        self.handlers: list[MessageHandler] = []
        self._connected = ConnectWaiter()
        self.client = make_client(client_id, username, password)
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message

    def start(self, wait_s: float = 10.0) -> None:
        # A persistent session: node events published while the scheduler restarts are kept by the broker.
        self.client.connect_async(self.host, self.port, keepalive=30, clean_start=False,
                                  properties=session_props(86400))
        self.client.loop_start()
        self._connected.wait(wait_s)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def _on_connect(self, client: mqtt.Client, userdata: object, flags: object, reason_code: mqtt.ReasonCode,
                    properties: object) -> None:
        if not reason_code.is_failure:
            client.subscribe([(topics.ALL_EVENTS, 1), (topics.ALL_STATUS, 1), (topics.ALL_HEARTBEATS, 0)])
        self._connected.set(reason_code)

    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        for handler in self.handlers:
            try:
                handler(msg.topic, msg.payload)
            except Exception:
                log.exception("handler failed for %s", msg.topic)

    def publish(self, topic: str, payload: bytes, *, expiry_s: float | None, retain: bool = False) -> None:
        info = self.client.publish(topic, payload, qos=1, retain=retain, properties=publish_props(expiry_s))
        if info.rc != mqtt.MQTT_ERR_SUCCESS and info.rc != mqtt.MQTT_ERR_NO_CONN:
            raise ConnectionError(f"publish to {topic} failed: {mqtt.error_string(info.rc)}")

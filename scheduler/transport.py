"""The scheduler's MQTT connection: publishes signed commands, receives node events and status.

Incoming QoS 1 messages are acknowledged only when the receiver says they are stored (`ack`), so a scheduler
killed at any moment loses nothing: the broker keeps unacknowledged messages in the persistent session and sends
them again when the next scheduler connects under the same account.
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.subscribeoptions import SubscribeOptions

from radio.mqtt import ConnectWaiter, make_client, publish_props, session_props
from radio.protocol import topics
from scheduler.mqtt_receive import ReceivingClient

log = logging.getLogger(__name__)

SESSION_EXPIRY_S = 86400
# Unacknowledged messages the broker may have in flight to us: storage takes a batch interval (~50 ms), so this
# must cover that much traffic at full rate (20,000 events/s), or the broker would stall waiting for acks.
RECEIVE_MAXIMUM = 10000
SESSION_TAKEN_OVER = 142  # MQTT 5 DISCONNECT reason: another client connected with our client id
# Connection numbers, unique across transports in a process: a receiver that outlives one transport (a tool
# reconnecting with a new one) can never have an old packet id acknowledged on a new connection.
_GENERATIONS = itertools.count(1)


@dataclass(frozen=True)
class Delivery:
    """One received message and what is needed to acknowledge it later."""

    topic: str
    payload: bytes
    qos: int = 1
    retain: bool = False
    mid: int = 0
    generation: int = 0  # which connection it arrived on: an ack is valid only on that connection


DeliveryHandler = Callable[[Delivery], None]


class MqttTransport:
    def __init__(self, host: str, port: int, username: str, password: str, *, client_id: str | None = None,
                 receive_maximum: int = RECEIVE_MAXIMUM) -> None:
        self.host, self.port = host, port
        self.username = username
        # The receiver of every message; it must call ack() once the message is stored. Without one, messages
        # are acknowledged on arrival.
        self.handler: DeliveryHandler | None = None
        self.receive_maximum = receive_maximum
        self._connected = ConnectWaiter()
        # The broker replaces the client id by the user name (use_username_as_clientid); pass the same here.
        self.client: ReceivingClient = make_client(  # type: ignore[assignment]
            client_id or username, username, password, manual_ack=True, client_class=ReceivingClient)
        self.client.on_connect = self._on_connect
        self.client.on_disconnect = self._on_disconnect
        self.client.on_message = self._on_message
        self._lock = threading.Lock()
        self._generation = 0
        self.is_connected = False
        self.disconnects = 0
        self.last_disconnect = ""

    def start(self, wait_s: float = 10.0) -> None:
        # A persistent session: node events published while the scheduler restarts are kept by the broker.
        self.client.connect_async(self.host, self.port, keepalive=30, clean_start=False,
                                  properties=session_props(SESSION_EXPIRY_S, receive_maximum=self.receive_maximum))
        self.client.loop_start()
        self._connected.wait(wait_s)

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def stats(self) -> dict[str, Any]:
        return {"connected": self.is_connected, "disconnects": self.disconnects,
                "last_disconnect": self.last_disconnect}

    def _on_connect(self, client: mqtt.Client, userdata: object, flags: Any, reason_code: mqtt.ReasonCode,
                    properties: object) -> None:
        if not reason_code.is_failure:
            with self._lock:
                self._generation = next(_GENERATIONS)
                self.is_connected = True
            log.info("MQTT connected as %s (session present: %s)", self.username,
                     getattr(flags, "session_present", "?"))
            # Node events and heartbeats are never retained by the protocol: retained copies are not sent to us on
            # subscribe (a retained poison message would otherwise come back after every restart), and
            # retain-as-published shows a live retained publish so the ingest can refuse and clear it.
            live_only = dict(retainAsPublished=True, retainHandling=SubscribeOptions.RETAIN_DO_NOT_SEND)
            client.subscribe([
                (topics.ALL_EVENTS, SubscribeOptions(qos=1, **live_only)),  # type: ignore[arg-type]
                (topics.ALL_STATUS, SubscribeOptions(qos=1)),
                (topics.ALL_HEARTBEATS, SubscribeOptions(qos=0, **live_only)),  # type: ignore[arg-type]
            ])
        else:
            log.error("MQTT broker refused the scheduler's connection: %s", reason_code)
        self._connected.set(reason_code)

    def _on_disconnect(self, client: mqtt.Client, userdata: object, flags: object, reason_code: mqtt.ReasonCode,
                       properties: object) -> None:
        with self._lock:
            self.is_connected = False
            self.disconnects += 1
            self.last_disconnect = str(reason_code)
        # Mosquitto 2.0 closes a taken-over connection without a DISCONNECT packet (paho then says "Unspecified
        # error"), so a takeover looks like any lost link: reported as one, with the likely cause named.
        if getattr(reason_code, "value", None) == SESSION_TAKEN_OVER:
            log.error("another client connected as %s and took over the scheduler's MQTT session: reconnecting",
                      self.username)
        elif reason_code.is_failure:
            log.error("MQTT connection of %s lost (%s), %d so far: reconnecting. Repeated losses mean another "
                      "process uses this account (session takeover) or the broker is unreachable",
                      self.username, reason_code, self.disconnects)

    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        delivery = Delivery(msg.topic, bytes(msg.payload), msg.qos, bool(msg.retain), msg.mid, self._generation)
        if self.handler is None:
            self.ack(delivery)
            return
        try:
            self.handler(delivery)
        except Exception:
            # Not acknowledged: the broker sends it again on the next connection.
            log.exception("handler failed for %s", msg.topic)

    def ack(self, delivery: Delivery) -> None:
        self.ack_many([delivery])

    def ack_many(self, deliveries: Iterable[Delivery]) -> None:
        """Acknowledge stored QoS 1 messages together (one write to the broker). One from an earlier connection is
        not acknowledged here: the broker sends it again on this connection with the same packet id, and that copy
        is acknowledged then. The scheduler subscribes at QoS 0 and 1 only, so nothing else needs an answer."""
        with self._lock:
            generation, connected = self._generation, self.is_connected
        if connected:
            self.client.ack_many([d.mid for d in deliveries if d.qos == 1 and d.generation == generation])

    def publish(self, topic: str, payload: bytes, *, expiry_s: float | None, retain: bool = False) -> None:
        info = self.client.publish(topic, payload, qos=1, retain=retain, properties=publish_props(expiry_s))
        if info.rc != mqtt.MQTT_ERR_SUCCESS and info.rc != mqtt.MQTT_ERR_NO_CONN:
            raise ConnectionError(f"publish to {topic} failed: {mqtt.error_string(info.rc)}")

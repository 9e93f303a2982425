"""The node's MQTT link: persistent session, birth and delayed last will, and delivery of the outbox.

Every event is already in the outbox (SQLite) when it is handed to paho. The row is deleted only when the
broker's PUBACK for that exact publish arrives (`on_publish` maps paho's `mid` back to the row). paho keeps
un-acknowledged QoS 1 messages and re-sends them after a reconnect; rows from a previous run of the agent are
published again at start, oldest first. The server stores each event id once, so re-sends are harmless.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable

import paho.mqtt.client as mqtt
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from radio.mqtt import ConnectWaiter, make_client, session_props
from radio.node.config import NodeConfig
from radio.node.state import NodeState
from radio.node.tls import client_context
from radio.protocol import topics

log = logging.getLogger(__name__)


class Link:
    def __init__(self, config: NodeConfig, state: NodeState, *, on_command: Callable[[bytes], None],
                 status: Callable[[bool], bytes]) -> None:
        self.config = config
        self.state = state
        self.on_command = on_command
        self.status = status
        self.connected = ConnectWaiter()
        self.on_connected: list[Callable[[], None]] = []
        # mid → outbox seq (None for a status message): which row a PUBACK settles.
        self._inflight: dict[int, int | None] = {}
        # PUBACKs that overtook the return of publish(): paho calls on_publish holding its own lock, so we
        # cannot hold ours across publish() and must reconcile afterwards instead.
        self._early: dict[int, mqtt.ReasonCode] = {}
        self._lock = threading.Lock()
        self._sub_mid: int | None = None
        self._connack: mqtt.ReasonCode | None = None
        self.client = self._build_client()

    def _build_client(self) -> mqtt.Client:
        cfg = self.config
        client = make_client(cfg.node_id, cfg.mqtt_username, cfg.password)
        client.reconnect_delay_set(min_delay=cfg.reconnect_min_s, max_delay=cfg.reconnect_max_s)
        if cfg.broker_tls:
            # Chain checked against the province CA and the certificate's name against broker_host: a node must
            # not hand its password to whoever answers on 8883.
            client.tls_set_context(client_context(cfg.ca_file))
        will_props = None
        if cfg.will_delay_s:
            # A short 4G drop, reconnected within the delay, never shows the node offline.
            will_props = Properties(PacketTypes.WILLMESSAGE)
            will_props.WillDelayInterval = cfg.will_delay_s
        client.will_set(topics.node_status(cfg.node_id), self.status(False), qos=1, retain=True,
                        properties=will_props)
        client.on_connect = self._on_connect
        client.on_subscribe = self._on_subscribe
        client.on_message = self._on_message
        client.on_publish = self._on_publish
        client.on_disconnect = self._on_disconnect
        return client

    def queue_outbox(self) -> None:
        """Hand paho every undelivered outbox row it does not hold yet, oldest first."""
        with self._lock:
            held = {seq for seq in self._inflight.values() if seq is not None}
        for row in self.state.outbox():
            if row.seq not in held:
                self.send(row.seq, row.topic, row.payload)

    def connect(self) -> None:
        """Connect in the background, retrying with backoff while the broker is unreachable (boot, outage)."""
        cfg = self.config
        self.client.connect_async(cfg.broker_host, cfg.broker_port, keepalive=cfg.keepalive_s, clean_start=False,
                                  properties=session_props(cfg.session_expiry_s))
        self.client.loop_start()

    @property
    def is_connected(self) -> bool:
        return self.client.is_connected()

    # --- publishing ---------------------------------------------------------------------------------
    def send(self, seq: int | None, topic: str, payload: bytes, *, retain: bool = False) -> mqtt.MQTTMessageInfo:
        """Publish QoS 1; when seq is given, that outbox row is deleted on PUBACK."""
        info = self.client.publish(topic, payload, qos=1, retain=retain)
        if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_NO_CONN):
            # Not queued by paho: the row stays in the outbox and goes out on the next connect.
            log.warning("publish to %s not queued: %s", topic, mqtt.error_string(info.rc))
            return info
        with self._lock:
            early = self._early.pop(info.mid, None)
            if early is None:
                self._inflight[info.mid] = seq
        if early is not None:
            self._settle(seq, early)
        return info

    def publish_heartbeat(self, payload: bytes) -> None:
        # QoS 0 and not in the outbox: a stale heartbeat is worthless, the next one replaces it.
        if self.is_connected:
            self.client.publish(topics.node_heartbeat(self.config.node_id), payload, qos=0)

    def pending(self) -> int:
        with self._lock:
            return sum(1 for seq in self._inflight.values() if seq is not None)

    def _on_publish(self, client: mqtt.Client, userdata: object, mid: int, reason_code: mqtt.ReasonCode,
                    properties: object) -> None:
        with self._lock:
            if mid not in self._inflight:
                self._early[mid] = reason_code
                return
            seq = self._inflight.pop(mid)
        self._settle(seq, reason_code)

    def _settle(self, seq: int | None, reason_code: mqtt.ReasonCode) -> None:
        if reason_code.is_failure:
            # The broker will never take it (e.g. 135, not authorized): keeping it would block nothing but
            # would grow forever, so it is logged and dropped.
            log.error("broker refused outbox row %s: %s", seq, reason_code)
        if seq is not None:
            try:
                self.state.delivered(seq)
            except Exception:  # closed after a kill(); the row is re-sent by the next run
                log.debug("could not delete delivered outbox row %s", seq, exc_info=True)

    # --- connection ---------------------------------------------------------------------------------
    def _on_connect(self, client: mqtt.Client, userdata: object, flags: object, reason_code: mqtt.ReasonCode,
                    properties: object) -> None:
        if reason_code.is_failure:
            log.error("broker refused node %s: %s", self.config.node_id, reason_code)
            self.connected.set(reason_code)
            return
        subs = [(topics.node_cmd(self.config.node_id), 1)]
        subs += [(topics.area_cmd(code), 1) for code in self.config.area_codes]
        _rc, self._sub_mid = client.subscribe(subs)
        self._connack = reason_code
        # Birth after subscribing, on the same retained topic as the will (Home Assistant's pattern).
        self.send(None, topics.node_status(self.config.node_id), self.status(True), retain=True)
        self.queue_outbox()  # normally a no-op: paho re-sends what it holds; this catches refused publishes
        log.info("node %s connected to %s:%s", self.config.node_id, self.config.broker_host, self.config.broker_port)
        for hook in self.on_connected:
            hook()

    def _on_subscribe(self, client: mqtt.Client, userdata: object, mid: int, reason_codes: object,
                      properties: object) -> None:
        # "Connected" means able to receive commands: a command published between CONNACK and SUBACK on a
        # first (non-persistent) session would be lost, so waiters are released only at the SUBACK.
        if mid == self._sub_mid:
            self.connected.set(self._connack)

    def _on_disconnect(self, client: mqtt.Client, userdata: object, flags: object, reason_code: mqtt.ReasonCode,
                       properties: object) -> None:
        log.warning("node %s lost the broker (%s): reconnecting", self.config.node_id, reason_code)

    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        # paho sends the PUBACK after this returns, so the command is on disk before the broker forgets it.
        try:
            self.on_command(msg.payload)
        except Exception:
            log.exception("handling a command on %s failed", msg.topic)

    # --- ending -------------------------------------------------------------------------------------
    def stop(self, timeout_s: float = 2.0) -> None:
        """Say offline ourselves (a clean DISCONNECT does not fire the will), let the outbox drain, leave."""
        if self.is_connected:
            deadline = time.monotonic() + timeout_s
            while self.pending() and time.monotonic() < deadline:
                time.sleep(0.02)
            info = self.send(None, topics.node_status(self.config.node_id), self.status(False), retain=True)
            with contextlib.suppress(RuntimeError, ValueError):  # link dropped meanwhile: the will says it
                info.wait_for_publish(timeout=max(0.1, deadline - time.monotonic()))
        self.client.disconnect()
        self.client.loop_stop()

    def kill(self) -> None:
        """Drop the socket without DISCONNECT, as a power cut would: the broker sends the will."""
        sock = self.client.socket()
        self.client.loop_stop()
        if sock is not None:
            sock.close()

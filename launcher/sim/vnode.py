"""One virtual loudspeaker node: a full protocol participant (docs/protocol.md) without audio.

Its own MQTT identity (user = client id = node id), a persistent session, last will and retained birth,
subscriptions to its node and area topics, every command validated by the shared `radio.node.gate.judge`,
events with deterministic ids, heartbeats. "Playing" is a null player: the start instant is recorded and
the item "ends" after duration_ms. Virtual nodes run on the server's machine, so their clock *is* server time:
events and heartbeats say so (clock offset 0, uncertainty 0). All methods run on the process's loop thread
except `begin` (start timer).
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass
from functools import partial
from typing import Any

import paho.mqtt.client as mqtt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from launcher.sim.loop import Multiplexer
from launcher.sim.media import MediaCache
from launcher.sim.model import NodeResult, SimConfig
from launcher.sim.starter import StartTimer
from radio.broker import NodeAccount
from radio.mqtt import make_client, session_props
from radio.node.gate import Accepted, Duplicate, Recipient, Rejected, SeenIds, judge
from radio.protocol import (
    EventKind,
    Heartbeat,
    NodeEvent,
    NodeStatus,
    PlayCommand,
    StopCommand,
    VolumeCommand,
    encode,
    event_id_for,
    topics,
)

log = logging.getLogger(__name__)


@dataclass
class Shared:
    """What all nodes of a process share: config, loop, trusted keys, media cache, start timer."""

    config: SimConfig
    mux: Multiplexer
    keys: list[Ed25519PublicKey]
    media: MediaCache
    starter: StartTimer
    stopping: bool = False
    events: int = 0  # events published by this process


@dataclass
class Playing:
    command: PlayCommand
    since_s: float
    until_s: float
    cut: bool = False


class VirtualNode:
    def __init__(self, account: NodeAccount, shared: Shared) -> None:
        self.account = account
        self.id = account.node_id
        self.shared = shared
        self.result = NodeResult(account.node_id)
        self.seen = SeenIds(capacity=1000)
        self.me = Recipient(account.node_id, tuple(account.area_codes))
        self.playing: Playing | None = None
        self.volume = 100
        self.born_s = time.time()
        self._backoff_s = 1.0
        self.client = self._build_client()

    def _build_client(self) -> mqtt.Client:
        client = make_client(self.id, self.id, self.account.password)
        offline = NodeStatus(node_id=self.id, online=False, at_ms=0, agent_version=self.shared.config.agent_version)
        client.will_set(topics.node_status(self.id), encode(offline), qos=1, retain=True)
        client.on_connect = self._on_connect
        client.on_subscribe = self._on_subscribe
        client.on_disconnect = self._on_disconnect
        client.on_message = self._on_message
        self.shared.mux.attach(client)
        return client

    # --- connection --------------------------------------------------------------------------------------
    def connect(self) -> None:
        cfg = self.shared.config
        try:
            self.client.connect(cfg.host, cfg.port, keepalive=cfg.keepalive_s, clean_start=False,
                                properties=session_props(cfg.session_expiry_s))
        except OSError as exc:
            log.debug("node %s: connect failed (%s), retrying", self.id, exc)
            self._retry(self.connect)

    def _reconnect(self) -> None:
        try:
            self.client.reconnect()
        except OSError:
            self._retry(self._reconnect)

    def _retry(self, fn: Any) -> None:
        if not self.shared.stopping:
            # Jittered exponential back-off: thousands of nodes must not come back in one burst.
            self.shared.mux.call_at(time.time() + self._backoff_s * random.uniform(0.5, 1.5), fn)
            self._backoff_s = min(self._backoff_s * 2, 30.0)

    def _on_connect(self, client: mqtt.Client, userdata: Any, flags: Any, reason_code: mqtt.ReasonCode,
                    properties: Any) -> None:
        if reason_code.is_failure:
            log.warning("broker refused node %s: %s", self.id, reason_code)
            return
        self._backoff_s = 1.0
        self.result.connected = True
        self.result.connects += 1
        subs = [(topics.node_cmd(self.id), 1)] + [(topics.area_cmd(c), 1) for c in self.account.area_codes]
        client.subscribe(subs)
        birth = NodeStatus(self.id, True, int(time.time() * 1000), self.shared.config.agent_version)
        client.publish(topics.node_status(self.id), encode(birth), qos=1, retain=True)
        if self.result.connects == 1:
            # First heartbeat at a random point of the period, so the load is spread evenly.
            self.shared.mux.call_at(time.time() + random.uniform(0, self.shared.config.heartbeat_s), self.heartbeat)

    def _on_subscribe(self, client: mqtt.Client, userdata: Any, mid: int, reason_codes: Any, properties: Any) -> None:
        self.result.subscribed = True

    def _on_disconnect(self, client: mqtt.Client, userdata: Any, flags: Any, reason_code: Any,
                       properties: Any) -> None:
        self.result.connected = False
        self.result.subscribed = False
        if not self.shared.stopping:
            self._retry(self._reconnect)

    def shutdown(self) -> None:
        """Clean stop: offline status ourselves (a clean DISCONNECT does not fire the will)."""
        if self.result.connected:
            status = NodeStatus(self.id, False, int(time.time() * 1000), self.shared.config.agent_version)
            self.client.publish(topics.node_status(self.id), encode(status), qos=1, retain=True)
            self.client.disconnect()

    def heartbeat(self) -> None:
        cfg = self.shared.config
        if self.shared.stopping:
            return
        if self.result.connected:
            now = time.time()
            hb = Heartbeat(
                node_id=self.id, at_ms=int(now * 1000), agent_version=cfg.agent_version, volume=self.volume,
                current_command_id=self.playing.command.id if self.playing else None,
                uptime_s=int(now - self.born_s), clock_offset_ms=0, clock_uncertainty_ms=0,
            )
            self.client.publish(topics.node_heartbeat(self.id), encode(hb), qos=1)
            self.result.heartbeats += 1
        self.shared.mux.call_at(time.time() + cfg.heartbeat_s * random.uniform(0.9, 1.1), self.heartbeat)

    # --- commands ----------------------------------------------------------------------------------------
    def _on_message(self, client: mqtt.Client, userdata: Any, msg: mqtt.MQTTMessage) -> None:
        arrived_ms = time.time() * 1000
        verdict = judge(bytes(msg.payload), self.shared.keys, self.seen, int(arrived_ms), me=self.me)
        if isinstance(verdict, Rejected):
            self.result.rejected.append((verdict.command_id, verdict.reason))
            self.report(EventKind.REJECTED, verdict.command_id, detail=verdict.reason)
        elif isinstance(verdict, Duplicate):
            pass  # normal: QoS 1 re-delivery and overlapping node/area subscriptions
        elif isinstance(verdict, Accepted):
            command = verdict.command
            if isinstance(command, PlayCommand):
                self.result.delivered_at_ms[command.id] = arrived_ms
                self.result.scheduled_ms[command.id] = command.start_at_ms
                self.shared.media.get(command.media_url, command.sha256, partial(self._media_done, command))
            elif isinstance(command, StopCommand):
                self._stop(command.target_command_id, command.issued_at_ms)
            elif isinstance(command, VolumeCommand):
                self.volume = command.volume

    def _media_done(self, command: PlayCommand, error: str | None) -> None:
        """Any thread (the fetch thread, or ours when cached): continue on the loop thread."""
        self.shared.mux.call_soon(partial(self._media_ready, command, error))

    def _media_ready(self, command: PlayCommand, error: str | None) -> None:
        if error is not None:
            self.result.failed[command.id] = error
            self.report(EventKind.FAILED, command.id, command, detail=error)
            return
        self.result.received_at_ms[command.id] = int(time.time() * 1000)
        self.report(EventKind.RECEIVED, command.id, command)
        self.shared.starter.add(command.start_at_ms / 1000, self, command)

    def begin(self, command: PlayCommand, now_s: float) -> float | None:
        """Start timer thread, loop paused: start now, or say when to retry (one item plays at a time)."""
        if self.playing is not None and not self.playing.cut and self.playing.until_s > now_s:
            return self.playing.until_s
        late_ms = now_s * 1000 - command.start_at_ms
        if late_ms > self.shared.config.late_tolerance_ms:
            self.result.missed[command.id] = f"late by {int(late_ms)} ms"
            return None
        self.playing = Playing(command, now_s, now_s + command.duration_ms / 1000)
        self.result.started_at_ms[command.id] = now_s * 1000
        return None

    def after_begin(self, command: PlayCommand) -> None:
        """Loop thread, after a start burst: report what begin() did."""
        if command.id in self.result.missed:
            self.report(EventKind.MISSED, command.id, command, detail=self.result.missed[command.id])
            return
        playing = self.playing
        if playing is None or playing.command.id != command.id:
            return
        self.report(EventKind.STARTED, command.id, command, at_ms=int(playing.since_s * 1000))
        self.shared.mux.call_at(playing.until_s, partial(self._finish, playing))

    def _finish(self, playing: Playing) -> None:
        if playing.cut or self.playing is not playing:
            return
        self.playing = None
        at_ms = int(time.time() * 1000)
        self.result.finished_at_ms[playing.command.id] = at_ms
        played = json.dumps({"played_ms": at_ms - int(playing.since_s * 1000)})
        self.report(EventKind.FINISHED, playing.command.id, playing.command, at_ms=at_ms, detail=played)

    def _stop(self, target: str | None, issued_at_ms: int) -> None:
        playing = self.playing
        if playing is None or playing.cut or (target is not None and playing.command.id != target):
            return
        if target is None and playing.since_s * 1000 > issued_at_ms:
            return  # a "stop all" issued before this item started was not meant for it (docs/protocol.md)
        playing.cut = True
        self.playing = None
        at_ms = int(time.time() * 1000)
        self.result.interrupted_at_ms[playing.command.id] = at_ms
        played = json.dumps({"played_ms": at_ms - int(playing.since_s * 1000)})
        self.report(EventKind.INTERRUPTED, playing.command.id, playing.command, at_ms=at_ms, detail=played)

    # --- events ------------------------------------------------------------------------------------------
    def report(self, kind: EventKind, command_id: str | None, command: PlayCommand | None = None, *,
               at_ms: int | None = None, detail: str = "") -> None:
        at = at_ms if at_ms is not None else int(time.time() * 1000)
        event = NodeEvent(
            event_id=event_id_for(self.id, command_id or str(at), kind), node_id=self.id, kind=kind, at_ms=at,
            command_id=command_id, bulletin_id=command.bulletin_id if command else None,
            scheduled_start_ms=command.start_at_ms if command else None, detail=detail[:500],
            clock_offset_ms=0, clock_uncertainty_ms=0,
        )
        self.client.publish(topics.node_event(self.id), encode(event), qos=1)
        self.shared.events += 1

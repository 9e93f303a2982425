"""The loudspeaker node agent: receives signed commands, prefetches, starts at the absolute time, reports."""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

import paho.mqtt.client as mqtt

import radio
from radio.mqtt import ConnectWaiter, make_client, session_props
from radio.node.config import NodeConfig
from radio.node.fetch import FetchError, fetch_media
from radio.node.gate import Duplicate, Rejected, SeenIds, judge
from radio.node.players import Playback, Player, make_player
from radio.protocol import EventKind, NodeEvent, NodeStatus, PlayCommand, StopCommand, encode, event_id_for, topics
from radio.protocol.signing import load_public_keys

log = logging.getLogger(__name__)
Clock = Callable[[], float]


def now_ms(clock: Clock) -> int:
    return int(clock() * 1000)


def sleep_until(t_s: float, clock: Clock, cancel: threading.Event) -> bool:
    """Wait for wall-clock time t_s precisely (sub-millisecond). False if cancelled first."""
    while True:
        remaining = t_s - clock()
        if remaining <= 0:
            return True
        if remaining > 0.004:
            # Coarse sleep that wakes early on cancel; the last few ms are polled finely.
            if cancel.wait(remaining - 0.003):
                return False
        else:
            time.sleep(0.0002)


class NodeAgent:
    def __init__(self, config: NodeConfig, *, player: Player | None = None, clock: Clock = time.time) -> None:
        self.config = config
        self.player = player or make_player(config.player, config.player_options)
        self.clock = clock
        self.keys = load_public_keys(config.public_key_pem)
        self._seen = SeenIds()
        self._lock = threading.Lock()
        self._playout_lock = threading.Lock()
        self._current: tuple[str, Playback] | None = None
        self._stopping = threading.Event()
        self._connected = ConnectWaiter()
        self.client = self._build_client()

    # --- connection -------------------------------------------------------------------------------
    def _build_client(self) -> mqtt.Client:
        cfg = self.config
        client = make_client(cfg.node_id, cfg.mqtt_username, cfg.password)
        offline = NodeStatus(node_id=cfg.node_id, online=False, at_ms=0, agent_version=radio.__version__)
        client.will_set(topics.node_status(cfg.node_id), encode(offline), qos=1, retain=True)
        client.on_connect = self._on_connect
        client.on_message = self._on_message
        return client

    def start(self, wait_s: float = 10.0) -> None:
        cfg = self.config
        self.client.connect_async(
            cfg.broker_host, cfg.broker_port, keepalive=30, clean_start=False,
            properties=session_props(cfg.session_expiry_s),
        )
        self.client.loop_start()
        if wait_s:
            self._connected.wait(wait_s)

    def stop(self) -> None:
        """Clean shutdown: say offline ourselves (a clean disconnect does not fire the will)."""
        self._stopping.set()
        self._stop_current()
        info = self.client.publish(
            topics.node_status(self.config.node_id), encode(self._status(False)), qos=1, retain=True
        )
        info.wait_for_publish(timeout=2)
        self.client.disconnect()
        self.client.loop_stop()

    def kill(self) -> None:
        """Drop the link without DISCONNECT, as a power cut would (tests: the broker sends the will)."""
        self._stopping.set()
        self._stop_current()
        sock = self.client.socket()
        self.client.loop_stop()
        if sock is not None:
            sock.close()

    def _status(self, online: bool) -> NodeStatus:
        return NodeStatus(self.config.node_id, online, now_ms(self.clock), radio.__version__)

    def _on_connect(self, client: mqtt.Client, userdata: object, flags: object, reason_code: mqtt.ReasonCode,
                    properties: object) -> None:
        if not reason_code.is_failure:
            subs = [(topics.node_cmd(self.config.node_id), 1)]
            subs += [(topics.area_cmd(code), 1) for code in self.config.area_codes]
            client.subscribe(subs)
            client.publish(topics.node_status(self.config.node_id), encode(self._status(True)), qos=1, retain=True)
        else:
            log.error("broker refused node %s: %s", self.config.node_id, reason_code)
        self._connected.set(reason_code)

    # --- commands ---------------------------------------------------------------------------------
    def _on_message(self, client: mqtt.Client, userdata: object, msg: mqtt.MQTTMessage) -> None:
        verdict = judge(msg.payload, self.keys, self._seen, now_ms(self.clock))
        if isinstance(verdict, Rejected):
            self._report(EventKind.REJECTED, verdict.command_id, detail=verdict.reason)
        elif isinstance(verdict, Duplicate):
            log.debug("duplicate command %s ignored", verdict.command_id)
        elif isinstance(verdict.command, PlayCommand):
            cmd = verdict.command
            threading.Thread(target=self._run_play, args=(cmd,), name=f"play-{cmd.id[:8]}", daemon=True).start()
        elif isinstance(verdict.command, StopCommand):
            self._stop_current(verdict.command.target_command_id)

    def _run_play(self, cmd: PlayCommand) -> None:
        try:
            path = fetch_media(cmd.media_url, cmd.sha256, Path(self.config.cache_dir))
        except FetchError as exc:
            self._report(EventKind.FAILED, cmd.id, cmd, detail=str(exc))
            return
        self._report(EventKind.RECEIVED, cmd.id, cmd)
        if not sleep_until(cmd.start_at_ms / 1000, self.clock, self._stopping):
            return
        with self._playout_lock:
            late_ms = now_ms(self.clock) - cmd.start_at_ms
            if late_ms > self.config.late_tolerance_ms:
                self._report(EventKind.MISSED, cmd.id, cmd, detail=f"late by {late_ms} ms")
                return
            started_ms = now_ms(self.clock)
            playback = self.player.play(path, duration_ms=cmd.duration_ms, item_id=cmd.id)
            with self._lock:
                self._current = (cmd.id, playback)
            self._report(EventKind.STARTED, cmd.id, cmd, at_ms=started_ms)
            playback.wait()
            with self._lock:
                self._current = None
            kind = EventKind.INTERRUPTED if playback.interrupted else EventKind.FINISHED
            played = now_ms(self.clock) - started_ms
            self._report(kind, cmd.id, cmd, detail=json.dumps({"played_ms": played}))

    def _stop_current(self, command_id: str | None = None) -> None:
        with self._lock:
            current = self._current
        if current and (command_id is None or current[0] == command_id):
            current[1].stop()

    # --- events -----------------------------------------------------------------------------------
    def _report(self, kind: EventKind, command_id: str | None, cmd: PlayCommand | None = None, *,
                at_ms: int | None = None, detail: str = "") -> None:
        at = at_ms if at_ms is not None else now_ms(self.clock)
        # Deterministic id: a re-sent event is recognised by the server as the same one.
        event_id = event_id_for(self.config.node_id, command_id or str(at), kind)
        event = NodeEvent(
            event_id=event_id, node_id=self.config.node_id, kind=kind, at_ms=at, command_id=command_id,
            bulletin_id=cmd.bulletin_id if cmd else None,
            scheduled_start_ms=cmd.start_at_ms if cmd else None, detail=detail,
        )
        self.client.publish(topics.node_event(self.config.node_id), encode(event), qos=1)


def run_forever(config: NodeConfig) -> None:
    agent = NodeAgent(config)
    agent.start(wait_s=0)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        agent.stop()

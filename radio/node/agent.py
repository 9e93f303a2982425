"""The loudspeaker node agent: the composition root that wires link, state, cache, player and playout.

Flow of a play command: judged (signature, duplicate, expiry) → stored in state.db → media fetched and
verified → `received` → handed to the playout timeline, which starts it at the absolute time and reports.
Every event goes through the outbox (state.db) before MQTT, so nothing is lost across drops and restarts.
"""

from __future__ import annotations

import json
import logging
import math
import signal
import sys
import threading
from collections.abc import Callable

import radio
from radio.node.cache import FetchError, MediaCache
from radio.node.config import NodeConfig, server_url_from_media
from radio.node.gate import Duplicate, Recipient, Rejected, SeenIds, judge
from radio.node.health import Ticker
from radio.node.link import Link
from radio.node.players import Player, make_player
from radio.node.playout import Item, Playout, PlayoutEvent
from radio.node.state import Change, NodeState, StateError
from radio.node.telemetry import TelemetryReader
from radio.node.timebase import BoxClock, SystemClock, TimeBase, WallOnlyClock
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
from radio.protocol.event_signing import signed_event_bytes
from radio.protocol.messages import to_dict
from radio.protocol.signing import load_public_keys, private_key_from_pem

log = logging.getLogger(__name__)
Clock = Callable[[], float]


def now_ms(clock: Clock) -> int:
    return int(clock() * 1000)


class NodeAgent:
    def __init__(self, config: NodeConfig, *, player: Player | None = None,
                 clock: BoxClock | Clock | None = None) -> None:
        self.config = config
        # The box's clocks: every time this node reads goes through this one object (a field model in tests).
        self.clock: BoxClock = (clock if hasattr(clock, "mono") else WallOnlyClock(clock)  # type: ignore[arg-type]
                                ) if clock is not None else SystemClock()
        self.keys = load_public_keys(config.public_key_pem)
        self._event_key = private_key_from_pem(config.event_key_pem) if config.event_key_pem else None
        # Server time as well as this box knows it: the schedule, expiry and every reported time use it.
        self.server_clock = TimeBase(self.clock, source=config.time_source, samples_per_refresh=config.time_samples,
                                     external_uncertainty_ms=config.external_clock_uncertainty_ms,
                                     ca_file=config.ca_file)
        self.me = Recipient(config.node_id, tuple(config.area_codes))
        self.state = NodeState(config.state_path)
        self._seen = SeenIds(initial=self.state.seen_ids())
        self.player = player or make_player(config.player, config.player_options)
        stored_volume = self.state.get("volume")
        if stored_volume is not None:  # a volume command outlives a restart
            self.player.set_volume(int(stored_volume))
        self.cache = MediaCache(config.cache_dir, config.cache_limit_bytes, timeout_s=config.fetch_timeout_s,
                                ca_file=config.ca_file)
        # The box's own facts for the heartbeat; the cache's file system is the one whose free space matters.
        self.telemetry = TelemetryReader(config.telemetry, config.cache_dir,
                                         now_ms=lambda: now_ms(self.server_clock.now))
        self._refreshing = threading.Lock()  # the heartbeat and a fetch may both want a fresh estimate
        self.playout = Playout(self.player, self._on_playout_event, clock=self.server_clock.now,
                               late_tolerance_ms=config.late_tolerance_ms)
        # A corrected clock that jumps forward must wake the playout, or it would sleep past a start.
        self.server_clock.on_change = self.playout.clock_changed
        self.link = Link(config, self.state, on_command=self._on_command, status=self._status_payload)
        self.client = self.link.client
        self._connected = self.link.connected
        self._server_url = config.server_url
        self._started_at = self.clock.mono()
        self._stopping = threading.Event()
        self._dead = False
        self._heartbeat = Ticker(config.heartbeat_s, self.send_heartbeat, "heartbeat")
        self.link.on_connected.append(self._heartbeat.poke)

    # --- life cycle ---------------------------------------------------------------------------------
    def start(self, wait_s: float = 10.0) -> None:
        self.link.queue_outbox()  # first, so what an earlier run left goes out before anything new
        self._rearm()
        threading.Thread(target=self.playout.run, name=f"playout-{self.config.node_id}", daemon=True).start()
        self._heartbeat.start()
        self.link.connect()
        if wait_s:
            self._connected.wait(wait_s)

    def stop(self) -> None:
        """Clean shutdown: report what was cut, say offline, disconnect. Upcoming commands stay armed on disk."""
        self._stopping.set()
        self._heartbeat.stop()
        self.playout.close()
        self.link.stop()
        self._dead = True
        self.state.close()

    def kill(self) -> None:
        """Stop as a power cut would: no report, no DISCONNECT (the broker sends the will). Tests use this."""
        self._dead = True
        self._stopping.set()
        self._heartbeat.stop()
        self.playout.close(silent=True)
        self.link.kill()
        self.state.close()

    def _rearm(self) -> None:
        """Re-arm commands accepted before a restart; one that was playing when we died is reported cut."""
        for stored in self.state.commands():
            cmd = stored.cmd
            if stored.state == "started":
                self._report(EventKind.INTERRUPTED, cmd.id, cmd, attempt=stored.attempt, change=Change.DONE,
                             detail='{"played_ms": 0, "reason": "agent restarted during playback"}')
                continue
            self.cache.pin(cmd.sha256)
            self._prepare_async(cmd, stored.attempt)
        self.cache.sweep()  # partial downloads nothing re-armed needs: left by a crash, never to be resumed
        self.state.prune_seen()

    # --- commands -----------------------------------------------------------------------------------
    def _on_command(self, payload: bytes) -> None:
        if self._dead:
            return
        verdict = judge(payload, self.keys, self._seen, now_ms(self.server_clock.now), me=self.me)
        if isinstance(verdict, Rejected):
            self._report(EventKind.REJECTED, verdict.command_id, detail=verdict.reason)
            return
        if isinstance(verdict, Duplicate):
            log.debug("duplicate command %s ignored", verdict.command_id)
            return
        cmd = verdict.command
        if isinstance(cmd, PlayCommand):
            if not self._remember(cmd.id, cmd):  # on disk before the PUBACK: survives a crash from here on
                # Played from memory it could play twice after a restart and its events could be lost: refuse,
                # and say why (the event goes out directly, since the outbox is on the same full disk).
                self._report(EventKind.FAILED, cmd.id, cmd, detail=f"{self.state.error}: command not stored")
                return
            self.cache.pin(cmd.sha256)
            self._server_url = self._server_url or server_url_from_media(cmd.media_url)
            self._prepare_async(cmd, 1)
        elif isinstance(cmd, StopCommand):
            self._remember(cmd.id)  # a stop is safe to obey even if it cannot be stored
            self.playout.stop(cmd.target_command_id, issued_at_ms=cmd.issued_at_ms)
        elif isinstance(cmd, VolumeCommand):
            if self._remember(cmd.id):
                self._put("volume", str(cmd.volume))
            self.playout.set_volume(cmd.volume)
            self._heartbeat.poke()  # the monitor sees the new volume at once

    def _remember(self, command_id: str, play: PlayCommand | None = None) -> bool:
        try:
            self.state.remember(command_id, play)
            return True
        except StateError as exc:
            log.error("cannot store command %s: %s", command_id, exc)
            self._heartbeat.poke()  # the monitor sees storage_error at once
            return False

    def _put(self, key: str, value: str) -> None:
        try:
            self.state.put(key, value)
        except StateError as exc:
            log.error("cannot store %s: %s", key, exc)

    def _prepare_async(self, cmd: PlayCommand, attempt: int) -> None:
        threading.Thread(target=self._prepare, args=(cmd, attempt), name=f"fetch-{cmd.id[:8]}", daemon=True).start()

    def _prepare(self, cmd: PlayCommand, attempt: int) -> None:
        """Fetch and verify the media (retrying until air time), then put the item on the timeline."""
        try:
            path = self.cache.fetch(cmd.media_url, cmd.sha256, deadline_s=cmd.start_at_ms / 1000,
                                    cancel=self._stopping)
        except FetchError as exc:
            if not self._stopping.is_set():
                self.cache.unpin(cmd.sha256)
                self._report(EventKind.FAILED, cmd.id, cmd, attempt=attempt, detail=str(exc), change=Change.DONE)
                if self.cache.error:
                    self._heartbeat.poke()  # a full disk is the box's problem, not this item's: show it at once
            return
        self._report(EventKind.RECEIVED, cmd.id, cmd, attempt=attempt)
        self.playout.submit(Item(cmd, path, attempt=attempt))
        self._ensure_clock()  # after submit: a server that does not answer must not hold the item back

    def _ensure_clock(self) -> None:
        """Measure the offset before air time if the heartbeat has not (yet, or lately): a start must not
        ride on an unmeasured clock when the server can be asked."""
        age = self.server_clock.age_s()
        if self._server_url and (age is None or age > 2 * self.config.heartbeat_s):
            self._refresh_clock()

    def _refresh_clock(self) -> None:
        if self._server_url and self._refreshing.acquire(blocking=False):
            try:
                self.server_clock.refresh(self._server_url)
            finally:
                self._refreshing.release()

    def _out_of_step(self) -> str | None:
        """Why this node's start may be out of step with the others, or None when its clock is good enough.

        Policy (docs/protocol.md): it plays anyway, a bulletin out of step beats silence, and says why."""
        st = self.server_clock.status()
        limit = self.config.max_start_uncertainty_ms
        if st.uncertainty_ms is None:
            return "clock never checked against the server: started on the box's own clock"
        if st.uncertainty_ms > limit:
            age = f", last measured {st.age_s:.0f} s ago" if st.age_s is not None else ""
            return f"clock uncertain by {st.uncertainty_ms:.0f} ms (limit {limit} ms){age}"
        return None

    def _on_playout_event(self, ev: PlayoutEvent) -> None:
        if ev.kind == EventKind.STARTED:
            change = Change.STARTED
            reason = self._out_of_step()
            if reason is not None:
                detail = json.loads(ev.detail) if ev.detail else {}
                detail["out_of_step"] = reason
                ev = PlayoutEvent(ev.kind, ev.cmd, ev.attempt, ev.at_ms, json.dumps(detail, ensure_ascii=False),
                                  ev.final)
        elif ev.kind == EventKind.INTERRUPTED and not ev.final:
            change = Change.RETRY
        else:
            change = Change.DONE if ev.final else Change.NONE
        if change is Change.DONE:
            self.cache.unpin(ev.cmd.sha256)
        self._report(ev.kind, ev.cmd.id, ev.cmd, attempt=ev.attempt, at_ms=ev.at_ms, detail=ev.detail, change=change)

    # --- events, status, heartbeat ------------------------------------------------------------------
    def _report(self, kind: EventKind, command_id: str | None, cmd: PlayCommand | None = None, *,
                attempt: int = 1, at_ms: int | None = None, detail: str = "", change: Change = Change.NONE) -> None:
        if self._dead:
            return
        at = at_ms if at_ms is not None else now_ms(self.server_clock.now)
        offset, uncertainty = self.server_clock.estimate()
        # Deterministic id: a re-sent event is recognised by the server as the same one.
        event = NodeEvent(
            event_id=event_id_for(self.config.node_id, command_id or str(at), kind, attempt),
            node_id=self.config.node_id, kind=kind, at_ms=at, command_id=command_id,
            bulletin_id=cmd.bulletin_id if cmd else None,
            scheduled_start_ms=cmd.start_at_ms if cmd else None, detail=detail[:500], attempt=attempt,
            clock_offset_ms=offset, clock_uncertainty_ms=uncertainty,
        )
        topic = topics.node_event(self.config.node_id)
        payload = signed_event_bytes(to_dict(event), self._event_key)  # signed once: re-sends are the same bytes
        seq: int | None = None
        try:
            seq = self.state.record_event(event.event_id, topic, payload, command_id, change, attempt=attempt,
                                          at_ms=at)
        except StateError as exc:
            # No outbox: published once, not durable. Better a record that can be lost than certain silence.
            log.error("event %s not stored (%s): sent without the outbox", event.event_id, exc)
            self._heartbeat.poke()
        self.link.send(seq, topic, payload)

    def _status_payload(self, online: bool) -> bytes:
        at = now_ms(self.server_clock.now) if online else 0
        return encode(NodeStatus(self.config.node_id, online, at, radio.__version__))

    def heartbeat(self) -> Heartbeat:
        """The one place the heartbeat is built: the box's state as the server should see it."""
        clock = self.server_clock.status()
        return Heartbeat(
            node_id=self.config.node_id, at_ms=now_ms(self.server_clock.now), agent_version=radio.__version__,
            volume=self.player.volume, current_command_id=self.playout.current_command_id,
            cache_bytes=self.cache.size_bytes(), cache_limit_bytes=self.config.cache_limit_bytes,
            clock_offset_ms=None if clock.offset_ms is None else round(clock.offset_ms),
            uptime_s=int(self.clock.mono() - self._started_at), outbox=self.state.outbox_size(),
            clock_uncertainty_ms=None if clock.uncertainty_ms is None else math.ceil(clock.uncertainty_ms),
            storage_error=self.state.error or self.cache.error,
            clock_drift_ppm=None if clock.drift_ppm is None else round(clock.drift_ppm, 2),
            clock_source=clock.source,
            telemetry=self.telemetry.read() or None,
        )

    def send_heartbeat(self) -> None:
        if self._dead or not self.link.is_connected:
            return
        self._refresh_clock()
        self.link.publish_heartbeat(encode(self.heartbeat()))


def run_forever(config: NodeConfig, clock: BoxClock | None = None) -> None:
    """Run until SIGTERM (systemd stop) or Ctrl-C, then shut down cleanly. clock: a modelled box clock (tests)."""
    # The agent is I/O-bound; a short switch interval bounds how long the player's writer waits for the GIL
    # when another thread is computing at air time (Python's default is 5 ms, the whole skew budget).
    sys.setswitchinterval(0.0005)
    agent = NodeAgent(config, clock=clock)
    agent.start(wait_s=0)
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        while not done.wait(1.0):
            pass
    except KeyboardInterrupt:
        pass
    agent.stop()

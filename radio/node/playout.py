"""The playout engine: one speaker, a timeline of accepted items, precise starts, emergency preemption.

Decisions live in `tick()`, which looks at the clock once and acts; `run()` is the thread that calls it at
the right moments. Tests drive `tick()` with a fake clock and a fake player, without any thread.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from radio.node.players import Playback, Player
from radio.protocol import EventKind, PlayCommand, Priority

log = logging.getLogger(__name__)
Clock = Callable[[], float]
RANK = {Priority.EMERGENCY: 0, Priority.PRIORITY: 1, Priority.NORMAL: 2}
COARSE_MARGIN_S = 0.003  # wake this long before a start, then poll: Event.wait overshoots by ~1 ms


@dataclass
class Item:
    """An accepted play command whose media is verified in the cache."""

    cmd: PlayCommand
    path: Path
    attempt: int = 1
    replay: bool = False  # a replay after an emergency: due at once, exempt from lateness and expiry
    waited: bool = False  # its start came while the speaker was busy, so lateness is not its fault

    def order(self) -> tuple[int, int, int]:
        # Emergency first, then "priority" (first in the programme), then by scheduled start.
        return (RANK[self.cmd.priority], self.cmd.start_at_ms, self.attempt)


@dataclass(frozen=True)
class PlayoutEvent:
    kind: EventKind
    cmd: PlayCommand
    attempt: int
    at_ms: int
    detail: str = ""
    final: bool = True  # nothing more will happen to this command on this node


@dataclass
class _Current:
    item: Item
    playback: Playback
    started_ms: int


@dataclass
class _Pending:
    events: list[PlayoutEvent] = field(default_factory=list)


class Playout:
    def __init__(self, player: Player, on_event: Callable[[PlayoutEvent], None], *, clock: Clock = time.time,
                 late_tolerance_ms: int = 5000) -> None:
        self.player = player
        self.on_event = on_event
        self.clock = clock
        self.late_tolerance_ms = late_tolerance_ms
        self._items: list[Item] = []
        self._current: _Current | None = None
        self._cond = threading.Condition()
        self._dirty = False
        self._closed = False
        # A decode-ahead player is handed each item this long before air time, to open its output and write the
        # first sample itself at the exact moment (radio/node/pcm.py).
        self.start_lead_ms = int(getattr(player, "start_lead_ms", 0)) if hasattr(player, "play_at") else 0

    # --- called from other threads ------------------------------------------------------------------
    def submit(self, item: Item) -> None:
        with self._cond:
            if any(i.cmd.id == item.cmd.id for i in self._items) or (
                    self._current and self._current.item.cmd.id == item.cmd.id):
                return
            self._items.append(item)
            self._wake()
        prepare = getattr(self.player, "prepare", None)
        if prepare is not None and not item.replay:
            prepare(item.path, item.cmd.id)  # decode now, in the background: not at air time

    def stop(self, command_id: str | None = None, *, issued_at_ms: int | None = None) -> bool:
        """Stop what plays (or the named command, playing or waiting). True if something was stopped.

        A stop naming no command only cuts an item that was already playing when the stop was issued
        (issued_at_ms): a "stop all" that reached an offline node minutes late must not cut the next bulletin."""
        out = _Pending()
        with self._cond:
            cur = self._current
            meant = command_id is None and (issued_at_ms is None or cur is None or cur.started_ms <= issued_at_ms)
            if cur and (meant or cur.item.cmd.id == command_id):
                self._end_current(out, "stop", replay=False)
            elif command_id is not None:
                for item in [i for i in self._items if i.cmd.id == command_id]:
                    self._items.remove(item)
                    self._emit(out, EventKind.INTERRUPTED, item, _played(0, "stopped before start"))
            self._wake()
        self._flush(out)
        return bool(out.events)

    def clock_changed(self) -> None:
        """The clock jumped (a new offset was applied): re-decide, since a wait computed on the old clock may
        now overshoot a start."""
        with self._cond:
            self._wake()

    def set_volume(self, volume: int) -> None:
        self.player.set_volume(volume)

    @property
    def current_command_id(self) -> str | None:
        cur = self._current
        return cur.item.cmd.id if cur else None

    def close(self, *, silent: bool = False) -> None:
        """End the thread; stop the speaker. silent: report nothing (a simulated power cut)."""
        out = _Pending()
        with self._cond:
            self._closed = True
            if self._current:
                self._current.playback.stop()
                if not silent:
                    self._end_current(out, "agent stopped", replay=False)
                self._current = None
            self._wake()
        if not silent:
            self._flush(out)

    # --- decisions ----------------------------------------------------------------------------------
    def tick(self) -> float | None:
        """Act on the clock once; return the wall-clock time (s) of the next decision, None if none is due."""
        out = _Pending()
        with self._cond:
            if self._closed:
                return None
            next_s = self._decide(out)
        self._flush(out)
        return next_s

    def _decide(self, out: _Pending) -> float | None:
        now = int(self.clock() * 1000)
        cur = self._current
        if cur and cur.playback.wait(0):
            self._end_current(out, "", replay=False, natural=not cur.playback.interrupted)
            cur = None
        due = self._due(now)
        if cur and cur.item.cmd.priority != Priority.EMERGENCY and any(
                i.cmd.priority == Priority.EMERGENCY for i in due):
            self._end_current(out, "emergency", replay=cur.item.cmd.if_interrupted == "replay")
            due = self._due(now)
        for item in due:
            reason = self._why_not(item, now)
            if reason is not None:
                self._items.remove(item)
                self._emit(out, EventKind.MISSED, item, reason)
            elif self._current is None:
                self._start(out, item)
            else:
                item.waited = True
        return self._next_wake(now)

    def _due(self, now: int) -> list[Item]:
        lead = self.start_lead_ms
        return sorted((i for i in self._items if i.replay or i.cmd.start_at_ms - lead <= now), key=Item.order)

    def _why_not(self, item: Item, now: int) -> str | None:
        """Why this due item must not air now, or None when it may."""
        if item.replay:
            return None
        if now > item.cmd.expires_at_ms:
            where = "waiting for the speaker" if item.waited else "before it could start"
            return f"expired {where} ({now - item.cmd.expires_at_ms} ms past expiry)"
        late = now - item.cmd.start_at_ms
        # Emergencies air late rather than never; others would be out of step with the other loudspeakers.
        if not item.waited and late > self.late_tolerance_ms and item.cmd.priority != Priority.EMERGENCY:
            return f"late by {late} ms (tolerance {self.late_tolerance_ms} ms)"
        return None

    def _start(self, out: _Pending, item: Item) -> None:
        self._items.remove(item)
        if not item.path.exists():
            self._emit(out, EventKind.FAILED, item, "media missing from the cache at air time")
            return
        started = int(self.clock() * 1000)
        play_at = getattr(self.player, "play_at", None)
        try:
            if play_at is not None:
                # The sound leaves at start_at (or at once, for a replay or a late item).
                start_ms = started if item.replay else max(started, item.cmd.start_at_ms)
                playback = play_at(item.path, start_s=start_ms / 1000, clock=self.clock,
                                   duration_ms=item.cmd.duration_ms, item_id=item.cmd.id)
                started = start_ms
            else:
                playback = self.player.play(item.path, duration_ms=item.cmd.duration_ms, item_id=item.cmd.id)
        except Exception as exc:  # a broken player must not kill the playout thread
            log.exception("player failed for %s", item.cmd.id)
            self._emit(out, EventKind.FAILED, item, f"player: {exc}")
            return
        self._current = _Current(item, playback, started)
        # A decode-ahead player still decoding at hand-over may start late: said in the event, not hidden.
        detail = "" if getattr(playback, "ready", True) else json.dumps({"late_decode": "still decoding at hand-over"})
        self._emit(out, EventKind.STARTED, item, detail, at_ms=started, final=False)
        threading.Thread(target=self._watch, args=(playback,), name="playback-watch", daemon=True).start()

    def _end_current(self, out: _Pending, reason: str, *, replay: bool, natural: bool = False) -> None:
        cur = self._current
        assert cur is not None
        self._current = None
        if not natural:
            cur.playback.stop()
        ended = int(self.clock() * 1000)
        played = max(0, ended - cur.started_ms)
        item = cur.item
        if natural:
            error = getattr(cur.playback, "error", None)
            if error:
                self._emit(out, EventKind.FAILED, item, f"player: {error}", at_ms=ended)
            else:
                self._emit(out, EventKind.FINISHED, item, _played(played), at_ms=ended)
            return
        self._emit(out, EventKind.INTERRUPTED, item, _played(played, reason), at_ms=ended, final=not replay)
        if replay:
            self._items.append(Item(item.cmd, item.path, attempt=item.attempt + 1, replay=True))

    def _next_wake(self, now: int) -> float | None:
        lead = self.start_lead_ms
        times = [i.cmd.start_at_ms - lead for i in self._items if i.cmd.start_at_ms - lead > now]
        # A waiting item must be reported missed when it expires, even while the speaker is still busy.
        times += [i.cmd.expires_at_ms + 1 for i in self._items if not i.replay and i.cmd.start_at_ms - lead <= now]
        return min(times) / 1000 if times else None

    def _emit(self, out: _Pending, kind: EventKind, item: Item, detail: str, *, at_ms: int | None = None,
              final: bool = True) -> None:
        at = at_ms if at_ms is not None else int(self.clock() * 1000)
        out.events.append(PlayoutEvent(kind, item.cmd, item.attempt, at, detail, final))

    def _flush(self, out: _Pending) -> None:
        # Reported outside the lock: the report writes to disk and must not hold up the speaker.
        for event in out.events:
            try:
                self.on_event(event)
            except Exception:
                log.exception("reporting %s for %s failed", event.kind, event.cmd.id)

    # --- the thread ---------------------------------------------------------------------------------
    def _wake(self) -> None:
        self._dirty = True
        self._cond.notify_all()

    def _watch(self, playback: Playback) -> None:
        playback.wait()
        with self._cond:
            self._wake()

    def run(self) -> None:
        """Loop until close(): decide, then wait precisely for the next decision or a change."""
        while not self._closed:
            next_s = self.tick()
            self._wait_until(next_s)

    def _wait_until(self, t_s: float | None) -> None:
        with self._cond:
            while not self._dirty and not self._closed:
                if t_s is None:
                    self._cond.wait(1.0)
                    continue
                remaining = t_s - self.clock()
                if remaining <= COARSE_MARGIN_S + 0.001:
                    break
                self._cond.wait(remaining - COARSE_MARGIN_S)
            if self._dirty:
                self._dirty = False
                return
        # The last few milliseconds are polled so a start lands within a fraction of a millisecond.
        while t_s is not None and self.clock() < t_s and not self._dirty:
            time.sleep(0.0002)


def _played(ms: int, reason: str = "") -> str:
    detail: dict[str, object] = {"played_ms": ms}
    if reason:
        detail["reason"] = reason
    return json.dumps(detail)

"""Start at the sound: decode ahead to PCM, open the output before air time, write the first sample on time.

Spawning a decoder at the start time is late by its start-up (ffmpeg: 50-70 ms to the first sample on a
desktop, more on a small board and under load), and that start-up differs per box, so it is skew too. Here
the item is decoded to raw PCM (ffmpeg → s16le) when it is accepted, the output is opened `start_lead_ms`
before air time, and the first sample is written `output_latency_ms` before `start_at` (the output's own
buffer: measured on the box) so it *leaves* at `start_at`.

Outputs: `aplay` reading raw PCM from a pipe (ALSA; a separate process, so a stuck driver cannot hang the
agent, and alsa-utils is on every Debian box: no Python audio binding to build on a small board), and the PCM
sink, which stands in for sound hardware in tests and benchmarks: it consumes samples at the real sample rate
and stamps the TRUE (host) time its first sample leaves, so onset error is measured where the sound leaves.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol

log = logging.getLogger(__name__)
Clock = Callable[[], float]
RATE = 22050  # broadcast speech is mono MP3 at 22.05 or 44.1 kHz; the PA amplifier takes mono
CHUNK_S = 0.02
SPIN_S = 0.002  # the last moments before the first sample are polled in short sleeps: a long one overshoots ~1 ms
RT_PRIORITY = 10  # SCHED_FIFO priority for the start (audio servers use 5-20): above every ordinary task


def realtime(on: bool) -> bool:
    """Put the calling thread in SCHED_FIFO (on) or back to SCHED_OTHER; False when the box does not allow it.

    Why: the wake-up at air time is onset error. On a box busy with a download or the next decode, an ordinary
    thread can wait a scheduler slice (milliseconds) to run; a real-time one runs at once. Allowed to root or
    with RLIMIT_RTPRIO (systemd: `LimitRTPRIO=`), as for any audio server. On Linux pid 0 is this thread."""
    try:
        if on:
            os.sched_setscheduler(0, os.SCHED_FIFO, os.sched_param(RT_PRIORITY))
        else:
            os.sched_setscheduler(0, os.SCHED_OTHER, os.sched_param(0))
    except (OSError, AttributeError):  # no permission, or not Linux
        return False
    return True


def decode_pcm(path: Path, *, volume: int = 100, rate: int = RATE, timeout_s: float = 120.0) -> bytes:
    """The whole item as mono s16le PCM at `rate` (a bulletin of minutes is a few MB)."""
    cmd = ["ffmpeg", "-nostdin", "-loglevel", "error", "-i", str(path), "-af", f"volume={volume / 100:.2f}",
           "-f", "s16le", "-ac", "1", "-ar", str(rate), "-"]
    done = subprocess.run(cmd, capture_output=True, timeout=timeout_s, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ffmpeg could not decode {path.name}: {done.stderr.decode(errors='replace')[:200]}")
    return done.stdout


class Output(Protocol):
    def write(self, pcm: bytes) -> None: ...

    def close(self) -> None:
        """No more samples: let what is buffered play out, then return."""
        ...

    def abort(self) -> None: ...


class AplayOutput:
    """ALSA through `aplay`, raw PCM on its stdin; the device is opened when the process starts."""

    def __init__(self, device: str, rate: int) -> None:
        cmd = ["aplay", "-q", "-t", "raw", "-f", "S16_LE", "-c", "1", "-r", str(rate),
               *(["-D", device] if device else []), "-"]
        self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stderr=subprocess.DEVNULL)

    def write(self, pcm: bytes) -> None:
        assert self._proc.stdin is not None
        self._proc.stdin.write(pcm)
        self._proc.stdin.flush()

    def close(self) -> None:
        if self._proc.stdin:
            self._proc.stdin.close()
        self._proc.wait()

    def abort(self) -> None:
        if self._proc.poll() is None:
            self._proc.terminate()
        try:
            self._proc.wait(1)
        except subprocess.TimeoutExpired:
            self._proc.kill()
            self._proc.wait()


class SinkOutput:
    """A sound card without sound: a buffer of `latency_s` drained at the real sample rate.

    The first sample written leaves `latency_s` later; the writer is held back so it never runs more than the
    buffer ahead of what has left, as a real device blocks. Times are the host's clock: true time.

    With `node_clock` (the node's estimate of server time) the first write also reads it beside true time, so
    an onset error splits into what the time base got wrong and what the wake-up added (benchmarks)."""

    def __init__(self, rate: int, latency_s: float, on_first: Callable[[float, float | None], None],
                 true: Clock = time.time, node_clock: Clock | None = None) -> None:
        self.rate = rate
        self.latency_s = latency_s
        self._on_first = on_first
        self._true = true
        self._node_clock = node_clock
        self._first: float | None = None
        self._frames = 0
        self._aborted = False

    def write(self, pcm: bytes) -> None:
        if self._aborted:
            raise BrokenPipeError("sink closed")
        if self._first is None:
            now = self._true()
            self._first = now + self.latency_s
            error = None if self._node_clock is None else self._node_clock() - now
            self._on_first(self._first, error)
        self._frames += len(pcm) // 2
        # Block while more than the buffer is queued ahead of what has already left.
        ahead = self._first + self._frames / self.rate - self._true() - self.latency_s
        if ahead > 0:
            time.sleep(ahead)

    def close(self) -> None:
        if self._first is not None and not self._aborted:
            left = self._first + self._frames / self.rate - self._true()
            if left > 0:
                time.sleep(left)

    def abort(self) -> None:
        self._aborted = True


class AheadPlayback:
    """One item: waits for air time on its own thread, then writes PCM to the output until done or stopped."""

    def __init__(self, pcm: Future[bytes], output: Output, start_s: float, clock: Clock, latency_s: float,
                 rate: int, *, rt: bool = False) -> None:
        self._pcm, self._output, self._start_s, self._clock = pcm, output, start_s, clock
        self._latency_s, self._rate, self._rt = latency_s, rate, rt
        self.realtime = False  # whether the start ran with real-time priority
        self._stop = threading.Event()
        self._done = threading.Event()
        self._interrupted = False
        self.error: str | None = None
        threading.Thread(target=self._run, name="pcm-writer", daemon=True).start()

    def _run(self) -> None:
        try:
            while not self._pcm.done() and not self._stop.wait(0.01):
                pass  # still decoding (a late or replayed item): a stop must not wait for the decoder
            if self._stop.is_set():
                return
            pcm = self._pcm.result()
            due = self._start_s - self._latency_s
            while not self._stop.is_set() and (left := due - self._clock()) > SPIN_S + 0.05:
                self._stop.wait(min(left - SPIN_S - 0.05, 0.5))  # re-read: the time base may be corrected
            # The last 50 ms at real-time priority (when allowed), dropped again once the first chunk is out: the
            # rest of the item is paced by the device's own buffer.
            step = int(self._rate * CHUNK_S) * 2
            self.realtime = self._rt and realtime(True)
            try:
                while not self._stop.is_set() and (left := due - self._clock()) > SPIN_S:
                    self._stop.wait(left - SPIN_S)
                while not self._stop.is_set() and self._clock() < due:
                    time.sleep(0.0002)  # not a busy spin: it would hold the GIL from the agent's other threads
                if not self._stop.is_set():
                    self._output.write(pcm[:step])
            finally:
                if self.realtime:
                    realtime(False)
            for i in range(step, len(pcm), step):
                if self._stop.is_set():
                    break
                self._output.write(pcm[i:i + step])
            if not self._stop.is_set():
                self._output.close()
        except Exception as exc:  # a broken output ends this item, never the agent
            if not self._stop.is_set():
                self.error = str(exc)[:200]
                log.warning("pcm playback failed: %s", exc)
        finally:
            self._done.set()

    @property
    def ready(self) -> bool:
        """Decoded by now: if not at hand-over, the first sample may leave late."""
        return self._pcm.done()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def stop(self) -> None:
        if not self._done.is_set():
            self._interrupted = True
        self._stop.set()
        self._output.abort()
        self._done.wait(2)

    @property
    def interrupted(self) -> bool:
        return self._interrupted


class AheadPlayer:
    """Decode-ahead player: `prepare` at acceptance, `play_at` `start_lead_ms` before air time."""

    def __init__(self, name: str, options: dict[str, Any], *, true: Clock = time.time) -> None:
        self.name = name
        self.volume = int(options.get("volume", 100))
        self.rate = int(options.get("sample_rate", RATE))
        self.device = str(options.get("alsa_device", ""))
        self.latency_s = float(options.get("output_latency_ms", 0)) / 1000
        self.start_lead_ms = int(options.get("start_lead_ms", 500))
        self.sink_latency_s = float(options.get("sink_latency_ms", options.get("output_latency_ms", 0))) / 1000
        self.sink_log = Path(str(options["sink_log"])) if options.get("sink_log") else None
        self.try_realtime = bool(options.get("realtime", True))  # ask for real-time priority at the start
        self._true = true
        self._decoded: dict[str, Future[bytes]] = {}
        self._lock = threading.Lock()
        self.onsets: dict[str, float] = {}  # item id → true time its first sample left (the sink)

    def set_volume(self, volume: int) -> None:
        self.volume = max(0, min(100, int(volume)))
        with self._lock:
            self._decoded.clear()  # decoded at the old volume: decode again

    def prepare(self, path: Path, item_id: str) -> None:
        with self._lock:
            if item_id in self._decoded:
                return
            fut: Future[bytes] = Future()
            self._decoded[item_id] = fut
        volume = self.volume

        def decode() -> None:
            try:
                fut.set_result(decode_pcm(path, volume=volume, rate=self.rate))
            except Exception as exc:
                fut.set_exception(exc)

        threading.Thread(target=decode, name=f"decode-{item_id[:8]}", daemon=True).start()

    def play_at(self, path: Path, *, start_s: float, clock: Clock, duration_ms: int, item_id: str) -> AheadPlayback:
        self.prepare(path, item_id)  # a no-op when prepared at acceptance (a replay or a late item: now)
        with self._lock:
            pcm = self._decoded.pop(item_id)
        return AheadPlayback(pcm, self._open(item_id, start_s, clock), start_s, clock, self.latency_s, self.rate,
                             rt=self.try_realtime)

    def play(self, path: Path, *, duration_ms: int, item_id: str) -> AheadPlayback:
        return self.play_at(path, start_s=0.0, clock=time.time, duration_ms=duration_ms, item_id=item_id)

    def _open(self, item_id: str, start_s: float, clock: Clock) -> Output:
        if self.name == "aplay":
            return AplayOutput(self.device, self.rate)

        def stamp(first: float, clock_error: float | None) -> None:
            self.onsets[item_id] = first
            if self.sink_log is not None:
                record: dict[str, Any] = {"item_id": item_id, "first_sample_at": first, "scheduled_at": start_s}
                if clock_error is not None:  # the time base's error then (+: ahead of true time)
                    record["clock_error_ms"] = round(clock_error * 1000, 3)
                with contextlib.suppress(OSError, AttributeError):  # stamped on the writer thread, at its first write
                    record["realtime"] = os.sched_getscheduler(0) == os.SCHED_FIFO
                with self.sink_log.open("a") as f:
                    f.write(json.dumps(record) + "\n")

        return SinkOutput(self.rate, self.sink_latency_s, stamp, self._true, node_clock=clock)

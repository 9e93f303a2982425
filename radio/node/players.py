"""Audio players a node can drive. `null`, `file` and `sink` stand in for sound hardware in tests and simulation.

Real players are processes, so stopping one is a signal and a crashed decoder cannot take the agent down with
it. `aplay` (and the `sink`) decode ahead and start at the sound (radio/node/pcm.py); ffplay and mpv are
fallbacks that start at the process, late by their own start-up (docs/node.md gives the measured figures).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from radio.node.pcm import AheadPlayer

log = logging.getLogger(__name__)
PLAYERS = ("null", "file", "ffplay", "mpv", "aplay", "sink", "auto")


class Playback(Protocol):
    def wait(self, timeout: float | None = None) -> bool:
        """Block until playback ends (True) or the timeout passes (False)."""
        ...

    def stop(self) -> None: ...

    @property
    def interrupted(self) -> bool: ...


class Player(Protocol):
    name: str
    volume: int

    def play(self, path: Path, *, duration_ms: int, item_id: str) -> Playback: ...

    def set_volume(self, volume: int) -> None: ...


class TimedPlayback:
    """Ends after the item's duration unless stopped first: what a real player does, without sound."""

    error: str | None = None

    def __init__(self, duration_ms: int) -> None:
        self._done = threading.Event()
        self._interrupted = False
        self._timer = threading.Timer(duration_ms / 1000, self._done.set)
        self._timer.daemon = True
        self._timer.start()

    def wait(self, timeout: float | None = None) -> bool:
        return self._done.wait(timeout)

    def stop(self) -> None:
        if not self._done.is_set():
            self._interrupted = True
            self._timer.cancel()
            self._done.set()

    @property
    def interrupted(self) -> bool:
        return self._interrupted


class _VolumeMixin:
    volume: int = 100

    def set_volume(self, volume: int) -> None:
        self.volume = max(0, min(100, int(volume)))


class NullPlayer(_VolumeMixin):
    name = "null"

    def __init__(self, volume: int = 100) -> None:
        self.volume = volume

    def play(self, path: Path, *, duration_ms: int, item_id: str) -> Playback:
        return TimedPlayback(duration_ms)


class FilePlayer(_VolumeMixin):
    """Writes what would be played to a folder, with a log line carrying the wall-clock start and volume."""

    name = "file"

    def __init__(self, out_dir: Path, volume: int = 100) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.volume = volume
        self._lock = threading.Lock()

    def play(self, path: Path, *, duration_ms: int, item_id: str) -> Playback:
        started = time.time()
        playback = TimedPlayback(duration_ms)
        with self._lock:
            target = self.out_dir / f"{item_id}{path.suffix}"
            if not target.exists():  # a replay after an emergency plays the same file again
                try:
                    os.link(path, target)
                except OSError:
                    shutil.copyfile(path, target)
            line = json.dumps({"item_id": item_id, "file": target.name, "started_at": started,
                               "duration_ms": duration_ms, "volume": self.volume})
            with (self.out_dir / "played.jsonl").open("a") as f:
                f.write(line + "\n")
        return playback


class ProcessPlayback:
    """One or more processes (a decode pipeline) that together play one item."""

    def __init__(self, procs: list[subprocess.Popen[bytes]]) -> None:
        self._procs = procs
        self._interrupted = False

    def wait(self, timeout: float | None = None) -> bool:
        try:
            self._procs[-1].wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            return False

    def stop(self) -> None:
        if self._procs[-1].poll() is None:
            self._interrupted = True
        for proc in self._procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self._procs:
            try:
                proc.wait(1)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    @property
    def interrupted(self) -> bool:
        return self._interrupted

    @property
    def error(self) -> str | None:
        code = self._procs[-1].poll()
        if code and not self._interrupted:
            return f"{Path(str(self._procs[-1].args[0])).name} exited with {code}"
        return None


class ProcessPlayer(_VolumeMixin):
    """ffplay, mpv or ffmpeg | aplay, to the default output or a chosen ALSA device (`alsa_device`)."""

    def __init__(self, name: str, options: dict[str, Any]) -> None:
        self.name = name
        self.volume = int(options.get("volume", 100))
        self.device = str(options.get("alsa_device", ""))

    def commands(self, path: Path) -> list[list[str]]:
        """The process pipeline for one item (several commands: stdout of each feeds the next)."""
        if self.name == "ffplay":
            return [["ffplay", "-nodisp", "-autoexit", "-loglevel", "error", "-volume", str(self.volume), str(path)]]
        if self.name == "mpv":
            cmd = ["mpv", "--no-video", "--really-quiet", f"--volume={self.volume}"]
            if self.device:
                cmd.append(f"--audio-device=alsa/{self.device}")
            return [[*cmd, str(path)]]
        raise ValueError(f"unknown player {self.name}")

    def env(self) -> dict[str, str]:
        env = dict(os.environ)
        if self.device and self.name == "ffplay":
            # ffplay outputs through SDL, which picks the ALSA device from these variables.
            env.setdefault("SDL_AUDIODRIVER", "alsa")
            env["AUDIODEV"] = self.device
        return env

    def play(self, path: Path, *, duration_ms: int, item_id: str) -> Playback:
        procs: list[subprocess.Popen[bytes]] = []
        stdin = subprocess.DEVNULL
        commands = self.commands(path)
        for i, cmd in enumerate(commands):
            last = i == len(commands) - 1
            proc = subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL if last else subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, env=self.env())
            if proc.stdout is not None:
                stdin = proc.stdout  # type: ignore[assignment]
            procs.append(proc)
        for proc in procs[:-1]:
            # The consumer holds the pipe now; closing our copy lets the producer see EPIPE if it dies.
            if proc.stdout is not None:
                proc.stdout.close()
        return ProcessPlayback(procs)


def make_player(name: str, options: dict[str, Any] | None = None) -> Player:
    options = options or {}
    volume = int(options.get("volume", 100))
    if name == "null":
        return NullPlayer(volume)
    if name == "file":
        return FilePlayer(Path(options.get("out_dir", "played")), volume)
    if name in ("ffplay", "mpv", "aplay", "sink"):
        needed = {"aplay": ("ffmpeg", "aplay"), "sink": ("ffmpeg",)}.get(name, (name,))
        missing = [exe for exe in needed if not shutil.which(exe)]
        if missing:
            raise ValueError(f"player '{name}' needs {', '.join(missing)}, which is not installed")
        return AheadPlayer(name, options) if name in ("aplay", "sink") else ProcessPlayer(name, options)
    if name == "auto":
        # The decode-ahead path first: it starts at the sound; ffplay and mpv start at the process.
        for candidate, needed in (("aplay", ("ffmpeg", "aplay")), ("ffplay", ("ffplay",)), ("mpv", ("mpv",))):
            if all(shutil.which(exe) for exe in needed):
                return AheadPlayer(candidate, options) if candidate == "aplay" else ProcessPlayer(candidate, options)
        log.warning("no audio player found (ffplay, mpv, ffmpeg+aplay): using the null player")
        return NullPlayer(volume)
    raise ValueError(f"unknown player '{name}' ({', '.join(PLAYERS)})")

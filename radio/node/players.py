"""Audio players a node can drive. `null` and `file` stand in for sound hardware in tests and simulation."""

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

log = logging.getLogger(__name__)


class Playback(Protocol):
    def wait(self, timeout: float | None = None) -> bool:
        """Block until playback ends (True) or the timeout passes (False)."""
        ...

    def stop(self) -> None: ...

    @property
    def interrupted(self) -> bool: ...


class Player(Protocol):
    name: str

    def play(self, path: Path, *, duration_ms: int, item_id: str) -> Playback: ...


class TimedPlayback:
    """Ends after the item's duration unless stopped first: what a real player does, without sound."""

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


class NullPlayer:
    name = "null"

    def play(self, path: Path, *, duration_ms: int, item_id: str) -> Playback:
        return TimedPlayback(duration_ms)


class FilePlayer:
    """Writes what would be played to a folder, with a log line carrying the wall-clock start."""

    name = "file"

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def play(self, path: Path, *, duration_ms: int, item_id: str) -> Playback:
        started = time.time()
        playback = TimedPlayback(duration_ms)
        target = self.out_dir / f"{item_id}{path.suffix}"
        try:
            os.link(path, target)
        except OSError:
            shutil.copyfile(path, target)
        line = json.dumps({"item_id": item_id, "file": target.name, "started_at": started, "duration_ms": duration_ms})
        with self._lock, (self.out_dir / "played.jsonl").open("a") as f:
            f.write(line + "\n")
        return playback


class ProcessPlayback:
    def __init__(self, proc: subprocess.Popen[bytes]) -> None:
        self._proc = proc
        self._interrupted = False

    def wait(self, timeout: float | None = None) -> bool:
        try:
            self._proc.wait(timeout)
            return True
        except subprocess.TimeoutExpired:
            return False

    def stop(self) -> None:
        if self._proc.poll() is None:
            self._interrupted = True
            self._proc.terminate()
            try:
                self._proc.wait(2)
            except subprocess.TimeoutExpired:
                self._proc.kill()

    @property
    def interrupted(self) -> bool:
        return self._interrupted


class ProcessPlayer:
    """ffplay or mpv playing to the default (or a chosen ALSA) device."""

    def __init__(self, name: str, options: dict[str, Any]) -> None:
        self.name = name
        self.volume = int(options.get("volume", 100))
        self.device = str(options.get("alsa_device", ""))

    def command(self, path: Path) -> list[str]:
        if self.name == "ffplay":
            return ["ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet", "-volume", str(self.volume), str(path)]
        if self.name == "mpv":
            cmd = ["mpv", "--no-video", "--really-quiet", f"--volume={self.volume}"]
            if self.device:
                cmd.append(f"--audio-device=alsa/{self.device}")
            return [*cmd, str(path)]
        raise ValueError(f"unknown player {self.name}")

    def play(self, path: Path, *, duration_ms: int, item_id: str) -> Playback:
        env = dict(os.environ)
        if self.device and self.name == "ffplay":
            env["AUDIODEV"] = self.device
        proc = subprocess.Popen(self.command(path), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        return ProcessPlayback(proc)


def make_player(name: str, options: dict[str, Any] | None = None) -> Player:
    options = options or {}
    if name == "null":
        return NullPlayer()
    if name == "file":
        return FilePlayer(Path(options.get("out_dir", "played")))
    if name in ("ffplay", "mpv"):
        if not shutil.which(name):
            raise ValueError(f"player '{name}' is not installed")
        return ProcessPlayer(name, options)
    if name == "auto":
        for candidate in ("ffplay", "mpv"):
            if shutil.which(candidate):
                return ProcessPlayer(candidate, options)
        log.warning("no audio player found (ffplay, mpv): using the null player")
        return NullPlayer()
    raise ValueError(f"unknown player '{name}' (null, file, ffplay, mpv, auto)")

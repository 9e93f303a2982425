"""A media cache shared by all virtual nodes of one worker process.

SIMULATION SHORTCUT: a real node downloads the MP3 itself (radio/node/cache.py). Here the first node of a
process that needs a file fetches it over HTTP, verifies its sha256 and keeps it under its hash; every other
node of that process then uses that file. So a run fetches each file once per process, not once per node:
the web server is not load-tested by the simulator, and "received" means "this process holds verified bytes".
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import urllib.request
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
# Called with None when the file is ready, else with the reason it could not be fetched.
Ready = Callable[[str | None], None]


class MediaCache:
    def __init__(self, directory: Path, *, timeout_s: float = 30.0) -> None:
        self.directory = directory
        self.timeout_s = timeout_s
        self._lock = threading.Lock()
        self._waiting: dict[str, list[Ready]] = {}
        self.fetches = 0

    def path(self, sha256: str) -> Path:
        return self.directory / f"{sha256}.mp3"

    def size_bytes(self) -> int:
        try:
            return sum(p.stat().st_size for p in self.directory.glob("*.mp3"))
        except OSError:
            return 0

    def get(self, url: str, sha256: str, ready: Ready) -> None:
        """Call ready(None) once the verified file is cached; fetching never blocks the caller's thread."""
        if self.path(sha256).exists():
            ready(None)
            return
        with self._lock:
            waiters = self._waiting.get(sha256)
            if waiters is not None:  # a fetch is already running: wait for it
                waiters.append(ready)
                return
            # Checked again under the lock: a fetch may have finished since the check above (seen in a
            # 10,000-node run as a second download by the same process).
            cached = self.path(sha256).exists()
            if not cached:
                self._waiting[sha256] = [ready]
        if cached:
            ready(None)
            return
        threading.Thread(target=self._fetch, args=(url, sha256), name=f"fetch-{sha256[:8]}", daemon=True).start()

    def _fetch(self, url: str, sha256: str) -> None:
        error = None
        try:
            self._download(url, sha256)
        except Exception as exc:
            error = f"download failed: {exc}"
        with self._lock:
            waiters = self._waiting.pop(sha256, [])
        for ready in waiters:
            ready(error)

    def _download(self, url: str, sha256: str) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        tmp = self.directory / f".{sha256}.{os.getpid()}.part"
        digest = hashlib.sha256()
        self.fetches += 1
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as resp, tmp.open("wb") as out:
                while chunk := resp.read(65536):
                    digest.update(chunk)
                    out.write(chunk)
            if digest.hexdigest() != sha256:
                raise ValueError(f"sha256 mismatch: got {digest.hexdigest()}")
            tmp.replace(self.path(sha256))
        finally:
            tmp.unlink(missing_ok=True)

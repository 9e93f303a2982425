"""The node's media cache: content-addressed files, resumable verified downloads, LRU within a size limit.

A file is only ever named `<sha256>.mp3` after its bytes hashed to that name, so whatever the player is given
is verified. Downloads resume with an HTTP Range request on the partial file (4G links drop mid-file); a
wrong hash deletes the partial file and starts over. Eviction never touches a file an upcoming command needs.
"""

from __future__ import annotations

import errno
import hashlib
import http.client
import logging
import os
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path
from typing import BinaryIO

from radio.node import tls

log = logging.getLogger(__name__)
CHUNK = 65536


class FetchError(Exception):
    pass


def cached_path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256}.mp3"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _total_length(headers: object, resumed: bool, have: int) -> int | None:
    """The full file size the server announced (Content-Range on a resume, else Content-Length)."""
    get = getattr(headers, "get", lambda _k: None)
    if resumed and (content_range := get("Content-Range")) and "/" in content_range:
        total = content_range.rsplit("/", 1)[1]
        return int(total) if total.isdigit() else None
    length = get("Content-Length")
    if length and str(length).isdigit():
        return int(length) + (have if resumed else 0)
    return None


class MediaCache:
    def __init__(self, directory: Path, limit_bytes: int, *, timeout_s: float = 30.0, retry_min_s: float = 0.5,
                 retry_max_s: float = 30.0, ca_file: str | Path | None = None) -> None:
        self.dir = Path(directory)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.limit_bytes = limit_bytes
        self.timeout_s = timeout_s
        self.retry_min_s = retry_min_s
        self.retry_max_s = retry_max_s
        self.ca_file = ca_file  # https media must come from a server whose certificate this CA signed
        self._pins: Counter[str] = Counter()
        self._lock = threading.Lock()
        self._fetch_locks: dict[str, threading.Lock] = {}
        self.error: str | None = None  # why the last download could not be written (disk full), until one is

    def path(self, sha256: str) -> Path:
        return cached_path(self.dir, sha256)

    # --- what upcoming commands need ----------------------------------------------------------------
    def pin(self, sha256: str) -> None:
        with self._lock:
            self._pins[sha256] += 1

    def unpin(self, sha256: str) -> None:
        with self._lock:
            self._pins[sha256] -= 1
            if self._pins[sha256] <= 0:
                del self._pins[sha256]

    def sweep(self) -> list[str]:
        """Delete partial downloads no upcoming command needs (call after pinning what is re-armed at start):
        a part left by a crash or an abandoned command would otherwise hold disk space forever."""
        with self._lock:
            pinned = set(self._pins)
        removed = []
        for part in self.dir.glob(".*.part"):
            if part.name[1:].split(".")[0] not in pinned:
                part.unlink(missing_ok=True)
                removed.append(part.name)
        return removed

    def _part(self, sha256: str) -> Path:
        return self.dir / f".{sha256}.part"

    def _open_part(self, part: Path, mode: str) -> BinaryIO:
        """The one place downloaded bytes are written (tests inject a full disk here)."""
        return part.open(mode)  # type: ignore[return-value]

    # --- getting a verified file --------------------------------------------------------------------
    def verified(self, sha256: str) -> Path | None:
        """The cached file if its bytes still hash right (a damaged file is deleted); marks it recently used."""
        path = self.path(sha256)
        if not path.exists():
            return None
        if file_sha256(path) != sha256:
            log.warning("cached %s is damaged: deleted", path.name)
            path.unlink(missing_ok=True)
            return None
        os.utime(path)  # the modification time is the LRU clock, so it survives restarts
        return path

    def fetch(self, url: str, sha256: str, *, deadline_s: float | None = None,
              cancel: threading.Event | None = None) -> Path:
        """A verified file for sha256, downloading (with retries and backoff) until deadline_s (wall clock)."""
        cancel = cancel or threading.Event()
        with self._lock:
            lock = self._fetch_locks.setdefault(sha256, threading.Lock())
        with lock:  # two commands for the same audio download it once
            delay = self.retry_min_s
            attempt = 0
            while True:
                found = self.verified(sha256)
                if found:
                    return found
                attempt += 1
                try:
                    path = self._download(url, sha256)
                    self.error = None
                    self.evict()
                    return path
                except OSError as exc:
                    error = self._write_failed(exc, sha256)
                except (FetchError, http.client.HTTPException) as exc:
                    error = str(exc)
                log.warning("fetching %s (attempt %d) failed: %s", url, attempt, error)
                if deadline_s is not None and time.time() + delay > deadline_s:
                    # Given up: the partial file will never be resumed, so it must not stay behind.
                    self._part(sha256).unlink(missing_ok=True)
                    raise FetchError(f"media not available after {attempt} attempts: {error}")
                if cancel.wait(delay):
                    raise FetchError("cancelled")
                delay = min(self.retry_max_s, delay * 2)

    def _write_failed(self, exc: OSError, sha256: str) -> str:
        """A network error keeps the partial file for a resume; a full disk deletes it and frees what it can."""
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):
            return str(exc)
        self._part(sha256).unlink(missing_ok=True)
        self.error = f"cache disk full: {exc}"
        self.evict(limit_bytes=0)  # every file no upcoming command needs goes, to make room for this one
        return self.error

    def _download(self, url: str, sha256: str) -> Path:
        part = self._part(sha256)
        have = part.stat().st_size if part.exists() else 0
        request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
        try:
            resp = tls.urlopen(request, timeout=self.timeout_s, ca_file=self.ca_file)
        except urllib.error.HTTPError as exc:
            if exc.code == 416:  # our partial file is not a prefix of theirs: start over
                part.unlink(missing_ok=True)
            raise FetchError(f"HTTP {exc.code} for {url}") from exc
        with resp:
            resumed = have > 0 and resp.status == 206
            total = _total_length(resp.headers, resumed, have)
            with self._open_part(part, "ab" if resumed else "wb") as out:
                while chunk := resp.read(CHUNK):
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
        size = part.stat().st_size
        if total is not None and size < total:
            # A dropped connection looks like a short body: keep the part so the next attempt resumes it.
            raise FetchError(f"download interrupted at {size} of {total} bytes")
        got = file_sha256(part)
        if got != sha256:
            part.unlink(missing_ok=True)
            raise FetchError(f"sha256 mismatch: got {got[:16]}…, expected {sha256[:16]}…")
        target = self.path(sha256)
        part.replace(target)
        return target

    # --- size limit ---------------------------------------------------------------------------------
    def size_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.dir.iterdir() if p.is_file())

    def evict(self, limit_bytes: int | None = None) -> list[str]:
        """Delete least recently used files until under the limit, never a pinned one; return what went."""
        limit = self.limit_bytes if limit_bytes is None else limit_bytes
        with self._lock:
            pinned = set(self._pins)
        # Partial downloads count too: one abandoned mid-file must not hold space forever.
        candidates = [*self.dir.glob("*.mp3"), *self.dir.glob(".*.part")]
        files = sorted((p for p in candidates if p.is_file()), key=lambda p: p.stat().st_mtime)
        total = self.size_bytes()
        evicted = []
        for path in files:
            if total <= limit:
                break
            if path.name.split(".")[-2] in pinned:
                continue
            size = path.stat().st_size
            path.unlink(missing_ok=True)
            total -= size
            evicted.append(path.stem)
        if total > self.limit_bytes:
            log.warning("media cache %d bytes over its limit: every remaining file is needed", total - self.limit_bytes)
        return evicted

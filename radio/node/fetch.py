"""Media download into the node's content-addressed cache, verified by sha256 before anything plays it."""

from __future__ import annotations

import hashlib
import os
import urllib.request
from pathlib import Path


class FetchError(Exception):
    pass


def cached_path(cache_dir: Path, sha256: str) -> Path:
    return cache_dir / f"{sha256}.mp3"


def fetch_media(url: str, sha256: str, cache_dir: Path, *, timeout_s: float = 30.0) -> Path:
    """Return the cached file for sha256, downloading it first if needed. Never returns unverified bytes."""
    target = cached_path(cache_dir, sha256)
    if target.exists():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_dir / f".{sha256}.{os.getpid()}.part"
    digest = hashlib.sha256()
    try:
        with urllib.request.urlopen(url, timeout=timeout_s) as resp, tmp.open("wb") as out:
            while chunk := resp.read(65536):
                digest.update(chunk)
                out.write(chunk)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise FetchError(f"download failed: {exc}") from exc
    if digest.hexdigest() != sha256:
        tmp.unlink(missing_ok=True)
        raise FetchError(f"sha256 mismatch: got {digest.hexdigest()}")
    tmp.replace(target)
    return target

"""Compatibility shim: media download now lives in radio.node.cache (resume, retries, LRU)."""

from __future__ import annotations

from pathlib import Path

from radio.node.cache import FetchError, MediaCache, cached_path

__all__ = ["FetchError", "cached_path", "fetch_media"]


def fetch_media(url: str, sha256: str, cache_dir: Path, *, timeout_s: float = 30.0) -> Path:
    """Return the verified cached file for sha256, downloading it first if needed (one attempt)."""
    cache = MediaCache(cache_dir, limit_bytes=1 << 62, timeout_s=timeout_s)
    return cache.fetch(url, sha256, deadline_s=0)

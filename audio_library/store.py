"""Content-addressed file store: <root>/<sha[:2]>/<sha>.mp3 + <sha>.json sidecar, and the
synthesis cache index <root>/cache/<key[:2]>/<key>.json -> sha.

Every write goes to <root>/tmp first and is moved with os.replace (atomic on one filesystem),
so readers (the web server, nodes fetching audio) never see a half-written file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

_SHA = re.compile(r"^[0-9a-f]{64}$")
TMP_MAX_AGE_S = 3600.0


def check_sha(sha256: str) -> str:
    if not isinstance(sha256, str) or not _SHA.match(sha256):
        raise ValueError(f"not a sha256 hex digest: {sha256!r}")
    return sha256


class AssetStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.tmp = self.root / "tmp"
        self.cache_dir = self.root / "cache"
        for d in (self.root, self.tmp, self.cache_dir):
            d.mkdir(parents=True, exist_ok=True)

    # -- assets ---------------------------------------------------------------------------
    def asset_path(self, sha256: str) -> Path:
        sha = check_sha(sha256)
        return self.root / sha[:2] / f"{sha}.mp3"

    def sidecar_path(self, sha256: str) -> Path:
        return self.asset_path(sha256).with_suffix(".json")

    def _atomic_write(self, dest: Path, data: bytes) -> None:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.tmp, suffix=".part")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, dest)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def put(self, mp3: bytes, meta: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """Store bytes + sidecar; an existing identical asset keeps its first sidecar."""
        sha = hashlib.sha256(mp3).hexdigest()
        path = self.asset_path(sha)
        side = self.sidecar_path(sha)
        if not (path.is_file() and path.stat().st_size == len(mp3)):
            self._atomic_write(path, mp3)
        existing = self.read_meta(sha)
        if existing is not None:
            return sha, existing
        full = {"sha256": sha, "size_bytes": len(mp3), "created_at": time.time(), **meta}
        self._atomic_write(side, json.dumps(full, ensure_ascii=False, indent=1).encode("utf-8"))
        return sha, full

    def read_meta(self, sha256: str) -> dict[str, Any] | None:
        try:
            meta: dict[str, Any] = json.loads(self.sidecar_path(sha256).read_text("utf-8"))
        except (OSError, ValueError):
            return None
        return meta if self.asset_path(sha256).is_file() else None

    def iter_shas(self) -> Iterator[str]:
        for shard in self.root.iterdir():
            if len(shard.name) == 2 and shard.is_dir():
                for f in shard.glob("*.mp3"):
                    if _SHA.match(f.stem):
                        yield f.stem

    # -- synthesis cache -------------------------------------------------------------------
    @staticmethod
    def cache_key(parts: Iterable[str]) -> str:
        return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()

    def _cache_file(self, key: str) -> Path:
        return self.cache_dir / key[:2] / f"{key}.json"

    def cache_get(self, key: str) -> str | None:
        try:
            entry = json.loads(self._cache_file(key).read_text("utf-8"))
            return check_sha(entry["sha256"])
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def cache_put(self, key: str, sha256: str, info: dict[str, Any]) -> None:
        body = json.dumps({"sha256": sha256, **info}, ensure_ascii=False).encode("utf-8")
        self._atomic_write(self._cache_file(key), body)

    # -- garbage collection ----------------------------------------------------------------
    def gc(self, referenced: Iterable[str], *, min_age_s: float) -> list[str]:
        keep = {s.lower() for s in referenced}
        now = time.time()
        removed: list[str] = []
        for sha in list(self.iter_shas()):
            path = self.asset_path(sha)
            try:
                young = now - path.stat().st_mtime < min_age_s
            except FileNotFoundError:
                continue
            # A just-synthesized asset is not in the database yet: the grace period protects it.
            if sha in keep or young:
                continue
            path.unlink(missing_ok=True)
            self.sidecar_path(sha).unlink(missing_ok=True)
            removed.append(sha)
        for entry in self.cache_dir.glob("*/*.json"):
            sha = self.cache_get(entry.stem)
            if sha is None or not self.asset_path(sha).is_file():
                entry.unlink(missing_ok=True)
        for part in self.tmp.iterdir():  # leftovers of crashed writers
            try:
                if now - part.stat().st_mtime > TMP_MAX_AGE_S and part.is_file():
                    part.unlink(missing_ok=True)
            except FileNotFoundError:
                continue
        return sorted(removed)

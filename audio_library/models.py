"""Value objects returned to callers (the lead stores these fields in SQL rows)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class AudioAsset:
    sha256: str  # hex of the final MP3 bytes
    path: Path  # absolute: <root>/<sha[:2]>/<sha>.mp3
    duration_s: float
    size_bytes: int
    engine: str  # "espeak-ng" | "gtts" | "piper" | "upload"
    voice: str | None
    lufs: float | None  # integrated loudness measured on the final MP3
    true_peak_dbtp: float | None
    fallback_reason: str | None  # set when the requested engine failed and another one spoke

    @classmethod
    def from_meta(cls, path: Path, meta: dict[str, Any], *,
                  fallback_reason: str | None = None) -> AudioAsset:
        return cls(
            sha256=str(meta["sha256"]),
            path=path,
            duration_s=float(meta["duration_s"]),
            size_bytes=int(meta["size_bytes"]),
            engine=str(meta["engine"]),
            voice=meta.get("voice"),
            lufs=meta.get("lufs"),
            true_peak_dbtp=meta.get("true_peak_dbtp"),
            fallback_reason=fallback_reason,
        )

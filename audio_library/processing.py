"""Broadcast-ready processing: trim, jingles, -16 LUFS, true peak <= -1.5 dBTP, mono MP3 64 kbps.

Everything happens on one float32 array at 44.1 kHz; ffmpeg is called once to encode and once
to decode the result for verification, so the numbers we report are measured on the MP3 that
actually airs (MP3 encoding adds a few tenths of a dB of inter-sample overshoot).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import ffmpeg, loudness
from .errors import AudioError

# Bump when the processing changes audibly: it is part of the synthesis cache key.
PROCESSING_VERSION = "2"
RATE = ffmpeg.RATE
_LUFS_TOLERANCE = 0.5  # the broadcast tolerance is +-1 LU; a second pass costs ~0.4 s
# 64 kbps MP3 drops ~0.4 LU on speech, ~0 on tones: aiming halfway keeps both in tolerance.
_CODEC_LOSS_LU = 0.25
_TP_MARGIN_DB = 0.2  # our 4x meter vs ffmpeg's 192 kHz ebur128 meter differ by ~0.1 dB
_MAX_PASSES = 4  # encode/verify passes
_AIM_STEPS = 6  # cheap gain/limiter iterations before encoding


@dataclass(frozen=True)
class ProcessingOptions:
    target_lufs: float = -16.0
    max_true_peak_dbtp: float = -1.5
    silence_threshold_dbfs: float = -50.0
    edge_pad_s: float = 0.05  # keep a breath of silence so the loudspeaker does not start mid-attack
    jingle_in: Path | None = None  # sign-on, prepended
    jingle_out: Path | None = None  # sign-off, appended
    jingle_gap_s: float = 0.4

    def cache_token(self) -> str:
        """Everything that changes the output bytes, including the jingles' content."""
        parts = [
            PROCESSING_VERSION, f"{self.target_lufs:.2f}", f"{self.max_true_peak_dbtp:.2f}",
            f"{self.silence_threshold_dbfs:.1f}", f"{self.edge_pad_s:.3f}", f"{self.jingle_gap_s:.3f}",
        ]
        for jingle in (self.jingle_in, self.jingle_out):
            parts.append(_file_sha(jingle) if jingle else "-")
        return "|".join(parts)


@dataclass(frozen=True)
class ProcessedAudio:
    mp3: bytes
    duration_s: float
    lufs: float | None
    true_peak_dbtp: float | None
    notes: tuple[str, ...] = field(default=())


def _file_sha(path: Path) -> str:
    st = path.stat()
    return _file_sha_cached(str(path), st.st_mtime_ns, st.st_size)


@lru_cache(maxsize=16)
def _file_sha_cached(path: str, _mtime: int, _size: int) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@lru_cache(maxsize=8)
def _load_jingle(path: str, _mtime: int, target_lufs: float) -> np.ndarray:
    x = ffmpeg.decode(Path(path))
    lufs = loudness.integrated_loudness(x, RATE)
    if math.isfinite(lufs):  # match the programme loudness so the sign-on is not a jump scare
        x = x * loudness.db_to_gain(target_lufs - lufs)
    return x.astype(np.float32)


def _jingle(path: Path, target_lufs: float) -> np.ndarray:
    if not path.is_file():
        raise AudioError(f"Không tìm thấy tệp nhạc hiệu: {path}")
    return _load_jingle(str(path), path.stat().st_mtime_ns, target_lufs)


def trim_silence(x: np.ndarray, rate: int, threshold_dbfs: float, pad_s: float) -> np.ndarray:
    """Cut leading/trailing frames whose peak is below the threshold (10 ms frames).

    The threshold follows quiet recordings down (peak - 30 dB) so a soft upload is not cut away.
    """
    if x.size == 0:
        return x
    peak = float(np.max(np.abs(x)))
    if peak <= 0.0:
        return x[:0]
    thr_db = min(threshold_dbfs, 20.0 * math.log10(peak) - 30.0)
    thr = 10.0 ** (thr_db / 20.0)
    frame = max(1, int(rate * 0.01))
    n = math.ceil(x.size / frame)
    padded = np.zeros(n * frame, dtype=np.float32)
    padded[: x.size] = np.abs(x)
    loud = np.flatnonzero(padded.reshape(n, frame).max(axis=1) >= thr)
    if loud.size == 0:
        return x[:0]
    pad = int(pad_s * rate)
    start = max(0, int(loud[0]) * frame - pad)
    end = min(x.size, (int(loud[-1]) + 1) * frame + pad)
    return x[start:end]


def silence(seconds: float, rate: int = RATE) -> np.ndarray:
    return np.zeros(round(seconds * rate), dtype=np.float32)


class _Analysis:
    """K-weighted signal and true-peak envelope of the programme, computed once.

    Gain is linear and the limiter's gain curve is slow (10 ms ramps) next to the K-filter, so
    loudness after gain+limiting is estimated as gated(K(x) * g * curve) without re-filtering;
    the final numbers are measured exactly on the decoded MP3 anyway.
    """

    def __init__(self, x: np.ndarray, target_lufs: float, ceiling_dbtp: float) -> None:
        self.x = x
        self.kx = loudness.k_weight(loudness._tile_short(x, RATE), RATE)
        self.lufs = loudness.gated_loudness(self.kx, RATE)
        self.short = x.size < loudness.BLOCK_S * RATE
        gain = loudness.db_to_gain(target_lufs - self.lufs) if math.isfinite(self.lufs) else 1.0
        # Oversample every frame that could come within 12 dB of the ceiling after gain.
        self.env = loudness.peak_envelope(x, loudness.db_to_gain(ceiling_dbtp - 12.0) / gain)

    def render(self, aim_lufs: float, ceiling_dbtp: float) -> np.ndarray:
        """Gain to `aim_lufs`, limit to the ceiling, re-aim (limiting lowers loudness)."""
        if not math.isfinite(self.lufs):
            return self.x
        ceiling = loudness.db_to_gain(ceiling_dbtp)
        gain_db = aim_lufs - self.lufs
        prev: tuple[float, float] | None = None
        for _ in range(_AIM_STEPS):
            g = loudness.db_to_gain(gain_db)
            curve = loudness.limiter_gain(self.env * g, RATE, ceiling)
            if curve is None or self.short:
                break
            got = loudness.gated_loudness(self.kx * (g * curve), RATE)
            if abs(got - aim_lufs) <= 0.1:
                break
            # Secant step: with a limiter, 1 dB more gain gives less than 1 LU more loudness.
            slope = 1.0
            if prev is not None and gain_db != prev[0]:
                slope = min(1.0, max(0.2, (got - prev[1]) / (gain_db - prev[0])))
            prev = (gain_db, got)
            # Capped: the envelope was oversampled only within 12 dB of the ceiling (see above).
            gain_db = min(gain_db + (aim_lufs - got) / slope, aim_lufs - self.lufs + 9.0)
        else:
            # Out of steps: the curve must match the last gain, or peaks pass the ceiling.
            g = loudness.db_to_gain(gain_db)
            curve = loudness.limiter_gain(self.env * g, RATE, ceiling)
        y = self.x * g
        return (y if curve is None else y * curve).astype(np.float32)


def process(x: np.ndarray, opts: ProcessingOptions | None = None) -> ProcessedAudio:
    """Mono float32 at 44.1 kHz in, broadcast-ready MP3 out (with measurements of the MP3)."""
    opts = opts or ProcessingOptions()
    notes: list[str] = []
    body = trim_silence(x, RATE, opts.silence_threshold_dbfs, opts.edge_pad_s)
    if body.size == 0:
        raise AudioError("Âm thanh chỉ toàn khoảng lặng, không có nội dung để phát.")
    if body.size < loudness.BLOCK_S * RATE:
        notes.append("clip < 0.4 s: loudness measured on a repeated copy")
    parts: list[np.ndarray] = []
    if opts.jingle_in:
        parts += [_jingle(opts.jingle_in, opts.target_lufs), silence(opts.jingle_gap_s)]
    parts.append(body)
    if opts.jingle_out:
        parts += [silence(opts.jingle_gap_s), _jingle(opts.jingle_out, opts.target_lufs)]
    programme = np.concatenate(parts).astype(np.float32) if len(parts) > 1 else body

    ceiling = opts.max_true_peak_dbtp - 0.5  # headroom for MP3 overshoot
    aim = opts.target_lufs + _CODEC_LOSS_LU
    analysis = _Analysis(programme, opts.target_lufs, ceiling)
    for _ in range(_MAX_PASSES):
        mp3, decoded = ffmpeg.encode_mp3(analysis.render(aim, ceiling))
        tp = loudness.true_peak_dbtp(decoded)
        lufs = loudness.integrated_loudness(decoded, RATE)
        over = tp - (opts.max_true_peak_dbtp - _TP_MARGIN_DB)
        miss = opts.target_lufs - lufs if math.isfinite(lufs) else 0.0
        if over <= 0 and abs(miss) <= _LUFS_TOLERANCE:
            break
        # Second pass (rare): correct for what the encoder did to peaks and loudness.
        ceiling -= max(0.0, over + 0.1)
        aim += miss
    else:
        if over > 0:  # the peak limit is the hard rule (no clipping on air); loudness is soft
            raise AudioError("Không đưa được mức đỉnh âm thanh về chuẩn phát sóng (-1,5 dBTP).")
        notes.append(f"loudness {lufs:.2f} LUFS after {_MAX_PASSES} passes")
    if not math.isfinite(lufs):
        notes.append("loudness not measurable (silent)")
    return ProcessedAudio(
        mp3=mp3,
        duration_s=round(decoded.size / RATE, 3),
        lufs=round(lufs, 2) if math.isfinite(lufs) else None,
        true_peak_dbtp=round(tp, 2) if math.isfinite(tp) else None,
        notes=tuple(notes),
    )

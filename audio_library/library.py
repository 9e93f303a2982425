"""AudioLibrary: text or uploads in, content-addressed broadcast-ready MP3s out."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from . import ffmpeg, textbridge
from .errors import AudioError, AudioTooLong
from .models import AudioAsset
from .processing import ProcessedAudio, ProcessingOptions, process
from .render import render_segments
from .store import AssetStore, check_sha
from .tts.base import TtsEngine
from .tts.espeak import EspeakEngine
from .tts.gtts_engine import GttsEngine
from .tts.piper import PiperEngine
from .tts.voices import installed_piper_voices
from .uploads import DURATION_TOLERANCE_S, MAX_UPLOAD_BYTES, MAX_UPLOAD_DURATION_S, validate_upload

log = logging.getLogger(__name__)
FALLBACK_ENGINE = "espeak-ng"
MAX_TEXT_CHARS = 100_000  # ~1.5 h of speech; beyond that it is a mistake, not a bulletin


class AudioLibrary:
    def __init__(self, root: Path, *, engines: Mapping[str, TtsEngine] | None = None,
                 gtts_timeout_s: float = 10.0, processing: ProcessingOptions | None = None,
                 max_upload_bytes: int = MAX_UPLOAD_BYTES,
                 max_upload_duration_s: float = MAX_UPLOAD_DURATION_S,
                 gc_grace_s: float = 300.0) -> None:
        """`engines` are added to / override the defaults (espeak-ng, gtts); add a
        PiperEngine under "piper" to enable Piper."""
        self.store = AssetStore(Path(root))
        self.root = self.store.root
        self.engines: dict[str, TtsEngine] = {
            "espeak-ng": EspeakEngine(), "gtts": GttsEngine(timeout_s=gtts_timeout_s)}
        installed = installed_piper_voices(self.root)
        if installed:
            # Voices installed with `radio tts voices install` are selectable as piper/<name>.
            self.engines["piper"] = PiperEngine({v.name: v.model for v in installed})
        self.engines.update(engines or {})
        self.processing = processing or ProcessingOptions()
        self.max_upload_bytes = max_upload_bytes
        self.max_upload_duration_s = max_upload_duration_s
        self.gc_grace_s = gc_grace_s

    # -- synthesis --------------------------------------------------------------------------
    def _engine(self, name: str, voice: str) -> TtsEngine:
        engine = self.engines.get(name)
        if engine is None:
            raise AudioError("Bộ đọc '%(engine)s' chưa được cài đặt (%(installed)s).", engine=name,
                             installed=", ".join(sorted(self.engines)))
        if voice not in engine.voices:
            raise AudioError("Bộ đọc %(engine)s không có giọng '%(voice)s' (%(voices)s).", engine=name, voice=voice,
                             voices=", ".join(engine.voices))
        return engine

    def _key(self, normalized: str, engine: str, voice: str, norm_version: str, rate: int | None = None) -> str:
        parts = [normalized, engine, voice, norm_version, self.processing.cache_token()]
        # A speaking rate is part of what is heard; without one the key stays as before (old caches still hit).
        return self.store.cache_key(parts if rate is None else [*parts, f"rate={rate}"])

    @staticmethod
    def _at_rate(eng: TtsEngine, rate_wpm: int | None) -> tuple[TtsEngine, int | None]:
        """The engine at the requested rate, and the rate it really speaks at (None: engine has no rate)."""
        with_rate = getattr(eng, "with_rate", None)
        if rate_wpm is None or with_rate is None:
            return eng, None
        eng = with_rate(rate_wpm)
        return eng, int(eng.rate_wpm)

    def _cached(self, key: str) -> AudioAsset | None:
        sha = self.store.cache_get(key)
        meta = self.store.read_meta(sha) if sha else None
        return AudioAsset.from_meta(self.store.asset_path(sha), meta) if sha and meta else None

    def synthesize(self, text: str, *, engine: str = "espeak-ng", voice: str = "vi",
                   extra_acronyms: Mapping[str, str] | None = None,
                   extra_loanwords: Mapping[str, str] | None = None,
                   rate_wpm: int | None = None) -> AudioAsset:
        """Speak text (normalized, user acronyms and loanwords applied) as broadcast-ready MP3;
        cached by what is read, pauses and speaking rate included. ``rate_wpm`` (words a minute) applies
        to engines that have a rate (espeak-ng); others ignore it."""
        if not text or not text.strip():
            raise AudioError("Văn bản trống, không có gì để đọc.")
        if len(text) > MAX_TEXT_CHARS:
            raise AudioError("Văn bản quá dài (tối đa %(limit)s ký tự).", limit=f"{MAX_TEXT_CHARS:,}".replace(",", "."))
        eng, rate = self._at_rate(self._engine(engine, voice), rate_wpm)
        # The cache key below is the normalized text, so a lexicon change re-renders exactly what it affects.
        segs = textbridge.script_segments(text, extra_acronyms, extra_loanwords)
        if not segs:
            raise AudioError("Văn bản không có nội dung đọc được.")
        items = [(seg.text, seg.pause_after_s) for seg in segs]
        # The key holds every segment and its pause: a structure change re-renders the audio.
        normalized = "\n".join(f"{text}\t{pause:.2f}" for text, pause in items)
        norm_version = textbridge.normalizer_version()
        key = self._key(normalized, engine, voice, norm_version, rate)
        hit = self._cached(key)
        if hit is not None:
            return hit

        used_engine, used_voice, reason = engine, voice, None
        t0 = time.perf_counter()
        try:
            audio = render_segments(eng, voice, items, self.store.tmp)
        except Exception as exc:
            if not getattr(eng, "needs_network", False):
                if isinstance(exc, AudioError):
                    raise
                raise AudioError("Bộ đọc %(engine)s gặp lỗi: %(reason)s", engine=engine, reason=str(exc)) from exc
            # Online engine down: the bulletin must still air, so speak it offline.
            reason = f"{engine}: {exc}"
            log.warning("TTS %s failed, falling back to %s: %s", engine, FALLBACK_ENGINE, exc)
            used_engine = FALLBACK_ENGINE
            fallback, rate = self._at_rate(self.engines[FALLBACK_ENGINE], rate_wpm)
            used_voice = voice if voice in fallback.voices else "vi"
            key = self._key(normalized, used_engine, used_voice, norm_version, rate)
            hit = self._cached(key)
            if hit is not None:
                return AudioAsset(**{**hit.__dict__, "fallback_reason": reason})
            audio = render_segments(fallback, used_voice, items, self.store.tmp)
        t_tts = time.perf_counter() - t0
        processed = process(audio, self.processing)
        meta = {"engine": used_engine, "voice": used_voice, "normalizer_version": norm_version,
                "text_chars": len(text), "tts_s": round(t_tts, 3), "rate_wpm": rate}
        asset = self._store(processed, meta, reason)
        # Only cache under the engine that really spoke: a gTTS outage must not pin espeak
        # audio to the gTTS key forever.
        self.store.cache_put(key, asset.sha256, {"engine": used_engine, "voice": used_voice,
                                                 "normalizer_version": norm_version})
        return asset

    def voice_choices(self) -> list[tuple[str, str]]:
        """Every (engine, voice) this library can speak with, installed Piper voices included."""
        return [(name, voice) for name, eng in sorted(self.engines.items()) for voice in eng.voices]

    # -- uploads ----------------------------------------------------------------------------
    def import_file(self, src: Path, *, original_name: str) -> AudioAsset:
        """Validate an uploaded file by content, then process it like synthesized speech.
        On any rejection nothing in the library changes."""
        src = Path(src)
        info = validate_upload(src, max_bytes=self.max_upload_bytes,
                               max_duration_s=self.max_upload_duration_s)
        # The header's duration (checked above) can lie: decode at most a second past the limit, so a
        # "2 minute" file holding hours costs no more than a real 30-minute one, and is refused.
        audio = ffmpeg.decode_capped(src, self.max_upload_duration_s + 1.0)
        if audio.size == 0 or not np.isfinite(audio).all():
            raise AudioError("Không giải mã được tệp âm thanh; tệp có thể bị hỏng.")
        if audio.size / ffmpeg.RATE > self.max_upload_duration_s + DURATION_TOLERANCE_S:
            raise AudioTooLong(self.max_upload_duration_s)
        processed = process(audio, self.processing)
        meta = {"engine": "upload", "voice": None, "original_name": original_name,
                "source_format": info.format, "source_codec": info.codec,
                "source_duration_s": round(info.duration_s, 3)}
        return self._store(processed, meta, None)

    def _store(self, processed: ProcessedAudio, meta: dict[str, Any],
               reason: str | None) -> AudioAsset:
        full = {**meta, "duration_s": processed.duration_s, "lufs": processed.lufs,
                "true_peak_dbtp": processed.true_peak_dbtp, "fallback_reason": reason,
                "notes": list(processed.notes)}
        sha, stored = self.store.put(processed.mp3, full)
        return AudioAsset.from_meta(self.store.asset_path(sha), stored, fallback_reason=reason)

    # -- lookup and cleanup -----------------------------------------------------------------
    def path_for(self, sha256: str) -> Path:
        """Absolute path of a stored asset. ValueError: not a sha256; KeyError: not stored."""
        path = self.store.asset_path(check_sha(sha256))
        if not path.is_file():
            raise KeyError(sha256)
        return path

    def asset(self, sha256: str) -> AudioAsset:
        meta = self.store.read_meta(check_sha(sha256))
        if meta is None:
            raise KeyError(sha256)
        return AudioAsset.from_meta(self.store.asset_path(sha256), meta)

    def gc(self, referenced: Iterable[str], *, min_age_s: float | None = None) -> list[str]:
        """Delete assets not in `referenced` (and cache entries pointing at them); return the
        removed shas. Assets younger than the grace period are kept: they may belong to a
        bulletin being saved right now."""
        grace = self.gc_grace_s if min_age_s is None else min_age_s
        return self.store.gc(referenced, min_age_s=grace)

"""Long text -> speech, segment by segment, joined with the pauses the text structure asks for.

Synthesizing per sentence lets us trim each engine's own variable lead-in/out and insert exact
pauses (engines' built-in pauses are short and uneven), and lets local engines run in parallel.
"""

from __future__ import annotations

import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from .processing import RATE, silence, trim_silence
from .tts.base import TtsEngine, read_wav

SENTENCE_PAUSE_S = 0.35
PARAGRAPH_PAUSE_S = 0.60


def render_script(engine: TtsEngine, voice: str, paragraphs: list[list[str]], workdir: Path,
                  *, sentence_pause_s: float = SENTENCE_PAUSE_S,
                  paragraph_pause_s: float = PARAGRAPH_PAUSE_S) -> np.ndarray:
    """Speak every sentence with `engine` and return mono float32 at 44.1 kHz."""
    items: list[tuple[str, float]] = []
    for para in paragraphs:
        for s_idx, sentence in enumerate(para):
            last_in_para = s_idx == len(para) - 1
            items.append((sentence, paragraph_pause_s if last_in_para else sentence_pause_s))
    if items:
        items[-1] = (items[-1][0], 0.0)
    return render_segments(engine, voice, items, workdir)


def render_segments(engine: TtsEngine, voice: str, items: list[tuple[str, float]],
                    workdir: Path) -> np.ndarray:
    """Speak each (text, pause_after_s) with `engine`, insert exactly that silence after it, and
    return mono float32 at 44.1 kHz. Each clip is trimmed first, so the pauses are the only gaps."""
    with tempfile.TemporaryDirectory(dir=workdir, prefix="tts-") as tmp:
        def one(item: tuple[int, str]) -> np.ndarray:
            idx, text = item
            wav = Path(tmp) / f"{idx:05d}.wav"
            engine.synthesize(text, voice, wav)
            return trim_silence(read_wav(wav), RATE, -50.0, 0.0)

        texts = [text for text, _ in items]
        workers = max(1, int(getattr(engine, "max_parallel", 1)))
        if workers == 1 or len(texts) == 1:
            clips = [one(item) for item in enumerate(texts)]
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                clips = list(pool.map(one, enumerate(texts)))
    out: list[np.ndarray] = []
    for clip, (_, pause) in zip(clips, items, strict=True):
        out.append(clip)
        if pause > 0:
            out.append(silence(pause))
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, dtype=np.float32)

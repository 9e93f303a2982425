"""Long text -> speech, sentence by sentence, joined with natural pauses.

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
    sentences = [s for para in paragraphs for s in para]
    with tempfile.TemporaryDirectory(dir=workdir, prefix="tts-") as tmp:
        def one(item: tuple[int, str]) -> np.ndarray:
            idx, text = item
            wav = Path(tmp) / f"{idx:05d}.wav"
            engine.synthesize(text, voice, wav)
            # No edge padding: the pauses below are the only gaps between sentences.
            return trim_silence(read_wav(wav), RATE, -50.0, 0.0)

        workers = max(1, int(getattr(engine, "max_parallel", 1)))
        if workers == 1 or len(sentences) == 1:
            clips = [one(item) for item in enumerate(sentences)]
        else:
            with ThreadPoolExecutor(max_workers=workers) as pool:
                clips = list(pool.map(one, enumerate(sentences)))
    out: list[np.ndarray] = []
    k = 0
    for p_idx, para in enumerate(paragraphs):
        if p_idx:
            out.append(silence(paragraph_pause_s))
        for s_idx in range(len(para)):
            if s_idx:
                out.append(silence(sentence_pause_s))
            out.append(clips[k])
            k += 1
    return np.concatenate(out).astype(np.float32) if out else np.zeros(0, dtype=np.float32)

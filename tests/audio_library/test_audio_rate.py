"""Speaking rate (issue 15, per-commune voice defaults): espeak-ng -s, and the cache key holds the rate."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from audio_support import write_wav

from audio_library import AudioLibrary, EspeakEngine


class RatedTone:
    """A tone whose length follows the rate, like speech: 100 wpm → 0.6 s, 200 wpm → 0.3 s."""

    name = "espeak-ng"
    voices = ("vi",)

    def __init__(self, rate_wpm: int = 160, log: list[int] | None = None) -> None:
        self.rate_wpm = rate_wpm
        self.log = [] if log is None else log

    def with_rate(self, rate_wpm: int) -> RatedTone:
        return RatedTone(rate_wpm, self.log)

    def synthesize(self, text: str, voice: str, out_wav: Path) -> None:
        self.log.append(self.rate_wpm)
        t = np.arange(int(22_050 * 60 / self.rate_wpm)) / 22_050
        write_wav(out_wav, 0.3 * np.sin(2 * np.pi * 300 * t), rate=22_050)


def test_espeak_rate_is_clamped_and_reaches_the_command_line() -> None:
    engine = EspeakEngine(executable="espeak-ng-x", timeout_s=7.0)
    assert engine.with_rate(140).rate_wpm == 140
    assert engine.with_rate(10).rate_wpm == 80 and engine.with_rate(999).rate_wpm == 260
    assert engine.with_rate(140).executable == "espeak-ng-x" and engine.with_rate(140).timeout_s == 7.0


def test_rate_is_used_and_part_of_the_cache_key(make_library) -> None:
    tone = RatedTone()
    lib: AudioLibrary = make_library(engines={"espeak-ng": tone})
    default = lib.synthesize("Câu một.")
    slow = lib.synthesize("Câu một.", rate_wpm=100)
    assert tone.log == [160, 100]
    assert slow.sha256 != default.sha256 and slow.duration_s > default.duration_s
    assert lib.synthesize("Câu một.", rate_wpm=100) == slow and tone.log == [160, 100]  # cached per rate
    assert lib.synthesize("Câu một.") == default and len(tone.log) == 2

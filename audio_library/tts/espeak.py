"""espeak-ng: offline, fast (~15 ms per sentence), robotic but always available."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..errors import AudioError
from .base import PART, run_to_wav

VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south")
MIN_RATE_WPM, MAX_RATE_WPM = 80, 260


class EspeakEngine:
    name = "espeak-ng"
    voices = VOICES
    max_parallel = 2

    def __init__(self, *, executable: str = "espeak-ng", rate_wpm: int = 160,
                 timeout_s: float = 60.0) -> None:
        # 160 wpm (espeak default 175): loudspeakers on poles echo, slower speech stays clear.
        self.executable = executable
        self.rate_wpm = rate_wpm
        self.timeout_s = timeout_s

    def with_rate(self, rate_wpm: int) -> EspeakEngine:
        """The same engine speaking at ``rate_wpm`` words a minute (espeak-ng ``-s``), clamped to a sane range."""
        rate = max(MIN_RATE_WPM, min(MAX_RATE_WPM, int(rate_wpm)))
        return EspeakEngine(executable=self.executable, rate_wpm=rate, timeout_s=self.timeout_s)

    def synthesize(self, text: str, voice: str, out_wav: Path) -> None:
        if voice not in self.voices:
            raise AudioError("Giọng đọc '%(voice)s' không có trong espeak-ng (%(voices)s).", voice=voice,
                             voices=", ".join(self.voices))
        exe = shutil.which(self.executable)
        if exe is None:
            raise AudioError("Máy chủ chưa cài đặt espeak-ng (gói Debian 'espeak-ng').")
        # Text goes through stdin, never argv: a sentence starting with '-' would be an option.
        cmd = [exe, "-v", voice, "-s", str(self.rate_wpm), "-w", PART, "--stdin"]
        run_to_wav(cmd, text, out_wav, engine="espeak-ng", timeout_s=self.timeout_s)

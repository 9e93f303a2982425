"""espeak-ng: offline, fast (~15 ms per sentence), robotic but always available."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from ..errors import AudioError

VOICES = ("vi", "vi-vn-x-central", "vi-vn-x-south")


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

    def synthesize(self, text: str, voice: str, out_wav: Path) -> None:
        if voice not in self.voices:
            raise AudioError(f"Giọng đọc '{voice}' không có trong espeak-ng ({', '.join(self.voices)}).")
        exe = shutil.which(self.executable)
        if exe is None:
            raise AudioError("Máy chủ chưa cài đặt espeak-ng (gói Debian 'espeak-ng').")
        tmp = out_wav.with_name(out_wav.name + ".part")
        # Text goes through stdin, never argv: a sentence starting with '-' would be an option.
        cmd = [exe, "-v", voice, "-s", str(self.rate_wpm), "-w", str(tmp), "--stdin"]
        try:
            proc = subprocess.run(cmd, input=text.encode("utf-8"), capture_output=True,
                                  timeout=self.timeout_s, check=False)
            if proc.returncode != 0 or not tmp.is_file() or tmp.stat().st_size <= 44:
                msg = proc.stderr.decode("utf-8", "replace").strip()[:200]
                raise AudioError(f"espeak-ng không tạo được giọng đọc ({msg}).")
            os.replace(tmp, out_wav)
        except subprocess.TimeoutExpired as exc:
            raise AudioError("espeak-ng chạy quá lâu, đã dừng lại.") from exc
        finally:
            tmp.unlink(missing_ok=True)

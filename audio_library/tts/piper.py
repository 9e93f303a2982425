"""Piper neural TTS (offline, better quality) with user-supplied .onnx voice models.

Piper is optional: neither the binary nor models ship with us (models are ~60 MB downloads the
station installs). Missing pieces produce a clear Vietnamese AudioError, not a stack trace.
"""

from __future__ import annotations

import importlib.util
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from ..errors import AudioError
from .base import PART, run_to_wav


class PiperEngine:
    name = "piper"
    max_parallel = 1  # one model instance already uses several cores

    def __init__(self, models: Mapping[str, Path] | Path, *, executable: str | None = None,
                 timeout_s: float = 120.0) -> None:
        # A single path is the default Vietnamese voice "vi".
        self.models = {"vi": Path(models)} if isinstance(models, (str, Path)) else {
            k: Path(v) for k, v in models.items()}
        self.voices = tuple(self.models)
        self.executable = executable
        self.timeout_s = timeout_s

    def _command(self) -> list[str]:
        if self.executable:
            exe = shutil.which(self.executable)
            if exe is None:
                raise AudioError(f"Không tìm thấy chương trình Piper tại '{self.executable}'.")
            return [exe]
        exe = shutil.which("piper")
        if exe:
            return [exe]
        if importlib.util.find_spec("piper") is not None:
            return [sys.executable, "-m", "piper"]
        raise AudioError("Máy chủ chưa cài đặt Piper (gói 'piper-tts'); hãy dùng giọng espeak-ng.")

    def synthesize(self, text: str, voice: str, out_wav: Path) -> None:
        model = self.models.get(voice)
        if model is None:
            raise AudioError(f"Giọng Piper '{voice}' chưa được cấu hình ({', '.join(self.voices)}).")
        if not model.is_file():
            raise AudioError(f"Không tìm thấy tệp mô hình giọng đọc Piper: {model}")
        config = Path(f"{model}.json")
        if not config.is_file():
            raise AudioError(f"Thiếu tệp cấu hình của mô hình Piper: {config}")
        cmd = [*self._command(), "--model", str(model), "--output_file"]
        run_to_wav([*cmd, PART], text, out_wav, engine="Piper", timeout_s=self.timeout_s)

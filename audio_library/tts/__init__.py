"""TTS engines behind one interface (see base.TtsEngine)."""

from .base import TtsEngine, read_wav
from .espeak import EspeakEngine
from .gtts_engine import GttsEngine
from .piper import PiperEngine

__all__ = ["EspeakEngine", "GttsEngine", "PiperEngine", "TtsEngine", "read_wav"]

"""Commune Radio audio library: Vietnamese TTS + broadcast-ready, content-addressed MP3s.

No database, no web framework: callers store the returned AudioAsset fields themselves.
"""

from .errors import AudioError, AudioTooLong
from .library import AudioLibrary
from .models import AudioAsset
from .processing import PROCESSING_VERSION, ProcessingOptions
from .tts import EspeakEngine, GttsEngine, PiperEngine, TtsEngine

__all__ = [
    "PROCESSING_VERSION",
    "AudioAsset",
    "AudioError",
    "AudioLibrary",
    "AudioTooLong",
    "EspeakEngine",
    "GttsEngine",
    "PiperEngine",
    "ProcessingOptions",
    "TtsEngine",
]

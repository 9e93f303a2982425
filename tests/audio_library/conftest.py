"""Fixtures for audio_library tests. Everything is generated here: no network, no data files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from audio_support import espeak_wav

from audio_library import AudioLibrary

SPEECH = "Ủy ban nhân dân xã thông báo lịch tiêm phòng cho gia súc vào sáng thứ hai tuần tới."


@pytest.fixture
def library(tmp_path: Path) -> AudioLibrary:
    return AudioLibrary(tmp_path / "lib")


@pytest.fixture
def make_library(tmp_path: Path) -> Callable[..., AudioLibrary]:
    def make(**kwargs: object) -> AudioLibrary:
        return AudioLibrary(tmp_path / "lib", **kwargs)  # type: ignore[arg-type]

    return make


@pytest.fixture(scope="session")
def speech_wav(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return espeak_wav(tmp_path_factory.mktemp("speech") / "speech.wav", SPEECH)

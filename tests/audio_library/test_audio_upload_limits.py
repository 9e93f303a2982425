"""Uploads that lie about their length are refused after decoding at most the limit (issue 10, item 8)."""

from __future__ import annotations

import json
import subprocess
import time
import tracemalloc
from pathlib import Path

import pytest
from audio_support import ffmpeg_make, tree

from audio_library import AudioLibrary, AudioTooLong, ffmpeg

pytestmark = pytest.mark.security

TRUE_LENGTH_S = 600.0
_MP3 = ["-ac", "1", "-ar", "22050", "-c:a", "libmp3lame", "-write_xing", "0", "-id3v2_version", "0",
        "-write_id3v1", "0", "-f", "mp3"]


def _probed_duration(path: Path) -> float:
    out = subprocess.run(["ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "json", str(path)],
                         capture_output=True, check=True).stdout
    return float(json.loads(out)["format"]["duration"])


@pytest.fixture(scope="module")
def lying_mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One second at 160 kbps, then ten minutes at 8 kbps, no Xing header: ffprobe estimates the length from
    the first frames' bitrate and reports about a tenth of the truth (as in the review: 123 s for 2,403 s)."""
    d = tmp_path_factory.mktemp("lying")
    head = ffmpeg_make(d / "head.mp3", "-f", "lavfi", "-i", "sine=frequency=440:duration=1", *_MP3, "-b:a", "160k")
    tail = ffmpeg_make(d / "tail.mp3", "-f", "lavfi", "-i", f"sine=frequency=330:duration={TRUE_LENGTH_S}",
                       *_MP3, "-b:a", "8k")
    lying = d / "lying.mp3"
    lying.write_bytes(head.read_bytes() + tail.read_bytes())
    return lying


def test_the_fixture_really_lies_to_ffprobe(lying_mp3: Path) -> None:
    assert _probed_duration(lying_mp3) < TRUE_LENGTH_S / 4
    assert len(ffmpeg.decode(lying_mp3, rate=8000)) / 8000 == pytest.approx(TRUE_LENGTH_S + 1, abs=1.0)


def test_lying_upload_is_refused_with_bounded_memory_and_time(lying_mp3: Path, make_library, tmp_path: Path) -> None:
    # The limit sits above what ffprobe claims, so only the decoded length can catch the file.
    limit_s = _probed_duration(lying_mp3) + 10.0
    lib: AudioLibrary = make_library(max_upload_duration_s=limit_s)
    before = tree(lib.root)
    tracemalloc.start()
    started = time.monotonic()
    try:
        with pytest.raises(AudioTooLong) as refused:
            lib.import_file(lying_mp3, original_name="lying.mp3")
        elapsed = time.monotonic() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert refused.value.limit_s == limit_s
    assert f"giới hạn là {refused.value.minutes} phút" in str(refused.value)
    assert tree(lib.root) == before  # nothing stored
    # Decoding the whole file at 44.1 kHz float32 would hold 600 s x 176 kB = 106 MB (twice, before the fix);
    # capped at the limit + 1 s it is one buffer of (limit + 1) x 176 kB.
    capped_bytes = (limit_s + 1.0) * ffmpeg.RATE * 4
    assert peak < capped_bytes * 1.5 < TRUE_LENGTH_S * ffmpeg.RATE * 4 / 2
    assert elapsed < 10.0


def test_decode_capped_stops_at_the_cap(lying_mp3: Path) -> None:
    audio = ffmpeg.decode_capped(lying_mp3, 5.0)
    assert len(audio) == 5 * ffmpeg.RATE


def test_decode_capped_returns_short_files_whole(tmp_path: Path) -> None:
    src = ffmpeg_make(tmp_path / "two.wav", "-f", "lavfi", "-i", "sine=frequency=440:duration=2")
    assert len(ffmpeg.decode_capped(src, 60.0)) / ffmpeg.RATE == pytest.approx(2.0, abs=0.01)


def test_upload_exactly_at_the_limit_is_accepted(make_library, tmp_path: Path) -> None:
    lib: AudioLibrary = make_library(max_upload_duration_s=3.0)
    src = ffmpeg_make(tmp_path / "three.mp3", "-f", "lavfi", "-i", "sine=frequency=440:duration=3",
                      "-c:a", "libmp3lame")
    assert lib.import_file(src, original_name="three.mp3").duration_s == pytest.approx(3.0, abs=0.15)


def test_too_long_message_names_the_limit_in_minutes() -> None:
    assert str(AudioTooLong(1800.0)) == "Tệp âm thanh quá dài; giới hạn là 30 phút."
    assert AudioTooLong(90.0).minutes == "1,5"

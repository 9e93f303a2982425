"""import_file(): validation by content; a rejected upload leaves the library untouched."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from audio_support import ebur128, ffmpeg_make, sine_wav, tree

from audio_library import AudioError, AudioLibrary

pytestmark = pytest.mark.security


def _lavfi_sine(seconds: float = 2.0) -> list[str]:
    return ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]


@pytest.mark.parametrize(
    ("name", "codec_args"),
    [
        ("a.mp3", ["-c:a", "libmp3lame"]),
        ("a.wav", ["-c:a", "pcm_s16le"]),
        ("a.ogg", ["-c:a", "libvorbis"]),
        ("a.opus.ogg", ["-c:a", "libopus"]),
        ("a.m4a", ["-c:a", "aac"]),
        ("stereo-48k.wav", ["-ac", "2", "-ar", "48000"]),
    ],
)
def test_accepts_supported_formats(name: str, codec_args: list[str], tmp_path: Path,
                                   library: AudioLibrary) -> None:
    src = ffmpeg_make(tmp_path / name, *_lavfi_sine(), *codec_args)
    asset = library.import_file(src, original_name=name)
    assert asset.engine == "upload" and asset.voice is None
    assert asset.duration_s == pytest.approx(2.0, abs=0.1)
    m = ebur128(asset.path)
    assert -17.0 <= m.integrated_lufs <= -15.0 and m.true_peak_dbtp <= -1.5


def test_format_is_probed_not_taken_from_extension(tmp_path: Path, library: AudioLibrary) -> None:
    # a WAV that was named .txt is still a WAV
    src = ffmpeg_make(tmp_path / "recording.wav", *_lavfi_sine())
    renamed = src.rename(tmp_path / "recording.txt")
    assert library.import_file(renamed, original_name="recording.txt").duration_s > 1.5


def _write_text_as_mp3(d: Path) -> Path:
    p = d / "bao-cao.mp3"
    p.write_text("Báo cáo kết quả thực hiện kế hoạch năm 2023.\n" * 200, encoding="utf-8")
    return p


def _write_flac(d: Path) -> Path:
    return ffmpeg_make(d / "a.flac", *_lavfi_sine(), "-c:a", "flac")


def _write_video(d: Path) -> Path:
    return ffmpeg_make(d / "clip.m4a", "-f", "lavfi", "-i", "testsrc=duration=1:size=64x64:rate=5",
                       *_lavfi_sine(1.0), "-c:v", "mpeg4", "-c:a", "aac", "-f", "mp4")


def _write_empty(d: Path) -> Path:
    p = d / "empty.mp3"
    p.write_bytes(b"")
    return p


def _write_truncated_mp3(d: Path) -> Path:
    src = ffmpeg_make(d / "full.mp3", *_lavfi_sine(), "-c:a", "libmp3lame")
    p = d / "broken.mp3"
    p.write_bytes(b"\x00" * 64)  # header gone, nothing decodable
    src.unlink()
    return p


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_write_text_as_mp3, "không phải là tệp âm thanh|không được hỗ trợ"),
        (_write_flac, "chỉ nhận tệp âm thanh MP3, WAV, OGG hoặc M4A"),
        (_write_video, "chỉ chứa âm thanh"),
        (_write_empty, "rỗng"),
        (_write_truncated_mp3, "không phải là tệp âm thanh|không được hỗ trợ"),
    ],
    ids=["text-renamed-mp3", "flac", "mp4-video", "empty", "garbage"],
)
def test_rejects_bad_files_and_changes_nothing(make: Callable[[Path], Path], message: str,
                                               tmp_path: Path, library: AudioLibrary) -> None:
    src = make(tmp_path)
    before = tree(library.root)
    with pytest.raises(AudioError, match=message):
        library.import_file(src, original_name=src.name)
    assert tree(library.root) == before


def test_rejects_oversized_file(make_library, tmp_path: Path) -> None:
    lib: AudioLibrary = make_library(max_upload_bytes=10_000)
    src = sine_wav(tmp_path / "big.wav", seconds=1.0)  # ~88 kB
    before = tree(lib.root)
    with pytest.raises(AudioError, match="quá lớn"):
        lib.import_file(src, original_name="big.wav")
    assert tree(lib.root) == before


def test_rejects_too_long_file(make_library, tmp_path: Path) -> None:
    lib: AudioLibrary = make_library(max_upload_duration_s=3.0)
    src = ffmpeg_make(tmp_path / "long.mp3", *_lavfi_sine(5.0), "-c:a", "libmp3lame", "-b:a", "32k")
    before = tree(lib.root)
    with pytest.raises(AudioError, match="quá dài"):
        lib.import_file(src, original_name="long.mp3")
    assert tree(lib.root) == before


def test_default_limits() -> None:
    lib_limits = AudioLibrary.__init__.__kwdefaults__ or {}
    assert lib_limits["max_upload_bytes"] == 50 * 1024 * 1024
    assert lib_limits["max_upload_duration_s"] == 30 * 60


def test_silent_upload_is_rejected(tmp_path: Path, library: AudioLibrary) -> None:
    src = ffmpeg_make(tmp_path / "silence.wav", "-f", "lavfi", "-i", "anullsrc=d=2", "-ac", "1")
    before = tree(library.root)
    with pytest.raises(AudioError, match="khoảng lặng"):
        library.import_file(src, original_name="silence.wav")
    assert tree(library.root) == before


def test_same_upload_twice_is_one_asset(tmp_path: Path, library: AudioLibrary) -> None:
    src = sine_wav(tmp_path / "a.wav", seconds=1.0)
    a = library.import_file(src, original_name="a.wav")
    b = library.import_file(src, original_name="copy.wav")
    assert a.sha256 == b.sha256
    assert len(list(library.root.rglob("*.mp3"))) == 1

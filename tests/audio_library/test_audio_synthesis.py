"""synthesize(): espeak-ng end to end, sentence pauses, cache, path_for, gc."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from audio_support import CountingEngine, ebur128, write_wav

from audio_library import AudioAsset, AudioError, AudioLibrary, EspeakEngine, textbridge

ARTICLE = (
    "Thông báo của Ủy ban nhân dân xã. Sáng mai, bà con tập trung tại nhà văn hóa thôn.\n\n"
    "Đề nghị các hộ gia đình cử người tham dự đầy đủ."
)


class ToneEngine:
    """Speaks every sentence as exactly 0.5 s of tone: makes pause lengths measurable."""

    name = "tone"
    voices = ("vi",)

    def __init__(self) -> None:
        self.calls = 0

    def synthesize(self, text: str, voice: str, out_wav: Path) -> None:
        self.calls += 1
        t = np.arange(22_050 // 2) / 22_050
        write_wav(out_wav, 0.3 * np.sin(2 * np.pi * 300 * t), rate=22_050)


def test_synthesize_espeak_broadcast_ready(library: AudioLibrary) -> None:
    asset = library.synthesize(ARTICLE, voice="vi-vn-x-south")
    assert isinstance(asset, AudioAsset)
    assert asset.engine == "espeak-ng" and asset.voice == "vi-vn-x-south"
    assert asset.fallback_reason is None
    assert asset.path.is_absolute() and asset.path.is_file()
    assert asset.path == library.root / asset.sha256[:2] / f"{asset.sha256}.mp3"
    assert asset.duration_s > 3.0
    m = ebur128(asset.path)
    assert -17.0 <= m.integrated_lufs <= -15.0 and m.true_peak_dbtp <= -1.5
    assert list((library.root / "tmp").iterdir()) == []  # no temp leftovers


def test_sentence_and_paragraph_pauses(make_library) -> None:
    tone = ToneEngine()
    lib = make_library(engines={"tone": tone})
    asset = lib.synthesize("Câu một. Câu hai.\n\nCâu ba.", engine="tone")
    assert tone.calls == 3
    # 3 x 0.5 s speech + 0.35 s between sentences + 0.6 s between paragraphs
    assert asset.duration_s == pytest.approx(1.5 + 0.35 + 0.6, abs=0.03)


def test_cache_hit_same_sha_without_resynthesis(make_library) -> None:
    counting = CountingEngine(EspeakEngine())
    lib: AudioLibrary = make_library(engines={"espeak-ng": counting})
    first = lib.synthesize(ARTICLE)
    n = len(counting.calls)
    assert n >= 3
    t0 = time.perf_counter()
    second = lib.synthesize(ARTICLE)
    elapsed = time.perf_counter() - t0
    assert second == first
    assert len(counting.calls) == n
    assert elapsed < 0.2  # the bench measures the real figure (< 20 ms); CI machines vary
    # a fresh library object on the same root (another process) hits the same cache
    again = AudioLibrary(lib.root, engines={"espeak-ng": counting}).synthesize(ARTICLE)
    assert again.sha256 == first.sha256 and len(counting.calls) == n
    # a different voice is a different rendering
    other = lib.synthesize(ARTICLE, voice="vi-vn-x-central")
    assert other.sha256 != first.sha256 and len(counting.calls) > n


def test_cache_key_includes_normalizer_version(make_library, monkeypatch) -> None:
    counting = CountingEngine(EspeakEngine())
    lib = make_library(engines={"espeak-ng": counting})
    lib.synthesize("Xin chào bà con.")
    monkeypatch.setattr(textbridge, "normalizer_version", lambda: "test-bumped")
    lib.synthesize("Xin chào bà con.")
    assert len(counting.calls) == 2


def test_rejects_empty_text_unknown_engine_and_voice(library: AudioLibrary) -> None:
    with pytest.raises(AudioError, match="trống"):
        library.synthesize("   \n ")
    with pytest.raises(AudioError, match="chưa được cài đặt"):
        library.synthesize("Xin chào.", engine="piper")
    with pytest.raises(AudioError, match="giọng"):
        library.synthesize("Xin chào.", voice="en")


@pytest.mark.security
def test_path_for(library: AudioLibrary) -> None:
    asset = library.synthesize("Xin chào bà con.")
    assert library.path_for(asset.sha256) == asset.path
    with pytest.raises(ValueError):
        library.path_for("../../etc/passwd")
    with pytest.raises(ValueError):
        library.path_for(asset.sha256.upper())
    with pytest.raises(KeyError):
        library.path_for("0" * 64)


def test_gc_removes_unreferenced_assets_and_cache(make_library) -> None:
    counting = CountingEngine(EspeakEngine())
    lib: AudioLibrary = make_library(engines={"espeak-ng": counting})
    keep = lib.synthesize("Bản tin thứ nhất.")
    drop = lib.synthesize("Bản tin thứ hai.")
    assert lib.gc([keep.sha256, drop.sha256], min_age_s=0) == []
    assert lib.gc([]) == []  # default grace period protects files just written
    assert lib.gc([keep.sha256], min_age_s=0) == [drop.sha256]
    assert keep.path.is_file() and not drop.path.exists()
    assert not drop.path.with_suffix(".json").exists()
    with pytest.raises(KeyError):
        lib.path_for(drop.sha256)
    n = len(counting.calls)
    again = lib.synthesize("Bản tin thứ hai.")  # stale cache entry is gone: synthesized anew
    assert len(counting.calls) == n + 1 and again.sha256 == drop.sha256
    assert lib.synthesize("Bản tin thứ nhất.").sha256 == keep.sha256
    assert len(counting.calls) == n + 1


def test_script_splits_paragraphs_and_sentences() -> None:
    paragraphs = textbridge.script("Câu một. Câu hai!\n\n\nĐoạn hai.\nDòng mới")
    assert len(paragraphs) == 2
    assert len(paragraphs[0]) == 2 and len(paragraphs[1]) == 2


def test_espeak_engine_errors(tmp_path: Path) -> None:
    engine = EspeakEngine()
    with pytest.raises(AudioError):
        engine.synthesize("Xin chào", "xx", tmp_path / "a.wav")
    with pytest.raises(AudioError, match="espeak-ng"):
        EspeakEngine(executable="/nonexistent/espeak").synthesize("Xin chào", "vi", tmp_path / "b.wav")
    assert list(tmp_path.iterdir()) == []


def test_heading_pause_survives_into_the_audio(make_library) -> None:
    tone = ToneEngine()
    lib = make_library(engines={"tone": tone})
    asset = lib.synthesize("KẾ HOẠCH\nThực hiện công văn số 98 của huyện về giảm nghèo.", engine="tone")
    assert tone.calls == 2
    # 2 x 0.5 s speech + the heading's 0.8 s pause (not the 0.35 s sentence pause)
    assert asset.duration_s == pytest.approx(1.0 + 0.8, abs=0.03)


def test_cache_key_follows_the_structure(make_library) -> None:
    tone = ToneEngine()
    lib = make_library(engines={"tone": tone})
    one_paragraph = lib.synthesize("Câu một.\nCâu hai.", engine="tone")
    two_paragraphs = lib.synthesize("Câu một.\n\nCâu hai.", engine="tone")
    assert one_paragraph.sha256 != two_paragraphs.sha256  # same words, different pause
    assert lib.synthesize("Câu một.\n\nCâu hai.", engine="tone").sha256 == two_paragraphs.sha256
    assert tone.calls == 4


def test_segments_carry_the_pauses() -> None:
    segs = textbridge.script_segments("I. MỤC ĐÍCH\nCâu một. Câu hai.")
    assert [(s.kind, s.pause_after_s) for s in segs] == [("heading", 0.8), ("sentence", 0.35), ("sentence", 0.0)]
    # 1.15: the heading after "Phần một," keeps its first word's capital (v15, v16).
    assert textbridge.speakable("I. MỤC ĐÍCH\nCâu một.") == "Phần một, Mục đích.\nCâu một."

"""Vietnamese syllable validator."""

from __future__ import annotations

import re

import pytest

from audio_library.text.syllable import has_vietnamese_mark, is_valid_syllable
from sample_data import PLANS

VALID = str.split(
    "a á ý yêu yến khuya khuyên tuyết nguyễn quốc qua quý quyết gì gìn giếng giữ già nghiêng nghe "
    "ghi kiến kỳ kẻ cấp các chương trình truyền thông huyện xã Ủy ĐẢNG HOẠCH thuở huơ hoặc oẳn "
    "ngoằn khoẻ boong xoong tường người được ưu mười nhất việc phường ấp bản loa ngày tháng năm ke kha"
)
INVALID = str.split(
    "Chwong Kién vimg cip x4 ciia ctia qudc gia1 cac tac thuc muc truyen hién b1 ké13 "
    "ka ă ge ngi quo quu bck tiéu biéu nghiém muyc dudng càt"
)


@pytest.mark.parametrize("word", VALID)
def test_valid_syllables(word: str) -> None:
    assert is_valid_syllable(word)


@pytest.mark.parametrize("word", INVALID)
def test_invalid_syllables(word: str) -> None:
    assert not is_valid_syllable(word)


@pytest.mark.parametrize("word", ["", "đ", "trường-học", "ab cd", "thườngg", "xxxxxxxxxx"])
def test_degenerate_input(word: str) -> None:
    assert not is_valid_syllable(word)


def test_stop_coda_requires_sac_or_nang() -> None:
    assert is_valid_syllable("cát") and is_valid_syllable("cạt")
    for tone in "càt", "cảt", "cãt", "cat":
        assert not is_valid_syllable(tone)


def test_has_vietnamese_mark() -> None:
    assert has_vietnamese_mark("đi") and has_vietnamese_mark("ơn") and not has_vietnamese_mark("ngheo")


def test_clean_sample_words_are_almost_all_valid() -> None:
    text = (PLANS / "lai-chau-2022-SVHTTDL.txt").read_text(encoding="utf-8")
    words = [w for w in re.findall(r"[^\W\d_]{2,}", text) if not w.isupper()]
    invalid = [w for w in words if not is_valid_syllable(w)]
    assert len(words) > 1000
    assert len(invalid) / len(words) < 0.01, invalid[:20]

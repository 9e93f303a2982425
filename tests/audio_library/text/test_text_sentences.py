"""Sentence splitting for sentence-by-sentence TTS."""

from __future__ import annotations

import pytest

from audio_library.text import normalize, split_sentences
from sample_data import PLANS


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 10.000 tờ rơi. Phát 20 tin bài.", ["In 10.000 tờ rơi.", "Phát 20 tin bài."]),
        ("Hỗ trợ 4,5 tấn gạo! Có ai cần không? Có.", ["Hỗ trợ 4,5 tấn gạo!", "Có ai cần không?", "Có."]),
        ("Trụ sở UBND TP. Lai Châu. Mở cửa.", ["Trụ sở UBND TP. Lai Châu.", "Mở cửa."]),
        ("Ông Nguyễn V. An phát biểu. Hết.", ["Ông Nguyễn V. An phát biểu.", "Hết."]),
        ("1. Mục đích\nII. Đối tượng", ["1. Mục đích", "II. Đối tượng"]),
        ("2.2. Phạm vi thực hiện. Trên toàn tỉnh.", ["2.2. Phạm vi thực hiện.", "Trên toàn tỉnh."]),
        ("băng rôn, áp phích... hướng về cơ sở.", ["băng rôn, áp phích... hướng về cơ sở."]),
        ("KT. GIÁM ĐỐC", ["KT. GIÁM ĐỐC"]),
        ("", []),
        ("\n\n  \n", []),
    ],
)
def test_split(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_normalized_sample_keeps_all_words() -> None:
    text = normalize((PLANS / "lai-chau-2022-SVHTTDL.txt").read_text(encoding="utf-8"))
    sentences = split_sentences(text)
    assert len(sentences) > 40
    assert " ".join(sentences).split() == text.split()

"""Linter: fitness to broadcast on the sample plans and on crafted texts."""

from __future__ import annotations

import dataclasses
import unicodedata

import pytest

from audio_library.text import LintReport, lint
from sample_data import PLANS

SAMPLES = PLANS
CLEAN = ["cam-tan-2023-giam-ngheo-thong-tin.txt", "lai-chau-2022-SVHTTDL.txt"]


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def test_every_ocr_sample_is_unfit() -> None:
    ocr = sorted(SAMPLES.glob("*.ocr.txt"))
    assert ocr
    for path in ocr:
        report = lint(path.read_text(encoding="utf-8"))
        assert not report.fit, path.name
        assert {"missing_diacritics", "invalid_syllables"} <= report.codes()
        assert report.invalid_syllable_ratio > 0.3


@pytest.mark.parametrize("name", CLEAN)
def test_clean_samples_are_fit(name: str) -> None:
    report = lint((SAMPLES / name).read_text(encoding="utf-8"))
    assert report.fit
    assert report.invalid_syllable_ratio < 0.01
    assert "missing_diacritics" not in report.codes()
    assert "unknown_acronym" not in report.codes()
    assert report.syllable_count > 1000


@pytest.mark.parametrize("name", CLEAN)
def test_clean_sample_with_diacritics_stripped_is_unfit(name: str) -> None:
    report = lint(strip_diacritics((SAMPLES / name).read_text(encoding="utf-8")))
    assert not report.fit
    assert "missing_diacritics" in report.codes()


def test_report_is_frozen_and_messages_are_vietnamese() -> None:
    report = lint("Đài KG phát bản tin về giảm nghèo bền vững cho bà con trong xã.")
    assert isinstance(report, LintReport)
    with pytest.raises(dataclasses.FrozenInstanceError):
        report.fit = False  # type: ignore[misc]
    warning = next(w for w in report.warnings if w.code == "unknown_acronym")
    assert "KG" in warning.message and "viết tắt" in warning.message
    assert "KG" in warning.excerpt
    assert report.fit  # an unknown acronym is spelled out, so it does not block broadcasting


def test_extra_acronyms_silence_unknown_acronym() -> None:
    report = lint("Đài KG phát bản tin.", extra_acronyms={"KG": "Kiên Giang"})
    assert "unknown_acronym" not in report.codes()


def test_known_acronyms_roman_numerals_and_doc_numbers_are_not_flagged() -> None:
    report = lint("Kế hoạch số 4069/KH-UBND của Sở LĐ-TB&XH, Quý IV, khóa XIII, HĐND và MTQG.")
    assert report.codes() == set()


def test_long_sentence_warning() -> None:
    sentence = " ".join(["tuyên truyền giảm nghèo"] * 25) + "."
    report = lint(sentence)
    assert "long_sentence" in report.codes()
    assert report.fit
    assert "long_sentence" not in lint("Câu ngắn. Câu thứ hai cũng ngắn.").codes()


def test_ocr_damage_with_diacritics_is_unfit() -> None:
    text = ("Kién Giang Chwong trinh muc tiéu qudc gia giam nghéo bén vimg nim 2024 trén dia ban tinh "
            "thuc hién ciia Pang va Nha nudc, cac cip cac nganh va toan x4 hoi. ") * 3
    report = lint(text)
    assert not report.fit and "invalid_syllables" in report.codes()


def test_empty_text_is_unfit() -> None:
    report = lint("   \n 123 ")
    assert not report.fit and report.codes() == {"empty"}

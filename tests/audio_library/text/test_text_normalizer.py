"""Normalizer: the hand-written case table, contract properties and targeted behaviours."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from heldback_support import given_up
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_library.text import NORMALIZER_VERSION, normalize
from sample_data import PLANS

CASES_FILE = Path(__file__).with_name("normalizer_cases.tsv")
SAMPLES = PLANS
FORBIDDEN = re.compile(r"[0-9/&%]")


def load_cases() -> list[tuple[str, str]]:
    cases = []
    for line in CASES_FILE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        source, expected = line.split("\t")
        cases.append((source.replace("\\n", "\n"), expected.replace("\\n", "\n")))
    return cases


CASES = load_cases()


def test_case_table_is_large_and_nfc() -> None:
    assert len(CASES) >= 60
    for source, expected in CASES:
        assert unicodedata.is_normalized("NFC", expected), expected
        assert not FORBIDDEN.search(expected), expected
        assert source != expected


# Rows knowingly given up to a convention of the recent sets (TTg "Thủ tướng Chính phủ" since 1.14, headings' capitals,
# bare minutes, "TP." "Thành phố" since 1.15): their current reading is listed in the given_up_1_*.tsv files.
GIVEN_UP = given_up("normalizer_cases.tsv")


@pytest.mark.parametrize(("source", "expected"), CASES, ids=[c[0][:40] for c in CASES])
def test_case_table(source: str, expected: str) -> None:
    assert normalize(source) == GIVEN_UP.get(source, expected)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("ngày 28/10/2022", "ngày hai mươi tám tháng mười năm hai nghìn không trăm hai mươi hai"),
        # 1.20: a date alone on its line is a page's dateline, read without "Ngày" (v26, as v22 and v23).
        ("28/10/2022", "Hai mươi tám tháng mười năm hai nghìn không trăm hai mươi hai"),
        ("Ngày 11/5/2023", "Ngày mười một tháng năm năm hai nghìn không trăm hai mươi ba"),
        ("ngày 04 tháng 4 năm 2024", "ngày bốn tháng tư năm hai nghìn không trăm hai mươi bốn"),
        ("tháng 10/2022", "tháng mười năm hai nghìn không trăm hai mươi hai"),
        ("2021-2025", "Hai nghìn không trăm hai mươi mốt đến hai nghìn không trăm hai mươi lăm"),
        ("Quý IV", "Quý bốn"),
        ("khóa XIII", "khóa mười ba"),
        ("thứ 1", "thứ nhất"),
        ("thế kỷ XXI", "thế kỷ hai mươi mốt"),
        ("98/KH - UBND", "Chín mươi tám, kế hoạch, Ủy ban nhân dân"),
        ("6h00", "Sáu giờ"),
        ("0,05", "Không phẩy không năm"),
        ("3/4 số hộ", "Ba phần tư số hộ"),
        ("khác (nếu có).", "khác, nếu có."),
        # 1.19: "≥" is "lớn hơn hoặc bằng" (v23), and "≤" likewise "nhỏ hơn hoặc bằng".
        ("≤15 phút", "nhỏ hơn hoặc bằng mười lăm phút"),
        ("Liên hệ 0912 345 678", "Liên hệ không chín một hai, ba bốn năm, sáu bảy tám"),
        ("Mã 0123", "Mã không một hai ba"),
    ],
)
def test_specific_readings(source: str, expected: str) -> None:
    assert normalize(source) == expected


def test_never_doubles_ngay() -> None:
    for text in ("ngày 28/10/2022", "Ngày 1/7/2025", "từ ngày 01/01 đến ngày 31/12", "ngày 04 tháng 4"):
        out = normalize(text).lower()
        assert "ngày ngày" not in out, out


def test_year_ranges_read_with_den() -> None:
    for text in ("2021 - 2025", "2021-2025", "2021 – 2025", "2021—2025", "giai đoạn 2021-2025"):
        out = normalize(text)
        assert " đến " in out and "-" not in out, out


def test_range_not_applied_to_descending_or_zero_padded_numbers() -> None:
    assert "đến" not in normalize("2025 - 2021")
    assert "đến" not in normalize("0912-345")


def test_unknown_acronym_spelled_with_vietnamese_letter_names() -> None:
    assert normalize("XYZ") == "ích xì i dài dét"
    assert normalize("Đài KG") == "Đài ca gờ"
    assert normalize("BĐQ") == "bê đê quy"


def test_extra_acronyms_extend_and_override_the_lexicon() -> None:
    assert normalize("Đài KG", extra_acronyms={"KG": "Kiên Giang"}) == "Đài Kiên Giang"
    assert normalize("Trụ sở UBND xã", extra_acronyms={"UBND": "ủy ban"}) == "Trụ sở ủy ban xã"
    # At the start of a line an expansion starts the sentence, so it takes a capital.
    assert normalize("UBND xã", extra_acronyms={"UBND": "ủy ban"}) == "Ủy ban xã"
    # The shipped lexicon is not mutated by a call with extras.
    assert normalize("UBND xã") == "Ủy ban nhân dân xã"


def test_extra_acronym_expansion_cannot_break_the_output_contract() -> None:
    out = normalize("Theo QĐ123", extra_acronyms={"QĐ123": "quyết định 123/QĐ & 5%"})
    assert not FORBIDDEN.search(out), out


def test_heading_words_are_not_taken_for_acronyms() -> None:
    assert normalize("V. KINH PHÍ ĐẦU TƯ") == "Phần năm, Kinh phí đầu tư"  # 1.15: the heading keeps its capital
    assert normalize("Ban Chấp hành TƯ") == "Ban Chấp hành Trung ương"


def test_input_is_nfc_normalized() -> None:
    decomposed = unicodedata.normalize("NFD", "UBND xã Cẩm Tân, 10.000 tờ rơi")
    assert normalize(decomposed) == "Ủy ban nhân dân xã Cẩm Tân, mười nghìn tờ rơi"


def test_punctuation_kept_for_pauses() -> None:
    out = normalize("Xin chào; hôm nay 17h30, có họp? Có!")
    assert out == "Xin chào; hôm nay mười bảy giờ ba mươi, có họp? Có!"  # 1.15: bare minutes (v11, v14)


def test_version_is_a_nonempty_string() -> None:
    assert isinstance(NORMALIZER_VERSION, str) and NORMALIZER_VERSION


def test_doctest_example() -> None:
    import doctest

    from audio_library.text import normalizer

    assert doctest.testmod(normalizer).failed == 0


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.name)
def test_samples_normalize_to_speakable_text(path: Path) -> None:
    out = normalize(path.read_text(encoding="utf-8"))
    assert not FORBIDDEN.search(out)
    assert out.count("\n") > 20  # line structure survives for sentence splitting
    if not path.name.endswith(".ocr.txt"):
        # Clean documents: every known acronym is expanded, nothing is spelled letter by letter.
        assert "UBND" not in out and "MTQG" not in out and "ích xì" not in out


_DIGITY = st.text(alphabet="0123456789./,-–:%&hH ()IVXđ", max_size=40)
_WORDISH = st.sampled_from(
    ["số", "ngày", "tháng", "năm", "Quý", "khóa", "lần thứ", "KH", "UBND", "LĐ-TB&XH", "Q.", "/", "-",
     "%", "&", "đ", "km", "m2", "ha", "giai đoạn", "\n", "1.", "a)", "I.", "./.", "B/c", "h"]
)


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_property_arbitrary_text_has_no_digits_or_symbols(text: str) -> None:
    assert not FORBIDDEN.search(normalize(text))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_DIGITY, _WORDISH), max_size=12).map(" ".join))
def test_property_digit_and_punctuation_heavy_text(text: str) -> None:
    out = normalize(text)
    assert not FORBIDDEN.search(out), (text, out)
    assert normalize(text) == out  # deterministic


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(_DIGITY, _WORDISH), max_size=8).map("".join))
def test_property_glued_tokens(text: str) -> None:
    assert not FORBIDDEN.search(normalize(text))

"""Vietnamese number reading: exact readings and a round-trip property through a parser."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio_library.text.numerals import (
    int_to_roman,
    read_cardinal,
    read_decimal,
    read_number_string,
    read_ordinal,
    roman_to_int,
)


@pytest.mark.parametrize(
    ("n", "words"),
    [
        (0, "không"), (1, "một"), (4, "bốn"), (5, "năm"), (10, "mười"), (11, "mười một"),
        (14, "mười bốn"), (15, "mười lăm"), (20, "hai mươi"), (21, "hai mươi mốt"),
        (24, "hai mươi bốn"), (25, "hai mươi lăm"), (55, "năm mươi lăm"), (100, "một trăm"),
        (101, "một trăm linh một"), (105, "một trăm linh năm"), (110, "một trăm mười"),
        (111, "một trăm mười một"), (115, "một trăm mười lăm"), (121, "một trăm hai mươi mốt"),
        (1000, "một nghìn"), (1005, "một nghìn không trăm linh năm"),
        (1021, "một nghìn không trăm hai mươi mốt"), (2022, "hai nghìn không trăm hai mươi hai"),
        (2030, "hai nghìn không trăm ba mươi"), (4069, "bốn nghìn không trăm sáu mươi chín"),
        (10_000, "mười nghìn"), (63_600, "sáu mươi ba nghìn sáu trăm"),
        (1_500_000, "một triệu năm trăm nghìn"), (1_000_050, "một triệu không trăm năm mươi"),
        (1_001_000, "một triệu không trăm linh một nghìn"), (1_000_000_000, "một tỷ"),
        (2_500_000_000, "hai tỷ năm trăm triệu"), (1_000_000_000_000, "một nghìn tỷ"),
    ],
)
def test_read_cardinal(n: int, words: str) -> None:
    assert read_cardinal(n) == words


def test_decimals_digit_strings_and_ordinals() -> None:
    assert read_decimal("4", "5") == "bốn phẩy năm"
    assert read_decimal("0", "05") == "không phẩy không năm"
    assert read_decimal("1", "25") == "một phẩy hai mươi lăm"
    assert read_number_string("05") == "không năm"
    assert read_number_string("0000") == "không không không không"
    assert read_ordinal(1) == "nhất" and read_ordinal(4) == "tư" and read_ordinal(13) == "mười ba"


@pytest.mark.parametrize(("roman", "value"), [("I", 1), ("IV", 4), ("IX", 9), ("XIII", 13), ("XXI", 21)])
def test_roman(roman: str, value: int) -> None:
    assert roman_to_int(roman) == value and int_to_roman(value) == roman


@pytest.mark.parametrize("bad", ["", "IIII", "VX", "IC", "ABC", "iv"])
def test_roman_rejects_non_canonical(bad: str) -> None:
    assert roman_to_int(bad) is None


_DIGIT = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5,
          "sáu": 6, "bảy": 7, "tám": 8, "chín": 9}


def _parse_below_thousand(tokens: list[str]) -> int:
    """Strict parser for 0..999 in the readings produced above (used to check round trips)."""
    hundreds = tens = units = 0
    i = 0
    if len(tokens) >= 2 and tokens[1] == "trăm":
        hundreds, i = _DIGIT[tokens[0]], 2
    rest = tokens[i:]
    if rest[:1] == ["linh"]:
        assert hundreds or i, tokens
        assert len(rest) == 2 and rest[1] not in ("mốt", "lăm", "không"), tokens
        return hundreds * 100 + _DIGIT[rest[1]]
    if rest[:1] == ["mười"]:
        tens, rest = 1, rest[1:]
    elif len(rest) >= 2 and rest[1] == "mươi":
        tens, rest = _DIGIT[rest[0]], rest[2:]
        assert tens >= 2, tokens
    if rest:
        assert len(rest) == 1, tokens
        word = rest[0]
        assert word != "mốt" or tens >= 2, tokens
        assert word != "lăm" or tens >= 1, tokens
        assert word not in ("năm", "không") or tens == 0, tokens
        units = _DIGIT[word]
    return hundreds * 100 + tens * 10 + units


def parse_vietnamese_number(text: str) -> int:
    tokens = text.split()
    if "tỷ" in tokens:
        k = len(tokens) - 1 - tokens[::-1].index("tỷ")
        return parse_vietnamese_number(" ".join(tokens[:k])) * 10**9 + (
            parse_vietnamese_number(" ".join(tokens[k + 1:])) if tokens[k + 1:] else 0
        )
    total = 0
    for scale, factor in (("triệu", 10**6), ("nghìn", 10**3)):
        if scale in tokens:
            k = tokens.index(scale)
            total += _parse_below_thousand(tokens[:k]) * factor
            tokens = tokens[k + 1:]
    return total + (_parse_below_thousand(tokens) if tokens else 0)


@settings(max_examples=2000, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_property_cardinal_round_trips(n: int) -> None:
    words = read_cardinal(n)
    assert not re.search(r"[0-9]", words)
    assert re.fullmatch(r"[a-zàáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ ]+", words)
    assert parse_vietnamese_number(words) == n


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=1, max_value=3999))
def test_property_roman_round_trips(n: int) -> None:
    assert roman_to_int(int_to_roman(n)) == n

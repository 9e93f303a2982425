"""Vietnamese number reading: cardinals, decimals, digit strings, ordinals and Roman numerals.

Rules follow the Northern broadcast standard (the national radio norm):
"linh" (not "lẻ") for a zero tens digit, "mốt" for 1 after a tens digit ≥ 2, "lăm" for 5 after
any tens digit, "nghìn" (not "ngàn"), "tỷ". Zero groups inside a large number are skipped, but a
non-leading group below 100 is read with "không trăm" so that 1.005 does not sound like 105.
"""

from __future__ import annotations

_UNITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

# Scale words for each group of three digits below one billion; above that the reading recurses
# on "tỷ" (1.000.000.000.000 is "một nghìn tỷ", never "một ngàn tỷ" or "một nghìn tỉ").
_SCALES = ("", "nghìn", "triệu")
_BILLION = 1_000_000_000


def _two_digits(n: int, after_hundreds: bool) -> str:
    """Read 0..99; ``after_hundreds`` says a hundreds word precedes (so 5 → "linh năm")."""
    tens, unit = divmod(n, 10)
    if tens == 0:
        if unit == 0:
            return ""
        return f"linh {_UNITS[unit]}" if after_hundreds else _UNITS[unit]
    head = "mười" if tens == 1 else f"{_UNITS[tens]} mươi"
    if unit == 0:
        return head
    if unit == 5:
        tail = "lăm"
    elif unit == 1 and tens >= 2:
        tail = "mốt"
    else:
        tail = _UNITS[unit]
    return f"{head} {tail}"


def _three_digits(n: int, full: bool) -> str:
    """Read 0..999. ``full`` forces "không trăm" for a non-leading group such as 1.050."""
    hundreds, rest = divmod(n, 100)
    if hundreds == 0 and not full:
        return _two_digits(rest, after_hundreds=False)
    head = f"{_UNITS[hundreds]} trăm"
    tail = _two_digits(rest, after_hundreds=True)
    return f"{head} {tail}" if tail else head


def _below_billion(n: int, leading: bool) -> list[str]:
    groups: list[int] = []
    while n:
        n, g = divmod(n, 1000)
        groups.append(g)
    words: list[str] = []
    for idx in range(len(groups) - 1, -1, -1):
        g = groups[idx]
        if g == 0:
            continue
        is_first = leading and not words
        part = _three_digits(g, full=not is_first)
        words.append(f"{part} {_SCALES[idx]}".strip())
    return words


def read_cardinal(n: int) -> str:
    """Read a non-negative integer: 2022 → "hai nghìn không trăm hai mươi hai"."""
    if n < 0:
        return f"âm {read_cardinal(-n)}"
    if n == 0:
        return "không"
    if n < _BILLION:
        return " ".join(_below_billion(n, leading=True))
    high, low = divmod(n, _BILLION)
    words = [f"{read_cardinal(high)} tỷ"]
    if low:
        words.extend(_below_billion(low, leading=False))
    return " ".join(words)


def read_digits(digits: str) -> str:
    """Read a digit string one digit at a time (phone numbers, codes)."""
    return " ".join(_UNITS[int(d)] for d in digits if d.isascii() and d.isdigit())


def read_number_string(digits: str) -> str:
    """Read an ASCII digit string as an announcer would.

    Leading zeros are spoken ("05" → "không năm") because they are part of codes and document
    numbers; very long strings are read digit by digit since nobody says "mười nghìn tỷ tỷ".
    """
    if not digits:
        return ""
    if len(digits) > 15 or (digits.startswith("0") and len(digits) > 3):
        # Long strings and zero-led codes ("0912") are dictated digit by digit.
        return read_digits(digits)
    stripped = digits.lstrip("0")
    zeros = len(digits) - len(stripped)
    if not stripped:
        return read_digits(digits)
    prefix = " ".join(["không"] * zeros)
    body = read_cardinal(int(stripped))
    return f"{prefix} {body}" if prefix else body


def read_fraction_part(digits: str) -> str:
    """Read what follows the decimal comma: "5" → "năm", "05" → "không năm", "25" → "hai mươi lăm".

    Up to three significant digits are read as a number (the common broadcast style); longer
    tails are read digit by digit so that measurements stay intelligible.
    """
    if len(digits) > 3:
        return read_digits(digits)
    return read_number_string(digits)


def read_decimal(int_part: str, frac_part: str) -> str:
    """"4", "5" → "bốn phẩy năm" (Vietnamese uses the comma as decimal mark)."""
    return f"{read_number_string(int_part)} phẩy {read_fraction_part(frac_part)}"


def read_ordinal(n: int) -> str:
    """Ordinal after "thứ": 1 → "nhất", 4 → "tư", otherwise the cardinal."""
    if n == 1:
        return "nhất"
    if n == 4:
        return "tư"
    return read_cardinal(n)


def roman_to_int(token: str) -> int | None:
    """Parse a canonical Roman numeral (I..MMMCMXCIX); None for anything else.

    Canonical form is checked by re-encoding, so "IIII", "VX" or "IC" are rejected: they are more
    likely words or OCR noise than numbers.
    """
    if not token or any(ch not in _ROMAN for ch in token):
        return None
    total = 0
    for i, ch in enumerate(token):
        value = _ROMAN[ch]
        if i + 1 < len(token) and _ROMAN[token[i + 1]] > value:
            total -= value
        else:
            total += value
    if not 0 < total < 4000 or int_to_roman(total) != token:
        return None
    return total


def int_to_roman(n: int) -> str:
    pairs = (
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
        (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    )
    out = []
    for value, sym in pairs:
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)

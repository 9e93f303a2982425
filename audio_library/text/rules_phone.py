"""Phone and hotline numbers: read digit by digit, in the groups people dictate them in.

"0297.3862.123" is a landline, not a decimal: it must never reach the quantity rules, which would
read "ba nghìn tám trăm…". A group boundary becomes a comma so the voice pauses where a listener
writes. Three shapes are recognised:
  - subscriber numbers: 0 or +84, then 9-10 more digits, grouped by spaces, dots or dashes (or not);
  - service numbers 1800/1900 (free / paid hotlines) with 4-6 more digits;
  - short numbers (113, 114, 115, 111, 1022…) only right after a calling word ("gọi", "tổng đài",
    "đường dây nóng"…), because "115 hộ" is a count.
"""

from __future__ import annotations

import re

from .numerals import read_digits

_SEP = r"[ \t.\-]"
_SUBSCRIBER = re.compile(
    rf"(?<![0-9.,/])(?P<num>(?:\+84{_SEP}?|0)[0-9]{{1,4}}(?:{_SEP}?[0-9]{{2,4}}|{_SEP}[0-9]){{1,4}})(?![0-9]|[.,/][0-9])"
)
# 1.18: a group may be one digit when it is set apart ("0238.3.123.456", the exchange digit of a landline); the digit
# count still decides that it is a phone number.
_SERVICE = re.compile(
    rf"(?<![0-9.,/])(?P<num>1[89]00(?:{_SEP}?[0-9]{{2,4}}){{1,3}})(?![0-9]|[.,/][0-9])"
)
_CALL_WORDS = (
    # 1.12: "gọi tắt là", "gọi là", "gọi chung là" name a thing, they call no number ("gọi tắt là Chương trình 1719").
    r"(?:gọi|Gọi|GỌI)(?![ \t]+(?:tắt|là|chung|chính thức)(?![^\W_]))|"
    r"đường dây nóng|Đường dây nóng|tổng đài|Tổng đài|số khẩn cấp|điện thoại|Điện thoại|"
    r"hotline|Hotline|HOTLINE|ĐT|SĐT"
)
# A calling word, at most six plain words, then the short number (no punctuation in between:
# "gọi ngay 114", "Tổng đài quốc gia bảo vệ trẻ em 111").
_SHORT = re.compile(
    rf"(?<![^\W\d_])(?P<ctx>(?:{_CALL_WORDS})(?:[ \t:]+[^\W\d_]+){{0,6}}?[ \t:]+)"
    r"(?P<num>1[0-9]{2,3})(?![0-9]|[.,/:][0-9]|[hg%](?![^\W_]))"
)
# 1.15: the emergency and hotline numbers 111 to 116 are dictated digit by digit ("một một một") further from the
# calling word, and in brackets: "Đường dây nóng tư vấn và hỗ trợ nạn nhân mua bán người 111", "số điện thoại ngắn
# (111)" (v15).
# 1.19: an emergency service is named by its number, "Trung tâm cấp cứu 115" "… một một năm" (v25, as v15's 111);
# "115 ca" after "cấp cứu" counts cases (a lower-case noun follows).
_EMERGENCY_SERVICE = re.compile(
    r"(?<![^\W\d_])(?P<ctx>(?:[Cc]ấp cứu|CẤP CỨU)[ \t]+)(?P<num>11[1-6])(?![0-9]|[.,/:][0-9])"
    r"(?![ \t]+(?=[^\W\d_])(?![A-ZĐÀ-Ỹ])[^\W\d_])"
)
_EMERGENCY_SHORT = re.compile(
    rf"(?<![^\W\d_])(?P<ctx>(?:{_CALL_WORDS})(?:[ \t:]+[^\W\d_]+){{0,12}}?[ \t:(]+)"
    r"(?P<num>11[1-6])(?![0-9]|[.,/:][0-9]|[hg%](?![^\W_]))"
)

# 1.17: a local number without its area code, written in dotted or dashed groups, after a calling word: "tổng đài tiếp
# nhận sự cố hạ tầng 39.111.333" "ba chín, một một một, ba ba ba" (v19). Only seven or eight digits in two or more
# groups, so "dân số 39.111.333 người" (no calling word) stays a quantity.
_LOCAL = re.compile(
    rf"(?<![^\W\d_])(?P<ctx>(?:{_CALL_WORDS})(?:[ \t:]+[^\W\d_]+){{0,6}}?[ \t:]+)"
    r"(?P<num>[1-9][0-9]{1,3}(?:[.\-][0-9]{2,4}){1,3})(?![0-9]|[.,/][0-9])"
    r"(?![ \t]+(?:cuộc|lượt|người|tin|thuê bao|phản ánh|ý kiến|trường hợp)(?![^\W_]))"  # a count of calls
)


# "(0234) 3822 123", "(028) 3829.6241": an area code in brackets, then the subscriber's 7 or 8 digits.
_BRACKETED_AREA = re.compile(
    rf"\((?P<area>0[0-9]{{2,3}})\)[ \t]*(?P<rest>[0-9]{{3,4}}(?:{_SEP}?[0-9]{{2,4}}){{0,2}})(?![0-9]|[.,/][0-9])"
)


def _default_groups(digits: str) -> list[str]:
    """Split an unseparated number the way it is usually written: 0912 345 678, 0297 3862 123."""
    if len(digits) == 10:
        return [digits[:4], digits[4:7], digits[7:]]
    if len(digits) == 11:
        return [digits[:4], digits[4:8], digits[8:]]
    if len(digits) == 8:
        return [digits[:4], digits[4:]]
    return [digits]


def read_phone(raw: str) -> str:
    """"0297.3862.123" → "không hai chín bảy, ba tám sáu hai, một hai ba"."""
    head = ""
    if raw.startswith("+84"):
        head, raw = "cộng tám tư, ", raw[3:].lstrip(" \t.-")
    groups = [g for g in re.split(_SEP, raw) if g]
    if len(groups) == 1:
        groups = _default_groups(groups[0])
    return head + ", ".join(read_digits(g) for g in groups)


def _digit_count(raw: str) -> int:
    return sum(ch.isdigit() for ch in raw)


_EMERGENCY = frozenset({"111", "112", "113", "114", "115", "116"})
# 1.14: words of a sentence about roads: there "ĐT" with a short number is "đường tỉnh", not a telephone ("đường dây
# nóng", the hotline, is no road).
_ROAD_TALK = re.compile(
    r"(?<![^\W_])(?:(?:quốc lộ|QL|tỉnh lộ|TL|đường(?![ \t]+dây)|tuyến|cầu|km|giao thông|xe|lưu thông)(?![^\W_])"
    r"|(?:QL|TL|km)(?=[ \t.]*[0-9])|(?:ĐT|ĐH)\.(?=[0-9]))",
    re.IGNORECASE
)


_SENTENCE_END = re.compile(r"[.!?;](?=[ \t]|$)|\n")


def road_talk_around(text: str, start: int, end: int) -> bool:
    """The sentence around text[start:end] is about roads (a road word before or after it)."""
    left = max((b.end() for b in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = _SENTENCE_END.search(text, end)
    return bool(_ROAD_TALK.search(text, left, start)
                or _ROAD_TALK.search(text, end, right.start() if right else len(text)))


def phone_numbers(text: str) -> str:
    def subscriber(m: re.Match[str]) -> str:
        raw = m.group("num")
        n = _digit_count(raw) - (2 if raw.startswith("+84") else 0)
        # With the leading 0: mobiles have 10 digits, landlines 11; after +84 one digit fewer.
        expected = (9, 10) if raw.startswith("+84") else (10, 11)
        return f" {read_phone(raw)} " if n in expected else m.group(0)

    def service(m: re.Match[str]) -> str:
        raw = m.group("num")
        return f" {read_phone(raw)} " if _digit_count(raw) in (8, 10) else m.group(0)

    def short(m: re.Match[str]) -> str:
        if (m.group("ctx").strip(" \t:") == "ĐT" and len(m.group("num")) == 3 and m.group("num") not in _EMERGENCY
                and road_talk_around(m.string, m.start(), m.end())):
            return m.group(0)  # 1.14: "ĐT 166" beside "Quốc lộ 70" is a provincial road (see rules_numeric.road_codes)
        return f"{m.group('ctx')}{read_digits(m.group('num'))}"

    def bracketed(m: re.Match[str]) -> str:
        raw = f"{m.group('area')} {m.group('rest')}"
        if _digit_count(raw) != 11:
            return m.group(0)
        return f" {read_digits(m.group('area'))}, {read_phone(m.group('rest'))} "

    def local(m: re.Match[str]) -> str:
        if _digit_count(m.group("num")) not in (7, 8):
            return m.group(0)
        return f"{m.group('ctx')}{read_phone(m.group('num'))} "

    text = _BRACKETED_AREA.sub(bracketed, text)
    text = _LOCAL.sub(local, text)
    text = _SUBSCRIBER.sub(subscriber, text)
    text = _SERVICE.sub(service, text)
    return _EMERGENCY_SERVICE.sub(short, _EMERGENCY_SHORT.sub(short, _SHORT.sub(short, text)))

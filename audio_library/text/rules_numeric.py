"""Rewrite rules for everything with digits: document numbers, dates, times, ranges, quantities.

Each rule is a ``str -> str`` pass; ``normalizer.normalize`` runs them in a fixed order because
the patterns overlap: "10/2022/TT-BLĐTBXH" must be read as a document number before "10/2022"
could be taken for a month, and "2021-2025" must become a range before "-" is dropped.
Only ASCII digits are matched ([0-9], not \\d): other Unicode digits are left alone.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from .lexicon import LETTER_NAMES, Lexicon, base_acronyms, doc_issuers, doc_types, spell_letters
from .numerals import (
    read_cardinal,
    read_decimal,
    read_digits,
    read_fraction_part,
    read_number_string,
    read_ordinal,
    roman_to_int,
)
from .rules_dates import dates, month_name, quarters, rounds_of_year, times, weekday_ranges
from .rules_phone import phone_numbers, road_talk_around

_W = r"[^\W_]"  # a letter or digit (Unicode-aware)
# "QH13" in "42/2013/QH13": the National Assembly code carries its term number.
# Issuer codes are written with Vietnamese capitals too: "KH-BCĐTƯ" (Ban Chỉ đạo Trung ương), "HD/BTGTƯ".
_CAPS = "A-ZĐƯƠÂĂÊÔ"
_CODE = rf"[{_CAPS}][{_CAPS}a-zđ&]*(?:(?<=QH)[0-9]{{1,2}})?"
_TERM_CODE = re.compile(rf"(?P<body>[{_CAPS}]*QH)(?P<term>[0-9]{{1,2}})")
# Older joint circulars put a slash between the type and the issuers: "01/2005/TTLT/BNV-BTC" is "TTLT-BNV-BTC".
_CODES = rf"{_CODE}(?:[ \t]*[-/][ \t]*(?={_CODE}[ \t]*-){_CODE})?(?:[ \t]*-[ \t]*{_CODE})*"
_YEAR_MIN, _YEAR_MAX = 1000, 2999


def _year(digits: str) -> str:
    return read_cardinal(int(digits))


def _code(code: str, lexicon: Lexicon, first: bool) -> str:
    term = _TERM_CODE.fullmatch(code)
    if term:  # "QH13" → "Quốc hội khóa mười ba", "UBTVQH14" → "Ủy ban Thường vụ Quốc hội khóa mười bốn"
        body = _code(term.group("body"), lexicon, first=False)
        return f"{body} khóa {read_cardinal(int(term.group('term')))}"
    if first and code in doc_types():
        return doc_types()[code]
    if code in lexicon.defined:
        return lexicon.defined[code]  # 1.15: the text's own "phrase (KEY)" wins over the issuer table too
    if code in doc_issuers() and not (first and code in doc_types()):
        # After the type, a code is the issuing body: "TT-TTCP" is Thanh tra Chính phủ; so is a first code that
        # is no document type ("512/BNN-TY": a letter without a type code).
        return doc_issuers()[code]
    if not first and code.isupper() and code not in lexicon:
        # An all-caps heading writes "QĐ-TTG" for "QĐ-TTg".
        for table in (doc_issuers(), lexicon.table):
            for key, reading in table.items():
                if key.upper() == code and key != code:
                    return reading
    known = lexicon.get(code)
    if known is None and not first:
        known = _compound_issuer(code, lexicon) or _misspelt_issuer(code, lexicon)
    if known is None and "&" in code.strip("&"):
        # 1.15: issuers joined by "&" ("BC-TTPVHCC&STP") are read one by one, "và" between.
        return " và ".join(_code(part, lexicon, first) for part in code.split("&") if part)
    return known if known is not None else spell_letters(code)


# 1.13: an issuer code of six letters or more that no table holds but that is one typo away (a letter changed, or two
# neighbours swapped) from exactly one body's code ("TT-BNNPTNN" for "BNNPTNT", a typo kept by the page) is that body:
# spelt letter by letter it would be seven meaningless letters. The first letter (the kind of body: "B" Bộ, "S" Sở) must
# agree; two candidates or a short code are left alone.
_MISSPELT_MIN = 6


def _one_letter_apart(a: str, b: str) -> bool:
    if len(a) != len(b):
        return False
    diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    return len(diff) == 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]]
                              and a[diff[1]] == b[diff[0]])


def _misspelt_issuer(code: str, lexicon: Lexicon) -> str | None:
    if len(code) < _MISSPELT_MIN or not code.isupper():
        return None
    readings = {reading for table in (doc_issuers(), lexicon.table) for key, reading in table.items()
                if key[:1] == code[:1] and _one_letter_apart(code, key)}
    return readings.pop() if len(readings) == 1 else None


def _compound_issuer(code: str, lexicon: Lexicon, parts: int = 3) -> str | None:
    """An issuer code the lexicon lacks that is two or three known codes written together: "BTTUBTWMTTQVN" is
    "BTT" + "UBTWMTTQVN" (Ban Thường trực Ủy ban Trung ương …), "BCĐTƯ" is "BCĐ" + "TƯ". The longest known head
    wins; every part has two letters at least, so a code is never cut into letters."""
    if parts < 2:
        return None
    for cut in range(len(code) - 2, 1, -1):
        head, tail = code[:cut], code[cut:]
        reading = doc_issuers().get(head) or lexicon.get(head)
        if reading is None:
            continue
        rest = doc_issuers().get(tail) or lexicon.get(tail) or _compound_issuer(tail, lexicon, parts - 1)
        if rest is not None:
            return f"{reading} {rest}"
    return None


# 1.18: a circular or a notice signed by a ministry's field ("TT-LĐTBXH", "TB-LĐTBXH") is the ministry's, "thông báo,
# Bộ Lao động - Thương binh và Xã hội" (v17's header; a circular is always a ministry's); a decision or a letter signed
# so ("QĐ-LĐTBXH", "UBND-LĐTBXH") may be a province's department and keeps the field alone (v3).
_MINISTRY_DOCS = frozenset({"TT", "TTLT", "TB"})
_MINISTRY_FIELDS = frozenset({"LĐTBXH", "GDĐT", "TNMT", "VHTTDL", "TTTT", "KHĐT", "NNPTNT", "GTVT"})


# 1.20: a ministry's department after the ministry's code is the department's name: "QĐ-BNN-TT" is "…, Bộ Nông
# nghiệp và Phát triển nông thôn, Trồng trọt" (v26), not the circular "thông tư"; "BVTV-HTQT" names two offices.
_DEPARTMENTS = {"TT": "Trồng trọt", "TY": "Thú y", "CN": "Chăn nuôi", "HTQT": "Hợp tác quốc tế", "PC": "Pháp chế",
                "TCCB": "Tổ chức cán bộ", "KHTC": "Kế hoạch - Tài chính", "TL": "Thủy lợi", "BVTV": "Bảo vệ thực vật",
                "VP": "Văn phòng",
                # 1.21: the ministry of education's departments, "1396/BGDĐT-GDTH" "…, Bộ Giáo dục và Đào tạo, Giáo
                # dục Tiểu học", "BGDĐT-GDPT" "…, Giáo dục phổ thông" (v31, as the department names itself).
                "GDTH": "Giáo dục Tiểu học", "GDPT": "Giáo dục phổ thông"}


def _is_ministry(code: str, reading: str) -> bool:
    return code.startswith("B") and reading.startswith("Bộ ")


def _glued_type(code: str, lexicon: Lexicon) -> list[str] | None:
    """1.20: a type glued to its issuer with no hyphen, "59/2023/NĐCP", is read as "NĐ-CP" (v27): "nghị định, Chính
    phủ". Only when the head is a type code and the rest a known issuer; "NĐCP" is never spelled."""
    for cut in range(len(code) - 1, 1, -1):
        head, tail = code[:cut], code[cut:]
        if head in doc_types() and (tail in doc_issuers() or tail in lexicon):
            return [doc_types()[head], _code(tail, lexicon, first=False)]
    return None


def _read_codes(codes: str, lexicon: Lexicon, first_is_type: bool) -> list[str]:
    parts = [c.strip() for c in re.split(r"[ \t]*[-/][ \t]*", codes) if c.strip()]
    if first_is_type and len(parts) == 1 and parts[0] not in doc_types() and parts[0] not in lexicon:
        glued = _glued_type(parts[0], lexicon)
        if glued:
            return glued
    whole = "-".join(parts)
    # Hyphenated keys such as "LĐ-TB&XH" are lexicon entries of their own.
    if not first_is_type and whole in lexicon:
        return [lexicon.get(whole) or whole]
    read = [_code(c, lexicon, first_is_type and i == 0) for i, c in enumerate(parts)]
    for i in range(1, len(parts)):
        if parts[i] in _DEPARTMENTS and _is_ministry(parts[i - 1], read[i - 1]):
            read[i] = _DEPARTMENTS[parts[i]]
        elif _is_ministry(parts[i - 1], read[i - 1]) and read[i][:1].islower():
            # 1.21: any department after its ministry's code is a name, with its capital (v31's "Giáo dục Tiểu học").
            read[i] = read[i][:1].upper() + read[i][1:]
    if first_is_type and len(parts) > 1 and parts[0] not in doc_types() and parts[0] in _DEPARTMENTS:
        # An office's own code first, with no type ("537/BVTV-HTQT"), names offices (v26, as v23's "685/BDN").
        read = [_DEPARTMENTS.get(c, r) for c, r in zip(parts, read, strict=True)]
    if first_is_type and len(parts) > 1 and parts[0] in _MINISTRY_DOCS and parts[1] in _MINISTRY_FIELDS:
        read[1] = read[1] if read[1].startswith("Bộ ") else f"Bộ {read[1]}"
    return read


_DOC_SLASH = re.compile(
    rf"(?P<pre>(?<!{_W})(?:[Ss]ố|SỐ)[ \t]*:?[ \t]*)?(?<![0-9/])(?P<num>[0-9]+)?"
    rf"(?:[ \t]*/[ \t]*(?P<year>[12][0-9]{{3}}))?[ \t]*/[ \t]*(?P<codes>{_CODES})(?!{_W})"
)
_DOC_DASH = re.compile(
    rf"(?<![0-9/])(?P<num>[0-9]+)[ \t]*-[ \t]*(?P<type>{_CODE})[ \t]*/[ \t]*(?P<codes>{_CODES})(?!{_W})"
)


_DOC_TYPE_WORDS = (
    r"quyết định|công văn|thông báo|kế hoạch|nghị định|nghị quyết|thông tư|chỉ thị|tờ trình|báo cáo|"
    r"công điện|hướng dẫn|văn bản|luật|pháp lệnh|giấy mời|biên bản|quy định|chương trình|đề án"
)
_DOC_YEAR_ONLY = re.compile(
    rf"(?P<pre>(?<!{_W})(?:(?:[Ss]ố|SỐ)[ \t]*:?|(?i:{_DOC_TYPE_WORDS}))[ \t]+)(?P<num>[0-9]{{1,5}})[ \t]*/[ \t]*"
    rf"(?P<year>(?:19|20)[0-9]{{2}})(?![0-9]|[ \t]*/|[.,-][0-9])"
)


# 1.14: a document named by its number and its type alone, "Nghị định số 96-NĐ" (older decrees have no issuer code),
# or with a space for the dash, "Nghị quyết số 19 NQ/TW", is read like "20-NQ/TW": "chín mươi sáu, nghị định", "mười
# chín, nghị quyết, Trung ương". Only after "số" or a document's word, and only with a document type's code.
_DOC_TYPE_AFTER_NUMBER = re.compile(
    rf"(?P<pre>(?<!{_W})(?:(?:[Ss]ố|SỐ)[ \t]*:?|(?i:{_DOC_TYPE_WORDS}))[ \t]+)(?P<num>[0-9]{{1,5}})"
    rf"(?:[ \t]*-[ \t]*(?P<type>{_CODE})(?![ \t]*[-/])|[ \t]+(?P<spaced>{_CODE})[ \t]*/[ \t]*(?P<codes>{_CODES}))"
    rf"(?!{_W})"
)


# 1.16: a document's number written with its leading zero and no code ("Chỉ thị 05 của Bộ Chính trị") keeps the zero
# as a coded number does ("05/2005/NQ-CP" "không năm, …"): "Chỉ thị không năm" (v18). Only after a document's word.
_ZERO_LED_BARE_DOC = re.compile(
    rf"(?P<pre>(?<!{_W})(?i:{_DOC_TYPE_WORDS})[ \t]+)(?P<num>0[1-9])(?![0-9]|[ \t]*[/.,:-][ \t]*[0-9])"
    rf"(?![ \t]*(?i:năm|tháng|ngày)(?!{_W}))"
)


def _type_after_number(m: re.Match[str], lexicon: Lexicon) -> str:
    kind = m.group("type") or m.group("spaced")
    if kind not in doc_types() and m.group("type") and (kind in doc_issuers() or kind in lexicon):
        # 1.15: "Nghị định số 04-CP" names the issuer after the dash, no type: "không bốn, Chính phủ" (v15).
        return f"{m.group('pre')}{read_number_string(m.group('num'))}, {_code(kind, lexicon, first=False)}"
    if kind not in doc_types():
        return m.group(0)
    parts = [read_number_string(m.group("num")), doc_types()[kind]]
    if m.group("codes"):
        parts += _read_codes(m.group("codes"), lexicon, first_is_type=False)
    return m.group("pre") + ", ".join(parts)


def document_numbers(text: str, lexicon: Lexicon) -> str:
    """"4069/KH-UBND" → "bốn nghìn không trăm sáu mươi chín, kế hoạch, Ủy ban nhân dân"."""

    def slash(m: re.Match[str]) -> str:
        if not m.group("num") and not m.group("pre"):
            return m.group(0)
        parts = []
        if m.group("num"):
            parts.append(read_number_string(m.group("num")))
        if m.group("year"):
            parts.append(f"năm {_year(m.group('year'))}")
        parts.extend(_read_codes(m.group("codes"), lexicon, first_is_type=True))
        pre = m.group("pre") or ""
        return pre + ", ".join(parts)

    def dash(m: re.Match[str]) -> str:
        parts = [read_number_string(m.group("num")), _code(m.group("type"), lexicon, first=True)]
        parts.extend(_read_codes(m.group("codes"), lexicon, first_is_type=False))
        return ", ".join(parts)

    text = _DOC_TYPE_AFTER_NUMBER.sub(lambda m: _type_after_number(m, lexicon), text)
    text = _DOC_SLASH.sub(slash, _DOC_DASH.sub(dash, text))
    text = _ZERO_LED_BARE_DOC.sub(lambda m: f"{m.group('pre')}{read_number_string(m.group('num'))}", text)
    # "Nghị định số 42/2025": a number and its year, the type and issuer codes left out. After "số" or a
    # document type the pair is a document number, never a month or a fraction.
    return _DOC_YEAR_ONLY.sub(lambda m: f"{m.group('pre')}{read_number_string(m.group('num'))}, "
                              f"năm {_year(m.group('year'))}", text)


_NUM = r"[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+"
_RANGE = re.compile(
    rf"(?<![0-9.,/-])(?P<a>{_NUM})(?P<pa>[ \t]*[%‰])?[ \t]*-[ \t]*(?P<b>{_NUM})(?![0-9]|[.,/-][0-9])"
)


def _int_value(s: str) -> int:
    return int(s.replace(".", ""))


# 1.11: three or more numbers chained by dashes, going up ("70 - 75 – 80 – 85 – 90 tuổi"), are a list of values, not
# a range: each is said, a comma between ("bảy mươi, bảy mươi lăm, tám mươi, …"). Two numbers stay a range.
_NUMBER_CHAIN = re.compile(
    r"(?<![0-9.,/-])(?P<chain>[1-9][0-9]{0,3}(?:[ \t]*-[ \t]*[1-9][0-9]{0,3}){2,})(?![0-9]|[.,/-][0-9])"
)


def number_lists(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        values = [int(v) for v in re.split(r"[ \t]*-[ \t]*", m.group("chain"))]
        if any(a >= b for a, b in itertools.pairwise(values)):
            return m.group(0)
        return ", ".join(str(v) for v in values)

    return _NUMBER_CHAIN.sub(repl, text)


# 1.13: a range between amounts written with a magnitude word, a currency or a decimal part ("500.000 - 1 triệu đồng",
# "800.000đ - 1,2 triệu", "1,5 - 2 triệu", "0,5 - 1 ha") is a range too: it goes up once each end is weighed with its
# own magnitude ("500.000" < "1 triệu"), or with the magnitude written once at the end ("1,5 - 2 triệu"). Plain whole
# numbers are left to ``ranges``.
_MAGNITUDES = {"nghìn": 1_000, "ngàn": 1_000, "triệu": 1_000_000, "tỷ": 1_000_000_000, "tỉ": 1_000_000_000}
_AMOUNT_NUM = r"[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?|[0-9]+(?:,[0-9]+)?"
_MAGNITUDE = r"(?:nghìn|ngàn|triệu|tỷ|tỉ)(?![^\W_])"
_AMOUNT_RANGE = re.compile(
    rf"(?<![0-9.,/-])(?P<a>{_AMOUNT_NUM})(?P<ma>[ \t]*{_MAGNITUDE})?"
    r"(?P<ca>[ \t]*(?:%|‰|đồng(?![^\W_])|đ(?![^\W_])|VNĐ|VND))?[ \t]*[-–][ \t]*"
    rf"(?P<b>{_AMOUNT_NUM})(?P<mb>[ \t]*{_MAGNITUDE})?(?![0-9]|[.,/-][0-9])"
)


def _amount_value(digits: str) -> float:
    whole, _, frac = digits.replace(".", "").partition(",")
    return float(f"{whole}.{frac or 0}")


def _amount_rises(m: re.Match[str]) -> bool:
    a, b = m.group("a"), m.group("b")
    scale_a = _MAGNITUDES[m.group("ma").strip()] if m.group("ma") else 1
    scale_b = _MAGNITUDES[m.group("mb").strip()] if m.group("mb") else 1
    low, high = _amount_value(a), _amount_value(b)
    if m.group("ma") or low < high:
        return low * scale_a < high * scale_b  # "1 triệu - 1,5 triệu", "1,5 - 2 triệu" (the magnitude said once)
    # "500.000 - 1 triệu": a whole amount written with its thousands dots; "2 - 1,5 triệu" goes down, and a bare
    # "2019 - 2 triệu" is a year before a dash, not an amount.
    return "." in a and low < high * scale_b


def amount_ranges(text: str) -> str:
    """"500.000 - 1 triệu đồng" → "500.000 đến 1 triệu đồng" (the words are read by the later passes)."""

    def repl(m: re.Match[str]) -> str:
        a, b = m.group("a"), m.group("b")
        if not (m.group("ma") or m.group("mb") or m.group("ca") or "," in a + b):
            return m.group(0)  # two whole numbers: ``ranges`` decides
        if re.match(r"0[0-9]", a) or re.match(r"0[0-9]", b) or not _amount_rises(m):
            return m.group(0)  # a code with a leading zero, or no range
        cut = m.start("b") - m.start()
        head = m.group(0)[:cut].rstrip(" \t-–")
        return f"{head} đến {m.group(0)[cut:]}"

    return _AMOUNT_RANGE.sub(repl, text)


# 1.16: after a word that names a period, two equal years joined by a dash are still a span, the page's slip read as it
# shows ("năm học 2023-2023" "… hai nghìn không trăm hai mươi ba đến hai nghìn không trăm hai mươi ba", v18).
_PERIOD_BEFORE = re.compile(
    r"(?<![^\W_])(?:năm học|niên khóa|niên khoá|niên vụ|nhiệm kỳ|giai đoạn|khóa học|mùa vụ|vụ)[ \t]*$", re.IGNORECASE
)


def ranges(text: str) -> str:
    """"2021 - 2025", "2021-2025", "10-15%" → "... đến ..." (a range is read with "đến")."""

    def repl(m: re.Match[str]) -> str:
        a, b = m.group("a"), m.group("b")
        if (a.startswith("0") and len(a) > 1) or (b.startswith("0") and len(b) > 1):
            return m.group(0)  # codes and phone numbers, not ranges
        # 1.19: …and so are two years that go down, the typo read as a span ("giai đoạn 2011-2010", v23).
        period_years = min(_int_value(a), _int_value(b)) >= 1900 and max(_int_value(a), _int_value(b)) <= 2099 \
            and _PERIOD_BEFORE.search(m.string, max(0, m.start() - 20), m.start()) is not None
        if _int_value(a) >= _int_value(b) and not period_years:
            return m.group(0)
        return f"{a}{m.group('pa') or ''} đến {b}"  # "5%-10%": each end keeps its own sign

    return _RANGE.sub(repl, text)


_ROMAN_CONTEXT = (
    r"lần thứ|Lần thứ|thứ|Thứ|Quý|quý|khóa|Khóa|khoá|Khoá|KHÓA|Phần|phần|PHẦN|Chương|chương|CHƯƠNG|"
    r"Mục|mục|MỤC|giai đoạn|Giai đoạn|Đại hội|đại hội|ĐẠI HỘI|thế kỷ|Thế kỷ|nhiệm kỳ|kỳ|Kỳ|Hội nghị|"
    r"hội nghị|Phụ lục|phụ lục|PHỤ LỤC|Tập|tập|Quân khu|quân khu|Vùng|vùng|Hạng|hạng|Loại|loại|"
    # Flood alarm levels ("báo động I") and grades ("cấp II") are counted in Roman numerals too.
    r"báo động|Báo động|BÁO ĐỘNG|cấp|Cấp|CẤP|"
    # Numbered bodies and areas: "Đội … số I, II", "Hạt Kiểm lâm khu vực XVI".
    r"số|Số|khu vực|Khu vực|"
    # Rounds of a campaign: "tiêm phòng đợt I năm 2018", "Đợt II".
    r"đợt|Đợt|ĐỢT|"
    # 1.12: stages of a programme, "chặng đường I (2021-2025)", "chặng II".
    r"chặng đường|Chặng đường|CHẶNG ĐƯỜNG|chặng|Chặng|CHẶNG|"
    # 1.13: groups of the lists of endangered species and of goods, "nhóm I", "nhóm II" (a letter, "nhóm C", stays one).
    r"nhóm|Nhóm|NHÓM|"
    # 1.14: what a commune's contests and forces count in Roman numerals too (v13: "đội I … đội IV", "lần I", "giải bi
    # sắt lần I"): teams, rounds and times, groups and clusters of a tournament, prizes, halves of a match, ranks and
    # blocks, military units, risk levels ("cấp độ II"). Only I, V and X are numerals after them ("bảng C", "khu D",
    # "khối A" are letters).
    r"cấp độ|mức độ|lần|đội|bảng|vòng|cụm|khu|khối|tổ|giải|hiệp|bậc|tiểu đoàn|trung đoàn|sư đoàn|lữ đoàn|quân đoàn|"
    # 1.15: "lần thức V", a typo kept by the page, is read as written with its number, "lần thức năm" (v15).
    r"lần thức"
)
# 1.14: contexts after which only I, V and X make a numeral; a letter beyond them is a letter ("cỡ số M", "bảng C").
_LETTER_CONTEXTS = frozenset(str.split(
    "số loại hạng nhóm lần đội bảng vòng cụm khu khối tổ giải hiệp bậc"
)) | {"khu vực", "cấp độ", "mức độ", "tiểu đoàn", "trung đoàn", "sư đoàn", "lữ đoàn", "quân đoàn"}
# 1.14: a prize is ranked, "giải I, II, III" are "giải nhất, nhì, ba" (the words of every prize list).
_PRIZE_RANKS = {1: "nhất", 2: "nhì", 3: "ba", 4: "tư"}
_ROMAN = r"[IVXLCDM]+"
# One context may govern a list: "số I, II" → "số một, hai". 1.14: the context word is matched in any case, so that an
# all-caps heading counts too ("LẦN THỨ VII", "ĐỘI II"); the numeral itself is in capitals.
_ROMAN_IN_CONTEXT = re.compile(
    rf"(?<!\w)(?P<ctx>(?i:{_ROMAN_CONTEXT}))[ \t]+(?P<r>{_ROMAN}(?:[ \t]*,[ \t]*{_ROMAN}(?!{_W}))*)(?!{_W})"
)
# "xếp loại C", "hạng B", "nhóm A": a grade letter is read by its name (a Roman reading was refused above).
_GRADE_LETTER = re.compile(r"(?<!\w)(?P<ctx>loại|Loại|hạng|Hạng|nhóm|Nhóm|mức|Mức)[ \t]+(?P<l>[A-HK-UYĐ])(?!\w)")
# 1.16: a full stop or a comma after the number ends the sentence or the clause ("môn thi thứ 4." "thứ tư", v18);
# only a digit after it makes a decimal, a date or a count ("thứ 2,5", "thứ 2/3").
_ORDINAL_ARABIC = re.compile(r"(?<!\w)(?P<ctx>thứ|Thứ|THỨ)[ \t]+(?P<n>[0-9]{1,3})(?![0-9]|[.,/][0-9])")


def _roman_reading(ctx: str, n: int) -> str:
    """"lần thứ VII" → "bảy" (ordinal after "thứ"), "giải II" → "nhì" (a prize's rank), else the cardinal."""
    if ctx.lower().endswith("thứ"):
        return read_ordinal(n)
    if ctx.lower() == "giải" and n in _PRIZE_RANKS:
        return _PRIZE_RANKS[n]
    return read_cardinal(n)


# 1.14: a Roman numeral of two letters or more made of I, V and X ("Khu QLĐB II", "Cụm thi đua III", "Quân khu … IV")
# is a number wherever no context word names it: no Vietnamese word or acronym is written so, and spelled it would be "i
# i". One letter ("I", "V", "X") may be a letter or a pronoun and is left to the contexts above; "XX"/"XXX" stand for
# unknown digits in forms.
_LONE_ROMAN = re.compile(r"(?<![^\W_/.&-])(?P<r>(?=[IVX]{2,}(?![^\W_]))X{0,3}(?:IX|IV|V?I{0,3}))(?![^\W_/&-]|\.[^\W_])")


def _lone_roman(m: re.Match[str]) -> str:
    n = roman_to_int(m.group("r"))
    if n is None or m.group("r") in ("XX", "XXX") or _in_caps_heading(m):
        return m.group(0)
    return read_cardinal(n)


def _in_caps_heading(m: re.Match[str]) -> bool:
    """A neighbour is an all-caps syllable: "PHẠM VI" is a heading's words, not the number six."""
    from .syllable import is_valid_syllable

    before = re.findall(r"[^\W\d_]+", m.string[max(0, m.start() - 20):m.start()])[-1:]
    after = re.findall(r"[^\W\d_]+", m.string[m.end():m.end() + 20])[:1]
    return any(len(w) > 1 and w.isupper() and is_valid_syllable(w) for w in before + after)


def roman_numerals(text: str) -> str:
    """"Quý IV" → "Quý bốn", "khóa XIII" → "khóa mười ba", "lần thứ IV" → "lần thứ tư"."""

    def repl(m: re.Match[str]) -> str:
        numerals = [r.strip() for r in m.group("r").split(",")]
        if m.group("ctx").lower() in _LETTER_CONTEXTS and set(m.group("r")) - set("IVX, \t"):
            return m.group(0)  # "cỡ số M", "loại C", "hạng B": sizes, grades and letters, not Roman numerals
        values = [roman_to_int(r) for r in numerals]
        if any(n is None for n in values):
            return m.group(0)
        ctx = m.group("ctx")
        return f"{ctx} " + ", ".join(_roman_reading(ctx, n) for n in values if n is not None)

    text = _ROMAN_IN_CONTEXT.sub(repl, text)
    text = _LONE_ROMAN.sub(_lone_roman, text)
    text = _GRADE_LETTER.sub(
        lambda m: f"{m.group('ctx')} {_capital_letter(m.group('l')) or LETTER_NAMES[m.group('l').lower()]}", text
    )
    return _ORDINAL_ARABIC.sub(lambda m: f"{m.group('ctx')} {read_ordinal(int(m.group('n')))}", text)


# 1.21: a decimal written with an English dot in a measure (v29): "độ lớn 3.8", "cường độ 5.0", "mạnh tới 6.9 độ",
# "8.1km", "22.241 độ vĩ Bắc" are "ba phẩy tám", "năm phẩy không" … A dot before ONE digit cannot group thousands, so
# it is a decimal point when a unit or "độ" follows or a measuring word comes before; a coordinate ("độ vĩ", "độ
# kinh") also takes three digits. Section numbers ("mục 3.1", "1.2. Nội dung") and thousands ("3.800") have no such
# context and keep their reading. The dot is rewritten as the comma every later rule reads as "phẩy".
_MEASURE_WORD = (
    r"(?:độ lớn|Độ lớn|cường độ|Cường độ|độ sâu|Độ sâu|mực nước|Mực nước|độ cao|Độ cao|chiều sâu|chiều cao|"
    r"chiều dài|mạnh)"
)
# After the measuring word, the numbers that follow it joined by commas, "và", "đến", "từ", "lần lượt (là)", "-".
_MEASURE_RUN = re.compile(
    rf"(?<![^\W_]){_MEASURE_WORD}(?:[ \t]+(?:khoảng|từ|lần lượt là|lần lượt|là|đạt|tới|trên|dưới|chỉ))*[ \t]+"
    r"[0-9]+(?:[.,][0-9]+)?(?:[ \t]*(?:,|;|-|–|và|đến|tới)[ \t]*[0-9]+(?:[.,][0-9]+)?)*"
)
_DOT_ONE_DIGIT = re.compile(r"(?<![0-9.,])(?P<i>[0-9]{1,3})\.(?P<f>[0-9])(?![0-9]|\.[0-9])")
_DOT_BEFORE_UNIT = re.compile(
    r"(?<![0-9.,])(?P<i>[0-9]{1,3})\.(?P<f>[0-9])(?=[ \t]?(?:km|m|cm|mm|kg|ha|độ)(?![^\W_]))"
)
_DOT_COORDINATE = re.compile(r"(?<![0-9.,])(?P<i>[0-9]{1,3})\.(?P<f>[0-9]{1,3})(?=[ \t]*độ[ \t]+(?:vĩ|kinh)(?![^\W_]))")


def _dot_to_comma(m: re.Match[str]) -> str:
    return f"{m.group('i')},{m.group('f')}"


# 1.21: values given one by one after "lần lượt (là)" and joined by spaced dashes, "lần lượt là 3,5 - 3,2 - 3,1 - 2,7 và
# 2,6", are a list said with commas (v29), not ranges: a range has two ends, so this needs three numbers or more.
_RESPECTIVELY_DASHES = re.compile(
    r"(?<![^\W_])(?P<head>lần lượt(?:[ \t]+là)?[ \t]+)"
    r"(?P<run>[0-9]+(?:,[0-9]+)?(?:[ \t]+[-–][ \t]+[0-9]+(?:,[0-9]+)?){2,})"
    r"(?![0-9/])"
)


def respective_lists(text: str) -> str:
    """"lần lượt là 3,5 - 3,2 - 3,1" → "lần lượt là 3,5, 3,2, 3,1" (a list of values)."""
    return _RESPECTIVELY_DASHES.sub(
        lambda m: m.group("head") + re.sub(r"[ \t]+[-–][ \t]+", ", ", m.group("run")), text
    )


# 1.21: two coordinates joined by a hyphen, "21,735 độ vĩ Bắc-103,133 độ kinh Đông", are said with a dash pause
# between them (v29), not run together.
_COORDINATE_DASH = re.compile(r"(?<=độ[ \t]vĩ[ \t])(?P<d>Bắc|Nam)[ \t]*[-–][ \t]*(?=[0-9])")


def coordinate_dashes(text: str) -> str:
    return _COORDINATE_DASH.sub(lambda m: f"{m.group('d')} - ", text)


def dot_decimals(text: str) -> str:
    """"độ lớn 3.8", "6.9 độ", "8.1km", "22.241 độ vĩ Bắc" → the comma decimal ("3,8"); other dots untouched."""
    text = _DOT_COORDINATE.sub(_dot_to_comma, _DOT_BEFORE_UNIT.sub(_dot_to_comma, text))
    return _MEASURE_RUN.sub(lambda m: _DOT_ONE_DIGIT.sub(_dot_to_comma, m.group(0)), text)


# Units after a number; the longest spelling first so "km2" wins over "km" and "m".
UNITS: dict[str, str] = {
    "km2": "ki lô mét vuông", "m2": "mét vuông", "m3": "mét khối", "cm": "xăng ti mét",
    "mm": "mi li mét", "km": "ki lô mét", "ha": "héc ta", "kg": "ki lô gam", "ml": "mi li lít",
    # 1.20: "50 KWh" with a capital K is the same unit (v28).
    "kWh": "ki lô oát giờ", "KWh": "ki lô oát giờ",
    "kW": "ki lô oát", "MW": "mê ga oát", "kVA": "ki lô vôn am pe", "kV": "ki lô vôn",
    "V": "vôn", "GB": "gi ga bai", "MB": "mê ga bai",
    "VNĐ": "đồng", "VND": "đồng", "vnđ": "đồng", "USD": "đô la Mỹ", "tấn": "tấn", "đ": "đồng",
    "m": "mét", "g": "gam", "l": "lít", "°C": "độ xê",
    # 1.12: degrees typed with a small "o" or the ordinal sign for the degree sign: "12oC", "0oC", "30ºC".
    "oC": "độ xê", "ºC": "độ xê",
    # 1.15: energy in megawatt and gigawatt hours, beside "kWh" (v16: "đồng/kWh", "701 kWh").
    "MWh": "mê ga oát giờ", "GWh": "gi ga oát giờ",
    # 1.19: blood pressure, "140/90 mmHg" "… mi li mét thủy ngân" (v23).
    "mmHg": "mi li mét thủy ngân",
    # 1.21: engine sizes "50cm3", "125 cm3" "xăng ti mét khối" (v30); radio frequencies "54 - 68 MHz" "mê ga héc" (v31).
    "cm3": "xăng ti mét khối", "MHz": "mê ga héc", "kHz": "ki lô héc", "GHz": "gi ga héc",
}
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_QUANTITY = re.compile(
    rf"(?<![0-9])(?P<int>[0-9]{{1,3}}(?:\.[0-9]{{3}})+|[0-9]+)(?:,(?P<frac>[0-9]+))?"
    rf"(?P<dotted>(?:\.[0-9]+)+)?(?![0-9])"
    rf"(?:[ \t]*(?P<pct>[%‰])|[ \t]?(?P<unit>{_UNIT_ALT})(?!{_W}))?"
)
_IDENTIFIER_DIGITS = 8
# "12-15 độ C", "30 độ C": the Celsius letter is read by its name, not left as a bare capital.
_DEGREES_C = re.compile(r"(?<=độ)[ \t]+C(?![^\W_])")
# "2 x 3 m", "4x6", "50 × 20": a multiplication sign between two numbers is "nhân".
_TIMES_SIGN = re.compile(r"(?<=[0-9])[ \t]*[xX×][ \t]*(?=[0-9])")
_BARE_UNIT = re.compile(r"(?<!\w)(?P<u>km2|m2|m3|mmHg)(?!\w)")
# 1.19: a cube's "3" that lost its superscript and drifted off its unit, "3.000m 3 cát" "ba nghìn mét khối cát" (v24).
# 1.21: also after a magnitude word and before a bracket or a stop, "475 tỷ m 3 (xếp thứ 8)" "… tỷ mét khối" (v29).
_BROKEN_CUBE = re.compile(
    r"(?:(?<=[0-9])|(?<=[0-9][ \t]nghìn)|(?<=[0-9][ \t]triệu)|(?<=[0-9][ \t]tỷ)|(?<=[0-9][ \t]tỉ))"
    r"(?P<sp>[ \t]?)m[ \t]+3(?=[ \t]+[^\W\d_]|[ \t]*[(),.;:]|[ \t]*$)"
)


def _read_quantity(m: re.Match[str]) -> str:
    int_part = m.group("int")
    dotted = m.group("dotted")
    if dotted and m.group("pct") and "." not in int_part and re.fullmatch(r"\.[0-9]{1,2}", dotted):
        # 1.20: "18.5%": a dot before one or two digits in a percentage cannot group thousands, it is the decimal
        # point of an English-style page, "mười tám phẩy năm phần trăm" (v27).
        return f" {read_decimal(int_part, dotted[1:])} phần {'trăm' if m.group('pct') == '%' else 'nghìn'} "
    if dotted:
        # "2.2", "1.5": not a thousands group, so a section number or foreign decimal.
        # ("1.000.0" is malformed thousands: read every dot-separated piece the same way.)
        pieces = [p for p in (int_part + m.group("dotted")).split(".") if p]
        words = " chấm ".join(read_number_string(p) for p in pieces)
    elif m.group("frac"):
        words = read_decimal(int_part.replace(".", ""), m.group("frac"))
    elif "." not in int_part and len(int_part) >= _IDENTIFIER_DIGITS and not m.group("unit"):
        # Amounts this large are written with thousands dots; an undotted run of 8+ digits is an
        # account, card or record number and is dictated digit by digit.
        words = read_digits(int_part)
    else:
        words = read_number_string(int_part.replace(".", "")) if "." not in int_part else read_cardinal(
            _int_value(int_part)
        )
    if m.group("pct"):
        # "‰" (per mille, salinity): "4‰" is "bốn phần nghìn".
        return f" {words} phần {'trăm' if m.group('pct') == '%' else 'nghìn'} "
    if m.group("unit"):
        return f" {words} {UNITS[m.group('unit')]} "
    return f" {words} "


# 1.13: a unit after a number said in words ("vài chục km", "hàng trăm ha", "mấy kg") is the unit, as after digits; so
# is a unit that is never a Vietnamese word ("km", "kg", "cm", "mm") standing alone ("tính theo km"). "ha", "m", "g"
# are read only after a number word: alone they may be words or letters. A unit after a slash is left to the rate rule.
_APPROX_UNIT = re.compile(
    r"(?<![^\W_])(?P<w>vài|mấy|dăm|chục|trăm|nghìn|ngàn|vạn|triệu|hàng|nhiều|mươi|mười|mỗi|Mỗi)[ \t]+"
    r"(?P<u>km|kg|ha|cm|mm|ml|m|g)(?![^\W_])"
)
_LONE_UNIT = re.compile(
    r"(?<![^\W_/])(?<![0-9][ \t])(?P<u>km|kg|cm|mm|kWh|MWh|GWh|kW|MW)(?![^\W_]|[ \t]*[0-9])"
)
# 1.15: …and so are the units of energy and power, "mỗi kWh điện", "đồng một kWh" (v16): no word is written so.
# 1.15: a flow or a speed is a unit of its own, a volume or a length over a span of time, said with "trên": "320 m3/s",
# "200 m³/s", "3.600 m3/giây" "… mét khối trên giây" (v14: "a unit, not 'mỗi giây'"), "5 l/s", "2.000 m3/ngày đêm", "10
# m/s". A rate of things counted or weighed ("đồng/kg", "tấn/năm") keeps "mỗi", and "km/h" its "mỗi giờ" (1.6).
_FLOW_UNIT = re.compile(
    r"(?<=[0-9])(?P<sp>[ \t]?)(?P<u>m3|l|lít|m)[ \t]*/[ \t]*(?P<t>s|giây|phút|h|giờ|ngày[ \t.]*đêm|ngđ)(?![^\W_])"
)
_FLOW_TIMES = {"s": "giây", "h": "giờ", "ngđ": "ngày đêm"}


def _flow_unit(m: re.Match[str]) -> str:
    if m.group("u") == "m" and m.group("t") not in ("s", "giây"):
        return m.group(0)  # "m/ngày" is no speed anyone writes; only metres per second are
    time = _FLOW_TIMES.get(m.group("t"), re.sub(r"[ \t.]+", " ", m.group("t")))
    # 1.21: a volume drawn over a day, "150.000 m3/ngày đêm", is a daily amount, "mét khối mỗi ngày đêm" (v29, the
    # most recent set, against v14's "trên"); a flow per second or hour keeps "trên".
    per = "mỗi" if time == "ngày đêm" else "trên"
    return f"{m.group('sp')}{m.group('u')} {per} {time}"


def quantities(text: str) -> str:
    """"10.000 tờ rơi", "4,5 tấn", "95%", "1.500.000đ", "20 km2" → words."""
    # Bare units first: in "con/m2" the "2" belongs to the unit, it is not a number.
    text = _BROKEN_CUBE.sub(lambda m: f"{m.group('sp')}m3", text)
    text = _BARE_UNIT.sub(lambda m: UNITS[m.group("u")], _FLOW_UNIT.sub(_flow_unit, text))
    text = _APPROX_UNIT.sub(lambda m: f"{m.group('w')} {UNITS[m.group('u')]}", text)
    text = _LONE_UNIT.sub(lambda m: UNITS[m.group("u")], text)
    text = _TIMES_SIGN.sub(" nhân ", text)
    return _DEGREES_C.sub(" xê", _QUANTITY.sub(_read_quantity, text))


_FRACTION = re.compile(
    r"(?<![0-9.,])(?P<a>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)[ \t]*/[ \t]*(?P<b>[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)"
    rf"(?![0-9]|[.,][0-9])(?:(?P<unit>{_UNIT_ALT})(?!{_W}))?"
)
# 1.11: a slash between a counted amount and a number ("220 triệu/254 triệu đồng", "111,2 bé trai/100 bé gái") counts
# the first out of the second, "x trên y", like "x/y" between two bare numbers. Only with a number a few words before
# the slash and a number of two or more after it ("đồng/1 người" is a rate, left as it was).
_AMOUNT_SLASH = re.compile(
    r"(?<![^\W_])(?P<amount>[0-9][0-9.,]*(?:[ \t]+[^\W\d_]+){1,3})[ \t]*/[ \t]*"
    r"(?=(?:[2-9]|[1-9][0-9])[0-9.]*(?![0-9.,/]*/))"
)
# "x/y" before a counted noun counts out of a total: "8/9 chỉ tiêu", "53/54 tỉnh", "136/403 gia đình" are read
# "x trên y" (the convention of the hand-written sets). Before a word that names a share of a whole ("3/4 số hộ",
# "1/3 diện tích") or with no noun after it, a proper fraction stays "x phần y".
# 1.19: an acronym names counted things too, "09/15 ĐVHC cấp huyện" "chín trên mười lăm đơn vị hành chính" (v24).
_COUNTED_NOUN_AFTER = re.compile(r"[ \t]+(?=[^\W\d_A-ZĐ]|[A-ZĐ]{2,}(?![^\W_]))")
_SHARE_WORD_AFTER = re.compile(
    r"[ \t]+(?:số|tổng|dân số|diện tích|khối lượng|sản lượng|lượng|kinh phí|thời gian|quãng đường|chiều dài|"
    r"giá trị|nhu cầu|phần|mức|"
    # 1.13: …or an amount that is measured, not counted: "1/3 giá", "2/3 chi phí", "1/2 lương", "3/4 công suất" are
    # shares of one whole ("một phần ba giá"), where "7/9 thôn" counts hamlets out of a total.
    r"giá|giá bán|giá thành|trị giá|chi phí|tiền|số tiền|vốn|lương|tiền lương|thu nhập|học phí|viện phí|ngân sách|"
    r"lợi nhuận|doanh thu|công suất|năng suất|trọng lượng|thể tích|dung tích|độ dài|chiều rộng|chiều cao|"
    r"chiều sâu|quân số|thời hạn|nhiệm kỳ|quỹ đất|đất đai|lãnh thổ|"
    # 1.22: …and a day's or a month's pay, "giảm còn 1/2 ngày lương" "một phần hai ngày lương" (v34).
    r"ngày lương|ngày công|tháng lương|"
    # …or a function word: no counted noun follows ("3/4 các xã", "1/2 còn lại", "2/3 là nữ").
    r"các|những|toàn|còn|trong|trên|là|được|đã|sẽ|và|hoặc|của|so|với|cho|thì|ở|tại|đến|từ)(?![^\W_])",
)


# 1.14: a share said with a word of approximation before it ("trên 1/2 mặt cầu", "hơn 1/3 diện tích", "gần 2/3 thôn") is
# a fraction of the whole even before a noun ("một phần hai"): nobody says "over one out of two bridge decks". Only with
# a small denominator (halves to tenths); "trên 27/63 tỉnh" keeps "x trên y".
_APPROXIMATE_BEFORE = re.compile(
    r"(?<![^\W_])(?:trên|dưới|hơn|gần|khoảng|chừng|quá|xấp xỉ|non|chưa đến|chưa tới|tới hơn)[ \t]+$", re.IGNORECASE
)
# 1.22: a count followed by its percentage in brackets, "402/707 (56,9%) đơn vị cấp huyện", counts units out of a total
# ("bốn trăm linh hai trên bảy trăm linh bảy", v32), as the same row's "9.735/11.160 (87,2%)" is read.
_PERCENT_BRACKET_AFTER = re.compile(r"[ \t]*\([ \t]*[0-9][0-9.,]*[ \t]*%[ \t]*\)")
# 1.14: a rate with a decimal part before its slash ("39,98/100.000 dân") is "x trên y", like "176/100.000 dân".
_DECIMAL_SLASH = re.compile(
    r"(?<![0-9.,])(?P<a>(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+),[0-9]+)[ \t]*/[ \t]*(?=[0-9])"
)


def fractions(text: str) -> str:
    """Leftover "a/b" between numbers: "3/4" → "ba phần tư", "15/100" → "mười lăm phần một trăm", but
    "53/54 tỉnh" → "năm mươi ba trên năm mươi tư tỉnh" and "762.320/800.719 đối tượng" → "… trên …"."""

    def repl(m: re.Match[str]) -> str:
        a, b = _int_value(m.group("a")), _int_value(m.group("b"))
        unit = m.group("unit")
        if unit:  # "455/455ha": a unit glued to the total counts what both numbers measure
            return f"{_fraction_term(m.group('a'))} trên {_fraction_term(m.group('b'))} {UNITS[unit]}"
        counted = (bool(_COUNTED_NOUN_AFTER.match(m.string, m.end())) and not _SHARE_WORD_AFTER.match(
            m.string, m.end())) or bool(_PERCENT_BRACKET_AFTER.match(m.string, m.end()))
        if counted and b <= 10 and _APPROXIMATE_BEFORE.search(m.string, max(0, m.start() - 20), m.start()):
            counted = False  # 1.14: "trên 1/2 mặt cầu", "gần 1/3 số hộ": an approximate share, not a count
        if 0 < a < b <= 1000 and not counted and "." not in m.group(0):
            return f"{read_cardinal(a)} phần {month_name(b) if b == 4 else read_cardinal(b)}"
        if counted and len(m.group("a")) == len(m.group("b")) == 2 and m.group("a")[0] == "0" != m.group("b")[0]:
            return f"{read_cardinal(a)} trên {read_cardinal(b)}"  # 1.19: "09/15 ĐVHC": the zero pads the count (v24)
        return f"{_fraction_term(m.group('a'))} trên {_fraction_term(m.group('b'))}"

    text = _AMOUNT_SLASH.sub(lambda m: f"{m.group('amount')} trên ", text)
    text = _DECIMAL_SLASH.sub(lambda m: f"{m.group('a')} trên ", text)
    return _FRACTION.sub(repl, text)


def _fraction_term(digits: str) -> str:
    return read_cardinal(_int_value(digits)) if "." in digits else read_number_string(digits)


def remaining_digits(text: str) -> str:
    """Last resort: any digit run left (OCR noise such as "x4") is read as a number."""
    return re.sub(r"[0-9]+", lambda m: f" {read_number_string(m.group(0))} ", text)


def read_list_number(label: str) -> str:
    """"2.2" → "hai chấm hai" (section numbers are read with "chấm")."""
    return " chấm ".join(read_number_string(p) for p in label.split(".") if p)


_ZERO_LED_COUNT = re.compile(r"(?<![0-9.,/:\w])(?P<so>[Ss]ố[ \t]+|SỐ[ \t]+)?0(?P<d>[1-9])(?=[ \t]+(?P<w>[^\W\d_]+))")
# "Quyết định số 05", "Công văn số 07": a document's number is a code and keeps its zero; "Tổ bầu cử
# số 05", "khu vực bỏ phiếu số 03" number a unit, and the zero is typography.
_DOCUMENT_BEFORE = re.compile(
    r"(?:quyết định|công văn|thông báo|kế hoạch|nghị định|nghị quyết|thông tư|chỉ thị|tờ trình|báo cáo|"
    r"công điện|hướng dẫn|văn bản|luật|pháp lệnh|giấy mời|biên bản|hợp đồng|mã|mã số|hiệu)[ \t]*$",
    re.IGNORECASE,
)


def zero_led_counts(text: str) -> str:
    """"03 lớp", "02 ngày", "(07 Chỉ tiêu)": a zero written before a count is typography, not "không".

    Codes keep their zero ("Quyết định số 05", "Mã 0123", "05-CT/TW", "01 CT"): only two digits before a
    word that is not all capitals, and after "số" only when no document type names the number.
    """

    def repl(m: re.Match[str]) -> str:
        word = m.group("w")
        if len(word) > 1 and word == word.upper() and not (_heading_word(word) or _counted_acronym(word)):
            return m.group(0)  # "05 CT": a code
        if word == word.upper() and not m.group("so") and not (_heading_word(word) or _counted_acronym(word)):
            return m.group(0)  # "01 A": a code letter
        if m.group("so") and _DOCUMENT_BEFORE.search(m.string, max(0, m.start() - 30), m.start()):
            return m.group(0)
        return f"{m.group('so') or ''}{read_cardinal(int(m.group('d')))}"

    def zero_range(m: re.Match[str]) -> str:
        a, b = int(m.group("a")), int(m.group("b"))
        return f"{read_cardinal(a)} đến {read_cardinal(b)}" if a < b else m.group(0)

    def glued(m: re.Match[str]) -> str:
        word = m.group("w")
        if word in UNITS or word.lower() in UNITS or not _lower_syllable(word):
            return m.group(0)
        return f"{read_cardinal(int(m.group('d')))} {word}"

    def spelled(m: re.Match[str]) -> str:
        n = int(m.group("d"))
        return read_cardinal(n) if m.group("w").lower() == read_cardinal(n) else m.group(0)

    text = _ZERO_LED_SPELLED.sub(spelled, text)
    text = _ZERO_LED_RANGE.sub(zero_range, text)
    # "01ổ dịch": a count typed without its space before a lower-case word (never a unit: "05kg").
    text = _ZERO_LED_GLUED.sub(glued, text)
    return _ZERO_LED_COUNT.sub(repl, text)


# 1.22: a legal text repeats a count in words in brackets, "từ 02 (hai) trang trở lên" "từ hai, hai, trang" (v34): the
# words show the number is a count, so its zero is typography too, even with the bracket before the noun.
_ZERO_LED_SPELLED = re.compile(
    r"(?<![0-9.,/:\w])0(?P<d>[1-9])(?=[ \t]*\([ \t]*(?P<w>[^\W\d_]+(?:[ \t]+[^\W\d_]+)?)[ \t]*\))"
)
_ZERO_LED_GLUED = re.compile(r"(?<![0-9.,/:\w])0(?P<d>[1-9])(?P<w>[^\W\d_A-ZĐ][^\W\d_]*)(?![^\W_])")


def _lower_syllable(word: str) -> bool:
    from .syllable import is_valid_syllable

    # One letter only when it is not a plain Latin letter ("01ổ", but "01a" may be a label).
    return word == word.lower() and is_valid_syllable(word) and (len(word) >= 2 or not word.isascii())


# "khoảng 01-03 cơn bão", "02 - 05 ngày": a range of zero-led counts before a lower-case noun.
_ZERO_LED_RANGE = re.compile(
    r"(?<![0-9.,/:\w-])0(?P<a>[1-9])[ \t]*[-–][ \t]*0?(?P<b>[1-9][0-9]?)(?![0-9.,/:-])(?=[ \t]+[^\W\d_A-ZĐ])"
)


def _counted_acronym(word: str) -> bool:
    """1.15: "03 KCN" counts industrial parks, "ba khu công nghiệp" (v16): an acronym of a common noun (its reading in
    lower case) that no document type or issuer shares is counted like the noun."""
    reading = base_acronyms().get(word, "")
    return reading[:1].islower() and word not in doc_types() and word not in doc_issuers()


def _heading_word(word: str) -> bool:
    """An all-caps word of a heading ("03 NĂM"), not a code ("05 CT"): a Vietnamese syllable, not an acronym."""
    from .syllable import is_valid_syllable

    return len(word) >= 2 and is_valid_syllable(word) and word not in base_acronyms()


# Roads are numbered: "QL1A", "QL 14", "TL.10", "ĐT.741" (đường tỉnh; "ĐT" alone is also "điện thoại", so only
# with its dot or after "tuyến"/"đường"), and points on them "Km 12+300".
_ROAD = re.compile(
    r"(?<![^\W_])(?P<pre>(?:tuyến|đường|Tuyến|Đường)[ \t]+)?(?P<k>QL|TL|HL|ĐT|ĐH)(?P<dot>\.)?[ \t]*"
    r"(?P<n>[0-9]{1,3})(?P<suffix>[A-Z]?)(?![0-9]|[^\W_])"
)
_ROAD_NAMES = {"QL": "quốc lộ", "TL": "tỉnh lộ", "HL": "hương lộ", "ĐT": "đường tỉnh", "ĐH": "đường huyện"}
# 1.13: a post is written "km" too ("đến km134 quốc lộ 6", "km 5+200", "km số 12"): "km" BEFORE a number marks a point
# on the road, "ki lô mét một trăm ba mươi bốn"; a distance has its number before the unit ("134 km", "50km2"), and
# "km2" glued with no "+" after it is the unit of area.
_KM_POST = re.compile(
    r"(?<![^\W_])(?<![0-9][ \t])(?P<km>Km|km)(?P<sp>[ \t]*)(?P<so>số[ \t]+)?(?P<a>[0-9]{1,4})"
    r"(?:[ \t]*\+[ \t]*(?P<b>[0-9]{1,3}))?(?![0-9]|[^\W_]|[.,][0-9])"
)


# 1.14: "ĐT 166, 163, 171" beside "Quốc lộ 70": "ĐT" with a short number (no phone number has one to three digits and
# no leading zero) in a sentence about roads is the provincial road, "đường tỉnh", as "ĐH" is the district road.
def _road_number_in_road_talk(m: re.Match[str]) -> bool:
    return not m.group("n").startswith("0") and road_talk_around(m.string, m.start(), m.end())


# 1.18: the letter "A" of a road's number is written as it stands, "quốc lộ 1A" "quốc lộ một A" (v21; v12's "quốc lộ 7A"
# "bảy a" and v13's "QL1A" "một a" given up); the other letters are said by their names, "Tỉnh lộ 544B" "… bốn mươi
# bốn bê" (v21), "Quốc lộ 22B" "hai mươi hai bê" (v19).
_ROAD_BEFORE = re.compile(r"(?<![^\W_])(?:[Qq]uốc|QUỐC|[Tt]ỉnh|TỈNH|[Hh]ương|HƯƠNG)[ \t]+(?:lộ|LỘ)[ \t]+$")


def _road_letter(letter: str) -> str:
    return "A" if letter == "A" else LETTER_NAMES[letter.lower()]


def road_codes(text: str) -> str:
    """"QL1A" → "quốc lộ một A", "ĐT.741" → "đường tỉnh bảy trăm bốn mươi mốt", "Km 12+300"."""

    def road(m: re.Match[str]) -> str:
        key = m.group("k")
        if key in ("ĐT", "ĐH") and not (m.group("dot") or m.group("pre") or _road_number_in_road_talk(m)):
            return m.group(0)
        pre, name = m.group("pre") or "", _ROAD_NAMES[key]
        if pre.lower().startswith("đường") and name.startswith("đường"):
            pre, name = "", pre[:1] + name[1:]  # "đường ĐT.741" is "đường tỉnh …", said once
        # 1.13: the letter of a road's number is said by its name, "quốc lộ một a", "QL14C" "mười bốn xê" (v12 reads
        # "quốc lộ 7A" "quốc lộ bảy a").
        suffix = f" {_road_letter(m.group('suffix'))}" if m.group("suffix") else ""
        return f"{pre}{name} {read_cardinal(int(m.group('n')))}{suffix}"

    def km(m: re.Match[str]) -> str:
        if m.group("km") == "km" and not m.group("sp") and m.group("a") in ("2", "3") and not m.group("b"):
            return m.group(0)  # "km2": the unit of area, not post two
        out = f"ki lô mét {m.group('so') or ''}{read_cardinal(int(m.group('a')))}"
        return f"{out} cộng {read_cardinal(int(m.group('b')))}" if m.group("b") else out

    return _KM_POST.sub(km, _ROAD.sub(road, text))


# Rice varieties and other product codes: "IR 50404", "OM 5451", "ST25". A capital code followed by
# four or more undotted digits is a name, dictated digit by digit (a year after it is left alone).
_LETTER_CODE_NUMBER = re.compile(
    r"(?<![^\W_])(?P<code>[A-ZĐ]{1,4})(?P<sep>[ \t-]?)(?P<num>[0-9]{4,6})(?![0-9]|[.,][0-9])"
)


# "BC15", "KD18", "TBR225": capitals glued to a short number name a variety, a model or a lot. Even when the
# letters are an acronym ("BC" is also "báo cáo") they are spelled, and the number is read whole. Codes with a
# reading of their own are left to later rules: "QH13" (a term of the National Assembly), "BĐ2" (an alarm level).
_GLUED_CODE_NUMBER = re.compile(r"(?<![^\W_])(?P<code>[A-ZĐ]{1,4})(?P<num>[0-9]{1,3})(?![0-9]|[.,][0-9]|[^\W_])")
_GLUED_KEEP = re.compile(r"QH|BĐ|[IVXLC]+")


def _capital_letter(code: str) -> str | None:
    """1.21: a lone capital whose name is the letter itself ("A", "E", "O", "U") stays as written: the licence classes
    "A1", "A2" "A một", "A hai" (v30), "ấp Tân Hậu A1" "… A một" (v29), "hạng A" (v30). Other letters are said by
    their name as before ("K9" "ca chín")."""
    return code if len(code) == 1 and code.isupper() and LETTER_NAMES.get(code.lower()) == code.lower() else None


def letter_code_numbers(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        num = m.group("num")
        if (len(num) == 4 and _YEAR_MIN <= int(num) <= _YEAR_MAX) or m.group("code") in base_acronyms():
            return m.group(0)  # "năm 2024", "CCCD 0123…": a year, or a known acronym and its own number
        return f"{spell_letters(m.group('code'))} {read_digits(num)}"

    def glued(m: re.Match[str]) -> str:
        code = m.group("code")
        if _GLUED_KEEP.fullmatch(code):
            return m.group(0)
        return f"{_capital_letter(code) or spell_letters(code)} {read_number_string(m.group('num'))}"

    return _GLUED_CODE_NUMBER.sub(glued, _LETTER_CODE_NUMBER.sub(repl, text))


# Flood bulletins write alarm levels "BĐ1", "BĐ 2", "BĐIII": always "báo động" and the level.
_ALARM_LEVEL = re.compile(r"(?<![^\W_])BĐ[ \t]?(?P<n>[1-3]|I{1,3})(?![^\W_])")


def alarm_levels(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        n = m.group("n")
        return f"báo động {read_cardinal(int(n) if n.isdigit() else len(n))}"

    return _ALARM_LEVEL.sub(repl, text)


# An address's house or lane number may carry a letter: "Số 13B Hoàng Hoa Thám", "số nhà 25A đường Lê Lợi", "ngõ 7C
# phố Huế". There the letter is said by its name ("mười ba bê"), as a postman would; only after "số"/"số nhà"/a lane
# word and before a street name (a capitalised word) or a street word, so "lớp 9A", "QL1A" keep their letter.
_HOUSE_NUMBER = re.compile(
    r"(?<![^\W_])(?P<pre>(?:[Ss]ố(?:[ \t]+nhà)?|SỐ|[Nn]hà[ \t]+số|[Nn]gõ|[Nn]gách|[Hh]ẻm|[Kk]iệt)[ \t]*:?[ \t]*)"
    r"(?P<n>[0-9]{1,4})(?P<l>[A-Z])(?![^\W_])"
    r"(?=[ \t]*,?[ \t]+(?:[A-ZĐÀ-Ỹ][^\W\d_A-ZĐ]|(?:đường|phố|ngõ|ngách|hẻm|kiệt|khu phố|tổ)(?![^\W_])))"
)


# 1.10: so is a number with a letter written just before the ward or commune of an address, with no "số" before it:
# "Trung tâm hội nghị 25B, phường Hạc Thành", "tại 12A, xã Tân Lập". A class ("lớp 6B, trường …") has no address unit
# after it and keeps its capital.
_ADDRESS_NUMBER = re.compile(
    r"(?<![^\W_./-])(?P<n>[0-9]{1,4})(?P<l>[A-Z])(?![^\W_])"
    r"(?=[ \t]*,[ \t]*(?:phường|xã|quận|huyện|thị trấn|thị xã|đường|phố|khu phố|ấp|thôn|tổ dân phố)(?![^\W_]))"
)


# 1.11: so is a numbered hamlet, quarter or group written with a letter: "thôn 2A", "tổ 5B", "khu phố 3C", "ấp 1A" are
# places of an address ("thôn hai a"); "lớp 9A", "QL1A" are no places and keep their capital.
_NUMBERED_PLACE = re.compile(
    r"(?<![^\W_])(?P<pre>(?:[Tt]hôn|[Xx]óm|[Ấấ]p|[Bb]ản|[Tt]ổ(?:[ \t]+dân phố)?|[Kk]hu phố|[Kk]hóm|[Kk]hối|[Kk]hu)"
    r"[ \t]+)"
    r"(?P<n>[0-9]{1,3})(?P<l>[A-Z])(?![^\W_])"
)


def house_numbers(text: str) -> str:
    """"Số 13B Hoàng Hoa Thám" → "Số mười ba bê Hoàng Hoa Thám"."""
    text = _NUMBERED_PLACE.sub(
        lambda m: f"{m.group('pre')}{read_number_string(m.group('n'))} {LETTER_NAMES[m.group('l').lower()]}", text
    )
    text = _HOUSE_NUMBER.sub(
        lambda m: f"{m.group('pre')}{read_number_string(m.group('n'))} {LETTER_NAMES[m.group('l').lower()]}", text
    )
    return _ADDRESS_NUMBER.sub(
        lambda m: f"{read_number_string(m.group('n'))} {LETTER_NAMES[m.group('l').lower()]}", text
    )


# 1.13: a group written as a Roman numeral and a letter, "nhóm IIB", "nhóm II B", "loại IA", "hạng IIIA" (the lists of
# endangered species and of grades), or a small letter glued, "nhóm Ib" (the toxicity classes of pesticides), is the
# number and the letter's name: "nhóm hai bê". Only after a word that names a group or a grade: alone, "IIB" is any
# code.
_ROMAN_CLASS = re.compile(
    r"(?<![^\W_])(?P<ctx>(?:[Pp]hân[ \t]+)?[Nn]hóm|NHÓM|[Ll]oại|LOẠI|[Hh]ạng|HẠNG|[Cc]ấp|CẤP|[Mm]ức|MỨC|"
    r"[Pp]hụ lục|PHỤ LỤC)"
    r"[ \t]+(?P<r>[IVX]{1,4})(?:[ \t]?(?P<l>[A-D])|(?P<lc>[a-d]))(?![^\W_])"
)
# 1.13: so is a number with a letter glued after it ("nhóm 1B", "quốc lộ 7A", "tuyến 3B", "nhà 5C", "4G"): the letter is
# said by its name ("một bê", "bảy a"), as v8..v12 read every such number (house numbers, hamlets, roads, groups).
# Left as written: a class ("lớp 9A" stays "lớp chín A", as the rules tests of 1.7..1.11 pin it), the letters of hours,
# thousands, litres, volts and watts ("7H", "10K", "2L", "220V", "100W"), a licence plate ("29A-123.45") and a decimal.
_NUMBER_LETTER = re.compile(
    r"(?<![^\W_.,/-])(?<![Ll]ớp[ \t])(?<!LỚP[ \t])(?P<n>[0-9]{1,4})(?P<l>[A-GIJMN-UX-Z])(?![^\W_]|[.,/-][0-9])"
)

# 1.17: network generations written one after another, "4G/5G/6G", "3G/4G", are alternatives: "bốn gờ, năm gờ, sáu gờ"
# (v19), each read as a lone "2G" is.
_GENERATIONS = re.compile(r"(?<![^\W_.,/-])[1-6]G(?:[ \t]*/[ \t]*[1-6]G)+(?![^\W_]|[.,/-][0-9])")


def class_letters(text: str) -> str:
    """"nhóm IIB" → "nhóm hai bê", "nhóm 1B" → "nhóm một bê", "quốc lộ 7A" → "quốc lộ bảy a"."""

    def roman(m: re.Match[str]) -> str:
        n = roman_to_int(m.group("r"))
        if n is None:
            return m.group(0)
        letter = (m.group("l") or m.group("lc")).lower()
        return f"{m.group('ctx')} {read_cardinal(n)} {LETTER_NAMES[letter]}"

    text = _ROMAN_CLASS.sub(roman, text)
    text = _GENERATIONS.sub(
        lambda m: ", ".join(f"{read_number_string(g)} gờ" for g in re.findall(r"([1-6])G", m.group(0))),
        text,
    )
    def number_letter(m: re.Match[str]) -> str:
        on_road = _ROAD_BEFORE.search(m.string, max(0, m.start() - 12), m.start())
        letter = _road_letter(m.group("l")) if on_road else LETTER_NAMES[m.group("l").lower()]
        return f"{read_number_string(m.group('n'))} {letter}"

    return _NUMBER_LETTER.sub(number_letter, text)


# Laws number the points of an article with letters: "điểm b, khoản 2, Điều 8", "mục d - khoản 4", "tiết a". The letter
# is said by its name ("điểm bê", "mục dê"), also in a list ("điểm a, b và đ"); "mục đích", "điểm A" are left alone.
_POINT_LETTERS = re.compile(
    r"(?<![^\W_])(?P<w>điểm|Điểm|mục|Mục|tiết|Tiết)[ \t]+"
    r"(?P<l>[a-zđ](?:[ \t]*(?:,|và|hoặc)[ \t]*[a-zđ](?![^\W_]))*)(?![^\W_]|[.)/][ \t]*[^\W\d_])"
)


def point_letters(text: str) -> str:
    """"theo điểm b, khoản 2" → "theo điểm bê, khoản 2"."""
    def repl(m: re.Match[str]) -> str:
        letters = re.sub(r"(?<![^\W_])[a-zđ](?![^\W_])", lambda x: LETTER_NAMES[x.group(0)], m.group("l"))
        return f"{m.group('w')} {letters}"

    return _POINT_LETTERS.sub(repl, text)


# 1.15: a percentage written with its sign is a rise or a fall: "tăng mạnh nhất (+10,07%)" "tăng mạnh nhất, tăng mười
# phẩy không bảy phần trăm,", "(+ 0,04%)", "(-0,02%)" ", giảm …" (v16). Only in brackets (or "+" after a space): a dash
# between numbers is a range and a dash at a line's start a bullet.
_SIGNED_PERCENT = re.compile(
    r"(?:(?<=\()[ \t]*(?P<s>[+-])|(?<=[ \t])(?P<plus>\+))[ \t]?(?=[0-9][0-9.,]*[ \t]*[%‰])"
)


def signed_percentages(text: str) -> str:
    """"(+10,07%)" → "(tăng 10,07%)", "(-0,02%)" → "(giảm 0,02%)" (the numbers are read by the later passes)."""
    return _SIGNED_PERCENT.sub(lambda m: "giảm " if m.group("s") == "-" else "tăng ", text)


# 1.15: after the word of a law's part a comma joins numbers of a list, not a decimal: "Khoản 4,6 (Điều 4)" "Khoản bốn,
# sáu, Điều bốn," (v16), "Điều 5,7,9".
_ARTICLE_LIST = re.compile(
    r"(?<![^\W_])(?P<w>[Kk]hoản|KHOẢN|[Đđ]iều|ĐIỀU|[Đđ]iểm|[Mm]ục|[Cc]hương|[Pp]hụ lục)[ \t]+"
    r"(?P<list>[0-9]{1,3}(?:,[0-9]{1,3})+)(?![0-9]|[.,][0-9])"
)


def article_lists(text: str) -> str:
    return _ARTICLE_LIST.sub(lambda m: f"{m.group('w')} {m.group('list').replace(',', ', ')}", text)


# Phones first: "0297.3862.123" must not be taken for a date, a range or thousands groups.
# 1.18: an influenza strain, "cúm A/H5N1", "A(H1N1)", "H7N9": the letters by name and the numbers as numbers, "A hát
# năm en một"; never "/H" read as "mỗi giờ" nor the bracket as a pause. 1.21.1: the N of a strain is "en", as the
# broadcasts say it and v33 reads it, not the spelled-acronym "en nờ". 1.22: the type letter is said by its name in
# lower case too, "cúm a hát năm en một" (v33), as the rest of the strain is: it is a letter, not a name's initial.
_FLU_STRAIN = re.compile(
    r"(?<![^\W_])(?:(?P<type>[AB])[ \t]*(?:/|\(|-)?[ \t]*)?H(?P<h>[0-9]{1,2})[ \t]*N(?P<n>[0-9]{1,2})"
    r"(?(type)\)?)(?![^\W_])"
)


def flu_strains(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        kind = f"{spell_letters(m.group('type'))} " if m.group("type") else ""
        return (f"{kind}{spell_letters('H')} {read_cardinal(int(m.group('h')))} "
                f"en {read_cardinal(int(m.group('n')))}")

    return _FLU_STRAIN.sub(repl, text)


NUMERIC_PASSES: tuple[Callable[[str], str], ...] = (
    dot_decimals, coordinate_dashes, respective_lists,
    phone_numbers, flu_strains, signed_percentages, article_lists, alarm_levels, weekday_ranges,
    road_codes, house_numbers, point_letters, letter_code_numbers,
    quarters, rounds_of_year, dates, times, zero_led_counts, number_lists, amount_ranges, ranges, class_letters,
    roman_numerals, fractions, quantities, remaining_digits,
)

__all__ = ["NUMERIC_PASSES", "document_numbers", "read_fraction_part", "read_list_number"]

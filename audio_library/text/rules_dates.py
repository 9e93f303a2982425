"""Dates, times and their ranges: a small grammar, not a list of patterns per document.

A date is day/month[/year] (separators "/", "." or "-"), a month is "tháng m[/yyyy]", a time is
"7h30", "7g", "17:30". A range joins two of the same kind with a dash and is read with "đến":
  "ngày 01-05/12/2023"       → "ngày một đến ngày năm tháng mười hai năm …" (shared month/year)
  "tháng 10-12/2023"         → "tháng mười đến tháng mười hai năm …"
  "03/02/1930 - 03/02/2023"  → "ngày … đến ngày …"
  "7h00 - 11h30"             → "bảy giờ đến mười một giờ ba mươi phút"
A short "d/m" is only a date in a date context ("ngày 15/3", "Quốc khánh 2/9"); elsewhere it is
left to the fraction rule ("3/4 số hộ"). A date never becomes a fraction once it is recognised.
"""

from __future__ import annotations

import itertools
import re

from .numerals import read_cardinal, roman_to_int

_W = r"[^\W_]"
_YEAR_MIN, _YEAR_MAX = 1000, 2999


def month_name(n: int) -> str:
    # "tháng tư" is the standard name of April; every other month uses the plain cardinal.
    return "tư" if n == 4 else read_cardinal(n)


def _year(digits: str) -> str:
    return read_cardinal(int(digits))


# 1.15: the year may follow a dot too, "quý 1.2019" "quý một năm …" (v15), as "tháng 9.2021" does.
_QUARTER = re.compile(
    rf"(?<!{_W})(?P<q>Quý|quý|QUÝ|Q)\.?[ \t]*(?P<n>[IV]+|[1-4])"
    rf"(?:[ \t]*/[ \t]*(?P<y>[12][0-9]{{3}})|\.(?P<dy>[12][0-9]{{3}})(?![0-9]|[.,][0-9]))?(?!{_W})"
)


def quarters(text: str) -> str:
    """"Quý IV", "Q.IV/2023", "Q4/2023" → "quý bốn năm hai nghìn không trăm hai mươi ba"."""

    def repl(m: re.Match[str]) -> str:
        raw = m.group("n")
        n = int(raw) if raw.isdigit() else roman_to_int(raw)
        if n is None or not 1 <= n <= 4:
            return m.group(0)
        word = "quý" if m.group("q") == "Q" else m.group("q")
        out = f"{word} {read_cardinal(n)}"
        year = m.group("y") or m.group("dy")
        return f"{out} năm {_year(year)}" if year else out

    return _QUARTER.sub(repl, text)


# "ngay" too: OCR output without diacritics must not become "ngay ngày".
_DAY_CONTEXT = re.compile(r"(?:ngày|ngay|mùng|mồng)[ \t]*$", re.IGNORECASE)
# Words after which "d/m" is a date: calendar words, range words and named days ("Quốc khánh 2/9").
# "ngày mai 21/9", "hôm nay (8/9)": a date may also follow a named day, in brackets or not.
_SHORT_DATE_CONTEXT = re.compile(
    r"(?:ngày|mùng|mồng|từ|đến|và|hôm|sáng|chiều|tối|trưa|đêm|khánh|lễ|dịp|tết|hạn|trước|sau|tới|"
    r"mai|nay|qua|đường|phố|nhất|hai|ba|tư|năm|sáu|bảy|nhật|vào|(?:đến|tới)[ \t]+hết)[ \t,(]*$",
    re.IGNORECASE,
)
# 1.15: a "d/m" before "và" is a date only when no counted noun follows it: "có 9/11 nhóm và 11/11 nhóm" counts (v16).
_DATE_BEFORE = re.compile(
    r"(?:ngày|tháng|[0-9]{1,2}/[0-9]{1,2}(?![0-9])(?![ \t]+(?!(?:và|hoặc|đến|tới|năm)(?![^\W_]))[a-zđà-ỹ]))",
    re.IGNORECASE,
)
# 1.15: a date followed by "là Ngày …" names that day ("05/6 là Ngày Môi trường thế giới" "Năm tháng sáu là …", v16),
# and a date closing a title before its colon dates the title ("Chuyển động Nhà nông 4/7: Hàng nghìn ha …", v14): no
# "ngày".
_NAMED_DAY_AFTER = re.compile(r"[ \t]+là[ \t]+[Nn]gày[ \t]+[^\W\d_]")
_TITLE_BEFORE = re.compile(r"(?:^|\n)[ \t]*[A-ZĐÀ-Ỹ][^\W\d_]*(?:[ \t]+[^\W\d_]+){0,6}[ \t]+$")
_TITLE_COLON_AFTER = re.compile(r"[ \t]*:[ \t]+[A-ZĐÀ-Ỹ]")
_WEEKDAY_WORDS = frozenset({"nhất", "hai", "ba", "tư", "năm", "sáu", "bảy", "nhật"})
# "ngày thứ nhất (25/2)", "thứ Hai (26/2)", "Chủ nhật 3/3": a weekday or the n-th day names a date.
_WEEKDAY = re.compile(r"(?:thứ[ \t]+(?:nhất|hai|ba|tư|năm|sáu|bảy)|chủ[ \t]+nhật)[ \t,(]*$", re.IGNORECASE)
# A named day already says which day: "ngày mai (1/1/2024)" is "ngày mai, một tháng một …",
# never "ngày mai, ngày một tháng một".
_NAMED_DAY_CONTEXT = re.compile(
    r"(?:ngày|hôm|sáng|chiều|tối|trưa|đêm)[ \t]+(?:mai|nay|qua)[ \t]*[(,]?[ \t]*$", re.IGNORECASE
)
_DATE = r"[0-9]{1,2}[/.-][0-9]{1,2}(?:[/.-][0-9]{4})?"
_TIME = r"[0-9]{1,2}(?:[hg](?:[0-9]{2})?|:[0-9]{2})"
# A dash between two dates or two times is "đến" (checked before the dash can be lost).
_DATE_RANGE_DASH = re.compile(rf"(?<![0-9/.])(?P<a>{_DATE})[ \t]*[-–][ \t]*(?={_DATE}(?![0-9]))")
# 1.15: a minute mark is read "phút" (see normalizer._minute_mark): "13h30'-14h" is "… ba mươi phút đến mười bốn giờ".
_TIME_RANGE_DASH = re.compile(rf"(?<![0-9.,])(?P<a>{_TIME}(?:[ \t]+phút)?)[ \t]*[-–][ \t]*(?={_TIME}(?!{_W}))")
_MONTH_RANGE = re.compile(
    r"(?P<pre>(?<!\w)(?:tháng|Tháng|THÁNG)[ \t]+)?(?<![0-9/.,-])(?P<a>[0-9]{1,2})[ \t]*[-–][ \t]*"
    r"(?P<b>[0-9]{1,2})(?:/(?P<y>[12][0-9]{3}))?(?![0-9]|[/.,][0-9])"
)
_DAY_RANGE = re.compile(
    r"(?<![0-9/.,-])(?P<a>[0-9]{1,2})[ \t]*[-–][ \t]*(?P<b>[0-9]{1,2})/(?P<m>[0-9]{1,2})"
    r"(?:/(?P<y>[12][0-9]{3}))?(?![0-9]|[/.,][0-9])"
)
# 1.21: a year mistyped with a fifth digit after a slash, "ngày 30/12/20219", is still the date's year, read as written
# "… năm hai mươi nghìn hai trăm mười chín" (v30).
_FULL_DATE = re.compile(
    r"(?<![0-9/.,-])(?P<d>[0-9]{1,2})(?P<sep>[/.-])(?P<m>[0-9]{1,2})(?P=sep)"
    r"(?P<y>(?<=/)(?:19|20)[0-9]{3}|[0-9]{4})(?![0-9]|[/.-][0-9])"
)
_SHORT_DATE = re.compile(r"(?<![0-9/.,-])(?P<d>[0-9]{1,2})/(?P<m>[0-9]{1,2})(?![0-9]|[/.,][0-9])")
_MONTH_YEAR = re.compile(
    r"(?P<pre>(?<!\w)(?:tháng|Tháng|THÁNG)[ \t]+)?(?<![0-9/.,])"
    r"(?P<m>[0-9]{1,2})[/-](?P<y>[12][0-9]{3})(?![0-9]|[/.-][0-9])"
)
# "tháng 9.2021", "Tháng 12.2024": newspapers write a month and its year with a dot too; right after "tháng" the pair
# is never a decimal or a section number.
_MONTH_DOT_YEAR = re.compile(
    r"(?P<pre>(?<!\w)(?:tháng|Tháng|THÁNG)[ \t]+)(?P<m>[0-9]{1,2})\.(?P<y>[12][0-9]{3})(?![0-9]|[.,][0-9])"
)
_DAY_WORD = re.compile(
    r"(?<!\w)(?P<w>ngày|Ngày|NGÀY|mùng|Mùng|mồng|Mồng)[ \t]+(?P<n>[0-9]{1,2})(?![0-9.,/:]|-[0-9])"
)
# "tháng 4, tháng 5/2020": a comma or full stop after the month ends it ("tháng tư,"); "tháng 4,5" does not.
# The lunar months with names of their own count too: "từ ngày 6 đến 8 tháng Giêng", "đến 23 tháng Chạp" (1.10).
# "từ ngày 01 tháng 7 … đến 15 tháng 7 năm 2022": a bare day written before "tháng N" after "từ"/"đến"/"tới" is a
# day and gets its "ngày", like a bare "d/m" there ("từ 3/7" → "từ ngày ba tháng bảy").
_RANGE_DAY_BEFORE_MONTH = re.compile(
    r"(?<![^\W_])(?P<w>(?:từ|đến|tới)(?:[ \t]+hết)?)[ \t]+(?P<d>[0-9]{1,2})"
    r"(?=[ \t]+tháng[ \t]+(?P<m>[0-9]{1,2}(?![0-9]|[.,/:][0-9])|(?:giêng|chạp)(?![^\W_])))",
    re.IGNORECASE,
)


def _names_a_street(text: str, day: str, month: str) -> bool:
    """1.14: "đường 3 tháng 2 (đoạn từ 3 tháng 2 đến Thái Phiên)": streets are named after dates, and a date that names
    a street in the text is that street again after "từ"/"đến", not a day (no "ngày" is added)."""
    return re.search(rf"(?<![^\W_])(?:đường|phố)[ \t]+0?{int(day)}[ \t]+tháng[ \t]+0?{re.escape(month)}(?![^\W_])",
                     text, re.IGNORECASE) is not None


# 1.21: …and so are schools: "Trường Mầm Non 17-3", "Trường THCS 2-9" are named after a date and read as it, "mười bảy
# tháng ba" (v30), where a number in another name is read as a number.
_SCHOOL_DATE_NAME = re.compile(
    r"(?<![^\W_])(?P<head>[Tt]rường(?:[ \t]+(?:[Mm]ầm [Nn]on|[Mm]ẫu [Gg]iáo|[Tt]iểu [Hh]ọc|THCS|THPT|TH|MN|"
    r"[Tt]rung [Hh]ọc [Cc]ơ [Ss]ở|[Tt]rung [Hh]ọc [Pp]hổ [Tt]hông))?[ \t]+)"
    r"(?P<d>[0-9]{1,2})[ \t]*-[ \t]*(?P<m>[0-9]{1,2})(?![0-9]|[/.,-][0-9])"
)


def _school_date_name(m: re.Match[str]) -> str:
    d, mo = int(m.group("d")), int(m.group("m"))
    return f"{m.group('head')}{d} tháng {mo}" if _valid_day_month(d, mo) else m.group(0)


_MONTH_WORD = re.compile(r"(?<!\w)(?P<w>tháng|Tháng|THÁNG)[ \t]+(?P<n>[0-9]{1,2})(?![0-9]|[.,/:][0-9]|/)")


# Newspapers write day.month with a dot: "Ngày 1.12", "từ ngày 3 - 31.12", "từ 9-11.10". A dotted pair is
# also a section number or a decimal ("mục 1.2", "Nino3.4", "2.5 lần"), so it is a date only right after a
# word that names a day or opens a range of days, and never before a digit or a counted noun.
_DOT_DATE_CONTEXT = re.compile(
    r"(?<![^\W_])(?:ngày|mùng|mồng|từ|đến|tới|sáng|chiều|tối|trưa|đêm|nay|mai|qua|hôm)[ \t,(]*$", re.IGNORECASE
)
_DOT_DAY_RANGE = re.compile(
    r"(?<![0-9/.,-])(?P<a>[0-9]{1,2})[ \t]*[-–][ \t]*(?P<b>[0-9]{1,2})\.(?P<m>[0-9]{1,2})"
    r"(?:\.(?P<y>[12][0-9]{3}))?(?![0-9]|[/.,][0-9])"
)
_DOT_SHORT_DATE = re.compile(
    r"(?<![0-9/.,-])(?P<d>[0-9]{1,2})\.(?P<m>[0-9]{1,2})(?![0-9]|[/.,-][0-9])"
    r"(?![ \t]*(?:(?:lần|lượt|phần trăm|triệu|tỷ|nghìn|ngàn|m|km|ha|kg|tấn|mm|cm|độ)(?![^\W_])|%))"
)
# 1.15: a unit is a whole word: "Từ ngày 16.8 mở lại nước" is a date, "mở" no metre (v14).
# "12/2022-01/2023", "tháng 3/2024 - 5/2024": a range of month-years; the second one gets its "tháng".
_MONTH_YEAR_RANGE = re.compile(
    r"(?<![0-9/.,])(?P<a>[0-9]{1,2}/[12][0-9]{3})[ \t]*[-–][ \t]*(?:(?P<pre>tháng|Tháng)[ \t]+)?"
    r"(?P<b>[0-9]{1,2}/[12][0-9]{3})(?![0-9]|[/.-][0-9])"
)
# "Lịch cắt điện ngày mai - 7/2": a dash between a named day and its date is the comma of "ngày mai, 7/2".
_NAMED_DAY_DASH = re.compile(
    r"(?P<day>(?<![^\W_])(?:ngày|hôm|sáng|chiều|tối|trưa|đêm)[ \t]+(?:mai|nay|qua))[ \t]*[-–][ \t]*"
    r"(?=[0-9]{1,2}[/.-][0-9]{1,2}(?![0-9]))",
    re.IGNORECASE,
)


# "từ 13 đến hết 15-2", "từ 9 đến 14/10", "từ 3 tới 7.5": a span of days whose first day is bare; the month of
# the last day covers both, and both are days ("từ ngày mười ba đến hết ngày mười lăm tháng hai"). So with the
# first "ngày" written: "từ ngày 3 đến 7-9" is not "ba đến bảy đến chín" even though 7 < 9.
_DAY_SPAN = re.compile(
    r"(?<![^\W_])(?P<from>từ|Từ|TỪ)[ \t]+(?P<day>ngày[ \t]+)?(?P<a>[0-9]{1,2})[ \t]+(?P<to>đến|tới)"
    r"(?P<het>[ \t]+hết)?[ \t]+"
    r"(?:ngày[ \t]+)?(?P<b>[0-9]{1,2})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?:(?P=sep)(?P<y>[12][0-9]{3}))?"
    r"(?![0-9]|[/.,-][0-9])"
)


# 1.14: "từ 1-12 đến 5-12": two dash dates joined by "từ … đến" are a span of days even when the first pair goes up
# (a range "1 to 12" has no "từ … đến" around a second pair); the second must come later, and no counted noun follows.
_DASH_DATE_SPAN = re.compile(
    r"(?<![^\W_])(?P<from>từ|Từ|TỪ)[ \t]+(?:ngày[ \t]+)?(?P<d1>[0-9]{1,2})-(?P<m1>[0-9]{1,2})[ \t]+(?P<to>đến|tới)"
    r"[ \t]+(?:ngày[ \t]+)?(?P<d2>[0-9]{1,2})-(?P<m2>[0-9]{1,2})(?:-(?P<y>[12][0-9]{3}))?(?![0-9]|[/.,-][0-9])"
    r"(?![ \t]*(?:tuổi|lần|lượt|buổi|giờ|tiếng|phút|ngày|tuần|tháng|năm(?![ \t]+(?:19|20)[0-9]{2})|người|hộ|ca|%))"
)


def _dash_date_span(m: re.Match[str]) -> str:
    d1, m1, d2, m2 = (int(m.group(k)) for k in ("d1", "m1", "d2", "m2"))
    if not (_valid_day_month(d1, m1) and _valid_day_month(d2, m2)) or (m1, d1) >= (m2, d2):
        return m.group(0)
    out = (f"{m.group('from')} ngày {read_cardinal(d1)} tháng {month_name(m1)} {m.group('to')} "
           f"ngày {read_cardinal(d2)} tháng {month_name(m2)}")
    return f"{out} năm {_year(m.group('y'))}" if m.group("y") else out


# 1.19: a list of bare days that a dashed date ends, after a "ngày" phrase or after another such date ("những ngày cao
# điểm 27, 29, 30-8 và 1, 2-9" "… ba mươi tháng tám và một, hai tháng chín", v25): the list's days share its month.
_DASH_DAY_LIST = re.compile(
    r"(?:(?<![^\W_])ngày(?:[ \t]+[^\W\d_]+){0,3}|(?<![0-9])[0-9]{1,2}-[0-9]{1,2}[ \t]+và)[ \t]+"
    r"(?:[0-9]{1,2}[ \t]*,[ \t]*)+$"
)


# 1.19: a day and month followed by "năm" and a year is a date wherever it stands ("Diễn ra 31/5 năm 2025", v23): a
# fraction is never followed by its year.
_YEAR_WORD_AFTER = re.compile(r"[ \t]+năm[ \t]+(?:19|20)[0-9]{2}(?![0-9])")


def _valid_day_month(d: int, m: int) -> bool:
    return 1 <= d <= 31 and 1 <= m <= 12


# After a holiday word the date is the holiday's name: "Quốc khánh 2/9", "dịp lễ 30/4"; streets
# and squares are named after dates too ("Đường 30/4", "phố 3/2").
_HOLIDAY_CONTEXT = re.compile(r"(?:khánh|lễ|dịp|tết|đường|phố|quảng trường)[ \t]*$", re.IGNORECASE)
# "ngày 5-9", "sáng nay (17-11)": newspaper style writes day-month with a dash. Only after a word
# that names a day, because "từ 2-5 tuổi" is a range.
# A field label that already says "ngày": "Ngày ban hành: 28/08/2023", "ngày sinh: 2/9/1990".
# 1.19: "ngày" itself before the colon says it too, "Cập nhật ngày: 08/07/2020 17:06" (v23).
# "trong 3 ngày: từ 13 …" counts days: a number before "ngày" makes no label.
_DAY_LABEL = re.compile(
    r"(?<![^\W_])(?<![0-9][ \t])(?<!(?:hai|mấy|vài)[ \t])ngày(?:[ \t]+[^\W\d_]+){0,3}[ \t]*:[ \t]*$", re.IGNORECASE
)
# 1.14: "hôm 18-1", "hôm 5.8" (the day it happened, as "hôm 18/1" already was).
_DASH_DATE_CONTEXT = re.compile(
    r"(?:ngày|mùng|mồng|nay|mai|qua|sáng|chiều|tối|trưa|đêm|hôm|khánh)[ \t,(]*$", re.IGNORECASE
)
_AND_WORD = re.compile(r"(?<![^\W_])và[ \t]*$", re.IGNORECASE)
_RANGE_WORD = re.compile(r"(?:từ|đến|tới)[ \t]*$", re.IGNORECASE)
# …but "ngày 2-3 lần" is a count per day: no date before a counted noun. 1.14: "năm" before a year is the date's year
# ("AIDS 1-12 năm 2023"), not a count of years.
_DASH_DATE = re.compile(
    r"(?<![0-9/.,-])(?P<d>[0-9]{1,2})-(?P<m>[0-9]{1,2})(?![0-9]|[/.,-][0-9])"
    r"(?![ \t]*(?:(?:lần|lượt|buổi|giờ|tiếng|phút|ngày|tuần|tháng|"
    # 1.19: "Quốc khánh 2-9 năm nay": "năm nay" names the year, it counts nothing.
    r"năm(?![ \t]+(?:(?:19|20)[0-9]{2}(?![0-9])|nay(?![^\W_])))|người|hộ|"
    r"ca|mũi|liều|viên|cữ|độ|mm|cm|km|m|ha|kg|tấn|tạ|lít)(?![^\W_])|%|°))"
)
# 1.15: …nor before a unit: "tăng so với hôm qua 1-3 độ C" is a range of degrees (v14).


# A part of the day names the day already: "Sáng 15/9", "chiều 11/9" are read without "ngày".
_PART_OF_DAY = re.compile(r"(?<![^\W_])(?:sáng|chiều|tối|trưa|đêm|rạng sáng)[ \t,(]*$", re.IGNORECASE)
# Inside a list of days the "ngày" of the first one covers the rest: "ngày 15, 16, 17/4",
# "ngày 5 – và 6/2", "mùng 3, 4 và 5/2".
_DAY_LIST = re.compile(
    r"(?<![^\W_])(?:ngày|mùng|mồng)[ \t]+[0-9]{1,2}(?:[ \t]*(?:[,;]|-?[ \t]*và)[ \t]*[0-9]{1,2})*"
    r"[ \t]*(?:[,;]|-?[ \t]*và)[ \t]*$",
    re.IGNORECASE,
)


# "Hiện nay (01/5)", "từ thời điểm 15/7/2024": a word that names a moment already says which day it is; so do
# "hôm" and a weekday written just before the date ("đưa hôm 9/4", "từ thứ Bảy 14/2/2026"; not "thứ Hai (7/4)").
_MOMENT = re.compile(
    r"(?<![^\W_])(?:(?:thời điểm|hiện nay|hiện tại|lúc này)[ \t,(]*"
    r"|(?:hôm|thứ[ \t]+(?:hai|ba|tư|năm|sáu|bảy)|chủ[ \t]+nhật)[ \t]+)$",
    re.IGNORECASE,
)


# "Ngày Thương binh - Liệt sĩ (27/7/1947 - 27/7/2025)", "kỷ niệm … (19/8/1945 - 19/8/2025)": a span of two full
# dates alone in brackets right after a name dates what was just named; it is an aside, read without "ngày" (as the
# hand-written sets v6..v8 read it). A single date in brackets after a weekday ("thứ Hai (7/4)") keeps its "ngày",
# and so does a span with no name before its bracket.
_FULL = r"[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4}"
# 1.11: either end may be a short "d/m" ("(1/6 - 30/6/2022)"): the span is still an aside dating what was named.
_SPAN_END = r"[0-9]{1,2}[/.-][0-9]{1,2}(?:[/.-][0-9]{4})?"
_SPAN_OPENS = re.compile(r"[^\W\d_][ \t]*\([ \t]*$")
_SPAN_FIRST_REST = re.compile(rf"(?:[ \t]+(?:đến|tới)[ \t]+|[ \t]*[-–][ \t]*){_SPAN_END}[ \t]*\)")
_SPAN_SECOND_BEFORE = re.compile(rf"[^\W\d_][ \t]*\([ \t]*{_SPAN_END}[ \t]+(?:đến|tới)[ \t]+$")
_SPAN_CLOSES = re.compile(r"[ \t]*\)")


# 1.10: so does a single full date alone in brackets after a name ("giải phóng Thủ đô (10/10/1954)"), not after a
# weekday or a word that names a day ("thứ Hai (7/4/2025)", "ngày mai (1/1/2024)" keep their own readings).
_SINGLE_CLOSES = re.compile(r"[ \t]*\)")
_FULL_DATE_TEXT = re.compile(_FULL)


# 1.16: a full date that closes a bracket opened by a place's name and a comma dates the place ("về thăm Quân khu 4
# (Nghệ An, 15-6-1957)" ", Nghệ An, mười lăm tháng sáu năm …,", v17): an aside, no "ngày" added.
_PLACE_COMMA_OPENS = re.compile(r"\([ \t]*[A-ZĐÀ-Ỹ][^\W\d_]*(?:[ \t]+[A-ZĐÀ-Ỹ][^\W\d_]*){0,3}[ \t]*,[ \t]*$")


def _bracketed_span(m: re.Match[str]) -> bool:
    s, start, end = m.string, m.start(), m.end()
    if (_FULL_DATE_TEXT.fullmatch(m.group(0)) and _SINGLE_CLOSES.match(s, end)
            and _PLACE_COMMA_OPENS.search(s, max(0, start - 40), start)):
        return True
    if _SPAN_OPENS.search(s, max(0, start - 10), start):
        if _SPAN_FIRST_REST.match(s, end) is not None:
            return True
        before = s[:s.rfind("(", 0, start)]
        return bool(_FULL_DATE_TEXT.fullmatch(m.group(0)) and _SINGLE_CLOSES.match(s, end)
                    and not _WEEKDAY.search(before) and not _DATE_WORD_BEFORE.search(before))
    return bool(_SPAN_SECOND_BEFORE.search(s, max(0, start - 50), start) and _SPAN_CLOSES.match(s, end))


# Words that already say which day a bracketed date is: the calendar words and the parts of a day.
_DATE_WORD_BEFORE = re.compile(
    r"(?<![^\W_])(?:ngày|hôm|mai|nay|qua|sáng|chiều|tối|trưa|đêm|nhất|nhật|tháng|năm)[ \t]*$", re.IGNORECASE
)
# "Ngày Quốc tế Lao động 1/5/2018", "Ngày Môi trường thế giới 5/6": a day's name (capital "Ngày" and a capitalised
# word) says "ngày" already, like "Quốc khánh 2/9". At most five words of name, no punctuation.
_NAMED_DAY = re.compile(r"(?<![^\W_])(?:Ngày|NGÀY)[ \t]+[A-ZĐÀ-Ỹ][^\W\d_]*(?:[ \t]+[^\W\d_]+){0,5}[ \t]*$")
# 1.11: a day's name written in lower case says it too: "nhân ngày vi chất dinh dưỡng 1/6", "ngày pháp luật 9/11". Its
# words are nouns: no word that counts, points to a day or joins ("ngày mai", "ngày thứ hai", "ngày làm việc đầu tiên",
# "ngày nghỉ từ …"), and "ngày" itself is not a count ("3 ngày", "hai ngày").
_NAMED_DAY_LOWER = re.compile(
    r"(?<![^\W_])(?<!\d[ \t])ngày(?P<name>(?:[ \t]+[^\W\d_]+){2,5})[ \t]*$"
)
_NAMED_DAY_STOP = frozenset(str.split(
    "mai nay qua hôm kia này đó ấy sau trước đầu cuối tiếp thứ mùng mồng tháng năm tuần từ đến tới và hoặc hay là "
    "vào trong của các những làm việc nghỉ tiên hết còn đã sẽ được có không một hai ba bốn tư lăm sáu bảy tám chín "
    "mười mươi trăm nhiều mấy cùng ra diễn tổ chức bắt tại với"
))


def _named_day_lower(text: str, at: int) -> bool:
    m = _NAMED_DAY_LOWER.search(text, max(0, at - 60), at)
    if m is None:
        return False
    words = m.group("name").split()
    if re.search(r"(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|trăm|nghìn|mấy|vài|các|những)[ \t]+$",
                 text[max(0, m.start() - 12):m.start()]):
        return False
    return words[0].islower() and not any(w.lower() in _NAMED_DAY_STOP for w in words)
# "ngày 30/4/2018 và 01/5/2018", "ngày 2/9, 3/9": a date joined by "và" or a comma to a date that has its "ngày"
# shares it (as the days of "ngày 15, 16 và 17/4" do).
_AFTER_DAY_DATE = re.compile(
    rf"(?<![^\W_])(?:ngày|mùng|mồng)[ \t]+{_DATE}(?:[ \t]*(?:,|và)[ \t]*{_DATE})*[ \t]*(?:,|và)[ \t]*$",
    re.IGNORECASE,
)


# 1.11: a list of bare days before the date ("1 và 2-6", "3, 4 và 5/2"): the date is its last day.
_BARE_DAY_LIST = re.compile(
    r"(?<![0-9.,/:-])[0-9]{1,2}(?:[ \t]*,[ \t]*[0-9]{1,2})*[ \t]*(?:,|-?[ \t]*và)[ \t]*$"
)


_SPAN_SECOND_DATE = re.compile(
    r"(?P<d>[0-9]{1,2})(?P<sep>[/.-])(?P<m>[0-9]{1,2})(?:(?P=sep)(?P<y>[0-9]{4}))?(?![0-9]|[/.-][0-9])"
)
# Left by a dash span before its second date when the first was read without "ngày": the second goes without it too.
_NO_HEAD = "\ue001"
_NO_HEAD_BEFORE = re.compile(_NO_HEAD + r"(?:đến|tới)[ \t]*$")


# 1.14: a deadline "trước 15/4/2026", "trước 30/9" is read without "ngày" (v11, v13), like a date after a part of the
# day.
_DEADLINE = re.compile(r"(?<![^\W_])(?:trước|vào)[ \t]*$", re.IGNORECASE)
# 1.15: so is a date after "vào" ("các hoạt động … vào 30/7" "vào ba mươi tháng bảy", v15), when no counted noun follows
# (a share "vào 3/4 số hộ" is no date).
_AFTER_VAO = re.compile(r"[ \t]+(?!(?:năm|hằng|hàng|này|tới|tại|ở|và|hoặc)(?![^\W_]))[a-zđà-ỹ]")
# 1.15: "có đến 5/9 huyện", "có tới 10/11 nhóm": "đến"/"tới" after a verb of amount is "as many as", not a date (v15,
# v16).
_AS_MANY_AS = re.compile(r"(?<![^\W_])(?:có|lên|tăng|giảm|đạt|chiếm|gấp)[ \t]+(?:đến|tới)[ \t]*$", re.IGNORECASE)
# 1.14: the name of a day may hold "phòng, chống" and a "HIV/AIDS": "Ngày Thế giới phòng, chống lao (24/3)", "ngày thế
# giới phòng, chống HIV/AIDS 1/12", "Ngày Thế giới phòng chống AIDS 1-12". Up to eight words after "Ngày"/"ngày", the
# first with its capital, or all in lower case and none that counts or points to a day (see _NAMED_DAY_STOP).
_DAY_NAME = re.compile(
    r"(?<![^\W_])(?<![0-9][ \t])(?:Ngày|NGÀY|ngày)"
    r"(?P<name>(?:[ \t]+[^\W\d_]+(?:/[^\W\d_]+)*(?:,(?=[ \t]+chống)|[ \t]+-(?=[ \t]+[A-ZĐ]))?){2,16})"
    r"[ \t]*[(-]?[ \t]*$"
)
# 1.15: …and a dash may set the date apart, "Ngày toàn dân phòng, chống mua bán người - 30/7"; a name may have ten
# words, "ngày Vì nạn nhân chất độc da cam Việt Nam 10/8" (v15).


# 1.16: "năm" after a number counts years ("35 năm Ngày hội …"), it does not count the day that is named after it.
_YEARS_OF = re.compile(
    r"(?:[0-9]|một|mốt|hai|ba|bốn|tư|lăm|sáu|bảy|tám|chín|mười|mươi|trăm|nghìn)[ \t]+năm[ \t]+$"
)


_NAME_OPENER = re.compile(r"(?<![^\W_])(?:Ngày|NGÀY|ngày)(?![^\W_])")


def _day_name_before(text: str, at: int) -> bool:
    """A day's name ends just before ``at``: the date after it is that day's date, said without "ngày". 1.19: names of
    up to sixteen words (v25's "Ngày Quốc tế …"); the nearest "Ngày" that opens a name decides, a farther one ("Ngày …
    người” và “Ngày toàn dân … 30/7”") does not."""
    starts = [d.start() for d in _NAME_OPENER.finditer(text, max(0, at - 120), at)]
    return any(_names_the_day(m, text) for pos in reversed(starts)
               if (m := _DAY_NAME.match(text, pos, at)) is not None)


def _names_the_day(m: re.Match[str], text: str) -> bool:
    words = m.group("name").replace(",", " ").replace(" -", " ").split()
    if words[0][:1].isupper():
        return True
    # 1.19: "không" inside a day's name is part of it, "Ngày thế giới không khói thuốc lá 31/5" (v23); only a name that
    # starts with it counts ("ngày không …").
    words = words[:1] + [w for w in words[1:] if w.lower() != "không"]
    counted = re.search(r"(?:một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười|mươi|trăm|nghìn|mấy|vài|các|những)[ \t]+$",
                        text[max(0, m.start() - 12):m.start()])
    if counted and _YEARS_OF.search(text, max(0, m.start() - 24), m.start()):
        counted = None  # 1.16: "35 năm Ngày hội Quốc phòng toàn dân 22/12": "năm" counts years of the day (v18)
    return not counted and not any(w.lower() in _NAMED_DAY_STOP for w in words)


# 1.14: a day and month opening a line or a sentence and closed by a colon or a dash date what follows ("24/3: Ngày Thế
# giới phòng, chống lao", "1/12 - Ngày Thế giới phòng, chống AIDS"), as a heading's bracketed date is (no "ngày" added).
_LINE_START = re.compile(r"(?:^|[.!?][ \t]+)[ \t\-+*]*$", re.M)
_DATE_HEADING = re.compile(r"[ \t]*(?::|[-–][ \t]+[A-ZĐÀ-Ỹ])")
# 1.17: …and so does one opening a sentence as its dateline, closed by a comma: "13/11, Thủ tướng Chính phủ đã có Công
# điện …" "Mười ba tháng mười một, …" (v20), not "mười ba trên mười một".
_DATELINE_COMMA = re.compile(r",[ \t]+[^\W\d_]")
# 1.17: a holiday's date listed after a Tết is the holiday's name too: "các kỳ lễ lớn như Tết Nguyên đán và 2/9" "… và
# hai tháng chín" (v20), as "dịp 30/4" is; no "ngày" added.
_AFTER_TET_AND = re.compile(r"(?<![^\W_])[Tt]ết(?:[ \t]+[^\W\d_]+){0,3}[ \t]+và[ \t]*$")


# 1.18: a page's dateline, a date alone on its line with at most its weekday before it and its clock time after it
# ("26/03/2024 12:07", "Thứ ba, 09/07/2024"), is read without "ngày": "Hai mươi sáu tháng ba năm …" (v22). A date in a
# sentence, or one whose line goes on after it, keeps its "ngày".
# 1.19: …and so is a date after the author's name, with its time ("Hồ Quang 30/01/2024 15:33", v23).
_DATELINE_BEFORE = re.compile(
    r"(?:^|\n)[ \t]*(?:(?P<wd>(?:[Tt]hứ|THỨ)[ \t]+[^\W\d_]+|[Cc]hủ[ \t]+[Nn]hật|CHỦ[ \t]+NHẬT)"
    r"|(?P<author>[A-ZĐ][^\W\d_]*(?:[ \t]+[A-ZĐ][^\W\d_]*){1,3}))?[ \t]*,?[ \t]*$"
)
_DATELINE_AFTER = re.compile(r"[ \t]*[,|–-]?[ \t]*(?P<time>[0-9]{1,2}:[0-9]{2})?[ \t]*(?:\n|$)")


def _page_dateline(m: re.Match[str]) -> bool:
    """A weekday before it, a clock time after it, or nothing else on its line makes the date a page's dateline."""
    before = _DATELINE_BEFORE.search(m.string, max(0, m.start() - 20), m.start())
    after = _DATELINE_AFTER.match(m.string, m.end())
    if before and before.group("author") and not before.group("author").istitle():
        return False  # an author's name has its capitals on every word, and only them
    if before and after and not before.group("wd") and not before.group("author") and "\n" not in m.group(0):
        # 1.20: a date alone on its line ("05/06/2017") is the page's dateline too, "Năm tháng sáu năm …" (v26, as
        # v22 and v23 read datelines; the rules source's "Ngày" for it is superseded).
        return m.group(0).count("/") == 2 or m.group(0).count("-") == 2 or m.group(0).count(".") == 2
    return bool(before and after and (before.group("wd") or after.group("time")))


# 1.18: a day and month after "từ" with no end after it is the day a rule takes effect: "thu phí từ 1/9" "từ một tháng
# chín" (v21's decisions; v6, v10, v13 and v18 said "từ ngày", given up). A span ("từ 20/11 đến 30/11") and a full
# date ("từ 1/7/2024") keep their "ngày", as every set reads them.
_RANGE_GOES_ON = re.compile(r"[ \t]*(?:[-–]|đến(?![^\W_])|tới[ \t]+(?:ngày|hết|[0-9]))")


# 1.19: …and so is a full date written with slashes, "hiệu lực thi hành từ 01/01/2020", "Từ sau 1/7/2025" "từ một
# tháng bảy năm …" (v23, v24; v8, v11, v15, v16, v17 said "từ ngày", given up). v25 reads the dashed "từ 15-11-2020"
# "từ ngày mười lăm …" and is the most recent set on that form (v23's "từ 1-1-2020" is given up): dashes keep "ngày".
# 1.20: "bắt đầu 1/1/2019" starts a rule's effect as "từ" does: no "ngày" added (v26).
# 1.22: so does "có hiệu lực" right before its date, "Nghị định có hiệu lực 15/9/2021" "… có hiệu lực mười lăm tháng
# chín …" (v34): the date is the start of the effect, "ngày" only where written.
_FROM_BEFORE = re.compile(r"(?<![^\W_])(?:[Tt]ừ(?:[ \t]+sau)?|[Bb]ắt[ \t]+đầu|hiệu[ \t]+lực)[ \t]+$")


def _from_single_date(m: re.Match[str]) -> bool:
    before = _FROM_BEFORE.search(m.string, max(0, m.start() - 10), m.start())
    return _single_date_form(m.group(0)) and before is not None and not _RANGE_GOES_ON.match(m.string, m.end())


def _single_date_form(written: str) -> bool:
    """A date with slashes; 1.22: or a full date with dashes, "từ 15-9-2021" "từ mười lăm tháng chín năm …" (v34, the
    most recent set on that form; v25's "từ ngày" for it is given up)."""
    return "/" in written or written.count("-") == 2


def _dotted_from(m: re.Match[str]) -> bool:
    """1.22: a newspaper's dotted date after a bare "từ", "từ 10.9 - 10.10", is read "từ mười tháng chín đến …" with no
    "ngày" added (v33: "ngày" only where written); spans with slashes keep the earlier sets' "từ ngày"."""
    return _FROM_BEFORE.search(m.string, max(0, m.start() - 10), m.start()) is not None


# 1.21: "ngày" is kept only where written (v31): the end of a span, "từ ngày 24/4 đến 27/4/2025", and a deadline, "tới
# 27/4", are read "đến hai mươi bảy tháng tư …", "tới hai mươi bảy tháng tư" with no "ngày" added (v13's added "ngày"
# after "đến" is outvoted).
_TO_BEFORE = re.compile(r"(?<![^\W_])(?:đến|tới)[ \t]+$")


def _day_head(m: re.Match[str]) -> str:
    """"ngày " unless the text already says it ("ngày 28/10/2022" never becomes "ngày ngày")."""
    if _NO_HEAD_BEFORE.search(m.string, max(0, m.start() - 8), m.start()) or _page_dateline(m):
        return ""
    if _TO_BEFORE.search(m.string, max(0, m.start() - 8), m.start()):
        return ""
    if _day_name_before(m.string, m.start()):
        return ""
    before = (_DAY_CONTEXT, _HOLIDAY_CONTEXT, _NAMED_DAY_CONTEXT, _DAY_LABEL, _PART_OF_DAY, _MOMENT, _DEADLINE)
    if _DAY_LIST.search(m.string, max(0, m.start() - 60), m.start()):
        return ""
    if _AFTER_DAY_DATE.search(m.string, max(0, m.start() - 60), m.start()):
        return ""
    if _NAMED_DAY.search(m.string, max(0, m.start() - 60), m.start()) or _named_day_lower(m.string, m.start()):
        return ""
    if _BARE_DAY_LIST.search(m.string, max(0, m.start() - 30), m.start()):
        return ""  # "(1 và 2-6)", "3, 4 và 5/2": the days of a list share one head, said (or not) before the first
    if _bracketed_span(m):
        return ""
    if _AFTER_TET_AND.search(m.string, max(0, m.start() - 40), m.start()):
        return ""
    if any(ctx.search(m.string, 0, m.start()) for ctx in before):
        return ""
    return "ngày "


def _month_range(m: re.Match[str]) -> str:
    a, b = int(m.group("a")), int(m.group("b"))
    # Without "tháng" before it, "10-12/2023" is still months only when a year follows.
    if not (m.group("pre") or m.group("y")) or not 1 <= a < b <= 12:
        return m.group(0)
    pre = m.group("pre") or "tháng "
    out = f"{pre}{month_name(a)} đến tháng {month_name(b)}"
    return f"{out} năm {_year(m.group('y'))}" if m.group("y") else out


def _day_range(m: re.Match[str]) -> str:
    a, b, mo = int(m.group("a")), int(m.group("b")), int(m.group("m"))
    if not (_valid_day_month(a, mo) and _valid_day_month(b, mo) and a < b):
        return m.group(0)
    # 1.21: "từ ngày 18 - 29/1" "… mười tám đến hai mươi chín tháng một" (v30): the written "ngày" heads both days.
    out = f"{_day_head(m)}{read_cardinal(a)} đến {read_cardinal(b)} tháng {month_name(mo)}"
    return f"{out} năm {_year(m.group('y'))}" if m.group("y") else out


# "T2-T6", "T2 - CN": weekdays written short in a schedule, always as a range (a lone "T2" may be a code).
_WEEKDAY_SHORT_RANGE = re.compile(r"(?<![^\W_])T(?P<a>[2-7])[ \t]*[-–][ \t]*(?:T(?P<b>[2-7])|(?P<cn>CN))(?![^\W_])")
_WEEKDAY_NAMES = {2: "hai", 3: "ba", 4: "tư", 5: "năm", 6: "sáu", 7: "bảy"}


def _weekday_span(m: re.Match[str], head: str) -> str:
    """Groups a, b or cn of a weekday span, read from its first "thứ" (`head`); a span going backwards is left."""
    a = int(m.group("a"))
    if m.group("cn"):
        return f"{head} {_WEEKDAY_NAMES[a]} đến chủ nhật"
    b = int(m.group("b"))
    return f"{head} {_WEEKDAY_NAMES[a]} đến thứ {_WEEKDAY_NAMES[b]}" if a < b else m.group(0)


def _weekday_range(m: re.Match[str]) -> str:
    return _weekday_span(m, "thứ")


# 1.11: "thứ 2 – 6", "thứ 2 - thứ 7", "thứ 2 - CN": a span of weekdays written once with "thứ"; each end is a day,
# "thứ hai đến thứ sáu" (a bare "2 - 6" would be a count).
_WEEKDAY_WORD_RANGE = re.compile(
    r"(?<![^\W_])(?P<w>thứ|Thứ)[ \t]+(?P<a>[2-7])[ \t]*[-–][ \t]*"
    r"(?:(?:thứ|Thứ)[ \t]+)?(?:(?P<b>[2-7])|(?P<cn>CN|[Cc]hủ nhật))(?![0-9]|[^\W_]|[/.,][0-9])"
)


def _weekday_word_range(m: re.Match[str]) -> str:
    return _weekday_span(m, m.group("w"))


def weekday_ranges(text: str) -> str:
    """"T2-T6" → "thứ hai đến thứ sáu" (before capitals glued to a number are taken for a code)."""
    return _WEEKDAY_WORD_RANGE.sub(_weekday_word_range, _WEEKDAY_SHORT_RANGE.sub(_weekday_range, text))


# 1.11: "đợt 2/2025", "lần 3/2024", "kỳ 1/2026": a round of a year is numbered within that year; the pair is the round's
# number and the year ("đợt hai năm …"), never a month, whatever the number.
_ROUND_OF_YEAR = re.compile(
    r"(?<![^\W_])(?P<w>đợt|Đợt|ĐỢT|lần|Lần|kỳ|Kỳ|kì|Kì)[ \t]+(?P<n>[0-9]{1,2})[ \t]*/[ \t]*"
    r"(?P<y>(?:19|20)[0-9]{2})(?![0-9]|[ \t]*/|[.,-][0-9])"
)


def rounds_of_year(text: str) -> str:
    """"đợt 2/2025" → "đợt hai năm hai nghìn không trăm hai mươi lăm"."""
    return _ROUND_OF_YEAR.sub(
        lambda m: f"{m.group('w')} {read_cardinal(int(m.group('n')))} năm {_year(m.group('y'))}", text
    )


def _day_span(m: re.Match[str]) -> str:
    a, b, mo = int(m.group("a")), int(m.group("b")), int(m.group("m"))
    if not (_valid_day_month(a, mo) and _valid_day_month(b, mo) and a < b):
        return m.group(0)
    head = "ngày " if m.group("day") else _day_head(m)  # "từ ngày 3 đến 7-9": the dash pair is a date too
    out = (f"{m.group('from')} {head}{read_cardinal(a)} {m.group('to')}{' hết' if m.group('het') else ''} "
           f"ngày {read_cardinal(b)} tháng {month_name(mo)}")
    return f"{out} năm {_year(m.group('y'))}" if m.group("y") else out


# 1.16: "&" between two numbers joins days, "Trong 2 ngày 10&11.6" "… mười và mười một tháng sáu" (v18).
# 1.18: the leading zeros of a list of days before the date that ends it are typographic, "các ngày 05, 06 và
# 07/12/2026" "các ngày năm, sáu và bảy tháng mười hai …" (the first day is not "không năm").
_ZERO_LED_DAY_LIST = re.compile(
    r"(?<![^\W_])(?P<w>(?:ngày|mùng|mồng)[ \t]+)"
    r"(?P<list>[0-9]{1,2}(?:[ \t]*(?:,|-?[ \t]*và)[ \t]*[0-9]{1,2})+)(?=[/.-][0-9]{1,2}(?![0-9]))",
    re.IGNORECASE,
)
_LEADING_ZERO = re.compile(r"(?<![0-9])0(?=[1-9])")
_AMPERSAND_DAYS = re.compile(r"(?<=[0-9])[ \t]*&[ \t]*(?=[0-9])")
# 1.16: a stray space before the dash of a day-month after "ngày" is a typo of the date, "Ngày 14 -12" "Ngày mười bốn
# tháng mười hai" (v17), like "Ngày 14-12"; also "ngày 14- 12".
_STRAY_DASH_SPACE = re.compile(
    r"(?<![^\W_])(?P<d>(?:ngày|Ngày|NGÀY|mùng|Mùng)[ \t]+[0-9]{1,2})(?:[ \t]+-[ \t]*|-[ \t]+)"
    r"(?=[0-9]{1,2}(?![0-9]|[/.,-][0-9]))"
)
# 1.16: a list of days written with bare commas inside brackets after "ngày" ("Trong các ngày (2,4,5/8/2009)") is a
# list, not a decimal: ", hai, bốn, năm tháng tám năm …," (v17); no "ngày" is added inside the brackets.
_BRACKETED_DAY_LIST = re.compile(
    r"(?P<pre>(?<![^\W_])(?:ngày|Ngày)[ \t]*)\([ \t]*(?P<days>[0-9]{1,2}(?:[ \t]*,[ \t]*[0-9]{1,2})+)"
    r"/(?P<m>[0-9]{1,2})(?:/(?P<y>[12][0-9]{3}))?[ \t]*\)"
)


def _bracketed_day_list(m: re.Match[str]) -> str:
    days, mo = [int(d) for d in re.split(r"[ \t]*,[ \t]*", m.group("days"))], int(m.group("m"))
    if not all(_valid_day_month(d, mo) for d in days) or any(a >= b for a, b in itertools.pairwise(days)):
        return m.group(0)
    out = f"{', '.join(read_cardinal(d) for d in days)} tháng {month_name(mo)}"
    return f"{m.group('pre')}({out}{' năm ' + _year(m.group('y')) if m.group('y') else ''})"


# 1.16: a span of days alone in brackets after a name, its month and year written once at the end with dashes ("nhà cụ
# Nguyễn Thị An (23 - 25-8-1945)"), is an aside like "(1/6 - 30/6/2022)": ", hai mươi ba đến hai mươi lăm tháng tám
# năm …," with no "ngày" on either day (v17); with slashes too, "(23 - 25/8/1945)".
_BRACKETED_DAY_RANGE = re.compile(
    r"(?P<pre>[^\W\d_][ \t]*\([ \t]*)(?P<a>[0-9]{1,2})[ \t]*[-–][ \t]*(?P<b>[0-9]{1,2})(?P<sep>[-/.])(?P<m>[0-9]{1,2})"
    r"(?:(?P=sep)(?P<y>[12][0-9]{3}))?(?P<post>[ \t]*\))"
)
# 1.19: …and without its year, "Tuần lễ quốc gia không thuốc lá (25-31/5)" ", hai mươi lăm đến ba mươi mốt tháng năm,"
# (v25).


def _bracketed_day_range(m: re.Match[str]) -> str:
    a, b, mo = int(m.group("a")), int(m.group("b")), int(m.group("m"))
    if not (_valid_day_month(a, mo) and _valid_day_month(b, mo) and a < b):
        return m.group(0)
    year = f" năm {_year(m.group('y'))}" if m.group("y") else ""
    return f"{m.group('pre')}{read_cardinal(a)} đến {read_cardinal(b)} tháng {month_name(mo)}{year}{m.group('post')}"


def dates(text: str) -> str:
    """Full dates, ranges, "tháng 10/2022", "ngày 04 tháng 4"; never produces "ngày ngày"."""

    def full(m: re.Match[str]) -> str:
        d, mo, y = int(m.group("d")), int(m.group("m")), int(m.group("y"))
        typo = len(m.group("y")) == 5  # 1.21: "20219", the year's typo, is read as written (v30)
        if not _valid_day_month(d, mo) or not (typo or _YEAR_MIN <= y <= _YEAR_MAX):
            return m.group(0)
        head = "" if _from_single_date(m) else _day_head(m)
        return f"{head}{read_cardinal(d)} tháng {month_name(mo)} năm {read_cardinal(y)}"

    def short(m: re.Match[str]) -> str:
        d, mo = int(m.group("d")), int(m.group("m"))
        ctx = _SHORT_DATE_CONTEXT.search(m.string, 0, m.start())
        if _valid_day_month(d, mo) and (_DATE_HEADING.match(m.string, m.end()) or _DATELINE_COMMA.match(
                m.string, m.end())) and _LINE_START.search(
                m.string, max(0, m.start() - 12), m.start()):
            return f"{read_cardinal(d)} tháng {month_name(mo)}"  # 1.14: "24/3: Ngày Thế giới phòng chống lao"
        if _valid_day_month(d, mo) and (_NAMED_DAY_AFTER.match(m.string, m.end()) or (
                _TITLE_COLON_AFTER.match(m.string, m.end()) and _TITLE_BEFORE.search(m.string, 0, m.start()))):
            return f"{read_cardinal(d)} tháng {month_name(mo)}"
        if _valid_day_month(d, mo) and (_DAY_LIST.search(m.string, max(0, m.start() - 60), m.start())
                                        or _AFTER_DAY_DATE.search(m.string, max(0, m.start() - 60), m.start())):
            return f"{read_cardinal(d)} tháng {month_name(mo)}"  # "các ngày 8, 9, 10/5", "ngày 7/5, 8/5"
        if _valid_day_month(d, mo) and not ctx and (_named_day_lower(m.string, m.start())
                                                    or _day_name_before(m.string, m.start())):
            return f"{read_cardinal(d)} tháng {month_name(mo)}"  # 1.11: "nhân ngày pháp luật 9/11"; 1.14: "(24/3)"
        if _valid_day_month(d, mo) and not ctx and _YEAR_WORD_AFTER.match(m.string, m.end()):
            return f"{_day_head(m)}{read_cardinal(d)} tháng {month_name(mo)}"  # 1.19: "31/5 năm 2025" is no fraction
        if not _valid_day_month(d, mo) or not ctx:
            return m.group(0)
        word = ctx.group(0).strip(" \t,(").lower()
        if word in _WEEKDAY_WORDS and not _WEEKDAY.search(m.string, 0, m.start()):
            return m.group(0)  # "hai", "ba" are numbers unless a weekday ("thứ Hai (26/2)") says so
        if word == "và" and not _DATE_BEFORE.search(m.string[max(0, m.start() - 60):m.start()]):
            return m.group(0)  # "quân khu 1, 3 và 4/9 tỉnh": "và" continues a list of dates only
        if (word == "vào" and _AFTER_VAO.match(m.string, m.end())) or _AS_MANY_AS.search(m.string, 0, m.start()):
            return m.group(0)
        if word == "từ" and not _RANGE_GOES_ON.match(m.string, m.end()):
            return f"{read_cardinal(d)} tháng {month_name(mo)}"  # 1.18: "thu phí từ 1/9" (v21)
        return f"{_day_head(m)}{read_cardinal(d)} tháng {month_name(mo)}"

    def dash_date(m: re.Match[str]) -> str:
        d, mo = int(m.group("d")), int(m.group("m"))
        if _valid_day_month(d, mo) and _DASH_DAY_LIST.search(m.string, max(0, m.start() - 60), m.start()) \
                and not re.match(r"[ \t]+tuổi", m.string[m.end():]):
            return f"{read_cardinal(d)} tháng {month_name(mo)}"  # 1.19: "ngày cao điểm 27, 29, 30-8 và 1, 2-9" (v25)
        if _DASH_DATE_CONTEXT.search(m.string, 0, m.start()) or _day_name_before(m.string, m.start()):
            return short(m)
        # After "từ"/"đến" a dash pair that goes down ("từ 8-2 đến 17-2") cannot be a range.
        if int(m.group("d")) > int(m.group("m")) and _RANGE_WORD.search(m.string, 0, m.start()):
            return short(m)
        # "Ngày 22 và 23-1": "và" after a day continues it.
        if _AND_WORD.search(m.string, 0, m.start()) and _DATE_BEFORE.search(
                m.string[max(0, m.start() - 30):m.start()]):
            return short(m)
        return m.group(0)

    def month_year(m: re.Match[str]) -> str:
        mo = int(m.group("m"))
        if not 1 <= mo <= 12:
            return m.group(0)
        pre = m.group("pre") or "tháng "
        return f"{pre}{month_name(mo)} năm {_year(m.group('y'))}"

    def dot_range(m: re.Match[str]) -> str:
        if not _DOT_DATE_CONTEXT.search(m.string, 0, m.start()):
            return m.group(0)
        return _day_range(m)

    def dot_short(m: re.Match[str]) -> str:
        d, mo = int(m.group("d")), int(m.group("m"))
        if not _valid_day_month(d, mo):
            return m.group(0)
        # 1.14: the last of a list of days ("các ngày 8, 9.10") and a day's name ("Ngày Thế giới … 1.12") date it too.
        if _DAY_LIST.search(m.string, max(0, m.start() - 60), m.start()) or _day_name_before(m.string, m.start()):
            return f"{read_cardinal(d)} tháng {month_name(mo)}"
        if not _DOT_DATE_CONTEXT.search(m.string, 0, m.start()):
            return m.group(0)
        head = "" if _dotted_from(m) else _day_head(m)
        return f"{head}{read_cardinal(d)} tháng {month_name(mo)}"

    def month_year_range(m: re.Match[str]) -> str:
        (ma, ya), (mb, yb) = (map(int, m.group(k).split("/")) for k in ("a", "b"))
        if not (1 <= ma <= 12 and 1 <= mb <= 12) or (ya, ma) >= (yb, mb):
            return m.group(0)
        return f"{m.group('a')} đến {m.group('pre') or 'tháng'} {m.group('b')}"

    def date_range_dash(m: re.Match[str]) -> str:
        # 1.11: "1/6 - 2/6", "1/6 - 30/6/2022": two day-months joined by a dash are both dates, even with no calendar
        # word before (a fraction is never a range's end); the head said (or not) before the first covers the second,
        # which no "đến" written by the dash asks for.
        second = _SPAN_SECOND_DATE.match(m.string, m.end())
        first = _SHORT_DATE.fullmatch(m.group("a"))
        if second is None:
            return f"{m.group('a')} đến "
        d2, m2 = int(second.group("d")), int(second.group("m"))
        if first is not None:
            d1, m1 = int(first.group("d")), int(first.group("m"))
            if not (_valid_day_month(d1, m1) and _valid_day_month(d2, m2)) or (m1, d1) >= (m2, d2):
                return f"{m.group('a')} đến "
        at = _SHORT_DATE.match(m.string, m.start()) or _FULL_DATE.match(m.string, m.start())
        if at is None or at.end() != m.start() + len(m.group("a")):
            return f"{m.group('a')} đến "
        head = _day_head(at)
        a = full(at) if at.re is _FULL_DATE else f"{head}{read_cardinal(d1)} tháng {month_name(m1)}"
        if not a or a[0].isdigit():
            return f"{m.group('a')} đến "
        # 1.14: a "ngày" the writer put before the first date ("từ ngày 10/11- 10/12") heads a span of days: the second
        # date gets its own, as after any "đến" (v13). A span read without one (a name's, a bracket's) stays without.
        written = _DAY_CONTEXT.search(m.string, max(0, m.start() - 12), m.start())
        return f"{a} {'' if head or written else _NO_HEAD}đến "

    text = _SCHOOL_DATE_NAME.sub(_school_date_name, text)
    text = _ZERO_LED_DAY_LIST.sub(
        lambda m: f"{m.group('w')}{_LEADING_ZERO.sub('', m.group('list'))}", _AMPERSAND_DAYS.sub(" và ", text)
    )
    text = _STRAY_DASH_SPACE.sub(lambda m: f"{m.group('d')}-", text)
    text = _BRACKETED_DAY_LIST.sub(_bracketed_day_list, text)
    text = _BRACKETED_DAY_RANGE.sub(_bracketed_day_range, text)
    text = _NAMED_DAY_DASH.sub(lambda m: f"{m.group('day')}, ", text)
    text = _DASH_DATE_SPAN.sub(_dash_date_span, text)
    text = _DAY_SPAN.sub(_day_span, text)
    text = _MONTH_YEAR_RANGE.sub(month_year_range, text)
    text = _DATE_RANGE_DASH.sub(date_range_dash, text)
    text = _MONTH_RANGE.sub(_month_range, text)
    text = _DAY_RANGE.sub(_day_range, text)
    text = _DOT_DAY_RANGE.sub(dot_range, text)
    text = _FULL_DATE.sub(full, text)
    text = _MONTH_YEAR.sub(month_year, text)
    text = _MONTH_DOT_YEAR.sub(month_year, text)
    text = _SHORT_DATE.sub(short, text)
    text = _DOT_SHORT_DATE.sub(dot_short, text)
    text = _DASH_DATE.sub(dash_date, text)
    text = _RANGE_DAY_BEFORE_MONTH.sub(
        lambda m: f"{m.group('w')} ngày {m.group('d')}" if 1 <= int(m.group("d")) <= 31
        and not _names_a_street(m.string, m.group("d"), m.group("m")) else m.group(0), text
    )
    # "ngày 04" is "ngày bốn", not "ngày không bốn": leading zeros are typographic here.
    text = _DAY_WORD.sub(lambda m: f"{m.group('w')} {read_cardinal(int(m.group('n')))}", text)
    text = text.replace(_NO_HEAD, "")
    return _MONTH_WORD.sub(
        lambda m: f"{m.group('w')} {month_name(int(m.group('n')))}" if 1 <= int(m.group("n")) <= 12
        else m.group(0),
        text,
    )


_TIME_H = re.compile(r"(?<![0-9.,])(?P<h>[0-9]{1,2})(?P<sp>[ \t]?)(?P<u>[hg])(?P<m>[0-9]{2})?(?!\w)")
_TIME_COLON = re.compile(r"(?<![0-9.,:])(?P<h>[0-9]{1,2}):(?P<m>[0-9]{2})(?![0-9:])")
_ZERO_MINUTES = re.compile(r"(?<![0-9.,])(?P<h>[0-9]{1,2})[ \t]*giờ[ \t]*00(?:[ \t]*phút)?(?![0-9])")
_TIME_DASH_HOURS = re.compile(rf"(?<![0-9.,])(?P<a>{_TIME}(?:[ \t]+phút)?)[ \t]*[-–][ \t]*(?=[0-9]{{1,2}}[ \t]*giờ)")
# "từ 7h đến 12", "8h - 11": the end of a range that starts with a time is a time too, even bare.
_TIME_TO_BARE_HOUR = re.compile(
    rf"(?<![0-9.,])(?P<a>{_TIME})(?P<mid>[ \t]+(?:đến|tới)[ \t]+|[ \t]*[-–][ \t]*)(?P<b>[0-9]{{1,2}})"
    r"(?![0-9]|[.,:/-][0-9]|[ \t]*(?:[hg](?![^\W\d_])|giờ|phút))"
)


# "11-14h", "18-23h": a range of whole hours with the unit written once, at the end.
_BARE_HOUR_RANGE = re.compile(
    r"(?<![0-9.,/:])(?P<a>[0-9]{1,2})[ \t]*[-–][ \t]*(?=(?P<b>[0-9]{1,2})[ \t]?[hg](?:[0-9]{2})?(?![^\W\d_]))"
)
# 1.12: "13 giờ 30 - 17 giờ", "7 giờ - 11h30": a time written with the word "giờ" (and its minutes) before a dash and
# another time is the start of a range too, "đến" (the digits of "7 - 11 giờ" are a range of numbers already).
_WORD_TIME_DASH = re.compile(
    r"(?<![0-9.,])(?P<a>[0-9]{1,2}[ \t]*giờ(?:[ \t]*[0-9]{1,2}(?![0-9])(?:[ \t]*phút)?)?)[ \t]*[-–][ \t]*"
    r"(?=[0-9]{1,2}(?:[ \t]*giờ|[hg](?:[0-9]{2})?(?!\w)))"
)


# "24/24h": around the clock, "hai mươi bốn trên hai mươi bốn giờ" (a share of the day's hours).
_HOURS_OF_DAY = re.compile(r"(?<![0-9.,/:])(?P<a>[0-9]{1,2})[ \t]*/[ \t]*24[ \t]?[hg](?![^\W\d_])")


def times(text: str) -> str:
    """"17h30" → "mười bảy giờ ba mươi phút", "6h00" → "sáu giờ", "7h00 - 11h30" → "… đến …"."""

    def repl(m: re.Match[str]) -> str:
        h = int(m.group("h"))
        minutes = int(m.group("m") or 0)
        if h > 24 or minutes > 59:
            return m.group(0)
        if m.re is _TIME_H and m.group("u") == "g" and not m.group("m") and (
                m.group("sp") or m.string.startswith("/", m.end())):
            return m.group(0)  # 1.12: "5 g muối", "5g/100 kg": grams; the hour "7g" is glued and no rate
        out = f"{read_cardinal(h)} giờ"
        if not minutes:
            return out
        # 1.15: after "h"/"g" the minutes are said bare, "10h20" "mười giờ hai mươi" (v11, v14; a written "phút" or
        # minute mark says the word); a clock's "17:30" keeps its "phút", as every set that has one reads it.
        return f"{out} {read_cardinal(minutes)}" + (" phút" if m.re is _TIME_COLON else "")

    text = _HOURS_OF_DAY.sub(lambda m: f"{m.group('a')} trên hai mươi bốn giờ"
                             if int(m.group("a")) <= 24 else m.group(0), text)
    text = _BARE_HOUR_RANGE.sub(lambda m: f"{m.group('a')} đến " if int(m.group("a")) <= 24
                                and int(m.group("b")) <= 24 else m.group(0), text)
    # "14 giờ 00", "08 giờ 00 phút": zero minutes are not read.
    text = _ZERO_MINUTES.sub(lambda m: f"{int(m.group('h'))} giờ", text)
    text = _TIME_TO_BARE_HOUR.sub(
        lambda m: f"{m.group('a')}{m.group('mid')}{m.group('b')}h" if int(m.group("b")) <= 24 else m.group(0), text
    )
    text = _TIME_RANGE_DASH.sub(lambda m: f"{m.group('a')} đến ", text)
    text = _TIME_DASH_HOURS.sub(lambda m: f"{m.group('a')} đến ", text)  # "8h - 11 giờ"
    text = _WORD_TIME_DASH.sub(lambda m: f"{m.group('a')} đến ", text)
    return _TIME_COLON.sub(repl, _TIME_H.sub(repl, text))

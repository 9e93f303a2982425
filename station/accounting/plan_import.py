"""Assisted plan import: read a plan's text (typed, pasted or OCR without diacritics) and suggest its header
and the targets it states, for a person to confirm. Nothing is saved here; it only reads.

Matching runs on a folded copy of the text (lower case, no diacritics, đ → d) of the same length, so OCR text
such as "Ke hoach so 106/KH-UBND" is read like the original and quotes come from the original text.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from radio.db.planning import Metric, PeriodKind

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
PROGRAMMES = (
    ("muc tieu quoc gia giam ngheo", "Chương trình MTQG giảm nghèo bền vững"),
    ("mtqg giam ngheo", "Chương trình MTQG giảm nghèo bền vững"),
    ("nong thon moi", "Chương trình MTQG xây dựng nông thôn mới"),
    ("dong bao dan toc thieu so", "Chương trình MTQG phát triển KT-XH vùng đồng bào DTTS và miền núi"),
)
UNITS = {  # folded unit → (metric, factor)
    "bai viet": (Metric.ARTICLES, 1), "tin bai": (Metric.ARTICLES, 1), "bai": (Metric.ARTICLES, 1),
    "tin": (Metric.ARTICLES, 1), "phong su": (Metric.ARTICLES, 1), "chuyen muc": (Metric.ARTICLES, 1),
    "luot phat": (Metric.BULLETINS, 1), "ban tin": (Metric.BULLETINS, 1), "buoi phat": (Metric.BULLETINS, 1),
    "phut": (Metric.AIRTIME_MINUTES, 1), "gio": (Metric.AIRTIME_MINUTES, 60),
}
_NUMBER = r"(\d{1,3}(?:\.\d{3})+|\d+)"
_TARGET = re.compile(_NUMBER + r"\s+(" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")\b")
_COVERAGE = re.compile(r"(\d{1,3})\s*%\s*(?:so\s+)?(cum loa|thon|loa|he thong|dai)")
_QUARTER = re.compile(r"quy\s+(iv|iii|ii|i|[1-4])\b(?:\s*(?:/|nam)\s*(\d{4}))?")
_HALF = re.compile(r"6 thang (dau|cuoi) nam\s*(\d{4})")
_MONTH = re.compile(r"thang\s+(\d{1,2})\s*(?:/|nam)\s*(\d{4})")
_YEAR = re.compile(r"nam\s+(\d{4})\b")
_RANGE = re.compile(r"giai doan\s+(\d{4})\s*[-–]\s*(\d{4})")
_DOC_NO = re.compile(r"\bs[o6]\s*:\s*(\d+\s*/\s*[a-z]+(?:\s*-\s*[a-z&]+)*)")
_ISSUED = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_ISSUER = re.compile(r"(?:^|[;.\n])\s*([^;.\n]{3,90}?)\s+(?:xay dung|ban hanh)\s+ke hoach")


def fold(text: str) -> str:
    """Lower case without diacritics, one character for one character (so offsets match the original)."""
    out = []
    for ch in text:
        if ch in "đĐ":
            out.append("d")
            continue
        base = unicodedata.normalize("NFD", ch)[0]
        out.append(base.lower() if len(base.lower()) == 1 else ch)
    return "".join(out)


@dataclass
class TargetSuggestion:
    metric: str
    value: float
    period_kind: str
    period_start: date | None
    recurring: bool
    each_commune: bool
    quote: str  # the sentence it was read from (original text)


@dataclass
class PlanSuggestion:
    number: str = ""
    title: str = ""
    issuer: str = ""
    area_hint: str = ""
    programme: str = ""
    project: str = ""
    sub_project: str = ""
    period_start: date | None = None
    period_end: date | None = None
    issued_on: date | None = None
    targets: list[TargetSuggestion] = field(default_factory=list)


def _sentence(folded: str, pos: int) -> tuple[int, int]:
    start = max(folded.rfind(c, 0, pos) for c in ".;\n") + 1
    ends = [i for i in (folded.find(c, pos) for c in ".;\n") if i != -1]
    return start, min(ends) if ends else len(folded)


def _number(text: str) -> float:
    return float(text.replace(".", ""))


def period_of(phrase: str) -> tuple[str, date | None, bool] | None:
    """(period kind, first day, recurring) named in a folded phrase, or None."""
    if re.search(r"(moi|hang) thang", phrase):
        return PeriodKind.MONTH, None, True
    if re.search(r"(moi|hang) quy", phrase):
        return PeriodKind.QUARTER, None, True
    if m := _QUARTER.search(phrase):
        q = ROMAN[m.group(1)]
        year = int(m.group(2)) if m.group(2) else None
        if year is None and (y := _YEAR.search(phrase)):
            year = int(y.group(1))
        return PeriodKind.QUARTER, date(year, 3 * q - 2, 1) if year else None, False
    if m := _HALF.search(phrase):
        return PeriodKind.HALF, date(int(m.group(2)), 1 if m.group(1) == "dau" else 7, 1), False
    if m := _MONTH.search(phrase):
        month = int(m.group(1))
        if 1 <= month <= 12:
            return PeriodKind.MONTH, date(int(m.group(2)), month, 1), False
    if re.search(r"(moi|hang) nam", phrase):
        return PeriodKind.YEAR, None, True
    if m := _YEAR.search(phrase):
        return PeriodKind.YEAR, date(int(m.group(1)), 1, 1), False
    return None


def _targets(text: str, folded: str) -> list[TargetSuggestion]:
    found: list[TargetSuggestion] = []
    seen: set[tuple] = set()
    matches = [(m.start(), m, False) for m in _TARGET.finditer(folded)]
    matches += [(m.start(), m, True) for m in _COVERAGE.finditer(folded)]
    for pos, m, coverage in sorted(matches, key=lambda t: t[0]):
        s, e = _sentence(folded, pos)
        phrase = folded[s:e]
        before = folded[max(0, pos - 12):pos]
        if re.search(r"(so|ngay|thang|nam|quy)\s*$", before):
            continue  # "Kế hoạch số 20", "ngày 20 tháng": a number that is not a quantity
        if coverage:
            metric, value = Metric.COVERAGE, float(m.group(1))
        else:
            metric, factor = UNITS[m.group(2)]
            value = _number(m.group(1)) * factor
            if re.match(r"\s*(to roi|cuon|pano|ap phich)", folded[m.end():m.end() + 12]):
                continue
        period = period_of(phrase) or (PeriodKind.PLAN, None, False)
        each = bool(re.search(r"(moi|cac|mot) xa|(moi|mot) (don vi|dai)", phrase))
        key = (metric, value, period)
        if key in seen:
            continue
        seen.add(key)
        found.append(TargetSuggestion(metric, value, period[0], period[1], period[2], each,
                                      " ".join(text[s:e].split())[:300]))
    return found


def suggest(text: str) -> PlanSuggestion:
    """Everything the text seems to state about the plan; each field may be empty."""
    folded = fold(text)
    out = PlanSuggestion()
    head = folded[:1500]
    if (m := _DOC_NO.search(head)) and m.group(1):
        out.number = re.sub(r"\s+", "", text[m.start(1):m.end(1)])
    if m := _ISSUED.search(head):
        with contextlib.suppress(ValueError):  # "ngày 31 tháng 2": no date rather than a wrong one
            out.issued_on = date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    if m := re.search(r"ke hoach\s*\n+(.+?)(?:\n\s*\n|\n\s*(?:can cu|thuc hien|i\.))", folded, re.S):
        out.title = " ".join(text[m.start(1):m.end(1)].split())[:500]
    if m := _ISSUER.search(folded):
        out.issuer = " ".join(text[m.start(1):m.end(1)].split())
        out.area_hint = _area_hint(out.issuer)
    for needle, name in PROGRAMMES:
        if needle in folded:
            out.programme = name
            break
    if m := re.search(r"(?<!tieu )du an\s+(\d+)", folded):
        out.project = f"Dự án {m.group(1)}"
    if m := re.search(r"tieu du an\s+(\d+)", folded):
        out.sub_project = f"Tiểu dự án {m.group(1)}"
    elif m := re.search(r"tieu du an\s+[\"“]([^\"”]{3,80})[\"”]", folded):
        out.sub_project = f"Tiểu dự án “{text[m.start(1):m.end(1)]}”"
    out.period_start, out.period_end = _plan_period(folded)
    out.targets = _targets(text, folded)
    return out


def _area_hint(issuer: str) -> str:
    folded = fold(issuer)
    for word in ("xa", "phuong", "thi tran", "tinh", "huyen", "thanh pho"):
        if m := re.search(rf"\b{word}\s+(.+)$", folded):
            return issuer[m.start():].strip()
    return ""


def _plan_period(folded: str) -> tuple[date | None, date | None]:
    anchor = folded.find("thoi gian thuc hien")
    windows = [folded[anchor:anchor + 200]] if anchor != -1 else []
    windows.append(folded[:800])
    for window in windows:
        if m := _RANGE.search(window):
            return date(int(m.group(1)), 1, 1), date(int(m.group(2)), 12, 31)
        if m := _YEAR.search(window):
            year = int(m.group(1))
            return date(year, 1, 1), date(year, 12, 31)
    return None, None

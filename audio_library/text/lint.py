"""Fitness-to-broadcast linter for Vietnamese text.

OCR output that lost its diacritics ("Chwong trinh muc tiéu qudc gia") is garbage when spoken,
so the linter measures the share of words that are not well-formed Vietnamese syllables. A text
whose diacritics were stripped cleanly ("ke hoach") is mostly made of *valid* ASCII syllables, so
when most multi-letter words carry no diacritic at all, those are counted as suspect too.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from .sentences import split_sentences
from .syllable import has_vietnamese_mark, is_valid_syllable
from .wordclass import blank_known, in_caps_phrase, is_acronym_like, looks_foreign, unknown_acronyms

# Thresholds measured on the sample plans: clean documents have < 1 % invalid syllables and
# ~10 % of lower-case words without any diacritic; the OCR sample has ~39 % invalid syllables and
# ~77 % bare words. Both limits sit far from either side so a few typos or foreign words pass.
MAX_INVALID_RATIO = 0.08
STRIPPED_ASCII_RATIO = 0.5
LONG_SENTENCE_WORDS = 60
_MIN_WORDS_FOR_RATIO = 20
_ALLOWED_MIXED = frozenset({"m2", "m3", "km2", "km", "kg", "ha"})


@dataclass(frozen=True)
class LintWarning:
    """One problem: `code` and `params` let a caller say it in another language (the web does, by code);
    `message` is the Vietnamese sentence for callers that do not (the CLI)."""

    code: str
    message: str
    excerpt: str = ""
    params: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class LintReport:
    warnings: tuple[LintWarning, ...]
    invalid_syllable_ratio: float
    fit: bool
    syllable_count: int = 0
    foreign_word_count: int = 0  # loanwords and foreign-looking words, not counted as syllables

    def codes(self) -> set[str]:
        return {w.code for w in self.warnings}


def _excerpt(text: str, start: int, end: int, width: int = 30) -> str:
    left = text[max(0, start - width):start]
    right = text[end:end + width]
    return re.sub(r"\s+", " ", f"{left}{text[start:end]}{right}").strip()


def lint(text: str, extra_acronyms: Mapping[str, str] | None = None,
         extra_loanwords: Mapping[str, str] | None = None) -> LintReport:
    """Check whether ``text`` can be broadcast after normalization.

    Foreign words (known loanwords such as "Zalo", and words that look foreign, such as an English
    title word) are counted apart from Vietnamese syllables: they never make a text unfit on their
    own, while OCR damage (impossible syllables with tone marks, digits inside words, stripped
    diacritics) still does.
    """
    text = unicodedata.normalize("NFC", text)
    warnings: list[LintWarning] = []
    # Known acronyms (incl. "LĐ-TB&XH", "B/c") and loanwords are fine: blank them out first.
    scrubbed, known_foreign = blank_known(text, extra_acronyms, extra_loanwords)

    total = invalid = 0
    bare_valid = multi_letter = bare = 0
    bad_examples: list[str] = []
    foreign: dict[str, tuple[int, int]] = {}
    for m in re.finditer(r"[^\W_]+", scrubbed):
        word = m.group(0)
        if word.isdigit() or word in _ALLOWED_MIXED:
            continue
        if is_acronym_like(word) and not in_caps_phrase(scrubbed, m.start(), m.end()):
            continue  # listed by unknown_acronyms below; spelled out, so not damage
        if len(word) == 1:
            continue  # list letters, initials and lone Roman numerals say nothing about spelling
        if looks_foreign(word):
            foreign.setdefault(word, (m.start(), m.end()))
            known_foreign += 1
            continue
        total += 1
        multi_letter += 1
        is_bare = not has_vietnamese_mark(word)
        bare += is_bare
        if is_valid_syllable(word):
            bare_valid += is_bare
        else:
            invalid += 1
            if len(bad_examples) < 8 and word not in bad_examples:
                bad_examples.append(word)

    if total == 0:
        warnings.append(LintWarning("empty", "Văn bản không có nội dung tiếng Việt để đọc."))
        return LintReport(tuple(warnings), 0.0, False, 0, known_foreign)

    bare_ratio = bare / multi_letter
    stripped = multi_letter >= _MIN_WORDS_FOR_RATIO and bare_ratio > STRIPPED_ASCII_RATIO
    suspect = invalid + (bare_valid if stripped else 0)
    ratio = suspect / total
    if stripped:
        warnings.append(LintWarning(
            "missing_diacritics",
            f"Văn bản có vẻ đã mất dấu tiếng Việt: {bare_ratio:.0%} số từ không có dấu. "
            "Cần gõ lại hoặc bổ sung dấu trước khi phát.",
            re.sub(r"\s+", " ", text[:80]).strip(),
            (("share", f"{bare_ratio:.0%}"),),
        ))
    if invalid / total > MAX_INVALID_RATIO:
        warnings.append(LintWarning(
            "invalid_syllables",
            f"Có {invalid}/{total} từ ({invalid / total:.0%}) không phải âm tiết tiếng Việt hợp lệ; "
            "văn bản có thể bị lỗi nhận dạng chữ (OCR).",
            ", ".join(bad_examples),
            (("invalid", str(invalid)), ("total", str(total)), ("share", f"{invalid / total:.0%}")),
        ))
    for item in unknown_acronyms(text, extra_acronyms, extra_loanwords):
        warnings.append(LintWarning(
            "unknown_acronym",
            f"Từ viết tắt chưa có trong từ điển: {item.acronym} (sẽ được đánh vần: {item.spelled}).",
            item.excerpt,
            (("acronym", item.acronym), ("spelled", item.spelled)),
        ))
    for word, (start, end) in foreign.items():
        warnings.append(LintWarning(
            "foreign_word",
            f"Từ nước ngoài chưa có cách đọc: {word}. Có thể thêm vào từ điển (loại từ mượn) "
            "để giọng đọc phát âm đúng.",
            _excerpt(text, start, end),
            (("word", word),),
        ))
    for sentence in split_sentences(text):
        n_words = len(sentence.split())
        if n_words > LONG_SENTENCE_WORDS:
            warnings.append(LintWarning(
                "long_sentence",
                f"Câu quá dài ({n_words} từ), nên tách thành các câu ngắn để đọc rõ ràng.",
                sentence[:100] + ("…" if len(sentence) > 100 else ""),
                (("words", str(n_words)), ("limit", str(LONG_SENTENCE_WORDS))),
            ))
    fit = not stripped and ratio <= MAX_INVALID_RATIO
    return LintReport(tuple(warnings), round(ratio, 4), fit, total, known_foreign)

"""Word classes the linter and the editor need: unknown acronyms and foreign (Latin-script) words.

The editor shows unknown acronyms in an "add to lexicon" list where the broadcaster chooses to
expand (type the reading) or to spell; it calls :func:`unknown_acronyms`. The linter must tell a
foreign word ("Zalo", "banking", "livestream") from OCR damage ("Kién", "vimg", "x4"): foreign
words are counted apart and never make a text unfit on their own.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from .lexicon import doc_types, get_lexicon, spell_letters
from .loanwords import get_loanwords
from .numerals import roman_to_int
from .syllable import is_valid_syllable

_WORD = re.compile(r"[^\W_]+")
# Letters Vietnamese spelling never uses, and onset clusters / codas it cannot have. A damaged
# Vietnamese word ("dudng", "vimg", "cip") has none of them; English and brand names usually do.
_FOREIGN_LETTERS = frozenset("fjwz")
_FOREIGN_ONSET = re.compile(r"^(?:bl|br|cl|cr|dr|fl|fr|gl|gr|pl|pr|sc|sk|sl|sm|sn|sp|st|sw|tw|wr|sh|th[rw])")
# Codas only: "r" and "d" are left out because OCR turns "ừ" into "ir" ("tir") and "ổ" into "d".
_FOREIGN_CODA = re.compile(r"(?:ck|ks|ts|ll|ss|rd|rk|rt|st|nd|ld|lt|mp|nk|ft|ght|[blvx])$")
_CAMEL = re.compile(r"[a-z][A-Z][a-z]|^[A-Z]{2,}[a-z]")


@dataclass(frozen=True)
class UnknownAcronym:
    """An all-caps token the lexicon does not know, as the editor lists it."""

    acronym: str
    spelled: str  # how it will be read if left alone ("ca gờ")
    count: int
    excerpt: str


def _excerpt(text: str, start: int, end: int, width: int = 30) -> str:
    return re.sub(r"\s+", " ", text[max(0, start - width):end + width]).strip()


def in_caps_phrase(text: str, start: int, end: int) -> bool:
    """True inside an all-caps heading ("KE HOACH"): the word is damaged text, not an acronym."""
    before = _WORD.findall(text[max(0, start - 25):start])[-1:]
    after = _WORD.findall(text[end:end + 25])[:1]
    return any(len(w) >= 2 and w.isupper() and is_valid_syllable(w) for w in before + after)


def is_acronym_like(word: str) -> bool:
    return len(word) >= 2 and word.isupper() and not any(ch.isdigit() for ch in word) and \
        not is_valid_syllable(word)


def looks_foreign(word: str) -> bool:
    """A Latin-script word that is not Vietnamese and not damaged Vietnamese.

    Damage leaves traces of Vietnamese: tone marks on impossible syllables ("Kién"), digits for
    letters ("x4"), lost letters ("vimg"). A foreign word is plain ASCII and has a letter, onset
    cluster or coda that Vietnamese spelling never produces, or a capital inside ("TikTok").
    """
    if len(word) < 3 or not word.isascii() or not word.isalpha() or is_valid_syllable(word):
        return False
    lower = word.lower()
    # OCR reads "ư" as "w" ("Chwong" is "Chương"): that is damage, not English.
    if "w" in lower and is_valid_syllable(lower.replace("wo", "ươ").replace("w", "ư")):
        return False
    if _FOREIGN_LETTERS & set(lower) or _CAMEL.search(word):
        return True
    return bool(_FOREIGN_ONSET.match(lower) or _FOREIGN_CODA.search(lower))


def blank_known(text: str, extra_acronyms: Mapping[str, str] | None = None,
                extra_loanwords: Mapping[str, str] | None = None) -> tuple[str, int]:
    """``text`` with lexicon acronyms and known loanwords blanked out (same length), and how many
    loanwords were blanked."""
    text = unicodedata.normalize("NFC", text)
    text = get_lexicon(extra_acronyms).pattern.sub(lambda m: " " * len(m.group(0)), text)
    loanwords = get_loanwords(extra_loanwords)
    count = 0

    def blank(m: re.Match[str]) -> str:
        nonlocal count
        if m.group(0) not in loanwords:
            return m.group(0)
        count += 1
        return " " * len(m.group(0))

    return loanwords.pattern.sub(blank, text), count


def unknown_acronyms(text: str, extra_acronyms: Mapping[str, str] | None = None,
                     extra_loanwords: Mapping[str, str] | None = None) -> list[UnknownAcronym]:
    """Acronyms in ``text`` that neither the shipped lexicon nor the commune's entries know.

    In order of first appearance. Roman numerals, document-type codes, all-caps heading words and
    known loanwords ("OTP", "QR") are not listed.
    """
    original = unicodedata.normalize("NFC", text)
    scrubbed, _ = blank_known(original, extra_acronyms, extra_loanwords)
    found: dict[str, list[int]] = {}
    for m in _WORD.finditer(scrubbed):
        word = m.group(0)
        if not is_acronym_like(word) or in_caps_phrase(scrubbed, m.start(), m.end()):
            continue
        if roman_to_int(word) is not None or word in doc_types():
            continue
        found.setdefault(word, []).append(m.start())
    return [
        UnknownAcronym(word, spell_letters(word), len(starts),
                       _excerpt(original, starts[0], starts[0] + len(word)))
        for word, starts in found.items()
    ]

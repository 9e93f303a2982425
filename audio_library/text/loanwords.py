"""Loanwords and brand names (Zalo, Facebook, online, VNeID…) read the Vietnamese way.

Left alone they reach espeak-ng as Latin letters, which it spells or reads with an English voice,
and the linter would count them as broken syllables. The shipped table is ``data/loanwords.tsv``;
a commune adds its own (a local brand, a cooperative's product) as user entries of kind
"loanword", passed in as a mapping word → reading, which override the shipped table.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

_WORD_CHAR = r"[^\W_]"


@dataclass(frozen=True)
class Loanword:
    word: str
    reading: str
    any_case: bool


def _read_table() -> list[Loanword]:
    text = resources.files(__package__).joinpath("data", "loanwords.tsv").read_text(encoding="utf-8")
    rows: list[Loanword] = []
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if not lines or lines[0].split("\t") != ["word", "reading", "match"]:
        raise ValueError("loanwords.tsv: expected the header 'word<TAB>reading<TAB>match'")
    for lineno, line in enumerate(lines[1:], start=2):
        parts = line.split("\t")
        if len(parts) != 3 or not parts[0] or not parts[1] or parts[2] not in ("i", "c"):
            raise ValueError(f"loanwords.tsv: bad row {lineno}: {line!r}")
        rows.append(Loanword(parts[0], parts[1], parts[2] == "i"))
    return rows


@lru_cache(maxsize=1)
def base_loanwords() -> tuple[Loanword, ...]:
    return tuple(_read_table())


class LoanwordTable:
    """One regex for all entries; exact-case entries are checked in the replacement callback."""

    def __init__(self, entries: list[Loanword], user: Mapping[str, str] | None = None) -> None:
        self.exact: dict[str, str] = {}
        self.folded: dict[str, str] = {}
        for e in entries:
            if e.any_case:
                self.folded[e.word.casefold()] = e.reading
            else:
                self.exact[e.word] = e.reading
        # A commune's own reading wins over the shipped one, whatever the letter case.
        self.user = {w.casefold(): r for w, r in (user or {}).items()}
        words = [*self.exact, *(e.word for e in entries if e.any_case), *(user or {})]
        keys = sorted(set(words), key=len, reverse=True)
        alternatives = "|".join(re.escape(k) for k in keys) or r"(?!x)x"
        # Not glued to a letter or digit on either side ("apps" is its own entry, "webinar" is not "web").
        self.pattern = re.compile(rf"(?<!{_WORD_CHAR})(?:{alternatives})(?!{_WORD_CHAR})", re.IGNORECASE)

    def reading(self, word: str) -> str | None:
        return self.user.get(word.casefold()) or self.exact.get(word) or self.folded.get(word.casefold())

    def __contains__(self, word: object) -> bool:
        return isinstance(word, str) and self.reading(word) is not None

    def replace(self, text: str) -> str:
        def repl(m: re.Match[str]) -> str:
            word = m.group(0)
            reading = self.reading(word)
            if reading is None:
                return word
            # A capitalised name keeps its capital ("Zalo" → "Da lô"); an all-caps code
            # ("QR", "OTP") is read like any common word.
            line_start = m.string.rfind("\n", 0, m.start()) + 1
            opens_line = not m.string[line_start:m.start()].strip(" \t-+")
            # At the start of a line the reading starts a sentence ("EVNCPC thông báo" → "E vê en …").
            common = word.casefold() in _COMMON_NOUNS and not opens_line
            if not common and ((word[:1].isupper() and not (len(word) > 1 and word.isupper()))
                               or (opens_line and word[:1].isupper())):
                return reading[:1].upper() + reading[1:]
            return reading

        return self.pattern.sub(repl, text)


# 1.21: a loanword that names a thing, not a brand, is a common noun whatever capital the page gives it: "kết nối
# Internet" "kết nối in tơ nét" (v31; its header lets v23 and the product's rule win over older capitals).
_COMMON_NOUNS = frozenset({"internet"})


_CACHE: dict[frozenset[tuple[str, str]], LoanwordTable] = {}


def get_loanwords(extra: Mapping[str, str] | None = None) -> LoanwordTable:
    """The shipped table plus user entries (word → reading, any letter case), cached per extra set."""
    key = frozenset((extra or {}).items())
    table = _CACHE.get(key)
    if table is None:
        user = {w.strip(): str(r).strip() for w, r in (extra or {}).items()
                if w and w.strip() and r is not None and str(r).strip()}
        table = LoanwordTable(list(base_loanwords()), user)
        if len(_CACHE) > 32:  # bounded: callers pass the same few commune tables
            _CACHE.clear()
        _CACHE[key] = table
    return table

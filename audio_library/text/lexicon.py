"""Acronym lexicon (kept as data in ``data/*.tsv``) and Vietnamese letter-by-letter spelling."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

# Vietnamese letter names as taught in school and used on air; written without hyphens so that
# a TTS engine reads them as plain syllables ("e lờ", not "e-lờ").
# 1.17: "s" inside a spelled acronym is "ét" ("BTS" "bê tê ét", v19; "SPC" v6, "VMS" v9): no set reads "ét xì".
LETTER_NAMES: Mapping[str, str] = {
    "a": "a", "ă": "á", "â": "ớ", "b": "bê", "c": "xê", "d": "dê", "đ": "đê", "e": "e", "ê": "ê",
    "f": "ép", "g": "gờ", "h": "hát", "i": "i", "j": "gi", "k": "ca", "l": "e lờ", "m": "em mờ",
    "n": "en nờ", "o": "o", "ô": "ô", "ơ": "ơ", "p": "pê", "q": "quy", "r": "e rờ", "s": "ét",
    "t": "tê", "u": "u", "ư": "ư", "v": "vê", "w": "vê kép", "x": "ích xì", "y": "i dài", "z": "dét",
}

# Letters and digits; Python's \w is Unicode-aware, so Đ/đ and accented vowels count as letters.
_WORD_CHAR = r"[^\W_]"

def spell_letters(token: str) -> str:
    """Spell a token letter by letter: "KG" → "ca gờ". Unknown symbols are dropped."""
    names = []
    for ch in token:
        name = LETTER_NAMES.get(ch.lower())
        if name is None and ch.isalpha():
            # Accented capitals (e.g. "Ế" in OCR noise): fall back to the base letter name.

            base = unicodedata.normalize("NFD", ch.lower())[:1]
            name = LETTER_NAMES.get(base, base)
        if name:
            names.append(name)
    return " ".join(names)

_HEADERS = (["acronym", "expansion"], ["code", "reading"])
# The shipped acronym lexicon, by topic; a key may appear in one file only.
ACRONYM_FILES = ("acronyms.tsv", "acronyms_agencies.tsv", "acronyms_organisations.tsv",
                 "acronyms_programmes.tsv", "acronyms_documents.tsv", "acronyms_public.tsv",
                 "acronyms_public_2.tsv")


def _read_tsv(name: str) -> dict[str, str]:
    """Read a two-column TSV with a header line; "#" lines are comments."""
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    table: dict[str, str] = {}
    header_seen = False
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip("\r")
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if not header_seen:
            if parts not in _HEADERS:
                raise ValueError(f"{name}:{lineno}: expected a header line, got {line!r}")
            header_seen = True
            continue
        if len(parts) != 2 or not parts[0] or not parts[1].strip():
            raise ValueError(f"{name}:{lineno}: expected 'acronym<TAB>expansion', got {line!r}")
        if parts[0] in table and table[parts[0]] != parts[1].strip():
            raise ValueError(f"{name}:{lineno}: {parts[0]!r} defined twice with different readings")
        table[parts[0]] = parts[1].strip()
    return table


@lru_cache(maxsize=1)
def base_acronyms() -> Mapping[str, str]:
    """The shipped acronym lexicon (read once); a key defined differently in two files is an error."""
    table: dict[str, str] = {}
    for name in ACRONYM_FILES:
        for key, expansion in _read_tsv(name).items():
            if key in table and table[key] != expansion:
                raise ValueError(f"{name}: {key!r} already means {table[key]!r}")
            table[key] = expansion
    return table


class ContextRule(NamedTuple):
    """A reading of an ambiguous short acronym that holds in a context (see ``data/acronyms_context.tsv``)."""

    key: str
    before: re.Pattern[str] | None
    after: re.Pattern[str] | None
    sentence: re.Pattern[str] | None
    unless: re.Pattern[str] | None
    reading: str


_CONTEXT_HEADER = ["key", "before", "after", "sentence", "unless", "reading"]


@lru_cache(maxsize=1)
def context_rules() -> tuple[ContextRule, ...]:
    """Context readings of ambiguous acronyms (HS, MN, TH, ĐH, CĐ, GD, TV, BT), in file order."""
    text = resources.files(__package__).joinpath("data", "acronyms_context.tsv").read_text(encoding="utf-8")
    rules: list[ContextRule] = []
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    if not lines or lines[0].split("\t") != _CONTEXT_HEADER:
        raise ValueError("acronyms_context.tsv: expected the header " + "\t".join(_CONTEXT_HEADER))
    for line in lines[1:]:
        parts = line.split("\t")
        if len(parts) != 6 or not parts[0] or not parts[5].strip():
            raise ValueError(f"acronyms_context.tsv: expected six columns, got {line!r}")
        key, before, after, sentence, unless, reading = parts
        flags = re.IGNORECASE
        rules.append(ContextRule(
            key,
            re.compile(rf"(?:{before})$", flags) if before else None,
            re.compile(after, flags) if after else None,
            re.compile(sentence, flags) if sentence else None,
            re.compile(unless, flags) if unless else None,
            reading.strip(),
        ))
    return tuple(rules)


@lru_cache(maxsize=1)
def doc_types() -> Mapping[str, str]:
    """Document-type codes, used for the first code of a document number."""
    return _read_tsv("doc_types.tsv")


@lru_cache(maxsize=1)
def doc_issuers() -> Mapping[str, str]:
    """Issuer codes whose meaning in a document number differs from the general lexicon."""
    return _read_tsv("doc_issuers.tsv")


class Lexicon:
    """Acronym table plus one compiled regex matching any key, longest key first."""

    def __init__(self, table: Mapping[str, str]) -> None:
        self.table = dict(table)
        # 1.15: the entries one text defines for itself (see ``overlay``); they also win over the issuer codes.
        self.defined: dict[str, str] = {}
        keys = sorted(self.table, key=len, reverse=True)
        alternatives = "|".join(re.escape(k) for k in keys)
        # A key must not be glued to other letters/digits on either side: "KH" must not fire
        # inside "KHO" or "TKH". Keys ending in "." (TP., KT.) may be followed by a letter.
        self.pattern = re.compile(rf"(?<!{_WORD_CHAR})(?:{alternatives})(?!(?<=[^.]){_WORD_CHAR})")

    def get(self, key: str) -> str | None:
        return self.table.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self.table

    def expand(self, text: str) -> str:
        return self.pattern.sub(lambda m: self.table[m.group(0)], text)

    def overlay(self, entries: Mapping[str, str]) -> Lexicon:
        """This lexicon plus a few entries of one text (keys it lacks, or that the text defines), without recompiling
        the large pattern (that costs tens of milliseconds): the new keys get a small pattern of their own."""
        lex = Lexicon.__new__(Lexicon)
        lex.table = {**self.table, **entries}
        lex.defined = {**self.defined, **entries}
        alternatives = "|".join(re.escape(k) for k in sorted(entries, key=len, reverse=True))
        small = re.compile(rf"(?<!{_WORD_CHAR})(?:{alternatives})(?!{_WORD_CHAR})")
        lex.pattern = _Patterns(small, self.pattern)  # type: ignore[assignment]
        return lex


class _Patterns:
    """Two patterns applied one after the other, with the ``sub`` interface of one."""

    def __init__(self, first: re.Pattern[str], second: re.Pattern[str]) -> None:
        self.first, self.second = first, second

    def sub(self, repl: Callable[[re.Match[str]], str], text: str) -> str:
        return self.second.sub(repl, self.first.sub(repl, text))

_EXTRA_CACHE: dict[frozenset[tuple[str, str]], Lexicon] = {}

def get_lexicon(extra: Mapping[str, str] | None = None) -> Lexicon:
    """Lexicon for the shipped table, extended (and overridden) by ``extra``."""
    key = frozenset((extra or {}).items())
    lex = _EXTRA_CACHE.get(key)
    if lex is None:
        table = dict(base_acronyms())
        for k, v in (extra or {}).items():
            if k and k.strip() and v is not None:
                table[k.strip()] = str(v)
        lex = Lexicon(table)
        # Bounded: callers usually pass the same few user tables; avoid unbounded growth.
        if len(_EXTRA_CACHE) > 32:
            _EXTRA_CACHE.clear()
        _EXTRA_CACHE[key] = lex
    return lex


ENTRY_KINDS = ("acronym", "loanword")


def default_kind(key: str) -> str:
    """The kind a user entry most likely is when its form is all that is known: "UBND", "HTX-NN"
    are acronyms; "Zalo", "livestream", "VNeID" (lower-case letters inside) are loanwords."""
    letters = [ch for ch in key if ch.isalpha()]
    return "acronym" if letters and all(ch.isupper() for ch in letters) else "loanword"


def split_user_entries(
    entries: Iterable[tuple[str, str] | tuple[str, str, str | None]],
) -> tuple[dict[str, str], dict[str, str]]:
    """A commune's lexicon rows → (extra_acronyms, extra_loanwords) for normalize/lint/synthesize.

    Each row is (key, reading) or (key, reading, kind) with kind "acronym", "loanword" or None
    (None: guessed by :func:`default_kind`). Empty keys or readings are skipped; an unknown kind
    is a ValueError (a typo must not silently change how a word is read).
    """
    acronyms: dict[str, str] = {}
    loanwords: dict[str, str] = {}
    for row in entries:
        key, reading = row[0].strip(), (row[1] or "").strip()
        kind = row[2] if len(row) > 2 else None
        if not key or not reading:
            continue
        kind = kind or default_kind(key)
        if kind not in ENTRY_KINDS:
            raise ValueError(f"unknown lexicon entry kind {kind!r} for {key!r}")
        (acronyms if kind == "acronym" else loanwords)[key] = reading
    return acronyms, loanwords

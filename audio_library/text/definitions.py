"""Acronyms a text defines for itself (1.15): the letter matching shared by the "phrase (KEY)" rules of the normalizer,
and brackets that define several acronyms at once.

A writer defines an acronym by its phrase, the words starting with its letters: "Ủy ban Giám sát tài chính quốc gia
(UBGSTCQG)", "ô nhiễm môi trường (ÔNMT)", "Quỹ bình ổn giá (BOG)". A letter stands for a word whatever the word's tone
or hat ("Ủy" for U, "ổn" for O), but Đ is its own letter (D is not "đổi").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# The capitals an acronym is written with: Latin, Đ and the hatted vowels ("ÔNMT", "ĐBSCL", "TƯ"); "Tr" may stand for
# a word's first two letters ("ĐLHTr").
CODE_CAPITALS = "A-ZĐÂĂÊÔƠƯ"
CODE_SEGMENT = re.compile(rf"[{CODE_CAPITALS}][a-z]?")
PHRASE_GLUE = frozenset({"và", "về"})  # words inside a phrase that need no letter


def fold(text: str) -> str:
    """Lower case without tones or hats ("Ủy" → "uy", "ổn" → "on"); "đ" stays "đ"."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def starts_with_letters(word: str, segment: str) -> bool:
    """``word`` starts with the acronym letters ``segment`` ("Ủy" with "U", "trồng" with "Tr")."""
    return fold(word).startswith(fold(segment))


def words_spell(words: list[str], segments: list[str]) -> bool:
    """The words, in order, start with the segments; "và"/"về" inside the phrase need no letter."""
    k = 0
    for word in words:
        if k < len(segments) and starts_with_letters(word, segments[k]):
            k += 1
        elif not (0 < k < len(segments) and word in PHRASE_GLUE):
            return False
    return k == len(segments)


# 1.15: one bracket may define several acronyms, joined as the phrase before it joins its items: "Tảo hôn, hôn nhân cận
# huyết thống và xuất nhập cảnh trái phép (TH-HNCHT& XNCTP)", "Phòng chống thiên tai và Tìm kiếm cứu nạn (PCTT - TKCN)",
# "tôm - lúa (T-L)", "tảo hôn, hôn nhân cận huyết thống (TH, HNCHT)" (v14, v15).
_CODE = rf"(?:[{CODE_CAPITALS}][a-z]?){{1,8}}"
_COMPOUND_BRACKET = re.compile(
    rf"\([ \t]*(?P<codes>{_CODE}(?:[ \t]*[-&,][ \t]*{_CODE})+)[ \t]*\)"
)
_CODE_SEPARATOR = re.compile(r"[ \t]*[-&,][ \t]*")
# What may join two items of the phrase: a comma, "&", a dash or "và".
_ITEM_SEPARATORS = frozenset({",", "&", "-", "và"})
_TOKEN = re.compile(r"[^\W\d_]+|[,&-]")
_MAX_ITEM_WORDS = 10


def _item_starts(segments: list[str], tokens: list[re.Match[str]], end: int) -> Iterator[int]:
    """Indexes i (nearest first) where the words tokens[i:end] spell the segments."""
    for i in range(end - 1, max(-1, end - _MAX_ITEM_WORDS - 1), -1):
        words = [t.group(0) for t in tokens[i:end]]
        if any(w in ",&-" or (w == w.upper() and len(w) > 1) for w in words):
            return
        if words_spell(words, segments):
            yield i


def _match_items(codes: list[str], tokens: list[re.Match[str]], end: int) -> list[tuple[int, int]] | None:
    """Spans (start, end) of the phrase's items, one per code, the last ending at ``end``; None when they do not fit."""
    segments = CODE_SEGMENT.findall(codes[-1])
    for start in _item_starts(segments, tokens, end):
        if len(codes) == 1:
            return [(start, end)]
        if start == 0 or tokens[start - 1].group(0).casefold() not in _ITEM_SEPARATORS:
            continue
        before = _match_items(codes[:-1], tokens, start - 1)
        if before is not None:
            return [*before, (start, end)]
    return None


def _joined(items: list[str], code_seps: list[str], phrase_seps: list[str]) -> str:
    """The whole code read part by part: "&" is "và", a spaced dash a dash, a glued "-" the phrase's own comma or "và"
    ("TH-HNCHT" after "tảo hôn, hôn nhân …" is "tảo hôn, hôn nhân …"; "T-L" after "tôm - lúa" is "tôm - lúa")."""
    out = items[0]
    for item, code_sep, phrase_sep in zip(items[1:], code_seps, phrase_seps, strict=True):
        sep = code_sep.strip()
        if sep == "&":
            glue = " và "
        elif sep == ",":
            glue = ", "
        elif code_sep != sep or phrase_sep not in (",", "và"):
            glue = " - "
        else:
            glue = ", " if phrase_sep == "," else " và "
        out += glue + item
    return out


def compound_definitions(text: str, opens_sentence: re.Pattern[str]) -> Iterator[tuple[str, str, dict[str, str]]]:
    """For each bracket of joined acronyms that the phrase before it spells: the bracket's code, its reading and the
    reading of each part."""
    for m in _COMPOUND_BRACKET.finditer(text):
        codes = _CODE_SEPARATOR.split(m.group("codes"))
        code_seps = _CODE_SEPARATOR.findall(m.group("codes"))
        tokens = list(_TOKEN.finditer(text, max(0, m.start() - 300), m.start()))
        if not tokens or text[tokens[-1].end():m.start()].strip():
            continue
        spans = _match_items(codes, tokens, len(tokens))
        if spans is None:
            continue
        items = [text[tokens[a].start():tokens[b - 1].end()] for a, b in spans]
        first = tokens[spans[0][0]].start()
        if opens_sentence.search(text, max(0, first - 4), first) and items[0][1:] == items[0][1:].lower():
            items[0] = items[0][:1].lower() + items[0][1:]  # "Tảo hôn, …" opens the sentence; the reading does not
        phrase_seps = [tokens[a - 1].group(0).casefold() for a, _ in spans[1:]]
        yield m.group("codes"), _joined(items, code_seps, phrase_seps), dict(zip(codes, items, strict=True))

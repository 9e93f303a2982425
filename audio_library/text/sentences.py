"""Sentence splitting for sentence-by-sentence TTS.

Splits at line breaks and at ". ! ? …" followed by a space and a new sentence start. It never
splits inside numbers ("10.000", "4,5"), after abbreviations ("TP.", "ThS.", "KT."), after a
person's initial ("Nguyễn V. An") or after a list marker at the start of a line ("1.", "II.").
"""

from __future__ import annotations

import re

# Abbreviations that end with a period without ending the sentence (compared case-sensitively).
ABBREVIATIONS = frozenset(str.split(
    "TP Tp tp TX TT KT TM TL TUQ Q P Ph GS PGS TS ThS BS KS CN Th Tr St Mr Mrs Ms Dr v.v "
    "Ths Ts Gs Đ/c đ/c Ô Bà Ông"
))

_BOUNDARY = re.compile(r"[.!?…]+[\"”’)\]]*(?=\s+\S)")
_LIST_MARKER = re.compile(r"^\s*(?:[0-9]{1,2}(?:\.[0-9]{1,2})*|[IVXLC]+|[a-zđA-ZĐ])$")


def _ends_with_abbreviation(before: str) -> bool:
    token = re.split(r"\s+", before.strip())[-1] if before.strip() else ""
    token = token.lstrip("(\"“")
    if token in ABBREVIATIONS:
        return True
    # A single capital letter is an initial ("Nguyễn V. An"), not a sentence.
    return len(token) == 1 and token.isupper()


def _split_line(line: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(line):
        before = line[start:m.start()]
        if m.group(0).startswith(".") and _LIST_MARKER.match(before):
            continue  # "1. Mục đích", "II. Đối tượng": the number is a label, not a sentence
        if m.group(0) == "." and _ends_with_abbreviation(line[:m.start()]):
            continue
        nxt = line[m.end():].lstrip()[:1]
        # A new sentence starts with a capital, a digit, a quote, a bracket or a dash.
        if nxt and not (nxt.isupper() or nxt.isdigit() or nxt in "\"“‘'(-["):
            continue
        pieces.append(line[start:m.end()])
        start = m.end()
    pieces.append(line[start:])
    return [p.strip() for p in pieces if p.strip()]


def split_sentences(text: str) -> list[str]:
    """Split ``text`` into sentences (line breaks always separate sentences)."""
    sentences: list[str] = []
    for line in text.splitlines():
        sentences.extend(_split_line(line))
    return sentences

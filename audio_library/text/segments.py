"""Speech segments with pauses: the structure of a document made audible.

A heading ("I. MỤC ĐÍCH", "KẾ HOẠCH", a short title line) or a list item must not run into the
next sentence ("…năm 2023 Thực hiện công văn…"): each segment carries the silence that follows
it, the synthesis path inserts exactly that silence, and the editor preview shows one segment per
line with blank lines between paragraphs. A heading with no final punctuation gets a full stop so
that engines close its intonation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .normalizer import normalize
from .sentences import split_sentences

# Seconds of silence after a segment (the longest applicable one wins).
PAUSE_SENTENCE_S = 0.35
PAUSE_ITEM_S = 0.5
PAUSE_PARAGRAPH_S = 0.6
PAUSE_HEADING_S = 0.8

_PARAGRAPH = re.compile(r"\n[ \t]*\n")
_ROMAN_HEADING = re.compile(r"^\s*[IVXLC]+\s*[.)]\s*\S")
_LIST_MARKER = re.compile(r"^\s*(?:[-+•]|[0-9]{1,2}(?:\.[0-9]{1,2})*\s*[.)/]|[a-zđ]\s*[).]|[a-zđ]/)\s*\S")
_TERMINAL = ".!?;:…"
_HEADING_MAX_WORDS = 14


@dataclass(frozen=True)
class Segment:
    text: str  # speakable (normalized) text
    kind: str  # "heading", "item" or "sentence"
    pause_after_s: float
    paragraph: int  # 0-based paragraph index, for the preview


def classify_line(line: str, next_line: str = "") -> str:
    """"heading", "item" or "sentence" for one source line (``next_line``: the line after it in
    the same paragraph, "" at a paragraph end)."""
    stripped = line.strip().strip("*_ ")
    letters = [ch for ch in stripped if ch.isalpha()]
    if _ROMAN_HEADING.match(stripped):
        return "heading"
    if letters and all(ch.isupper() for ch in letters) and len(letters) >= 3:
        return "heading"  # "KẾ HOẠCH", "PHÓ CHỦ TỊCH"
    if _LIST_MARKER.match(stripped):
        words = len(stripped.split())
        # "1. Mục đích" is a numbered heading; "- Tổ chức tuyên truyền … ." is an item.
        return "heading" if words <= 8 and stripped[-1] not in _TERMINAL + "," else "item"
    # A title line is short and unpunctuated, and what follows starts anew; a line wrapped in the
    # middle of a sentence continues in lower case ("…giảm nghèo bền\nvững năm 2024…").
    nxt = next_line.strip()[:1]
    starts_anew = not nxt or nxt.isupper() or nxt.isdigit() or nxt in "-+•"
    if len(stripped.split()) <= _HEADING_MAX_WORDS and stripped[-1:] not in _TERMINAL + "," and starts_anew:
        return "heading"
    return "sentence"


def _close(text: str) -> str:
    return text if text[-1:] in _TERMINAL else f"{text}."


def segments(text: str, extra_acronyms: Mapping[str, str] | None = None,
             extra_loanwords: Mapping[str, str] | None = None) -> list[Segment]:
    """Normalize ``text`` into speakable segments, each with the pause that follows it.

    Paragraphs are separated by blank lines; each line is normalized on its own (a line break in
    an official document ends a heading or a list item).
    """
    out: list[Segment] = []
    paragraphs = [p for p in _PARAGRAPH.split(text.replace("\r\n", "\n")) if p.strip()]
    for p_idx, para in enumerate(paragraphs):
        lines = [ln for ln in para.split("\n") if ln.strip()]
        for l_idx, line in enumerate(lines):
            kind = classify_line(line, lines[l_idx + 1] if l_idx + 1 < len(lines) else "")
            norm = normalize(" ".join(line.split()), extra_acronyms, extra_loanwords)
            pieces = [s.strip() for s in split_sentences(norm) if s.strip()]
            for i, piece in enumerate(pieces):
                last = i == len(pieces) - 1
                if kind == "heading" and last:
                    out.append(Segment(_close(piece), "heading", PAUSE_HEADING_S, p_idx))
                elif kind == "item" and last:
                    out.append(Segment(piece, "item", PAUSE_ITEM_S, p_idx))
                else:
                    out.append(Segment(piece, "sentence", PAUSE_SENTENCE_S, p_idx))
        if out and out[-1].paragraph == p_idx:
            last_seg = out[-1]
            # A paragraph ends a sentence even when its writer left the full stop out.
            pause = max(last_seg.pause_after_s, PAUSE_PARAGRAPH_S)
            out[-1] = Segment(_close(last_seg.text), last_seg.kind, pause, p_idx)
    if out:  # nothing follows the last segment
        out[-1] = Segment(out[-1].text, out[-1].kind, 0.0, out[-1].paragraph)
    return out


def preview_text(segs: list[Segment]) -> str:
    """One segment per line, a blank line between paragraphs: what the editor preview shows."""
    lines: list[str] = []
    for i, seg in enumerate(segs):
        if i and seg.paragraph != segs[i - 1].paragraph:
            lines.append("")
        lines.append(seg.text)
    return "\n".join(lines)

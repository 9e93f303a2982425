"""What the article editor shows before synthesis: the speech as segments with their pauses, and the words
the broadcaster may want to add to the commune's lexicon (unknown acronyms, foreign words).

Pure reads of audio_library.text with the article's user lexicon (station.lexicon.article_readings); adding a
word goes through the lexicon rules (web.lexicon → station.lexicon.change_lexicon).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from audio_library.text import LintReport, LintWarning, Segment, UnknownAcronym, lint, unknown_acronyms
from audio_library.text.wordclass import blank_known, in_caps_phrase, is_acronym_like, looks_foreign
from audio_library.textbridge import script_segments, speakable

_WORD = re.compile(r"[^\W_]+")
LISTED = frozenset({"unknown_acronym", "foreign_word"})  # lint codes the editor lists with an "add" form


@dataclass(frozen=True)
class ForeignWord:
    """A Latin-script word no lexicon reads (lint code ``foreign_word``): a loanword candidate."""

    word: str
    count: int


@dataclass(frozen=True)
class SpeechPreview:
    speakable: str  # one segment a line, a blank line between paragraphs
    paragraphs: list[list[Segment]]
    lint: LintReport
    unknown_acronyms: list[UnknownAcronym]
    foreign_words: list[ForeignWord]

    @property
    def other_warnings(self) -> list[LintWarning]:
        """Lint warnings the word lists do not already show."""
        return [w for w in self.lint.warnings if w.code not in LISTED]


def foreign_words(text: str, acronyms: Mapping[str, str] | None = None,
                  loanwords: Mapping[str, str] | None = None) -> list[ForeignWord]:
    """The words lint reports as ``foreign_word`` (same rule), in order of first appearance, with counts."""
    scrubbed, _known = blank_known(text, acronyms, loanwords)
    counts: dict[str, int] = {}
    for m in _WORD.finditer(scrubbed):
        word = m.group(0)
        if len(word) < 2 or word.isdigit():
            continue
        if is_acronym_like(word) and not in_caps_phrase(scrubbed, m.start(), m.end()):
            continue  # an acronym: listed by unknown_acronyms
        if looks_foreign(word):
            counts[word] = counts.get(word, 0) + 1
    return [ForeignWord(w, n) for w, n in counts.items()]


def speech_preview(text: str, acronyms: Mapping[str, str] | None = None,
                   loanwords: Mapping[str, str] | None = None) -> SpeechPreview:
    paragraphs: list[list[Segment]] = []
    last = -1
    for seg in script_segments(text, acronyms, loanwords):
        if seg.paragraph != last:
            paragraphs.append([])
            last = seg.paragraph
        paragraphs[-1].append(seg)
    return SpeechPreview(speakable(text, acronyms, loanwords), paragraphs, lint(text, acronyms, loanwords),
                         unknown_acronyms(text, acronyms, loanwords), foreign_words(text, acronyms, loanwords))


def pause_label(seconds: float) -> str:
    """"0,8" for 0.8 s, "0,35" for 0.35 s: the Vietnamese decimal comma, no trailing zeros."""
    return f"{seconds:.2f}".rstrip("0").rstrip(".").replace(".", ",")

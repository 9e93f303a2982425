"""Text → the script TTS reads: normalized segments (headings, items, sentences) with pauses."""

from __future__ import annotations

from collections.abc import Mapping

from audio_library.text import NORMALIZER_VERSION
from audio_library.text.segments import Segment, preview_text, segments


def normalizer_version() -> str:
    return NORMALIZER_VERSION


def script_segments(text: str, extra_acronyms: Mapping[str, str] | None = None,
                    extra_loanwords: Mapping[str, str] | None = None) -> list[Segment]:
    """What is read, segment by segment, each with the silence that follows it."""
    return segments(text, extra_acronyms, extra_loanwords)


def script(text: str, extra_acronyms: Mapping[str, str] | None = None,
           extra_loanwords: Mapping[str, str] | None = None) -> list[list[str]]:
    """Normalized text as paragraphs of sentences (paragraphs = blank-line separated)."""
    paragraphs: list[list[str]] = []
    last = -1
    for seg in segments(text, extra_acronyms, extra_loanwords):
        if seg.paragraph != last:
            paragraphs.append([])
            last = seg.paragraph
        paragraphs[-1].append(seg.text)
    return paragraphs


def speakable(text: str, extra_acronyms: Mapping[str, str] | None = None,
              extra_loanwords: Mapping[str, str] | None = None) -> str:
    """What will be read, shown to the broadcaster before synthesis: one segment per line, a blank
    line between paragraphs (render it with ``white-space: pre-line`` to keep the structure)."""
    return preview_text(segments(text, extra_acronyms, extra_loanwords))

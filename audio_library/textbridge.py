"""Text → the script TTS reads: normalized sentences grouped in paragraphs."""

from __future__ import annotations

import re
from collections.abc import Mapping

from audio_library.text import NORMALIZER_VERSION, normalize, split_sentences

_PARAGRAPH = re.compile(r"\n\s*\n")


def normalizer_version() -> str:
    return NORMALIZER_VERSION


def script(text: str, extra_acronyms: Mapping[str, str] | None = None) -> list[list[str]]:
    """Normalized text as paragraphs of sentences (paragraphs = blank-line separated)."""
    paragraphs = []
    for para in _PARAGRAPH.split(text.replace("\r\n", "\n")):
        sentences: list[str] = []
        # A single line break in official documents ends a heading or list item: a sentence.
        for line in para.split("\n"):
            norm = normalize(" ".join(line.split()), extra_acronyms) if line.strip() else ""
            sentences += [s.strip() for s in split_sentences(norm) if s.strip()] if norm.strip() else []
        if sentences:
            paragraphs.append(sentences)
    return paragraphs


def speakable(text: str, extra_acronyms: Mapping[str, str] | None = None) -> str:
    """What will be read, as one string (shown to the broadcaster before synthesis)."""
    return "\n\n".join(" ".join(p) for p in script(text, extra_acronyms))

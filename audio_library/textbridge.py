"""Bridge to the text normalizer in `audio_library.text` (written separately).

Imported lazily and defensively: while that package is absent or incomplete we fall back to
identity normalization and a punctuation split, so synthesis still works end to end.
"""

from __future__ import annotations

import importlib
import re
from types import ModuleType

FALLBACK_VERSION = "identity-0"
_PARAGRAPH = re.compile(r"\n\s*\n")
# Sentence end: . ! ? … ; followed by whitespace. "10.000" and "28/10/2022." mid-number survive.
_SENTENCE = re.compile(r"(?<=[.!?…;:])\s+")


def _module() -> ModuleType | None:
    try:
        return importlib.import_module("audio_library.text")
    except ImportError:
        return None


def normalizer_version() -> str:
    mod = _module()
    return str(getattr(mod, "NORMALIZER_VERSION", FALLBACK_VERSION)) if mod else FALLBACK_VERSION


def normalize(text: str) -> str:
    mod = _module()
    fn = getattr(mod, "normalize", None) if mod else None
    return str(fn(text)) if fn else text


def split_sentences(text: str) -> list[str]:
    mod = _module()
    fn = getattr(mod, "split_sentences", None) if mod else None
    parts = fn(text) if fn else _SENTENCE.split(text)
    return [p.strip() for p in parts if p and p.strip()]


def script(text: str) -> list[list[str]]:
    """Normalized text as paragraphs of sentences (paragraphs = blank-line separated)."""
    paragraphs = []
    for para in _PARAGRAPH.split(text.replace("\r\n", "\n")):
        sentences: list[str] = []
        # A single line break in official documents ends a heading or list item: a sentence.
        for line in para.split("\n"):
            norm = normalize(" ".join(line.split())) if line.strip() else ""
            sentences += split_sentences(norm) if norm.strip() else []
        if sentences:
            paragraphs.append(sentences)
    return paragraphs

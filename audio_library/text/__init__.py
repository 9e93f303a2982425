"""Vietnamese administrative-text normalizer and linter (offline, stdlib only).

``normalize`` turns official text ("Kế hoạch số 4069/KH-UBND ngày 28/10/2022") into what a radio
announcer would say; ``split_sentences`` cuts it for sentence-by-sentence TTS; ``lint`` tells
whether a document is fit to broadcast (OCR damage, stripped diacritics, unknown acronyms).
"""

from .lint import LintReport, LintWarning, lint
from .normalizer import NORMALIZER_VERSION, normalize
from .sentences import split_sentences
from .syllable import is_valid_syllable

__all__ = [
    "NORMALIZER_VERSION",
    "LintReport",
    "LintWarning",
    "is_valid_syllable",
    "lint",
    "normalize",
    "split_sentences",
]

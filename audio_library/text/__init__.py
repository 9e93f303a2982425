"""Vietnamese administrative-text normalizer and linter (offline, stdlib only).

``normalize`` turns official text ("Kế hoạch số 4069/KH-UBND ngày 28/10/2022") into what a radio
announcer would say; ``segments`` cuts it into headings, list items and sentences, each with the
pause that follows it; ``lint`` tells whether a document is fit to broadcast (OCR damage, stripped
diacritics; foreign words are counted apart); ``unknown_acronyms`` lists what the editor should
offer to add to the commune's lexicon. A commune's entries are passed in as ``extra_acronyms`` and
``extra_loanwords`` (word → reading) to all of them.
"""

from .lint import LintReport, LintWarning, lint
from .normalizer import NORMALIZER_VERSION, normalize
from .segments import Segment, preview_text, segments
from .sentences import split_sentences
from .syllable import is_valid_syllable
from .wordclass import UnknownAcronym, unknown_acronyms

__all__ = [
    "NORMALIZER_VERSION",
    "LintReport",
    "LintWarning",
    "Segment",
    "UnknownAcronym",
    "is_valid_syllable",
    "lint",
    "normalize",
    "preview_text",
    "segments",
    "split_sentences",
    "unknown_acronyms",
]

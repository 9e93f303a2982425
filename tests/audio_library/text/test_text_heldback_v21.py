"""The twenty-first held-back set (v21) keeps the shape every held-back set must have (tests/audio_library/text/
heldback_support.py): at least 100 sentences of at least 20 documents, NFC, readings free of digits and symbols, the
normalizer's outputs speakable, and no input taken from an earlier set."""

from __future__ import annotations

from heldback_support import check_heldback_set


def test_heldback_v21_has_the_shape_of_a_heldback_set() -> None:
    check_heldback_set(21, earlier=(20, 19, 18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3))

"""Every held-back set from v8 on keeps the shape a held-back set must have (tests/audio_library/text/
heldback_support.py): at least 100 sentences of at least 20 documents, NFC, readings free of digits and symbols, the
normalizer's outputs speakable, and no input taken from an earlier set (v3 onwards)."""

from __future__ import annotations

import pytest
from heldback_support import check_heldback_set

LATEST = 37  # the newest set; bench/normalize_accuracy.py scores v35 + v36 + v37 as the held-back figure


@pytest.mark.parametrize("version", range(8, LATEST + 1), ids=lambda v: f"v{v}")
def test_heldback_set_has_the_shape_of_a_heldback_set(version: int) -> None:
    check_heldback_set(version, earlier=tuple(range(version - 1, 2, -1)))

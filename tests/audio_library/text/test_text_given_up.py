"""Sentences of earlier sets that a release knowingly reads otherwise than their set file, because a convention of the
recent sets decided the other way (given_up_1_14.tsv … given_up_1_22.tsv, one file per release): each row is still in
its set with its own reading (the set files are never edited), and the normalizer reads it as listed."""

from __future__ import annotations

import pytest
from heldback_support import GIVEN_UP_FILES, rows, set_rows

from audio_library.text import normalize

GIVEN_UP = [(f, *row) for f in GIVEN_UP_FILES for row in rows(f)]


@pytest.mark.parametrize(("given_up_file", "set_file", "decision", "text", "reading"), GIVEN_UP,
                         ids=[f"{r[0][9:13]}-{r[3][:40]}" for r in GIVEN_UP])
def test_sentences_given_up_by_a_convention(given_up_file: str, set_file: str, decision: str, text: str,
                                            reading: str) -> None:
    text, reading = text.replace("\\n", "\n"), reading.replace("\\n", "\n")
    written = {r[-2].replace("\\n", "\n"): r[-1].replace("\\n", "\n") for r in set_rows(set_file)}
    assert decision
    assert text in written and written[text] != reading
    assert normalize(text) == reading

"""The shape every held-back set of the normalizer must keep (bench/normalize_accuracy.py only scores them): one
place for the check that each round's test file used to copy."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from audio_library.text import normalize

FORBIDDEN = re.compile(r"[0-9/&%]")
HERE = Path(__file__).parent


def rows(name: str) -> list[list[str]]:
    """The tab-separated rows of a set file, its comment lines and header left out."""
    text = (HERE / name).read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]
    return [ln.split("\t") for ln in lines[1:]]


def set_rows(name: str) -> list[list[str]]:
    """The rows of a case set; the rules source (normalizer_cases.tsv) has no header line to leave out."""
    if name != "normalizer_cases.tsv":
        return rows(name)
    text = (HERE / name).read_text(encoding="utf-8")
    return [ln.split("\t") for ln in text.splitlines() if ln.strip() and not ln.startswith("#")]


# Each release that gives sentences up lists them in its own file (test_text_given_up.py checks every row); a later
# file's reading wins.
GIVEN_UP_FILES = ("given_up_1_14.tsv", "given_up_1_15.tsv", "given_up_1_16.tsv", "given_up_1_17.tsv",
                  "given_up_1_18.tsv", "given_up_1_19.tsv", "given_up_1_20.tsv", "given_up_1_21.tsv",
                  "given_up_1_22.tsv")


def given_up(set_file: str) -> dict[str, str]:
    """Input → current reading of the rows of ``set_file`` that the normalizer knowingly reads otherwise
    (each row of GIVEN_UP_FILES says which convention decided it); the set file is never edited."""
    return {text.replace("\\n", "\n"): reading.replace("\\n", "\n")
            for f in GIVEN_UP_FILES for name, _, text, reading in rows(f) if name == set_file}


def check_heldback_set(version: int, earlier: tuple[int, ...]) -> None:
    """At least 100 sentences of at least 20 sources, counted as the sources file says, NFC, readings and outputs
    free of digits, "/", "&" and "%", and no input already in an earlier set."""
    cases = rows(f"heldback_v{version}_cases.tsv")
    sources = {row[0]: int(row[1]) for row in rows(f"heldback_v{version}_sources.tsv")}
    assert len(cases) >= 100 and len(sources) >= 20
    assert all(len(row) == 3 for row in cases)
    counts: dict[str, int] = {}
    for source, text, expected in cases:
        counts[source] = counts.get(source, 0) + 1
        assert unicodedata.is_normalized("NFC", text) and unicodedata.is_normalized("NFC", expected)
        assert not FORBIDDEN.search(expected)
        assert not FORBIDDEN.search(normalize(text.replace("\\n", "\n")))
    assert counts == sources
    seen = {row[-2] for v in earlier for row in rows(f"heldback_v{v}_cases.tsv")}
    assert not seen & {text for _, text, _ in cases}

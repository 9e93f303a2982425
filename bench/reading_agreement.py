"""How reproducible are the held-back sets' expected readings, and how far is the normalizer from them?

A second reading of every input of v29, v30 and v31 (tests/audio_library/text/second_readings_v29_v31.tsv) was written
by helpers who saw only the inputs and the sets' written conventions. This script reports, per set and overall:
  second_vs_set     the second reading equals the set's expected reading (exact, and loose: case and punctuation
                    ignored);
  ours_vs_set       the normalizer's output equals the set's reading (the bench's held-back figure on these sets);
  ours_vs_second    the normalizer's output equals the second reading;
  ours_vs_either    it equals one of the two.
If two readers agree far more often than the normalizer agrees with either, the normalizer's misses are its own, not
the noise of one writer's habits. The second readers are the same kind of helper as the writers (the same language
model), so their agreement is an upper bound on what two people would reach.

Usage: PYTHONPATH=. .venv/bin/python bench/reading_agreement.py
The last line of output is a JSON object with the figures.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
TEXT = ROOT / "tests" / "audio_library" / "text"
SECOND = TEXT / "second_readings_v29_v31.tsv"

from audio_library.text import NORMALIZER_VERSION, normalize  # noqa: E402


def _rows(path: Path) -> list[list[str]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.split("\t") for line in lines[1:] if line.strip() and not line.startswith("#")]


def loose(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[^\w\s]", " ", text.casefold())).strip()


def expected_readings(versions: set[str]) -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    for version in versions:
        for line in (TEXT / f"heldback_{version}_cases.tsv").read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#") or line.startswith("source\t"):
                continue
            _, text, expected = line.split("\t")
            table[(version, text)] = expected
    return table


def main() -> int:
    second = [row for row in _rows(SECOND) if row[0] != "set"]
    expected = expected_readings({row[0] for row in second})
    keys = ("second_vs_set", "second_vs_set_loose", "ours_vs_set", "ours_vs_set_loose", "ours_vs_second",
            "ours_vs_either")
    counts: dict[str, dict[str, int]] = {}
    for version, _, text, reading in second:
        want = expected[(version, text)]
        ours = normalize(text)
        for group in (version, "all"):
            c = counts.setdefault(group, dict.fromkeys(("cases", *keys), 0))
            c["cases"] += 1
            c["second_vs_set"] += reading == want
            c["second_vs_set_loose"] += loose(reading) == loose(want)
            c["ours_vs_set"] += ours == want
            c["ours_vs_set_loose"] += loose(ours) == loose(want)
            c["ours_vs_second"] += ours == reading
            c["ours_vs_either"] += ours in (want, reading)
    print(f"normalizer {NORMALIZER_VERSION}; second readings: {SECOND.name}")
    print(f"{'set':<6}{'cases':>6}" + "".join(f"{k:>22}" for k in keys))
    summary: dict[str, dict[str, float | int]] = {}
    for group, c in sorted(counts.items(), key=lambda kv: (kv[0] == "all", kv[0])):
        n = c["cases"]
        print(f"{group:<6}{n:>6}" + "".join(f"{c[k] / n:>22.1%}" for k in keys))
        summary[group] = {"cases": n, **{k: round(c[k] / n, 3) for k in keys}}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""TTS speed benchmark: a 1,000-character Vietnamese article to broadcast-ready MP3, offline.

Targets (PRODUCT.md): synthesis < 1.5 s, cached re-use < 20 ms. Each synthesis run uses a fresh
library root, so nothing is cached; one warm-up run (imports, filter design) is not counted,
as in a long-running server. Prints per-run lines, then a JSON summary as the last line.

    .venv/bin/python bench/tts_speed.py [--runs 5] [--hits 50] [--voice vi]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from audio_library import AudioLibrary

SAMPLE = Path(__file__).resolve().parents[1] / "tests" / "data" / "plans" / "cam-tan-2023-giam-ngheo-thong-tin.txt"
CHARS = 1000


def article(path: Path = SAMPLE, chars: int = CHARS) -> str:
    """The first ~`chars` characters of the plan, cut at a word boundary."""
    text = path.read_text(encoding="utf-8").strip()
    if len(text) <= chars:
        return text
    cut = text.rfind(" ", 0, chars + 1)
    return text[: cut if cut > chars * 0.9 else chars]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--hits", type=int, default=50)
    ap.add_argument("--voice", default="vi")
    ap.add_argument("--sample", type=Path, default=SAMPLE)
    args = ap.parse_args()
    text = article(args.sample)

    with tempfile.TemporaryDirectory(prefix="tts-bench-") as tmp:
        AudioLibrary(Path(tmp) / "warmup").synthesize(text, voice=args.voice)
        synth: list[float] = []
        asset = None
        for i in range(args.runs):
            lib = AudioLibrary(Path(tmp) / f"run{i}")  # fresh cache every run
            t0 = time.perf_counter()
            asset = lib.synthesize(text, voice=args.voice)
            synth.append(time.perf_counter() - t0)
            print(f"synth run {i}: {synth[-1]:.3f} s  audio {asset.duration_s:.1f} s  "
                  f"{asset.lufs} LUFS  {asset.true_peak_dbtp} dBTP")
        assert asset is not None
        hits: list[float] = []
        for _ in range(args.hits):
            # a new AudioLibrary each time, like a new web request, on the warm cache
            t0 = time.perf_counter()
            hit = AudioLibrary(Path(tmp) / "run0").synthesize(text, voice=args.voice)
            hits.append((time.perf_counter() - t0) * 1000)
            assert hit.sha256 == asset.sha256
    p50_s = statistics.median(synth)
    hit_ms = statistics.median(hits)
    print(f"synthesis p50 {p50_s:.3f} s (target < 1.5 s), cache hit p50 {hit_ms:.2f} ms (target < 20 ms)")
    print(json.dumps({
        "chars": len(text), "synth_p50_s": round(p50_s, 3), "cache_hit_p50_ms": round(hit_ms, 2),
        "synth_max_s": round(max(synth), 3), "audio_s": asset.duration_s, "lufs": asset.lufs,
        "true_peak_dbtp": asset.true_peak_dbtp, "runs": args.runs,
    }))


if __name__ == "__main__":
    main()

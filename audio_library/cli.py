"""`radio tts synth`: text on stdin → the final broadcast-ready MP3, as the web would render it."""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any


def register(subparsers: Any) -> None:
    p = subparsers.add_parser("synth", help="synthesize text from stdin into a broadcast-ready MP3")
    p.add_argument("--out", required=True, help="output MP3 file")
    p.add_argument("--engine", default="espeak-ng", choices=["espeak-ng", "gtts", "piper"])
    p.add_argument("--voice", default="vi", help="espeak-ng: vi, vi-vn-x-central, vi-vn-x-south")
    p.add_argument("--piper-model", type=Path, help="path to a piper .onnx voice model (engine piper)")
    p.add_argument("--jingle-in", type=Path, help="sign-on jingle played before the speech")
    p.add_argument("--jingle-out", type=Path, help="sign-off jingle played after the speech")
    p.add_argument("--timeout", type=float, default=10.0, help="gTTS network timeout (s) before falling back")
    p.set_defaults(func=synth_main)


def synth_main(args: argparse.Namespace) -> int:
    from audio_library import AudioError, AudioLibrary, PiperEngine, ProcessingOptions

    text = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8").read()
    if not text.strip():
        print("lỗi: không có văn bản để đọc (stdin trống)", file=sys.stderr)
        return 2
    engines = {"piper": PiperEngine(args.piper_model)} if args.engine == "piper" and args.piper_model else None
    if args.engine == "piper" and not args.piper_model:
        print("lỗi: engine piper cần --piper-model", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="radio-tts-") as tmp:
        try:
            processing = ProcessingOptions(jingle_in=args.jingle_in, jingle_out=args.jingle_out)
            lib = AudioLibrary(Path(tmp), engines=engines, gtts_timeout_s=args.timeout, processing=processing)
            asset = lib.synthesize(text, engine=args.engine, voice=args.voice)
        except AudioError as exc:
            print(f"lỗi: {exc}", file=sys.stderr)
            return 1
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(asset.path, out)
    note = f" (dự phòng: {asset.fallback_reason})" if asset.fallback_reason else ""
    print(f"{out}: {asset.duration_s:.1f} s, {asset.lufs} LUFS, đỉnh {asset.true_peak_dbtp} dBTP, "
          f"{asset.engine}/{asset.voice}{note}", file=sys.stderr)
    return 0

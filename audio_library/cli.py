"""`radio tts synth`: text on stdin → the final broadcast-ready MP3, as the web would render it.
`radio tts voices install FILE --sha256 HEX`: install a Piper voice the operator downloaded.
`radio tts voices list`: the installed Piper voices."""

from __future__ import annotations

import argparse
import io
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

# The front door (launcher) passes how to find the configured audio directory: the audio library reads no
# server settings itself.
AudioDirFromConfig = Callable[[str | None], Path]


def register(subparsers: Any, audio_dir_from_config: AudioDirFromConfig | None = None) -> None:
    p = subparsers.add_parser("synth", help="synthesize text from stdin into a broadcast-ready MP3")
    p.add_argument("--out", required=True, help="output MP3 file")
    p.add_argument("--engine", default="espeak-ng", choices=["espeak-ng", "gtts", "piper"])
    p.add_argument("--voice", default="vi", help="espeak-ng: vi, vi-vn-x-central, vi-vn-x-south")
    p.add_argument("--piper-model", type=Path, help="path to a piper .onnx voice model (engine piper)")
    p.add_argument("--jingle-in", type=Path, help="sign-on jingle played before the speech")
    p.add_argument("--jingle-out", type=Path, help="sign-off jingle played after the speech")
    p.add_argument("--timeout", type=float, default=10.0, help="gTTS network timeout (s) before falling back")
    p.set_defaults(func=synth_main)

    voices = subparsers.add_parser("voices", help="neural (Piper) voices installed on this server")
    vsub = voices.add_subparsers(dest="voices_command", required=True)
    inst = vsub.add_parser("install", help="verify and install a downloaded Piper voice (.onnx + .onnx.json)")
    inst.add_argument("file", type=Path, help="the voice model, e.g. vi_VN-vais1000-medium.onnx")
    inst.add_argument("--sha256", required=True, help="the model's SHA-256 as published by the voice catalogue")
    inst.add_argument("--name", help="voice name shown to broadcasters (default: the file name)")
    inst.add_argument("--model-config", type=Path, help="the voice config (default: FILE.json)")
    _audio_dir_args(inst)
    inst.set_defaults(func=voices_install_main, audio_dir_from_config=audio_dir_from_config)
    lst = vsub.add_parser("list", help="list installed Piper voices")
    _audio_dir_args(lst)
    lst.set_defaults(func=voices_list_main, audio_dir_from_config=audio_dir_from_config)


def _audio_dir_args(p: Any) -> None:
    p.add_argument("--audio-dir", type=Path, help="the audio library directory (default: from the radio config)")
    p.add_argument("--config", help="radio config file (to find the audio directory)")


def _audio_dir(args: argparse.Namespace) -> Path:
    if args.audio_dir:
        return Path(args.audio_dir)
    resolve = getattr(args, "audio_dir_from_config", None)
    if resolve is None:
        raise SystemExit("error: --audio-dir is required here (no server configuration to read it from)")
    return Path(resolve(args.config))


def voices_install_main(args: argparse.Namespace) -> int:
    from audio_library import AudioError
    from audio_library.tts.voices import install_piper_voice

    try:
        voice = install_piper_voice(_audio_dir(args), args.file, args.sha256, name=args.name,
                                    config=args.model_config)
    except AudioError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    print(f"Đã cài giọng đọc piper/{voice.name} ({voice.language or '?'}, {voice.sample_rate} Hz, "
          f"sha256 {voice.sha256[:12]}…).", file=sys.stderr)
    return 0


def voices_list_main(args: argparse.Namespace) -> int:
    from audio_library.tts.voices import installed_piper_voices

    for voice in installed_piper_voices(_audio_dir(args)):
        print(f"piper/{voice.name}\t{voice.language}\t{voice.sample_rate}\t{voice.sha256}")
    return 0


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

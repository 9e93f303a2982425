"""Piper voices installed by the operator: verification, refusal, selection and synthesis.

No Piper runtime or real voice is available offline, so synthesis runs through a stand-in
``piper`` program (a small Python script written by the test) that speaks a tone at the voice's
sample rate and records which model it was given. What is tested: the install path (hash, ONNX
wire format, Piper config), that the library offers the installed voice as engine "piper", and
that synthesis hands the installed model to the Piper command line. Not tested: Piper's own
inference (that needs piper-tts and a real model).
"""

from __future__ import annotations

import hashlib
import json
import stat
import sys
from pathlib import Path

import pytest

from audio_library import AudioError, AudioLibrary
from audio_library.tts.voices import check_onnx, install_piper_voice, installed_piper_voices
from launcher.cli import main as radio_main

CONFIG = {"audio": {"sample_rate": 16000}, "espeak": {"voice": "vi"}, "language": {"code": "vi_VN"},
          "num_speakers": 1, "phoneme_id_map": {"_": [0], "a": [1]}}


def _len_field(field: int, payload: bytes) -> bytes:
    assert len(payload) < 128
    return bytes([field << 3 | 2, len(payload)]) + payload


def tiny_onnx() -> bytes:
    """A minimal ModelProto in protobuf wire format: ir_version, producer, graph, opset."""
    graph = _len_field(2, b"g")  # GraphProto.name
    opset = _len_field(1, b"") + bytes([2 << 3, 17])  # domain "", version 17
    return bytes([1 << 3, 8]) + _len_field(2, b"test") + _len_field(7, graph) + _len_field(8, opset)


def make_voice(tmp_path: Path, model_bytes: bytes | None = None, config: object = CONFIG,
               name: str = "vi_VN-test-x_low.onnx") -> tuple[Path, str]:
    model = tmp_path / "download" / name
    model.parent.mkdir(parents=True, exist_ok=True)
    data = tiny_onnx() if model_bytes is None else model_bytes
    model.write_bytes(data)
    Path(f"{model}.json").write_text(json.dumps(config), encoding="utf-8")
    return model, hashlib.sha256(data).hexdigest()


def test_install_makes_the_voice_selectable(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    model, sha = make_voice(tmp_path)
    voice = install_piper_voice(root, model, sha.upper())
    assert voice.name == "vi_VN-test-x_low" and voice.sample_rate == 16000 and voice.language == "vi_VN"
    assert voice.model.read_bytes() == model.read_bytes()
    assert [v.name for v in installed_piper_voices(root)] == ["vi_VN-test-x_low"]
    lib = AudioLibrary(root)
    assert ("piper", "vi_VN-test-x_low") in lib.voice_choices()
    assert ("espeak-ng", "vi") in lib.voice_choices()


@pytest.mark.parametrize(
    ("model_bytes", "config", "wrong_hash", "message"),
    [
        (None, CONFIG, True, "SHA-256"),
        (b"<html><body>404 Not Found</body></html>", CONFIG, False, "ONNX"),
        (b"version https://git-lfs.github.com/spec/v1\noid sha256:ab\nsize 63\n", CONFIG, False, "ONNX"),
        (tiny_onnx()[:-3], CONFIG, False, "ONNX"),
        (None, {"audio": {"sample_rate": 16000}}, False, "cấu hình"),
        (None, ["not", "a", "config"], False, "cấu hình"),
    ],
    ids=["wrong-hash", "html-page", "lfs-pointer", "truncated", "config-no-phonemes", "config-not-object"],
)
def test_refusals_install_nothing(tmp_path: Path, model_bytes: bytes | None, config: object,
                                  wrong_hash: bool, message: str) -> None:
    root = tmp_path / "lib"
    model, sha = make_voice(tmp_path, model_bytes, config)
    with pytest.raises(AudioError, match=message):
        install_piper_voice(root, model, "0" * 64 if wrong_hash else sha)
    assert installed_piper_voices(root) == []
    assert "piper" not in AudioLibrary(root).engines


@pytest.mark.security
def test_bad_arguments(tmp_path: Path) -> None:
    model, sha = make_voice(tmp_path)
    with pytest.raises(AudioError, match="64 ký tự"):
        install_piper_voice(tmp_path / "lib", model, "abc")
    with pytest.raises(AudioError, match="Tên giọng"):
        install_piper_voice(tmp_path / "lib", model, sha, name="../evil")
    Path(f"{model}.json").unlink()
    with pytest.raises(AudioError, match="cấu hình"):
        install_piper_voice(tmp_path / "lib", model, sha)


def test_reinstall_replaces_the_voice(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    model, sha = make_voice(tmp_path)
    install_piper_voice(root, model, sha, name="giong-bac")
    model2, sha2 = make_voice(tmp_path, tiny_onnx() + bytes([9 << 3, 1]), name="v2.onnx")
    install_piper_voice(root, model2, sha2, name="giong-bac")
    (voice,) = installed_piper_voices(root)
    assert voice.sha256 == sha2
    assert [p.name for p in (root / "voices" / "piper").iterdir()] == ["giong-bac"]


def test_check_onnx_wire_format() -> None:
    check_onnx(tiny_onnx())
    for bad in (b"", b"\x08", bytes([7 << 3 | 2, 5, 1]), bytes([1 << 3 | 3]), _len_field(7, b"g")):
        with pytest.raises(ValueError):
            check_onnx(bad)


FAKE_PIPER = """#!{python}
import math, struct, sys, wave, json
args = sys.argv[1:]
model, out = args[args.index("--model") + 1], args[args.index("--output_file") + 1]
text = sys.stdin.read()
rate = json.load(open(model + ".json"))["audio"]["sample_rate"]
with open({log!r}, "a") as log:
    log.write(model + "\\t" + text.strip() + "\\n")
n = rate // 2
with wave.open(out, "wb") as w:
    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)
    w.writeframes(b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 300 * i / rate))) for i in range(n)))
"""


def test_synthesis_with_an_installed_voice(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    model, sha = make_voice(tmp_path)
    voice = install_piper_voice(root, model, sha, name="giong-bac")
    log = tmp_path / "piper.log"
    fake = tmp_path / "piper"
    fake.write_text(FAKE_PIPER.format(python=sys.executable, log=str(log)), encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    lib = AudioLibrary(root)
    lib.engines["piper"].executable = str(fake)  # type: ignore[attr-defined]
    asset = lib.synthesize("KẾ HOẠCH\nUBND xã thông báo.", engine="piper", voice="giong-bac")
    assert asset.engine == "piper" and asset.voice == "giong-bac"
    # two 0.5 s segments and the heading pause between them
    assert asset.duration_s == pytest.approx(0.5 + 0.8 + 0.5, abs=0.05)
    calls = [line.split("\t") for line in log.read_text(encoding="utf-8").splitlines()]
    assert [c[0] for c in calls] == [str(voice.model)] * 2
    assert [c[1] for c in calls] == ["Kế hoạch.", "Ủy ban nhân dân xã thông báo."]


def test_cli_install_and_list(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = tmp_path / "lib"
    model, sha = make_voice(tmp_path)
    assert radio_main(["tts", "voices", "install", str(model), "--sha256", "f" * 64, "--audio-dir", str(root)]) == 1
    assert "SHA-256" in capsys.readouterr().err
    assert radio_main(["tts", "voices", "install", str(model), "--sha256", sha, "--audio-dir", str(root),
                       "--name", "giong-nam"]) == 0
    assert "piper/giong-nam" in capsys.readouterr().err
    assert radio_main(["tts", "voices", "list", "--audio-dir", str(root)]) == 0
    assert capsys.readouterr().out.startswith("piper/giong-nam\tvi_VN\t16000\t")

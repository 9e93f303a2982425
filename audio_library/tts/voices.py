"""Piper voices that an operator downloaded: verified, installed under the library, selectable.

``radio tts voices install FILE --sha256 HEX`` copies a Piper voice (``FILE`` = the ``.onnx``
model, with its ``FILE.json`` config next to it) into ``<audio_dir>/voices/piper/<name>/`` after
checking that the model's SHA-256 is the one the operator expects (the voice catalogue publishes
it), that the model is a well-formed ONNX protobuf and that the config is a Piper config. Nothing
is downloaded here: stations are often offline, and a model is ~60 MB. ``AudioLibrary`` picks the
installed voices up as engine "piper", voice ``<name>``.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ..errors import AudioError

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$")
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")
MODEL_FILE, CONFIG_FILE, META_FILE = "model.onnx", "model.onnx.json", "voice.json"


@dataclass(frozen=True)
class InstalledVoice:
    name: str
    model: Path
    sha256: str
    sample_rate: int
    language: str


def voices_dir(audio_root: Path) -> Path:
    return Path(audio_root) / "voices" / "piper"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while pos < len(data) and shift < 64:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7
    raise ValueError("truncated varint")


def check_onnx(data: bytes) -> None:
    """Walk the top-level protobuf fields of an ONNX ModelProto; ValueError if it is not one.

    Without onnx/onnxruntime installed this still catches the usual broken downloads (an HTML
    error page, a truncated file, a Git LFS pointer): the wire format must parse to the last byte
    and the model must have an IR version (field 1) and a graph (field 7).
    """
    pos, seen = 0, set()
    while pos < len(data):
        key, pos = _varint(data, pos)
        field, wire = key >> 3, key & 7
        if field == 0:
            raise ValueError("field number 0")
        if wire == 0:
            _, pos = _varint(data, pos)
        elif wire == 1:
            pos += 8
        elif wire == 2:
            length, pos = _varint(data, pos)
            pos += length
        elif wire == 5:
            pos += 4
        else:
            raise ValueError(f"wire type {wire}")
        if pos > len(data):
            raise ValueError("truncated field")
        seen.add((field, wire))
    if (1, 0) not in seen or (7, 2) not in seen:
        raise ValueError("no IR version or no graph")


def check_config(config: Any) -> tuple[int, str]:
    """(sample rate, language code) of a Piper voice config; ValueError if it is not one."""
    if not isinstance(config, dict):
        raise ValueError("not a JSON object")
    audio = config.get("audio")
    rate = audio.get("sample_rate") if isinstance(audio, dict) else None
    if not isinstance(rate, int) or not 8000 <= rate <= 48000:
        raise ValueError("audio.sample_rate missing or out of range")
    if not isinstance(config.get("phoneme_id_map"), dict) or not config["phoneme_id_map"]:
        raise ValueError("phoneme_id_map missing")
    language = config.get("language")
    code = language.get("code") if isinstance(language, dict) else None
    espeak = config.get("espeak")
    espeak_voice = espeak.get("voice") if isinstance(espeak, dict) else None
    return rate, str(code or espeak_voice or "")


def install_piper_voice(audio_root: Path, model: Path, sha256: str, *, name: str | None = None,
                        config: Path | None = None) -> InstalledVoice:
    """Verify and install a Piper voice; returns it. Raises AudioError (Vietnamese) on refusal.

    Re-installing the same name replaces the voice atomically (the directory is swapped).
    """
    model = Path(model)
    config = Path(config) if config else Path(f"{model}.json")
    if not _HEX64.match(sha256 or ""):
        raise AudioError("Mã SHA-256 phải gồm đúng 64 ký tự hệ mười sáu.")
    if not model.is_file():
        raise AudioError(f"Không tìm thấy tệp mô hình giọng đọc: {model}")
    if not config.is_file():
        raise AudioError(f"Thiếu tệp cấu hình của mô hình Piper: {config}")
    name = name or model.name.removesuffix(".onnx")
    if not _NAME.match(name):
        raise AudioError("Tên giọng đọc chỉ được gồm chữ không dấu, số, '.', '_' và '-'.")
    actual = _sha256(model)
    if actual != sha256.lower():
        raise AudioError(f"Mã SHA-256 của tệp không khớp (tệp có {actual}); tệp có thể bị hỏng hoặc bị thay đổi.")
    try:
        check_onnx(model.read_bytes())
    except ValueError as exc:
        raise AudioError(f"Tệp mô hình không phải mô hình ONNX hợp lệ ({exc}).") from exc
    try:
        rate, language = check_config(json.loads(config.read_text(encoding="utf-8")))
    except (ValueError, UnicodeDecodeError) as exc:
        raise AudioError(f"Tệp cấu hình Piper không hợp lệ ({exc}).") from exc

    base = voices_dir(audio_root)
    base.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=base, prefix=".install-"))
    try:
        shutil.copyfile(model, staging / MODEL_FILE)
        shutil.copyfile(config, staging / CONFIG_FILE)
        # Verify the copy too: a full disk must not leave a half model that looks installed.
        if _sha256(staging / MODEL_FILE) != actual:
            raise AudioError("Sao chép mô hình không trọn vẹn; hãy kiểm tra dung lượng đĩa.")
        meta = {"name": name, "engine": "piper", "sha256": actual, "sample_rate": rate,
                "language": language, "source": model.name,
                "installed_at": datetime.now(UTC).isoformat(timespec="seconds")}
        (staging / META_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1), encoding="utf-8")
        target = base / name
        old = base / f".old-{name}"
        if target.exists():
            os.replace(target, old)
        os.replace(staging, target)
        shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return InstalledVoice(name, target / MODEL_FILE, actual, rate, language)


def installed_piper_voices(audio_root: Path) -> list[InstalledVoice]:
    """Voices installed under ``audio_root`` (complete installs only), sorted by name."""
    found = []
    base = voices_dir(audio_root)
    if not base.is_dir():
        return []
    for d in sorted(base.iterdir()):
        meta_path = d / META_FILE
        if d.name.startswith(".") or not meta_path.is_file() or not (d / MODEL_FILE).is_file():
            continue
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            found.append(InstalledVoice(d.name, d / MODEL_FILE, str(meta["sha256"]),
                                        int(meta["sample_rate"]), str(meta.get("language", ""))))
        except (ValueError, KeyError, TypeError):
            continue  # a damaged install is skipped, not fatal for the whole library
    return found

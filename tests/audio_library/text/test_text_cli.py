"""CLI subcommands: stand-alone ``main`` and real subprocesses with UTF-8 I/O."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from audio_library.text import cli
from sample_data import PLANS

SAMPLES = PLANS
ROOT = Path(__file__).resolve().parents[3]


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    # A C locale on the commune PC must not break Vietnamese output: force it in the child.
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONIOENCODING": "ascii", "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "audio_library.text.cli", *args],
        input=stdin.encode("utf-8"), capture_output=True, env=env, cwd=ROOT, timeout=60, check=False,
    )


def test_normalize_subprocess_utf8() -> None:
    proc = run("normalize", stdin="Kế hoạch số 4069/KH-UBND ngày 28/10/2022\n")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8").strip() == (
        "Kế hoạch số bốn nghìn không trăm sáu mươi chín, kế hoạch, Ủy ban nhân dân "
        "ngày hai mươi tám tháng mười năm hai nghìn không trăm hai mươi hai"
    )


def test_lint_ocr_file_exits_1_with_vietnamese_warnings() -> None:
    proc = run("lint", str(SAMPLES / "kien-giang-2024-106-KH-UBND.ocr.txt"))
    out = proc.stdout.decode("utf-8")
    assert proc.returncode == 1, proc.stderr
    assert "[missing_diacritics]" in out and "mất dấu" in out
    assert out.strip().splitlines()[-1].startswith("Kết quả: KHÔNG ĐẠT")


def test_lint_clean_file_from_stdin_exits_0() -> None:
    proc = run("lint", stdin=(SAMPLES / "lai-chau-2022-SVHTTDL.txt").read_text(encoding="utf-8"))
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.decode("utf-8").strip().splitlines()[-1].startswith("Kết quả: ĐẠT")


def test_lint_missing_file_exits_2_with_clear_error() -> None:
    proc = run("lint", "/khong/co/tep.txt")
    assert proc.returncode == 2
    assert "không tìm thấy tệp" in proc.stderr.decode("utf-8")


def test_register_adds_subcommands_with_func(capsys: pytest.CaptureFixture[str]) -> None:
    parser = argparse.ArgumentParser(prog="radio")
    top = parser.add_subparsers(dest="group", required=True)
    text_parser = top.add_parser("text")
    cli.register(text_parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["text", "lint", str(SAMPLES / "cam-tan-2023-giam-ngheo-thong-tin.txt")])
    assert args.func(args) == 0
    assert "Kết quả: ĐẠT" in capsys.readouterr().out
    args = parser.parse_args(["text", "normalize"])
    assert callable(args.func)


def test_main_normalize_reads_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    monkeypatch.setattr(sys, "stdin", io.StringIO("95% hộ dân"))
    assert cli.main(["normalize"]) == 0
    assert capsys.readouterr().out == "Chín mươi lăm phần trăm hộ dân\n"

"""Command-line subcommands ``normalize`` and ``lint`` (wired by the lead as ``radio text ...``).

``register(subparsers)`` adds both to an existing argparse sub-parser group; ``main`` runs them
stand-alone (``python -m audio_library.text.cli normalize < bai.txt``) for tests and scripts.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from .lint import lint
from .normalizer import NORMALIZER_VERSION, normalize

EXIT_OK, EXIT_UNFIT, EXIT_USAGE = 0, 1, 2


def _utf8(stream: TextIO) -> TextIO:
    """Commune PCs often run with a non-UTF-8 locale: force UTF-8 so Vietnamese is never mangled."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(encoding="utf-8", errors="replace")
            return stream
        except (ValueError, io.UnsupportedOperation):
            pass
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return io.TextIOWrapper(buffer, encoding="utf-8", errors="replace")
    return stream


def _cmd_normalize(args: argparse.Namespace) -> int:
    stdin, stdout = _utf8(sys.stdin), _utf8(sys.stdout)
    stdout.write(normalize(stdin.read()) + "\n")
    stdout.flush()
    return EXIT_OK


def _cmd_lint(args: argparse.Namespace) -> int:
    stdout, stderr = _utf8(sys.stdout), _utf8(sys.stderr)
    if args.file:
        try:
            with open(args.file, encoding="utf-8", errors="replace") as fh:
                text = fh.read()
        except FileNotFoundError:
            stderr.write(f"Lỗi: không tìm thấy tệp '{args.file}'.\n")
            return EXIT_USAGE
        except (IsADirectoryError, PermissionError) as exc:
            stderr.write(f"Lỗi: không đọc được tệp '{args.file}': {exc.strerror}.\n")
            return EXIT_USAGE
    else:
        text = _utf8(sys.stdin).read()
    report = lint(text)
    for warning in report.warnings:
        line = f"[{warning.code}] {warning.message}"
        if warning.excerpt:
            line += f" — «{warning.excerpt}»"
        stdout.write(line + "\n")
    verdict = "ĐẠT, có thể phát" if report.fit else "KHÔNG ĐẠT, chưa thể phát"
    stdout.write(
        f"Kết quả: {verdict}. {len(report.warnings)} cảnh báo; "
        f"tỷ lệ âm tiết không hợp lệ {report.invalid_syllable_ratio:.1%} "
        f"trên {report.syllable_count} từ; {report.foreign_word_count} từ nước ngoài (không tính).\n"
    )
    stdout.flush()
    return EXIT_OK if report.fit else EXIT_UNFIT


def register(subparsers: Any) -> None:
    """Add ``normalize`` and ``lint`` to ``subparsers`` (from ``ArgumentParser.add_subparsers``)."""
    p_norm = subparsers.add_parser(
        "normalize",
        help="chuẩn hóa văn bản hành chính thành văn bản đọc được (stdin → stdout)",
        description=f"Đọc văn bản từ stdin, in văn bản đã chuẩn hóa để đọc (phiên bản {NORMALIZER_VERSION}).",
    )
    p_norm.set_defaults(func=_cmd_normalize)
    p_lint = subparsers.add_parser(
        "lint",
        help="kiểm tra văn bản có đủ điều kiện phát thanh không",
        description="Kiểm tra lỗi mất dấu, lỗi OCR, từ viết tắt lạ, câu quá dài. Mã thoát 1 nếu không đạt.",
    )
    p_lint.add_argument("file", nargs="?", help="tệp văn bản UTF-8 (mặc định: stdin)")
    p_lint.set_defaults(func=_cmd_lint)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="radio text", description="Công cụ văn bản tiếng Việt")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    result: int = args.func(args)
    return result


if __name__ == "__main__":
    raise SystemExit(main())

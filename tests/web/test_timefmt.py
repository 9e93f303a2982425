"""Local-time helpers: display in Asia/Ho_Chi_Minh, parse what people type."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from web.timefmt import (
    TimeInputError,
    epoch_ms,
    format_epoch_ms,
    format_local,
    format_seconds,
    format_signed_ms,
    parse_local_input,
    to_input_value,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2025-11-22T06:00:00", datetime(2025, 11, 21, 23, 0, tzinfo=UTC)),
        ("2025-11-22T06:00", datetime(2025, 11, 21, 23, 0, tzinfo=UTC)),
        ("2026-01-01T00:00:59", datetime(2025, 12, 31, 17, 0, 59, tzinfo=UTC)),
        (" 2025-03-09T04:30:00 ", datetime(2025, 3, 8, 21, 30, tzinfo=UTC)),
    ],
)
def test_parse_local_input(text: str, expected: datetime) -> None:
    parsed = parse_local_input(text, VN)
    assert parsed == expected and parsed.tzinfo is UTC


@pytest.mark.parametrize("text", ["", "22/11/2025 06:00", "2025-13-01T06:00", "ngày mai"])
def test_parse_local_input_rejects_garbage_in_vietnamese(text: str) -> None:
    with pytest.raises(TimeInputError, match=r"(?i)ngày giờ phát"):
        parse_local_input(text, VN)


def test_formatting() -> None:
    at = datetime(2025, 11, 21, 23, 0, 5, tzinfo=UTC)
    assert format_local(at, VN) == "22/11/2025 06:00:05"
    assert format_local(None, VN) == "—"
    assert format_epoch_ms(epoch_ms(at) + 42, VN) == "22/11/2025 06:00:05.042"
    assert to_input_value(at, VN) == "2025-11-22T06:00:05"
    assert format_signed_ms(-3) == "-3 ms" and format_signed_ms(0) == "+0 ms"
    assert format_seconds(12_345) == "12,3" and format_seconds(None) == "—"


def test_naive_datetime_is_never_formatted_as_if_local() -> None:
    with pytest.raises(ValueError, match="naive"):
        format_local(datetime(2025, 11, 22, 6, 0), VN)


def test_epoch_ms_is_exact() -> None:
    assert epoch_ms(datetime(2025, 11, 21, 23, 0, 0, 999_999, tzinfo=UTC)) == 1_763_766_000_999

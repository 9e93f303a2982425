"""Local-time display and input: the database holds aware UTC, people read and type Asia/Ho_Chi_Minh."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext as _

from web.labels import WEEKDAY_LABELS, format_decimal, round_half_up

DISPLAY_FORMAT = "%d/%m/%Y %H:%M:%S"
# Browsers omit the seconds of a datetime-local value when they are zero, even with step=1.
INPUT_FORMATS = ("%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M")


class TimeInputError(ValueError):
    """The typed date/time cannot be read; the message is Vietnamese."""


def format_local(value: datetime | None, tz: ZoneInfo) -> str:
    if value is None:
        return "—"
    if value.tzinfo is None:
        raise ValueError("naive datetime: the database returns aware UTC")
    return value.astimezone(tz).strftime(DISPLAY_FORMAT)


def format_epoch_ms(value: int | None, tz: ZoneInfo) -> str:
    """Epoch milliseconds (as nodes report them) as local time with milliseconds."""
    if value is None:
        return "—"
    seconds, millis = divmod(value, 1000)
    local = datetime.fromtimestamp(seconds, UTC).astimezone(tz)
    return f"{local.strftime(DISPLAY_FORMAT)}.{millis:03d}"


def epoch_ms(value: datetime) -> int:
    # Integer arithmetic on the timedelta keeps exact milliseconds; float timestamps can round off by one.
    delta = value - datetime(1970, 1, 1, tzinfo=UTC)
    return (delta.days * 86_400 + delta.seconds) * 1000 + delta.microseconds // 1000


def parse_local_input(text: str, tz: ZoneInfo) -> datetime:
    """Read an HTML datetime-local value typed in local time; return aware UTC."""
    text = (text or "").strip()
    if not text:
        raise TimeInputError(_("Hãy nhập ngày giờ phát."))
    for fmt in INPUT_FORMATS:
        try:
            naive = datetime.strptime(text, fmt)
        except ValueError:
            continue
        return naive.replace(tzinfo=tz).astimezone(UTC)
    raise TimeInputError(_("Ngày giờ phát không hợp lệ (dạng đúng: ngày/tháng/năm giờ:phút:giây)."))


def to_input_value(value: datetime, tz: ZoneInfo) -> str:
    """An aware datetime as a datetime-local value, to prefill the form."""
    return value.astimezone(tz).strftime(INPUT_FORMATS[0])


def format_signed_ms(value: int | None) -> str:
    if value is None:
        return "—"
    return f"{value:+d} ms"


def format_seconds(ms: int | None) -> str:
    """Milliseconds as seconds with one decimal, rounded half up like the exports (web.labels)."""
    if ms is None:
        return "—"
    return format_decimal(round_half_up(ms / 1000, 1), format="#,##0.0")


def format_occurrence(value: datetime, tz: ZoneInfo) -> str:
    """A programme airing as people name it: "Thứ Hai 23/11/2026 06:00"."""
    local = value.astimezone(tz)
    weekday = _(list(WEEKDAY_LABELS.values())[local.weekday()])
    return f"{weekday} {local:%d/%m/%Y %H:%M}"


def format_ms(value: float | None) -> str:
    """A measured duration in milliseconds, with a Vietnamese decimal comma when it is not whole."""
    if value is None:
        return "—"
    text = f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")
    return f"{text} ms"

"""The one rounding rule for numbers people read: pages, CSV/XLSX exports and the weekly e-mail say the same.

Half up, on the decimal value (Python's round() rounds half to even and on the binary float: 1.4285 → 1.428).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def round_half_up(value: float, digits: int = 0) -> float:
    """1.4285 → 1.429 at 3 digits on every page and in every file (Python's round() would say 1.428)."""
    return float(Decimal(repr(value)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP))


def whole_seconds(ms: int | None) -> int | None:
    """Milliseconds as whole seconds, half up: 1,428,500 ms is 1,429 s on the dashboard and in the XLSX alike."""
    return None if ms is None else int(round_half_up(ms / 1000))


def percent(ratio: float | None) -> float | None:
    """A ratio as a percentage with one decimal."""
    return None if ratio is None else round_half_up(100 * ratio, 1)


def minutes(ms: int) -> float:
    return round_half_up(ms / 60_000, 1)

"""The GET /time answer (docs/protocol.md, "Clock"): built by the server, read by the node."""

from __future__ import annotations

import time


def time_answer(now_ns: int | None = None) -> dict[str, int]:
    """The server's reading: `now_ms` (every version) and `now_us`, which keeps what `now_ms` truncates (half a
    millisecond on average, a tenth of the whole skew budget). Added within protocol version 1."""
    now_ns = time.time_ns() if now_ns is None else now_ns
    return {"now_ms": now_ns // 1_000_000, "now_us": now_ns // 1_000}


def server_seconds(answer: dict[str, object]) -> float:
    """The server's reading from a GET /time answer: `now_us` when present and consistent with `now_ms`
    (a server that only truncates to whole ms is off by half a millisecond on average), else `now_ms`."""
    now_ms = int(answer["now_ms"])  # type: ignore[call-overload]  # a bad answer raises: the sample is dropped
    now_us = answer.get("now_us")
    if isinstance(now_us, int) and not isinstance(now_us, bool) and 0 <= now_us - now_ms * 1000 < 1000:
        return now_us / 1_000_000
    return now_ms / 1000

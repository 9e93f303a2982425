"""A loudspeaker's time health in words: offset, uncertainty, drift, source, and whether it can keep in step.

The figures come from the node's last heartbeat (protocol.md, "Heartbeat"); the rule for "in step" is the
agent's: an uncertainty above 20 ms (half the ~40 ms echo threshold), or a clock never checked against the
server, makes its starts out of step, which it flags in its `started` event.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from flask_babel import gettext as _

from radio.db.models import Node
from web.timefmt import format_seconds

IN_STEP_LIMIT_MS = 20  # the agent's default max_start_uncertainty_ms


@dataclass(frozen=True)
class TimeHealth:
    uncertainty: str
    drift: str
    source: str
    in_step: bool
    problem: str  # why it cannot keep in step, in words ("" when it can, or when nothing is known yet)


def source_words(source: str | None) -> str:
    return {
        "server": _("Giờ máy chủ, đo qua mạng"),
        "chrony": _("Đồng bộ NTP (chrony) của thiết bị"),
        "external": _("Nguồn giờ ngoài (GPS)"),
        "box": _("Chưa đối chiếu: đồng hồ riêng của thiết bị"),
    }.get(source or "", _("Chưa rõ"))


def drift_words(ppm: float | None) -> str:
    if ppm is None:
        return _("Chưa đo được")
    seconds_a_day = abs(ppm) * 86_400 / 1e6
    if seconds_a_day < 0.05:
        return _("Gần như không trôi")
    if ppm > 0:
        return _("Chạy nhanh %(s)s giây mỗi ngày", s=format_seconds(round(seconds_a_day * 1000)))
    return _("Chạy chậm %(s)s giây mỗi ngày", s=format_seconds(round(seconds_a_day * 1000)))


def time_health(node: Node) -> TimeHealth:
    unc = node.clock_uncertainty_ms
    uncertainty = "—" if unc is None else _("± %(ms)s ms", ms=unc)
    problem = ""
    if node.heartbeat_at is not None:
        if node.clock_source == "box" or (node.clock_source is None and node.clock_offset_ms is None):
            problem = _("Chưa đối chiếu được giờ với máy chủ: có thể phát lệch với các cụm loa khác.")
        elif unc is not None and unc > IN_STEP_LIMIT_MS:
            problem = _("Sai số đồng hồ ± %(ms)s ms (giới hạn %(limit)s ms): có thể phát lệch với các cụm loa khác.",
                        ms=unc, limit=IN_STEP_LIMIT_MS)
    return TimeHealth(uncertainty, drift_words(node.clock_drift_ppm), source_words(node.clock_source),
                      not problem, problem)


def flagged_out_of_step(detail: str | None) -> bool:
    """Whether the node said in its `started` event that it started out of step (protocol.md)."""
    if not detail:
        return False
    try:
        obj = json.loads(detail)
    except ValueError:
        return False
    return isinstance(obj, dict) and bool(obj.get("out_of_step"))


def start_timing_words(started_at_ms: int | None, offset_ms: int | None, uncertainty_ms: int | None,
                       flagged: bool) -> str:
    """How far one as-run start can be trusted, in words: unverified, possibly out of step, or ± N ms."""
    if started_at_ms is None:
        return "—"
    if offset_ms is None and uncertainty_ms is None:
        return _("Chưa kiểm chứng (giờ của thiết bị chưa đối chiếu)")
    if flagged or (uncertainty_ms is not None and uncertainty_ms > IN_STEP_LIMIT_MS):
        return _("Có thể lệch: sai số ± %(ms)s ms", ms=uncertainty_ms if uncertainty_ms is not None else "?")
    return _("± %(ms)s ms", ms=uncertainty_ms if uncertainty_ms is not None else 0)

"""What an alert says, in Vietnamese and English: one table shared by the web (bell, alerts page) and the
e-mails the scheduler sends (it has no Flask-Babel), so both read the same words."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from radio.db.alerts import Alert
from station.alerts.kinds import AlertKind

TITLES: dict[str, tuple[str, str]] = {
    AlertKind.NODE_OFFLINE: ("Cụm loa mất kết nối", "Loudspeaker offline"),
    AlertKind.NOT_AIRED: ("Bản tin không phát được", "Bulletin not aired"),
    AlertKind.PARTLY_AIRED: ("Bản tin chỉ phát được một phần", "Bulletin only partly aired"),
    AlertKind.CLOCK: ("Đồng hồ cụm loa không đồng bộ được", "Loudspeaker clock cannot keep in step"),
    AlertKind.CACHE_FULL: ("Bộ nhớ cụm loa đầy", "Loudspeaker storage full"),
    AlertKind.WARNING_UNACKNOWLEDGED: ("Cảnh báo thiên tai chưa được xử lý", "Disaster warning not acknowledged"),
}

DETAILS: dict[str, tuple[str, str]] = {
    "outage": ("{node} mất kết nối từ {since}.", "{node} has been offline since {since}."),
    "flapping": ("{node} mất kết nối nhiều lần liên tiếp (lần gần nhất từ {since}).",
                 "{node} keeps dropping its connection (latest since {since})."),
    AlertKind.NOT_AIRED: ("“{title}” không phát được trên {bad}/{total} cụm loa.",
                          "“{title}” did not air on {bad} of {total} loudspeakers."),
    AlertKind.PARTLY_AIRED: ("“{title}” bị ngắt giữa chừng trên {bad}/{total} cụm loa.",
                             "“{title}” was cut short on {bad} of {total} loudspeakers."),
    AlertKind.CLOCK: ("{node}: sai số đồng hồ {uncertainty} ms, lệch {offset} ms.",
                      "{node}: clock uncertainty {uncertainty} ms, offset {offset} ms."),
    "cache": ("{node}: bộ nhớ đệm đã dùng {percent}%.", "{node}: cache {percent}% full."),
    "storage_error": ("{node} không ghi được vào ổ đĩa.", "{node} cannot write to its disk."),
    AlertKind.WARNING_UNACKNOWLEDGED: ("Cảnh báo “{title}” (cấp {level}) đang chờ lãnh đạo xã xử lý.",
                                       "Warning “{title}” (level {level}) is waiting for the commune leader."),
}


def _local(value: Any, tz: ZoneInfo) -> str:
    if not value:
        return "—"
    return datetime.fromisoformat(value).astimezone(tz).strftime("%H:%M %d/%m/%Y")


def describe(alert: Alert, tz: ZoneInfo, language: str = "vi") -> tuple[str, str]:
    """(title, sentence) of an alert in `language` ("vi" or "en"); times in the station's zone."""
    index = 1 if language == "en" else 0
    p = dict(alert.params or {})
    title = TITLES.get(alert.kind, ("Cảnh báo", "Alert"))[index]
    if alert.kind == AlertKind.NODE_OFFLINE:
        template = DETAILS[p.get("reason") or "outage"]
    elif alert.kind == AlertKind.CACHE_FULL:
        template = DETAILS["storage_error" if p.get("storage_error") else "cache"]
    else:
        template = DETAILS.get(alert.kind, ("", ""))
    values = {"node": p.get("node", ""), "since": _local(p.get("since"), tz), "title": p.get("title", ""),
              "bad": p.get("bad", 0), "total": p.get("total", 0), "percent": p.get("percent", "—"),
              "uncertainty": p.get("uncertainty_ms", "—") if p.get("uncertainty_ms") is not None else "—",
              "offset": p.get("offset_ms") if p.get("offset_ms") is not None else "—", "level": p.get("level", "")}
    return title, template[index].format(**values)

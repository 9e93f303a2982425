"""Stored notes turned into sentences people read: as-run details, reasons, bulletin notes.

Nodes report `detail` as protocol text (docs/protocol.md: `{"played_ms": 41150, "reason": "emergency"}`,
`late by 5234 ms (tolerance 5000 ms)`, ...) and the scheduler stores Vietnamese notes with UTC times. Both are kept
as they are in the database (they are the evidence); this module is the one place that says them in words, in the
user's language and local time, for the pages and the exports alike. An unknown text is shown as it is rather
than hidden.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask
from flask_babel import gettext as _

from radio.db.models import User
from web.context import get_db, radio_ctx
from web.i18n import N_, translate
from web.labels import (
    OUTCOME_LABELS,
    duration_words,
    format_number,
    label,
    lateness_words,
    minutes,
    percent,
    whole_seconds,
)
from web.lint_words import lint_lines

# Why a node stopped an item ("reason" in an interrupted detail).
STOP_REASONS: dict[str, str] = {
    "emergency": N_("nhường bản tin khẩn cấp"),
    "stop": N_("có lệnh dừng phát"),
    "agent stopped": N_("phần mềm cụm loa tắt"),
    "agent restarted during playback": N_("cụm loa khởi động lại khi đang phát"),
}
UNKNOWN_REASON = N_("không rõ lý do")


def _num(pattern: str) -> Callable[[re.Match[str]], str]:
    return lambda m: duration_words(int(m.group(pattern)))


# Node and scheduler texts with numbers in them: (pattern, Vietnamese msgid with named fields, field builders).
_PATTERNS: list[tuple[re.Pattern[str], str, dict[str, Callable[[re.Match[str]], str]]]] = [
    (re.compile(r"late by (?P<late>\d+) ms \(tolerance (?P<tol>\d+) ms\)"),
     N_("Không phát vì tới muộn %(late)s (chỉ cho phép %(tol)s) để các loa không lệch tiếng"),
     {"late": _num("late"), "tol": _num("tol")}),
    (re.compile(r"late by (?P<late>\d+) ms"), N_("Không phát vì tới muộn %(late)s"), {"late": _num("late")}),
    (re.compile(r"media not available after (?P<n>\d+) attempts"),
     N_("Không tải được âm thanh sau %(n)s lần thử: kiểm tra mạng của cụm loa"), {"n": lambda m: m.group("n")}),
]
# Fixed texts (or their start) → words.
_PREFIXES: list[tuple[str, str]] = [
    ("expired waiting for the speaker", N_("Hết hạn khi đang chờ loa phát xong bản tin khác")),
    ("expired", N_("Lệnh tới cụm loa khi đã quá giờ phát")),
    ("not addressed to this node", N_("Lệnh không dành cho cụm loa này")),
    ("bad or missing signature", N_("Lệnh không có chữ ký hợp lệ nên cụm loa không phát")),
    ("invalid:", N_("Lệnh không hợp lệ nên cụm loa không phát")),
    ("malformed:", N_("Lệnh không hợp lệ nên cụm loa không phát")),
    ("player:", N_("Lỗi trình phát âm thanh trên cụm loa")),
    ("no report from the node", N_("Cụm loa không báo kết quả")),
    ("unknown end", N_("Cụm loa báo đã bắt đầu nhưng không báo kết thúc")),
]
_NOT_STORED = N_("Cụm loa không lưu được lệnh (bộ nhớ đầy)")


def _played_json(detail: str) -> dict[str, object] | None:
    try:
        obj = json.loads(detail)
    except ValueError:
        return None
    return obj if isinstance(obj, dict) else None


def _fixed(text: str) -> str | None:
    for pattern, msgid, fields in _PATTERNS:
        if m := pattern.search(text):
            return _(msgid, **{k: build(m) for k, build in fields.items()})
    for prefix, msgid in _PREFIXES:
        if text.startswith(prefix):
            return _(msgid)
    if text.endswith("command not stored"):
        return _(_NOT_STORED)
    return None


def asrun_note(outcome: str, detail: str | None, attempt: int = 1) -> str:
    """An as-run row's note in words: "Dừng sau 41 giây: nhường bản tin khẩn cấp", "" when nothing to say."""
    text = (detail or "").strip()
    obj = _played_json(text) if text.startswith("{") else None
    replay = _("Phát lại sau khi bị ngắt") if attempt > 1 else ""
    if obj is not None:
        reason = str(obj.get("reason") or "")
        played = obj.get("played_ms")
        if not reason:
            return replay
        if reason == "stopped before start":
            return _("Huỷ trước giờ phát")
        why = _(STOP_REASONS[reason]) if reason in STOP_REASONS else reason
        if isinstance(played, int):
            return _("Dừng sau %(d)s: %(why)s", d=duration_words(played), why=why)
        return _("Dừng: %(why)s", why=why)
    if not text:
        return replay
    return _fixed(text) or translate(detail or "")  # unknown: as stored (exports neutralise formulas)


def reason_words(outcome: str, reason: str) -> str:
    """A reason from station.accounting.queries.reasons (the node's text, or the JSON's "reason") in words."""
    if reason in STOP_REASONS:
        return _(STOP_REASONS[reason])
    if reason in ("không rõ lý do", "bị dừng"):
        return _(UNKNOWN_REASON) if reason == "không rõ lý do" else _("bị dừng")
    return _fixed(reason) or translate(reason)


def reason_rows(rows: Iterable[tuple[str, str, int]]) -> list[tuple[str, str, int]]:
    """(outcome words, reason words, count): reasons that read the same (late by 5 s, late by 7 s) are merged."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for outcome, reason, n in rows:
        # Texts that differ only by their numbers or times are one reason to a reader.
        if reason.startswith("late by"):
            words = _("Không phát vì tới muộn quá giới hạn cho phép")
        elif reason.startswith("Bộ lập lịch không chạy vào giờ phát"):
            words = _("Bộ lập lịch không chạy vào giờ phát")
        else:
            words = reason_words(outcome, reason)
        counts[(label(OUTCOME_LABELS, outcome), words)] += n
    return sorted(((o, r, n) for (o, r), n in counts.items()), key=lambda t: (-t[2], t[0], t[1]))


# --- a bulletin's own note (Bulletin.status_detail) -------------------------------------------------------------
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:[+-]\d{2}:\d{2}|Z)?")
_STATUS_NOTES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Đã xếp nối tiếp do trùng giờ \(dự kiến ban đầu (?P<when>[^)]+)\)\."),
     N_("Đã xếp nối tiếp do trùng giờ (dự kiến ban đầu %(when)s).")),
    (re.compile(r"Phát muộn lúc (?P<when>\S+): bộ lập lịch không chạy vào giờ phát\."),
     N_("Phát muộn lúc %(when)s: bộ lập lịch không chạy vào giờ phát.")),
    (re.compile(r"Bộ lập lịch không chạy vào giờ phát \((?P<when>[^)]+)\)\."),
     N_("Bộ lập lịch không chạy vào giờ phát (%(when)s).")),
]


def _local(text: str, tz: ZoneInfo) -> str:
    """An ISO time stored by the server, as a local "09:00 02/12/2026"; anything else unchanged."""
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return text
    if value.tzinfo is None:
        return text
    return value.astimezone(tz).strftime("%H:%M %d/%m/%Y")


def status_note(detail: str | None, tz: ZoneInfo) -> str:
    """A bulletin's note in the user's language, its times in local time (never "2026-12-02T02:00:00+00:00")."""
    text = (detail or "").strip()
    if not text:
        return ""
    for pattern, msgid in _STATUS_NOTES:
        if m := pattern.fullmatch(text):
            return _(msgid, when=_local(m.group("when"), tz))
    return _ISO.sub(lambda m: _local(m.group(0), tz), translate(text))


_PERIODS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"Tháng (?P<m>\d+)/(?P<y>\d+)"), N_("Tháng %(m)s/%(y)s")),
    (re.compile(r"Quý (?P<q>[IV]+)/(?P<y>\d+)"), N_("Quý %(q)s/%(y)s")),
    (re.compile(r"6 tháng đầu năm (?P<y>\d+)"), N_("6 tháng đầu năm %(y)s")),
    (re.compile(r"6 tháng cuối năm (?P<y>\d+)"), N_("6 tháng cuối năm %(y)s")),
    (re.compile(r"Năm (?P<y>\d+)"), N_("Năm %(y)s")),
    (re.compile(r"Tuần (?P<w>.+)"), N_("Tuần %(w)s")),
]


def period_label(text: str) -> str:
    """A period's name from station.accounting.periods ("Tháng 11/2026") in the user's language."""
    for pattern, msgid in _PERIODS:
        if m := pattern.fullmatch(text or ""):
            return _(msgid, **m.groupdict())
    return translate(text)


# station.policy.rules refusals (Vietnamese f-strings built below the web): said again in the user's language.
_T = r"[\d: /]+"
_RULES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"Giờ yên tĩnh của địa bàn từ (?P<qs>\d\d:\d\d) đến (?P<qe>\d\d:\d\d): không phát lúc (?P<at>{_T})\. "
                r"Hãy chọn giờ từ \d\d:\d\d đến trước \d\d:\d\d\."),
     N_("Giờ yên tĩnh của địa bàn từ %(qs)s đến %(qe)s: không phát lúc %(at)s. Hãy chọn giờ từ %(qe)s đến trước "
        "%(qs)s.")),
    (re.compile(rf"Phiên phát từ (?P<at>{_T}) sẽ dài (?P<n>\d+) phút, vượt mức tối đa (?P<max>\d+) phút của địa bàn\. "
                r"Hãy chọn giờ cách phiên đó xa hơn, hoặc rút ngắn bản tin\."),
     N_("Phiên phát từ %(at)s sẽ dài %(n)s phút, vượt mức tối đa %(max)s phút của địa bàn. Hãy chọn giờ cách phiên "
        "đó xa hơn, hoặc rút ngắn bản tin.")),
    (re.compile(r"Ngày (?P<day>[\d/]+) sẽ có (?P<n>\d+) phiên phát, vượt mức tối đa (?P<max>\d+) phiên/ngày của địa "
                r"bàn\. Hãy chọn giờ sát một phiên đã có để ghép vào, hoặc chọn ngày khác\."),
     N_("Ngày %(day)s sẽ có %(n)s phiên phát, vượt mức tối đa %(max)s phiên/ngày của địa bàn. Hãy chọn giờ sát một "
        "phiên đã có để ghép vào, hoặc chọn ngày khác.")),
    (re.compile(r"Trùng giờ với bản tin “(?P<title>[^”]*)” \((?P<span>[^)]*)\) trên cùng cụm loa\. Hãy chọn giờ khác, "
                r"hoặc chọn “Xếp nối tiếp sau bản tin trước” để phát ngay sau bản tin đó\."),
     N_("Trùng giờ với bản tin “%(title)s” (%(span)s) trên cùng cụm loa. Hãy chọn giờ khác, hoặc chọn “Xếp nối tiếp "
        "sau bản tin trước” để phát ngay sau bản tin đó.")),
    (re.compile(r" \(cụm loa: (?P<names>[^)]*)\)"), N_(" (cụm loa: %(names)s)")),
]


def rule_words(message: str) -> str:
    """A scheduling refusal in the user's language: each rule sentence the station wrote, said again from its
    parts; anything else through the catalog (web.i18n.translate)."""
    text = translate(message)
    for pattern, msgid in _RULES:
        text = pattern.sub(lambda m, msgid=msgid: _(msgid, **m.groupdict()), text)
    return text


def replay_note() -> str:
    """Why a report can say "79 %" for bulletins that all aired in full."""
    return _("Bản tin bị ngắt (ví dụ nhường bản tin khẩn cấp) rồi phát lại: lượt bị ngắt và lượt phát lại đều tính "
             "vào số giây yêu cầu, nên tỷ lệ thực phát dưới %(full)s dù người nghe đã nghe trọn bản tin.", full="100 %")


_UNIT = re.compile(r"(Xã|Phường|Thị trấn|Đặc khu) (.+)")


def whole_area(name: str) -> str:
    """ "Cả xã Cẩm Tân" for "Xã Cẩm Tân" (never "Cả xã Xã Cẩm Tân"); "Cả xã An Bình" for a bare name."""
    m = _UNIT.fullmatch(name or "")
    area = f"{m.group(1).lower()} {m.group(2)}" if m else _("xã %(name)s", name=name)
    return _("Cả %(area)s", area=area)


def person_name(user_id: int | None) -> str:
    """Who did it, as colleagues know them: the full name, else the login name."""
    user = get_db().get(User, user_id) if user_id is not None else None
    if user is None:
        return _("(không rõ)")
    return user.full_name or user.username


def init_app(app: Flask) -> None:
    """The words above as template helpers, so every page says the same as the exports."""
    app.add_template_global(asrun_note, "asrun_note")
    app.add_template_global(lambda text: status_note(text, radio_ctx().tz), "status_note")
    app.add_template_global(reason_rows, "reason_rows")
    app.add_template_filter(lateness_words, "lateness")
    app.add_template_filter(period_label, "period")
    app.add_template_filter(duration_words, "duration_words")
    app.add_template_filter(format_number, "num")
    app.add_template_global(whole_seconds, "whole_seconds")
    app.add_template_global(percent, "percent")
    app.add_template_global(minutes, "minutes_of")
    app.add_template_global(replay_note, "replay_note")
    app.add_template_global(lint_lines, "lint_lines")  # web.lint_words
    app.add_template_global(person_name, "person_name")
    app.add_template_filter(whole_area, "whole_area")

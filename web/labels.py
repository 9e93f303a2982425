"""Vietnamese names for the domain's code values, shown in the UI and shared by views and templates.

The tables hold the Vietnamese msgids (marked with N_ for extraction); `label` translates on use, so the
same table serves both languages."""

from __future__ import annotations

from flask_babel import gettext

from radio.db.models import BulletinStatus, Outcome
from web.i18n import N_

PRIORITY_LABELS: dict[str, str] = {
    "normal": N_("Thường"),
    "priority": N_("Ưu tiên"),
    "emergency": N_("Khẩn cấp"),
}

STATUS_LABELS: dict[str, str] = {
    BulletinStatus.SCHEDULED: N_("Chờ phát"),
    BulletinStatus.DISPATCHED: N_("Đã gửi lệnh"),
    BulletinStatus.DONE: N_("Đã phát"),
    BulletinStatus.CANCELLED: N_("Đã huỷ"),
    BulletinStatus.MISSED: N_("Bỏ lỡ"),
}

# Disaster warnings (radio.db.alerts.WarningStatus).
WARNING_STATUS_LABELS: dict[str, str] = {
    "draft": N_("Nháp, chưa phát"),
    "active": N_("Đang phát theo chu kỳ"),
    "replaced": N_("Đã được thay thế"),
    "cancelled": N_("Đã huỷ"),
}

OUTCOME_LABELS: dict[str, str] = {
    Outcome.PENDING: N_("chờ"),
    Outcome.STARTED: N_("đang phát"),
    Outcome.COMPLETED: N_("hoàn thành"),
    Outcome.INTERRUPTED: N_("bị ngắt"),
    Outcome.FAILED: N_("lỗi"),
    Outcome.MISSED: N_("bỏ lỡ"),
    Outcome.REJECTED: N_("từ chối"),
    Outcome.CANCELLED: N_("đã huỷ"),
}

# Bulletin.kind: programme jingles are bulletins too, and must not look like articles in the lists.
KIND_LABELS: dict[str, str] = {
    "item": N_("Bản tin"),
    "sign_on": N_("Nhạc hiệu mở đầu"),
    "sign_off": N_("Nhạc hiệu kết thúc"),
}

# AreaPolicy.interrupted: what becomes of an item cut off by an emergency.
INTERRUPTED_LABELS: dict[str, str] = {
    "replay": N_("Phát lại sau"),
    "drop": N_("Bỏ qua"),
}

# APScheduler day_of_week names (never numbers: see station.programmes.occurrences), Monday first.
WEEKDAY_LABELS: dict[str, str] = {
    "mon": N_("Thứ Hai"),
    "tue": N_("Thứ Ba"),
    "wed": N_("Thứ Tư"),
    "thu": N_("Thứ Năm"),
    "fri": N_("Thứ Sáu"),
    "sat": N_("Thứ Bảy"),
    "sun": N_("Chủ Nhật"),
}

# LexiconEntry.kind: how a user entry is read.
LEXICON_KIND_LABELS: dict[str, str] = {
    "acronym": N_("Từ viết tắt"),
    "loanword": N_("Từ mượn, tên riêng nước ngoài"),
}

LANGUAGE_LABELS: dict[str, str] = {
    "vi": N_("Tiếng Việt"),
    "hmn": N_("Tiếng Mông"),
    "km": N_("Tiếng Khmer"),
    "tyz": N_("Tiếng Tày"),
}


def expand_days(days: str) -> list[str]:
    """APScheduler day names ("mon-fri,sun") as the list of single days, Monday first; unknown parts dropped."""
    names = list(WEEKDAY_LABELS)
    found: set[str] = set()
    for part in (days or "").lower().replace(" ", "").split(","):
        first, _, last = part.partition("-")
        if first in names and (not last or last in names):
            i, j = names.index(first), names.index(last or first)
            found.update(names[i : j + 1] if i <= j else names[i:] + names[: j + 1])
    return [n for n in names if n in found]


def days_label(days: str) -> str:
    expanded = expand_days(days)
    if len(expanded) == len(WEEKDAY_LABELS):
        return gettext("Hằng ngày")
    return ", ".join(gettext(WEEKDAY_LABELS[d]) for d in expanded) or "—"


def label(table: dict[str, str], code: str | None) -> str:
    """The name in the user's language, or the raw code so an unexpected value is visible rather than hidden."""
    if code is None:
        return "—"
    return gettext(table[code]) if code in table else code

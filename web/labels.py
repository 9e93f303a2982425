"""Vietnamese names for the domain's code values, shown in the UI and shared by views and templates."""

from __future__ import annotations

from radio.db.models import BulletinStatus, Outcome

PRIORITY_LABELS: dict[str, str] = {
    "normal": "Thường",
    "priority": "Ưu tiên",
    "emergency": "Khẩn cấp",
}

STATUS_LABELS: dict[str, str] = {
    BulletinStatus.SCHEDULED: "Chờ phát",
    BulletinStatus.DISPATCHED: "Đã gửi lệnh",
    BulletinStatus.DONE: "Đã phát",
    BulletinStatus.CANCELLED: "Đã huỷ",
    BulletinStatus.MISSED: "Bỏ lỡ",
}

OUTCOME_LABELS: dict[str, str] = {
    Outcome.PENDING: "chờ",
    Outcome.STARTED: "đang phát",
    Outcome.COMPLETED: "hoàn thành",
    Outcome.INTERRUPTED: "bị ngắt",
    Outcome.FAILED: "lỗi",
    Outcome.MISSED: "bỏ lỡ",
    Outcome.REJECTED: "từ chối",
    Outcome.CANCELLED: "đã huỷ",
}

# Bulletin.kind: programme jingles are bulletins too, and must not look like articles in the lists.
KIND_LABELS: dict[str, str] = {
    "item": "Bản tin",
    "sign_on": "Nhạc hiệu mở đầu",
    "sign_off": "Nhạc hiệu kết thúc",
}

# AreaPolicy.interrupted: what becomes of an item cut off by an emergency.
INTERRUPTED_LABELS: dict[str, str] = {
    "replay": "Phát lại sau",
    "drop": "Bỏ qua",
}

# APScheduler day_of_week names (never numbers: see scheduler.programmes.occurrences), Monday first.
WEEKDAY_LABELS: dict[str, str] = {
    "mon": "Thứ Hai",
    "tue": "Thứ Ba",
    "wed": "Thứ Tư",
    "thu": "Thứ Năm",
    "fri": "Thứ Sáu",
    "sat": "Thứ Bảy",
    "sun": "Chủ Nhật",
}

LANGUAGE_LABELS: dict[str, str] = {
    "vi": "Tiếng Việt",
    "hmn": "Tiếng Mông",
    "km": "Tiếng Khmer",
    "tyz": "Tiếng Tày",
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
        return "Hằng ngày"
    return ", ".join(WEEKDAY_LABELS[d] for d in expanded) or "—"


def label(table: dict[str, str], code: str | None) -> str:
    """The Vietnamese name, or the raw code so an unexpected value is visible rather than hidden."""
    if code is None:
        return "—"
    return table.get(code, code)

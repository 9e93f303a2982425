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
}

LANGUAGE_LABELS: dict[str, str] = {
    "vi": "Tiếng Việt",
    "hmn": "Tiếng Mông",
    "km": "Tiếng Khmer",
    "tyz": "Tiếng Tày",
}


def label(table: dict[str, str], code: str | None) -> str:
    """The Vietnamese name, or the raw code so an unexpected value is visible rather than hidden."""
    if code is None:
        return "—"
    return table.get(code, code)

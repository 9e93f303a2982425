"""Vietnamese names for the domain's code values, shown in the UI and shared by views and templates.

The tables hold the Vietnamese msgids (marked with N_ for extraction); `label` translates on use, so the
same table serves both languages."""

from __future__ import annotations

from flask_babel import gettext

from radio.db.models import BulletinStatus, ContentType, FieldCategory, Outcome
from radio.db.province import DeliveryMode, DeliveryStatus
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


# Article.field_category: the six lĩnh vực the province counts bulletins by.
FIELD_CATEGORY_LABELS: dict[str, str] = {
    FieldCategory.GENERAL: N_("Thông tin chung"),
    FieldCategory.URGENT: N_("Đột xuất"),
    FieldCategory.PARTY_POLICY_LAW: N_("Đường lối của Đảng, chính sách pháp luật của Nhà nước"),
    FieldCategory.LOCAL_DIRECTION: N_("Chỉ đạo điều hành của địa phương"),
    FieldCategory.SCIENCE_SOCIETY: N_("Khoa học công nghệ, kinh tế, văn hóa, xã hội"),
    FieldCategory.GOOD_DEEDS: N_("Gương người tốt việc tốt"),
}

CONTENT_TYPE_LABELS: dict[str, str] = {
    ContentType.TEXT: N_("Văn bản"),
    ContentType.IMAGE: N_("Hình ảnh"),
    ContentType.AUDIO: N_("Âm thanh"),
    ContentType.VIDEO: N_("Video"),
    ContentType.LIVE: N_("Phát trực tiếp"),
    ContentType.FM: N_("Tiếp sóng FM"),
}

DELIVERY_MODE_LABELS: dict[str, str] = {
    DeliveryMode.MUST_AIR: N_("Bắt buộc phát"),
    DeliveryMode.FOR_USE: N_("Để sử dụng"),
}

DELIVERY_STATUS_LABELS: dict[str, str] = {
    DeliveryStatus.NEW: N_("Chưa xử lý"),
    DeliveryStatus.SCHEDULED: N_("Đã lên lịch"),
    DeliveryStatus.DECLINED: N_("Từ chối"),
    DeliveryStatus.WITHDRAWN: N_("Tỉnh đã thu hồi"),
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

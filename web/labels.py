"""Vietnamese names for the domain's code values, and the one rounding rule for the numbers people read.

Shared by the pages, the CSV/XLSX exports and the audit log, so a code never reaches a person and a figure is
rounded the same way on the dashboard, in the report and in the spreadsheet. The tables hold the Vietnamese msgids
(marked with N_ for extraction); `label` translates on use, so the same table serves both languages.
Sentences built from stored notes (as-run details, bulletin notes, audit before/after) are in web/notes.py."""

from __future__ import annotations

from babel.numbers import format_decimal as babel_decimal
from flask import has_request_context
from flask_babel import get_locale, gettext

from radio.db.models import ArticleStatus, BulletinStatus, ContentType, FieldCategory, Outcome, Role
from radio.db.planning import Metric, PeriodKind
from radio.db.province import DeliveryMode, DeliveryStatus
from station.accounting.rounding import minutes as minutes
from station.accounting.rounding import percent as percent
from station.accounting.rounding import round_half_up
from station.accounting.rounding import whole_seconds as whole_seconds
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
    "playing": N_("Đang phát"),  # shown, not stored: station.airing.shown_status
}

# Article.status: the approval workflow (station.approval), as the list, the editor and the home page say it.
ARTICLE_STATUS_LABELS: dict[str, str] = {
    ArticleStatus.DRAFT: N_("Nháp"),
    ArticleStatus.SUBMITTED: N_("Chờ duyệt"),
    ArticleStatus.APPROVED: N_("Đã duyệt"),
    ArticleStatus.REJECTED: N_("Bị từ chối"),
    ArticleStatus.SCHEDULED: N_("Đã lên lịch"),
    ArticleStatus.AIRED: N_("Đã phát"),
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


# Plan targets (radio.db.planning): what is counted and over which period.
METRIC_LABELS: dict[str, str] = {
    Metric.AIRTIME_MINUTES: N_("Thời lượng phát (phút)"),
    Metric.BULLETINS: N_("Số bản tin phát thành công"),
    Metric.ARTICLES: N_("Số bài viết đã phát"),
    Metric.COVERAGE: N_("Độ phủ cụm loa (%)"),
}
PERIOD_LABELS: dict[str, str] = {
    PeriodKind.PLAN: N_("Cả kỳ kế hoạch"),
    PeriodKind.YEAR: N_("Năm"),
    PeriodKind.HALF: N_("6 tháng"),
    PeriodKind.QUARTER: N_("Quý"),
    PeriodKind.MONTH: N_("Tháng"),
}


# audio_library.text.lint warning codes; the fields are the warning's params. Said here, at the web's edge,
# because the audio library has no translations (docs/architecture.md: it imports no other package).
LINT_MESSAGES: dict[str, str] = {
    "empty": N_("Văn bản không có nội dung tiếng Việt để đọc."),
    "missing_diacritics": N_("Văn bản có vẻ đã mất dấu tiếng Việt: %(share)s số từ không có dấu. Cần gõ lại hoặc "
                             "bổ sung dấu trước khi phát."),
    "invalid_syllables": N_("Có %(invalid)s/%(total)s từ (%(share)s) không phải âm tiết tiếng Việt hợp lệ; văn bản "
                            "có thể bị lỗi nhận dạng chữ (OCR)."),
    "unknown_acronym": N_("Từ viết tắt chưa có trong từ điển: %(acronym)s (sẽ được đánh vần: %(spelled)s)."),
    "foreign_word": N_("Từ nước ngoài chưa có cách đọc: %(word)s. Có thể thêm vào từ điển (loại từ mượn) để giọng "
                       "đọc phát âm đúng."),
    "long_sentence": N_("Câu quá dài (%(words)s từ), nên tách thành các câu ngắn để đọc rõ ràng."),
}
# The same warning many times over (a 200,000-character paste) is said once, with how often.
LINT_MANY: dict[str, str] = {
    "long_sentence": N_("%(n)s câu quá dài (trên %(limit)s từ), nên tách thành các câu ngắn để đọc rõ ràng."),
}


# --- audit actions (station.audit.record's action codes) ---------------------------------------------------------
ACTION_LABELS: dict[str, str] = {
    "article.create": N_("Tạo bài viết"), "article.edit": N_("Sửa bài viết"), "article.audio": N_("Tạo/tải âm thanh"),
    "article.submit": N_("Trình lãnh đạo duyệt"), "article.approve": N_("Duyệt bài"),
    "article.reject": N_("Từ chối bài"), "article.reopen": N_("Trả về chờ duyệt lại"),
    "bulletin.create": N_("Lên lịch bản tin"), "bulletin.emergency": N_("Phát khẩn cấp"),
    "bulletin.cancel": N_("Huỷ bản tin"), "bulletin.reschedule": N_("Đổi giờ phát bản tin"),
    "programme.create": N_("Tạo chương trình"), "programme.edit": N_("Sửa chương trình"),
    "programme.slot_add": N_("Thêm giờ phát"), "programme.slot_delete": N_("Xoá giờ phát"),
    "area.policy": N_("Sửa quy định phát"), "commune_voice.set": N_("Đặt giọng đọc của xã"),
    "control.volume": N_("Đặt âm lượng"), "control.stop": N_("Dừng phát"), "lexicon.add": N_("Thêm từ vào từ điển"),
    "lexicon.delete": N_("Xoá từ khỏi từ điển"), "user.create": N_("Tạo tài khoản"), "user.edit": N_("Sửa tài khoản"),
    "user.password": N_("Đặt lại mật khẩu"), "token.create": N_("Tạo khoá API"), "token.revoke": N_("Thu hồi khoá API"),
    "login.success": N_("Đăng nhập"), "login.failure": N_("Đăng nhập sai"), "login.blocked": N_("Đăng nhập bị chặn"),
    "warning.activate": N_("Phát cảnh báo thiên tai"), "warning.air": N_("Phát lại cảnh báo theo chu kỳ"),
    "warning.cancel": N_("Huỷ cảnh báo"), "warning.replace": N_("Thay cảnh báo bằng cảnh báo mới"),
    "warning.announce_end": N_("Thông báo huỷ cảnh báo trên loa"),
    "province.send": N_("Gửi bản tin xuống các xã"), "province.receive": N_("Nhận bản tin từ hệ thống thông tin nguồn"),
    "province.audio": N_("Tải về âm thanh của bản tin tỉnh"),
    "province.schedule": N_("Xã lên lịch bản tin của tỉnh"), "province.decline": N_("Xã từ chối bản tin của tỉnh"),
    "province.withdraw": N_("Thu hồi bản tin đã gửi xã"),
}

# AuditEntry.object_type: what kind of thing an entry is about, when it has no title of its own.
OBJECT_LABELS: dict[str, str] = {
    "article": N_("Bài viết"), "bulletin": N_("Bản tin"), "programme": N_("Chương trình"), "area": N_("Khu vực"),
    "node": N_("Cụm loa"), "user": N_("Tài khoản"), "api_token": N_("Khoá API"), "lexicon_entry": N_("Từ điển"),
    "commune_voice": N_("Giọng đọc của xã"), "control_request": N_("Lệnh điều khiển loa"),
    "warning": N_("Cảnh báo thiên tai"), "province_bulletin": N_("Bản tin của tỉnh"),
    "province_delivery": N_("Bản tin tỉnh gửi xã"),
}

# The fields the audit log keeps in before/after (station.audit.snapshot and the views' own snapshots).
FIELD_LABELS: dict[str, str] = {
    "title": N_("Tiêu đề"), "body": N_("Nội dung"), "language": N_("Ngôn ngữ"), "audio_id": N_("Âm thanh"),
    "status": N_("Trạng thái"), "review_comment": N_("Ý kiến duyệt"), "priority": N_("Mức ưu tiên"),
    "start_at": N_("Giờ phát"), "occurrence_start": N_("Buổi phát"), "approval_skipped": N_("Phát không qua duyệt"),
    "targets": N_("Nơi phát"), "name": N_("Tên"), "active": N_("Đang dùng"), "area_ids": N_("Nơi phát"),
    "local_time": N_("Giờ"), "days": N_("Ngày trong tuần"), "valid_from": N_("Từ ngày"), "valid_to": N_("Đến ngày"),
    "quiet_start": N_("Giờ yên lặng từ"), "quiet_end": N_("Giờ yên lặng đến"),
    "max_session_minutes": N_("Tối đa mỗi buổi (phút)"), "max_sessions_per_day": N_("Tối đa số buổi mỗi ngày"),
    "interrupted": N_("Bản tin bị ngắt"), "late_start_window_s": N_("Cho phép phát muộn (giây)"),
    "session_gap_minutes": N_("Khoảng cách giữa hai buổi (phút)"), "username": N_("Tên đăng nhập"),
    "full_name": N_("Họ tên"), "role": N_("Vai trò"), "area_id": N_("Khu vực"), "commune_id": N_("Xã"),
    "revoked_at": N_("Thu hồi lúc"), "prefix": N_("Mã đầu khoá"), "volume": N_("Âm lượng"), "voice": N_("Giọng đọc"),
    "acronym": N_("Từ"), "expansion": N_("Cách đọc"), "kind": N_("Loại"),
    "hazard": N_("Loại thiên tai"), "level": N_("Cấp độ rủi ro"), "interval_s": N_("Chu kỳ phát lại"),
    "next_air_at": N_("Lần phát tới"), "replaced_by_id": N_("Thay bằng cảnh báo số"),
    "stopped": N_("Lượt phát bị dừng"),
    "airing": N_("Lần phát thứ"), "mode": N_("Hình thức"), "window_start": N_("Phát từ"), "window_end": N_("Phát đến"),
    "field_category": N_("Lĩnh vực"), "origin_area_id": N_("Nơi gửi"), "reason": N_("Lý do"),
    "withdrawn": N_("Số xã bị thu hồi"), "external_id": N_("Mã bản tin bên gửi"), "communes": N_("Các xã nhận"),
}

ROLE_LABELS: dict[str, str] = {
    Role.ADMIN: N_("Quản trị hệ thống"), Role.MONITOR: N_("Giám sát (tỉnh/xã, chỉ xem)"),
    Role.BROADCASTER: N_("Cán bộ đài truyền thanh"), Role.LEADER: N_("Lãnh đạo xã (duyệt nội dung)"),
}

ARTICLE_STATUS_LABELS: dict[str, str] = {
    "draft": N_("Nháp"), "submitted": N_("Chờ duyệt"), "approved": N_("Đã duyệt"), "rejected": N_("Bị từ chối"),
    "scheduled": N_("Đã lên lịch"), "aired": N_("Đã phát"),
}


# --- numbers: one rounding rule (half up, never banker's) for pages, reports and exports ------------------------
def format_decimal(value: float | int, format: str) -> str:
    """Babel's number format in the user's language; Vietnamese outside a request (the source language)."""
    locale = get_locale() if has_request_context() else None
    return babel_decimal(value, format=format, locale=str(locale) if locale else "vi")


def format_number(value: float | int | None, digits: int = 1) -> str:
    """A number in the user's language: "100.000" and "1,5" in Vietnamese, "100,000" and "1.5" in English."""
    if value is None:
        return "—"
    if isinstance(value, int) or float(value).is_integer():
        return format_decimal(int(value), format="#,##0")
    return format_decimal(round_half_up(value, digits), format="#,##0." + "#" * digits)


def size_words(n_bytes: int) -> str:
    """A size limit as people read it: 52,428,800 bytes is "50 MB" (binary megabytes, as the setting is written)."""
    if n_bytes >= 1024 * 1024:
        return f"{format_number(n_bytes / (1024 * 1024))} MB"
    return f"{format_number(n_bytes / 1024)} kB"


# --- durations and lateness in words ----------------------------------------------------------------------------
def duration_words(ms: int | float | None) -> str:
    """41 150 ms → "41 giây"; 67 344 ms → "1 phút 7 giây"; under a second: "0,3 giây"."""
    if ms is None:
        return "—"
    ms = abs(ms)
    if ms < 1000:
        return gettext("%(n)s giây", n=format_number(round_half_up(ms / 1000, 1)))
    total = int(round_half_up(ms / 1000))
    hours, rest = divmod(total, 3600)
    mins, secs = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(gettext("%(n)s giờ", n=hours))
    if mins:
        parts.append(gettext("%(n)s phút", n=mins))
    if secs or not parts:
        parts.append(gettext("%(n)s giây", n=secs))
    return " ".join(parts)


ON_TIME_MS = 50  # within this a start is "on time" to a listener (the echo threshold is about 40 ms)


def lateness_words(ms: int | float | None) -> str:
    """A start error as people say it: "đúng giờ", "trễ 1 phút 7 giây", "sớm 2 giây"."""
    if ms is None:
        return "—"
    if abs(ms) <= ON_TIME_MS:
        return gettext("đúng giờ")
    if ms > 0:
        return gettext("trễ %(d)s", d=duration_words(ms))
    return gettext("sớm %(d)s", d=duration_words(ms))

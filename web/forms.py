"""WTForms forms with Vietnamese messages (WTForms ships no Vietnamese translation)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    PasswordField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from web.labels import INTERRUPTED_LABELS, LANGUAGE_LABELS, PRIORITY_LABELS, WEEKDAY_LABELS

try:  # WTForms >= 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms

    def SelectChoice(value: Any, label: str) -> Any:  # type: ignore[no-redef]
        return (value, label)


def choices(pairs: Any) -> list[Any]:
    """(value, label) pairs as WTForms choices, whichever WTForms version is installed."""
    return [SelectChoice(value, label) for value, label in pairs]

# Built-in messages a tampered or odd request can still trigger; everything else passes message=.
_VI: dict[str, str] = {
    "This field is required.": "Trường này là bắt buộc.",
    "Not a valid choice.": "Lựa chọn không hợp lệ.",
    "Invalid Choice: could not coerce.": "Lựa chọn không hợp lệ.",
    "Invalid choice(s): one or more data inputs could not be coerced.": "Lựa chọn không hợp lệ.",
    "The CSRF token is missing.": "Phiên làm việc đã hết hạn, hãy thử lại.",
    "The CSRF token is invalid.": "Phiên làm việc đã hết hạn, hãy thử lại.",
    "The CSRF token has expired.": "Phiên làm việc đã hết hạn, hãy thử lại.",
    "Not a valid integer value.": "Hãy nhập một số nguyên.",
    "'%(value)s' is not a valid choice for this field.": "Lựa chọn không hợp lệ: %(value)s.",
    "'%(value)s' are not valid choices for this field.": "Lựa chọn không hợp lệ: %(value)s.",
    "Not a valid time value.": "Giờ không hợp lệ (dạng đúng: giờ:phút).",
    "Not a valid date value.": "Ngày không hợp lệ.",
}


class _ViTranslations:
    def gettext(self, string: str) -> str:
        return _VI.get(string, string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class ViForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> _ViTranslations:
            return _ViTranslations()


class LoginForm(ViForm):
    username = StringField("Tên đăng nhập", validators=[DataRequired("Hãy nhập tên đăng nhập.")])
    password = PasswordField("Mật khẩu", validators=[DataRequired("Hãy nhập mật khẩu.")])


class ArticleForm(ViForm):
    title = StringField(
        "Tiêu đề",
        validators=[
            DataRequired("Tiêu đề không được để trống."),
            Length(max=300, message="Tiêu đề dài quá 300 ký tự."),
        ],
    )
    body = TextAreaField("Nội dung", validators=[DataRequired("Nội dung không được để trống.")])
    language = SelectField("Ngôn ngữ", choices=choices(LANGUAGE_LABELS.items()), default="vi")


class UploadForm(ViForm):
    file = FileField("Tệp âm thanh", validators=[FileRequired("Hãy chọn một tệp âm thanh.")])


class BulletinForm(ViForm):
    article_id = SelectField("Bài viết", coerce=int, validators=[DataRequired("Hãy chọn bài viết.")])
    priority = RadioField("Mức ưu tiên", choices=choices(PRIORITY_LABELS.items()), default="normal")
    # Parsed by web.timefmt so the error is Vietnamese and the time zone explicit.
    start_local = StringField("Thời điểm phát (giờ Việt Nam)")
    placement = RadioField("Thời điểm phát", default="time",
                           choices=choices([("time", "Giờ cụ thể"), ("programme", "Trong chương trình")]))
    # "<programme id>@<epoch seconds>"; checked against the user's programmes in the view, by the service after.
    occurrence = SelectField("Buổi phát của chương trình", validate_choice=False)
    on_overlap = RadioField("Khi trùng giờ", default="refuse", choices=choices(
        [("refuse", "Từ chối"), ("queue", "Xếp nối tiếp sau bản tin trước")]))
    # Choices are checked against the user's scope in the view and against the DB by the service.
    area_ids = SelectMultipleField("Nơi phát", coerce=int, validate_choice=False)
    node_ids = SelectMultipleField("Cụm loa riêng lẻ", validate_choice=False)
    # Checked in the view, not here: it only matters when the priority is emergency.
    confirm_emergency = BooleanField("Tôi xác nhận phát khẩn cấp ngay")


def _minutes(label: str, *, low: int = 0) -> IntegerField:
    """An optional whole number of minutes/sessions: empty means "inherit from the parent area"."""
    rule = "phải lớn hơn 0" if low > 0 else "không được là số âm"
    return IntegerField(
        label,
        validators=[Optional(), NumberRange(min=low, max=1440, message=f"{label}: {rule} và không quá 1440.")],
        invalid_value_message=f"{label}: hãy nhập một số nguyên.",
    )


class AreaPolicyForm(ViForm):
    quiet_start = TimeField("Giờ yên tĩnh bắt đầu", validators=[Optional()], format=["%H:%M", "%H:%M:%S"],
                            invalid_value_message="Giờ yên tĩnh bắt đầu không hợp lệ (dạng đúng: giờ:phút).")
    quiet_end = TimeField("Giờ yên tĩnh kết thúc", validators=[Optional()], format=["%H:%M", "%H:%M:%S"],
                          invalid_value_message="Giờ yên tĩnh kết thúc không hợp lệ (dạng đúng: giờ:phút).")
    max_session_minutes = _minutes("Thời lượng tối đa mỗi phiên (phút)", low=1)
    max_sessions_per_day = _minutes("Số phiên tối đa mỗi ngày")
    interrupted = SelectField("Bản tin bị ngắt bởi tin khẩn cấp",
                              choices=choices([("", "Theo khu vực cấp trên"), *INTERRUPTED_LABELS.items()]))
    late_start_minutes = _minutes("Cho phép phát trễ sau khi máy lập lịch gián đoạn (phút)")
    session_gap_minutes = _minutes("Khoảng nghỉ tách hai phiên (phút)")


class ProgrammeForm(ViForm):
    name = StringField("Tên chương trình", validators=[DataRequired("Tên chương trình không được để trống."),
                                                      Length(max=200, message="Tên dài quá 200 ký tự.")])
    # Checked against the user's communes in the view, with a message saying so.
    commune_id = SelectField("Xã", coerce=int, validate_choice=False, validators=[DataRequired("Hãy chọn xã.")])
    area_ids = SelectMultipleField("Nơi phát", coerce=int, validate_choice=False)
    # 0 = no jingle; an uploaded file takes precedence over the choice.
    sign_on_audio_id = SelectField("Nhạc hiệu mở đầu", coerce=int, validate_choice=False, default=0)
    sign_off_audio_id = SelectField("Nhạc hiệu kết thúc", coerce=int, validate_choice=False, default=0)
    sign_on_file = FileField("Hoặc tải lên nhạc hiệu mở đầu")
    sign_off_file = FileField("Hoặc tải lên nhạc hiệu kết thúc")
    active = BooleanField("Đang hoạt động", default=True)


class SlotForm(ViForm):
    local_time = TimeField("Giờ phát (giờ Việt Nam)", validators=[InputRequired("Hãy nhập giờ phát.")],
                           format=["%H:%M", "%H:%M:%S"],
                           invalid_value_message="Giờ phát không hợp lệ (dạng đúng: giờ:phút).")
    days = SelectMultipleField("Các ngày trong tuần", choices=choices(WEEKDAY_LABELS.items()),
                               validators=[DataRequired("Hãy chọn ít nhất một ngày trong tuần.")])
    valid_from = DateField("Áp dụng từ ngày", validators=[Optional()],
                           invalid_value_message="Ngày bắt đầu áp dụng không hợp lệ.")
    valid_to = DateField("Đến ngày", validators=[Optional()], invalid_value_message="Ngày kết thúc không hợp lệ.")


class VolumeForm(ViForm):
    volume = IntegerField("Âm lượng", validators=[InputRequired("Hãy nhập âm lượng (0-100)."),
                                                  NumberRange(min=0, max=100, message="Âm lượng phải từ 0 đến 100.")],
                          invalid_value_message="Âm lượng phải là số nguyên từ 0 đến 100.")

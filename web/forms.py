"""WTForms forms with Vietnamese messages (WTForms ships no Vietnamese translation)."""

from __future__ import annotations

from typing import Any

from flask_babel import LazyString, gettext
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
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from audio_library.library import MAX_TEXT_CHARS
from web.i18n import N_, _l
from web.labels import (
    CONTENT_TYPE_LABELS,
    FIELD_CATEGORY_LABELS,
    INTERRUPTED_LABELS,
    LANGUAGE_LABELS,
    PRIORITY_LABELS,
    WEEKDAY_LABELS,
    format_number,
)

MAX_BODY_CHARS = MAX_TEXT_CHARS  # what speech synthesis accepts (audio_library): the form refuses more at save

try:  # WTForms >= 3.3 deprecates (value, label) tuples in favour of SelectChoice
    from wtforms import SelectChoice
except ImportError:  # pragma: no cover - older WTForms

    def SelectChoice(value: Any, label: str) -> Any:  # type: ignore[no-redef]
        return (value, label)


def choices(pairs: Any) -> list[Any]:
    """(value, label) pairs as WTForms choices, whichever WTForms version is installed."""
    return [SelectChoice(value, label) for value, label in pairs]


def lazy_choices(pairs: Any) -> list[Any]:
    """Choices from a label table (web.labels): translated when rendered, not when the class is built."""
    return choices((value, _l(label)) for value, label in pairs)

# Built-in messages a tampered or odd request can still trigger; everything else passes message=.
_VI: dict[str, str] = {
    "This field is required.": N_("Trường này là bắt buộc."),
    "Not a valid choice.": N_("Lựa chọn không hợp lệ."),
    "Invalid Choice: could not coerce.": N_("Lựa chọn không hợp lệ."),
    "Invalid choice(s): one or more data inputs could not be coerced.": N_("Lựa chọn không hợp lệ."),
    "The CSRF token is missing.": N_("Phiên làm việc đã hết hạn, hãy thử lại."),
    "The CSRF token is invalid.": N_("Phiên làm việc đã hết hạn, hãy thử lại."),
    "The CSRF token has expired.": N_("Phiên làm việc đã hết hạn, hãy thử lại."),
    "Not a valid integer value.": N_("Hãy nhập một số nguyên."),
    "'%(value)s' is not a valid choice for this field.": N_("Lựa chọn không hợp lệ: %(value)s."),
    "'%(value)s' are not valid choices for this field.": N_("Lựa chọn không hợp lệ: %(value)s."),
    "Not a valid time value.": N_("Giờ không hợp lệ (dạng đúng: giờ:phút)."),
    "Not a valid date value.": N_("Ngày không hợp lệ."),
}


class _ViTranslations:
    def gettext(self, string: str) -> str:
        # Vietnamese first (the msgid), then into the user's language.
        return gettext(_VI.get(string, string))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class ViForm(FlaskForm):
    class Meta:
        def get_translations(self, form: Any) -> _ViTranslations:
            return _ViTranslations()


class LoginForm(ViForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Hãy nhập tên đăng nhập."))])
    password = PasswordField(_l("Mật khẩu"), validators=[DataRequired(_l("Hãy nhập mật khẩu."))])


def body_limit(_form: Any, field: Any) -> None:
    """Refuse at save what speech would refuse at render, saying the limit and by how much it is over."""
    # Browsers send a line break as CRLF but count it as one character (maxlength): count it once here too.
    length = len((field.data or "").replace("\r\n", "\n").strip())
    if length > MAX_BODY_CHARS:
        raise ValidationError(gettext(
            "Nội dung dài %(n)s ký tự, quá giới hạn %(limit)s ký tự (khoảng một tiếng rưỡi đọc). Hãy tách thành "
            "nhiều bài.", n=format_number(length), limit=format_number(MAX_BODY_CHARS)))


class ArticleForm(ViForm):
    title = StringField(
        _l("Tiêu đề"),
        validators=[
            DataRequired(_l("Tiêu đề không được để trống.")),
            Length(max=300, message=_l("Tiêu đề dài quá 300 ký tự.")),
        ],
    )
    body = TextAreaField(_l("Nội dung"), validators=[DataRequired(_l("Nội dung không được để trống.")), body_limit],
                         render_kw={"maxlength": MAX_BODY_CHARS})
    language = SelectField(_l("Ngôn ngữ"), choices=lazy_choices(LANGUAGE_LABELS.items()), default="vi")
    # Bulletin metadata (issue 16): what the province counts and the HTTT nguồn carries.
    # Checked in the view (web.articles._apply_metadata): a form posted without them keeps the stored values.
    field_category = SelectField(_l("Lĩnh vực"), default="", validate_choice=False, choices=lazy_choices(
        [("", N_("Chưa phân loại")), *FIELD_CATEGORY_LABELS.items()]))
    content_type = SelectField(_l("Loại nội dung"), default="text", validate_choice=False,
                               choices=lazy_choices(CONTENT_TYPE_LABELS.items()))
    author_name = StringField(_l("Tác giả (họ và tên)"), validators=[
        Length(max=200, message=_l("Tên tác giả dài quá 200 ký tự."))])
    pen_name = StringField(_l("Bút danh"), validators=[Length(max=200, message=_l("Bút danh dài quá 200 ký tự."))])
    summary = TextAreaField(_l("Tóm tắt"), validators=[Length(max=2000, message=_l("Tóm tắt dài quá 2000 ký tự."))])
    # Parsed by web.timefmt in the view (Asia/Ho_Chi_Minh), so the error is Vietnamese and the zone explicit.
    produced_local = StringField(_l("Thời gian sản xuất (giờ Việt Nam)"))
    source = StringField(_l("Nguồn tin"), validators=[Length(max=300, message=_l("Nguồn tin dài quá 300 ký tự."))])


class UploadForm(ViForm):
    file = FileField(_l("Tệp âm thanh"), validators=[FileRequired(_l("Hãy chọn một tệp âm thanh."))])


class BulletinForm(ViForm):
    article_id = SelectField(_l("Bài viết"), coerce=int, validators=[DataRequired(_l("Hãy chọn bài viết."))])
    priority = RadioField(_l("Mức ưu tiên"), choices=lazy_choices(PRIORITY_LABELS.items()), default="normal")
    # Parsed by web.timefmt so the error is Vietnamese and the time zone explicit.
    start_local = StringField(_l("Thời điểm phát (giờ Việt Nam)"))
    placement = RadioField(_l("Thời điểm phát"), default="time",
                           choices=lazy_choices([("time", N_("Giờ cụ thể")), ("programme", N_("Trong chương trình"))]))
    # "<programme id>@<epoch seconds>"; checked against the user's programmes in the view, by the service after.
    occurrence = SelectField(_l("Buổi phát của chương trình"), validate_choice=False)
    on_overlap = RadioField(_l("Khi trùng giờ"), default="refuse", choices=lazy_choices(
        [("refuse", N_("Từ chối")), ("queue", N_("Xếp nối tiếp sau bản tin trước"))]))
    # Choices are checked against the user's scope in the view and against the DB by the service.
    area_ids = SelectMultipleField(_l("Nơi phát"), coerce=int, validate_choice=False)
    node_ids = SelectMultipleField(_l("Cụm loa riêng lẻ"), validate_choice=False)
    # Checked in the view, not here: it only matters when the priority is emergency.
    confirm_emergency = BooleanField(_l("Tôi xác nhận phát khẩn cấp ngay"))


def _minutes(label: str, *, low: int = 0) -> IntegerField:
    """An optional whole number of minutes/sessions: empty means "inherit from the parent area".

    `label` is a Vietnamese msgid; the messages that repeat it are built lazily so they follow the language."""
    rule = N_("phải lớn hơn 0") if low > 0 else N_("không được là số âm")
    return IntegerField(
        _l(label),
        validators=[Optional(), NumberRange(min=low, max=1440, message=LazyString(
            lambda: gettext("%(label)s: %(rule)s và không quá 1440.", label=gettext(label), rule=gettext(rule))))],
        invalid_value_message=LazyString(lambda: gettext("%(label)s: hãy nhập một số nguyên.", label=gettext(label))),
    )


class AreaPolicyForm(ViForm):
    quiet_start = TimeField(_l("Giờ yên tĩnh bắt đầu"), validators=[Optional()], format=["%H:%M", "%H:%M:%S"],
                            invalid_value_message=_l("Giờ yên tĩnh bắt đầu không hợp lệ (dạng đúng: giờ:phút)."))
    quiet_end = TimeField(_l("Giờ yên tĩnh kết thúc"), validators=[Optional()], format=["%H:%M", "%H:%M:%S"],
                          invalid_value_message=_l("Giờ yên tĩnh kết thúc không hợp lệ (dạng đúng: giờ:phút)."))
    max_session_minutes = _minutes(N_("Thời lượng tối đa mỗi phiên (phút)"), low=1)
    max_sessions_per_day = _minutes(N_("Số phiên tối đa mỗi ngày"))
    interrupted = SelectField(_l("Bản tin bị ngắt bởi tin khẩn cấp"),
                              choices=lazy_choices([("", N_("Theo khu vực cấp trên")), *INTERRUPTED_LABELS.items()]))
    late_start_minutes = _minutes(N_("Cho phép phát trễ sau khi máy lập lịch gián đoạn (phút)"))
    session_gap_minutes = _minutes(N_("Khoảng nghỉ tách hai phiên (phút)"))


class ProgrammeForm(ViForm):
    name = StringField(_l("Tên chương trình"), validators=[DataRequired(_l("Tên chương trình không được để trống.")),
                                                      Length(max=200, message=_l("Tên dài quá 200 ký tự."))])
    # Checked against the user's communes in the view, with a message saying so.
    commune_id = SelectField(_l("Xã"), coerce=int, validate_choice=False, validators=[DataRequired(_l("Hãy chọn xã."))])
    area_ids = SelectMultipleField(_l("Nơi phát"), coerce=int, validate_choice=False)
    # 0 = no jingle; an uploaded file takes precedence over the choice.
    sign_on_audio_id = SelectField(_l("Nhạc hiệu mở đầu"), coerce=int, validate_choice=False, default=0)
    sign_off_audio_id = SelectField(_l("Nhạc hiệu kết thúc"), coerce=int, validate_choice=False, default=0)
    sign_on_file = FileField(_l("Hoặc tải lên nhạc hiệu mở đầu"))
    sign_off_file = FileField(_l("Hoặc tải lên nhạc hiệu kết thúc"))
    active = BooleanField(_l("Đang hoạt động"), default=True)


class SlotForm(ViForm):
    local_time = TimeField(_l("Giờ phát (giờ Việt Nam)"), validators=[InputRequired(_l("Hãy nhập giờ phát."))],
                           format=["%H:%M", "%H:%M:%S"],
                           invalid_value_message=_l("Giờ phát không hợp lệ (dạng đúng: giờ:phút)."))
    days = SelectMultipleField(_l("Các ngày trong tuần"), choices=lazy_choices(WEEKDAY_LABELS.items()),
                               validators=[DataRequired(_l("Hãy chọn ít nhất một ngày trong tuần."))])
    valid_from = DateField(_l("Áp dụng từ ngày"), validators=[Optional()],
                           invalid_value_message=_l("Ngày bắt đầu áp dụng không hợp lệ."))
    valid_to = DateField(_l("Đến ngày"), validators=[Optional()],
                         invalid_value_message=_l("Ngày kết thúc không hợp lệ."))


class VolumeForm(ViForm):
    volume = IntegerField(_l("Âm lượng"), validators=[
        InputRequired(_l("Hãy nhập âm lượng (0-100).")),
        NumberRange(min=0, max=100, message=_l("Âm lượng phải từ 0 đến 100."))],
                          invalid_value_message=_l("Âm lượng phải là số nguyên từ 0 đến 100."))

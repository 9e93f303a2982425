"""WTForms forms with Vietnamese messages (WTForms ships no Vietnamese translation)."""

from __future__ import annotations

from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import PasswordField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from web.labels import LANGUAGE_LABELS, PRIORITY_LABELS

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
    # Choices are checked against the user's scope in the view and against the DB by the service.
    area_ids = SelectMultipleField("Nơi phát", coerce=int, validate_choice=False)

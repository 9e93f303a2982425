"""Forms of the province layer: sending an item down, scheduling it in a commune, declining it."""

from __future__ import annotations

from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from web.forms import ViForm, lazy_choices
from web.i18n import N_, _l
from web.labels import DELIVERY_MODE_LABELS


class SendForm(ViForm):
    # Checked against the sender's province by station.distribution, with a message saying so.
    commune_ids = SelectMultipleField(_l("Các xã nhận"), coerce=int, validate_choice=False)
    mode = RadioField(_l("Hình thức"), choices=lazy_choices(DELIVERY_MODE_LABELS.items()), default="for_use")
    # Parsed by web.timefmt (Asia/Ho_Chi_Minh); required only for "must air".
    window_start = StringField(_l("Phát từ (giờ Việt Nam)"))
    window_end = StringField(_l("Phát đến (giờ Việt Nam)"))


class InboxScheduleForm(ViForm):
    start_local = StringField(_l("Thời điểm phát (giờ Việt Nam)"))
    area_ids = SelectMultipleField(_l("Nơi phát"), coerce=int, validate_choice=False)
    on_overlap = RadioField(_l("Khi trùng giờ"), default="refuse", choices=lazy_choices(
        [("refuse", N_("Từ chối")), ("queue", N_("Xếp nối tiếp sau bản tin trước"))]))


class DeclineForm(ViForm):
    reason = TextAreaField(_l("Lý do không phát"), validators=[
        DataRequired(_l("Hãy ghi lý do không phát để tỉnh biết.")),
        Length(max=1000, message=_l("Lý do dài quá 1000 ký tự."))])

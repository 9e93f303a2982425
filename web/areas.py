"""Area airtime rules: quiet hours, session caps, emergency interruption fate, late-start window.

Each area stores only what it sets itself; an empty field inherits from the parent area. The page shows
the effective value the scheduler will apply (station.policy.areas.policy_for_area) and where it comes from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import time
from typing import Any

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import Area, AreaLevel, AreaPolicyRow
from station.policy.areas import policy_for_area
from station.policy.rules import DEFAULT_POLICY
from station.targets import area_chain
from web.audit import log_action
from web.context import get_db
from web.forms import AreaPolicyForm
from web.i18n import N_
from web.labels import INTERRUPTED_LABELS, label
from web.scope import area_in_scope, scope_root

bp = Blueprint("areas", __name__, url_prefix="/areas")

LEVEL_LABELS = {AreaLevel.PROVINCE: N_("Tỉnh/thành phố"), AreaLevel.COMMUNE: N_("Xã/phường"),
                AreaLevel.VILLAGE: N_("Thôn/ấp/bản")}
POLICY_FIELDS = ("quiet_start", "quiet_end", "max_session_minutes", "max_sessions_per_day", "interrupted",
                 "late_start_window_s", "session_gap_minutes")


def _clock(value: time) -> str:
    return f"{value:%H:%M}"


def _late(seconds: int) -> str:
    return _("%(n)s phút", n=seconds // 60) if seconds % 60 == 0 else _("%(n)s giây", n=seconds)


# (field, label, how to show a value, what "not set anywhere" means for that rule)
RULES: tuple[tuple[str, str, Callable[[Any], str], str], ...] = (
    ("quiet_start", N_("Giờ yên tĩnh bắt đầu"), _clock, N_("Không có giờ yên tĩnh")),
    ("quiet_end", N_("Giờ yên tĩnh kết thúc"), _clock, N_("Không có giờ yên tĩnh")),
    ("max_session_minutes", N_("Thời lượng tối đa mỗi phiên"), lambda v: _("%(n)s phút", n=v), N_("Không giới hạn")),
    ("max_sessions_per_day", N_("Số phiên tối đa mỗi ngày"), lambda v: _("%(n)s phiên", n=v), N_("Không giới hạn")),
    ("interrupted", N_("Bản tin bị ngắt bởi tin khẩn cấp"), lambda v: label(INTERRUPTED_LABELS, v), "—"),
    ("late_start_window_s", N_("Cho phép phát trễ sau gián đoạn"), _late, N_("Không cho phát trễ")),
    ("session_gap_minutes", N_("Khoảng nghỉ tách hai phiên"), lambda v: _("%(n)s phút", n=v), "—"),
)


@dataclass(frozen=True)
class EffectiveRule:
    label: str
    value: str
    source: str


def effective_rules(db: Session, area: Area) -> list[EffectiveRule]:
    """What the scheduler applies for this area, rule by rule, naming the area (or default) it comes from."""
    chain = area_chain(db, area.id)
    rows = {r.area_id: r for r in db.scalars(
        select(AreaPolicyRow).where(AreaPolicyRow.area_id.in_([a.id for a in chain])))}
    policy = policy_for_area(db, area.id)
    result = []
    for name, text, show, unset in RULES:
        value = getattr(policy, name)
        owner = next((a for a in chain if a.id in rows and getattr(rows[a.id], name) is not None), None)
        if owner is not None:
            source = _("Đặt tại khu vực này") if owner.id == area.id else _("Kế thừa từ %(name)s", name=owner.name)
        elif value is not None and getattr(DEFAULT_POLICY, name) is not None:
            source = _("Mặc định của hệ thống")
        else:
            source = _("Chưa đặt ở đâu")
        result.append(EffectiveRule(_(text), show(value) if value is not None else _(unset), source))
    return result


def _get_area(area_id: int) -> Area:
    db = get_db()
    area = db.get(Area, area_id)
    if area is None:
        abort(404)
    if not area_in_scope(db, current_user.area_id, area_id):
        abort(403)
    return area


@bp.get("/")
def index() -> ResponseReturnValue:
    db = get_db()
    root = scope_root(db, current_user.area_id)
    # The user's own area and the level below it; deeper levels are one click away on each area's page,
    # so a national account does not load tens of thousands of villages at once.
    roots = [root] if root is not None else list(
        db.scalars(select(Area).where(Area.parent_id.is_(None)).order_by(Area.code)))
    shown = [a.id for r in roots for a in (r, *r.children)]
    return render_template("areas/list.html", roots=roots, own_rules=_with_rules(db, shown), levels=LEVEL_LABELS)


def _with_rules(db: Session, area_ids: list[int]) -> set[int]:
    """Which of these areas set rules of their own (a badge in the lists)."""
    return set(db.scalars(select(AreaPolicyRow.area_id).where(AreaPolicyRow.area_id.in_(area_ids))))


def _form_from_row(form: AreaPolicyForm, row: AreaPolicyRow | None) -> None:
    if row is None:
        return
    for name in ("quiet_start", "quiet_end", "max_session_minutes", "max_sessions_per_day", "session_gap_minutes"):
        getattr(form, name).data = getattr(row, name)
    form.interrupted.data = row.interrupted or ""
    # Stored in seconds for the scheduler; people think of this window in minutes.
    late = row.late_start_window_s
    form.late_start_minutes.data = None if late is None else round(late / 60)


def _cross_field_error(form: AreaPolicyForm) -> str | None:
    if (form.quiet_start.data is None) != (form.quiet_end.data is None):
        return _("Hãy nhập cả giờ bắt đầu và giờ kết thúc yên tĩnh, hoặc để trống cả hai.")
    if form.quiet_start.data is not None and form.quiet_start.data == form.quiet_end.data:
        return _("Giờ bắt đầu và giờ kết thúc yên tĩnh không được trùng nhau.")
    return None


def _save(db: Session, area: Area, form: AreaPolicyForm) -> None:
    values: dict[str, Any] = {
        "quiet_start": form.quiet_start.data, "quiet_end": form.quiet_end.data,
        "max_session_minutes": form.max_session_minutes.data, "max_sessions_per_day": form.max_sessions_per_day.data,
        "interrupted": form.interrupted.data or None, "session_gap_minutes": form.session_gap_minutes.data,
        "late_start_window_s": None if form.late_start_minutes.data is None else form.late_start_minutes.data * 60,
    }
    row = db.get(AreaPolicyRow, area.id)
    if all(v is None for v in values.values()):
        # Nothing set here any more: drop the row so the area visibly inherits everything.
        if row is not None:
            db.delete(row)
        return
    if row is None:
        row = AreaPolicyRow(area_id=area.id)
        db.add(row)
    for name, value in values.items():
        setattr(row, name, value)


def _policy_snapshot(row: AreaPolicyRow | None) -> dict[str, Any]:
    return {name: getattr(row, name) if row is not None else None for name in POLICY_FIELDS}


@bp.route("/<int:area_id>/policy", methods=["GET", "POST"])
def policy(area_id: int) -> ResponseReturnValue:
    db = get_db()
    area = _get_area(area_id)
    form = AreaPolicyForm()
    if not form.is_submitted():
        _form_from_row(form, db.get(AreaPolicyRow, area.id))
    error = None
    if form.validate_on_submit():
        error = _cross_field_error(form)
        if error is None:
            before = _policy_snapshot(db.get(AreaPolicyRow, area.id))
            _save(db, area, form)
            db.flush()
            log_action("area.policy", "area", area.id, before, _policy_snapshot(db.get(AreaPolicyRow, area.id)),
                       area_id=area.id)
            db.commit()
            flash(_("Đã lưu quy định phát của %(name)s.", name=area.name), "success")
            return redirect(url_for("areas.policy", area_id=area.id))
    elif form.is_submitted():
        error = next(iter(m for errors in form.errors.values() for m in errors), None)
    return render_template(
        "areas/policy.html", area=area, form=form, error=error, rules=effective_rules(db, area),
        parent=area.parent if area.parent and area_in_scope(db, current_user.area_id, area.parent.id) else None,
        children=area.children, own_rules=_with_rules(db, [c.id for c in area.children]), levels=LEVEL_LABELS,
    ), 400 if error else 200

"""The commune's inbox of province bulletins: read one, schedule it as the commune's own bulletin, or decline it
with a reason. Thin views over station.distribution; the home page includes templates/inbox/_home_block.html."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from radio.db.models import Area, AreaLevel, Role
from radio.db.province import DeliveryStatus, ProvinceBulletin, ProvinceDelivery
from radio.db.types import utcnow
from station import distribution
from station.approval import NotAllowed
from station.errors import BulletinError
from station.httt.inbound import MAX_AUDIO_TRIES
from web.authz import current_actor, current_scope, forbidden, register, remote_addr, scoped, visible_or_404
from web.context import get_db, radio_ctx
from web.i18n import translate
from web.province_forms import DeclineForm, InboxScheduleForm
from web.timefmt import TimeInputError, parse_local_input, to_input_value

bp = Blueprint("inbox", __name__, url_prefix="/inbox")
STAFF = (Role.BROADCASTER, Role.LEADER)
register("inbox.index", frozenset(Role))
register("inbox.detail", frozenset(Role))
register("inbox.schedule", (), STAFF)
register("inbox.decline", (), STAFF)
HOME_LIMIT = 5


def _rows(open_only: bool, limit: int | None = None) -> list[tuple[ProvinceDelivery, ProvinceBulletin]]:
    query = scoped(distribution.inbox_query(None, open_only=open_only), ProvinceDelivery)
    if limit is not None:
        query = query.limit(limit)
    return [(d, p) for d, p in get_db().execute(query).all()]


@bp.app_template_global()
def inbox_open_items(limit: int = HOME_LIMIT) -> list[tuple[ProvinceDelivery, ProvinceBulletin]]:
    """The undecided province bulletins of the user's communes, newest first (for the home page block)."""
    return _rows(True, limit)


@bp.get("/")
def index() -> ResponseReturnValue:
    names = dict(get_db().execute(select(Area.id, Area.name).where(Area.level == AreaLevel.COMMUNE)).all())
    return render_template("inbox/list.html", rows=_rows(False), commune_names=names, now=utcnow())


def _detail(delivery: ProvinceDelivery, form: InboxScheduleForm | None = None,
            decline: DeclineForm | None = None) -> ResponseReturnValue:
    db = get_db()
    item = db.get(ProvinceBulletin, delivery.province_bulletin_id)
    commune = db.get(Area, delivery.commune_id)
    if item is None or commune is None:
        abort(404)
    form = form or InboxScheduleForm()
    if not form.start_local.data:
        form.start_local.data = to_input_value(distribution.suggested_start(item, utcnow()), radio_ctx().tz)
    villages = db.scalars(select(Area).where(Area.parent_id == commune.id).order_by(Area.code)).all()
    return render_template("inbox/detail.html", delivery=delivery, item=item, commune=commune, villages=villages,
                           form=form, decline_form=decline or DeclineForm(), now=utcnow(),
                           overdue=distribution.must_air_overdue(item, utcnow()), max_audio_tries=MAX_AUDIO_TRIES)


@bp.get("/<int:delivery_id>")
def detail(delivery_id: int) -> ResponseReturnValue:
    return _detail(visible_or_404(ProvinceDelivery, delivery_id))


@bp.post("/<int:delivery_id>/schedule")
def schedule(delivery_id: int) -> ResponseReturnValue:
    delivery = visible_or_404(ProvinceDelivery, delivery_id)
    form = InboxScheduleForm()
    if not form.validate_on_submit():
        return _detail(delivery, form), 400
    db = get_db()
    scope = current_scope()
    area_ids = [int(a) for a in form.area_ids.data or []]
    if scope is not None and not set(area_ids) <= scope:
        flash(_("Bạn không được phát tới khu vực đã chọn."), "error")
        return _detail(delivery, form), 400
    try:
        start_at = parse_local_input(form.start_local.data or "", radio_ctx().tz)
        bulletin = distribution.schedule_delivery(db, current_actor(), delivery.id, start_at=start_at,
                                                  area_ids=area_ids, now=utcnow(),
                                                  on_overlap=form.on_overlap.data or "refuse",
                                                  remote_addr=remote_addr())
    except NotAllowed as exc:
        db.rollback()
        return forbidden(translate(str(exc)))
    except (BulletinError, TimeInputError) as exc:
        db.rollback()
        flash(translate(str(exc)), "error")
        return _detail(visible_or_404(ProvinceDelivery, delivery_id), form), 400
    db.commit()
    flash(_("Đã lên lịch phát bản tin của tỉnh."), "success")
    return redirect(url_for("bulletins.detail", bulletin_id=bulletin.id))


@bp.post("/<int:delivery_id>/decline")
def decline(delivery_id: int) -> ResponseReturnValue:
    delivery = visible_or_404(ProvinceDelivery, delivery_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _detail(delivery, decline=form), 400
    db = get_db()
    try:
        distribution.decline_delivery(db, current_actor(), delivery.id, reason=form.reason.data or "",
                                      now=utcnow(), remote_addr=remote_addr())
    except NotAllowed as exc:
        db.rollback()
        return forbidden(translate(str(exc)))
    except BulletinError as exc:
        db.rollback()
        flash(translate(str(exc)), "error")
        return _detail(visible_or_404(ProvinceDelivery, delivery_id), decline=form), 400
    db.commit()
    flash(_("Đã báo tỉnh: xã không phát bản tin này."), "success")
    return redirect(url_for("inbox.index"))


__all__ = ["DeliveryStatus", "bp", "inbox_open_items"]

"""The province's side: send an approved province article down to communes, follow who aired it (from the as-run
log), withdraw it, and count bulletins by field category. Thin views over station.distribution."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime, timedelta

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from radio.db.models import Area, AreaLevel, Article, Role
from radio.db.province import ProvinceBulletin
from radio.db.types import utcnow
from station import distribution
from station.approval import NotAllowed, article_area_id, can_read_article
from station.errors import BulletinError
from station.field_report import field_rows
from web.authz import current_actor, current_scope, register, remote_addr, scoped, visible_or_404
from web.context import get_db, radio_ctx
from web.i18n import translate
from web.labels import FIELD_CATEGORY_LABELS
from web.province_forms import SendForm
from web.reports.exports import safe_row
from web.timefmt import TimeInputError, format_seconds, parse_local_input

bp = Blueprint("province", __name__, url_prefix="/province")
STAFF = (Role.BROADCASTER, Role.LEADER)
register("province.index", frozenset(Role))
register("province.detail", frozenset(Role))
register("province.send", STAFF, STAFF)
register("province.withdraw", (), STAFF)
register("province.fields", frozenset(Role))
register("province.fields_csv", frozenset(Role))


def _province_communes(article: Article) -> list[Area]:
    """The communes the acting user may send this article to: none unless they are a province (or national)."""
    db, actor = get_db(), current_actor()
    area = db.get(Area, actor.area_id) if actor.area_id is not None else None
    if area is not None and area.level != AreaLevel.PROVINCE:
        return []
    province = distribution.province_of(db, article_area_id(db, article))
    if province is None:
        return []
    return list(db.scalars(select(Area).where(Area.parent_id == province.id,
                                                    Area.level == AreaLevel.COMMUNE).order_by(Area.code)))


@bp.get("/")
def index() -> ResponseReturnValue:
    items = get_db().scalars(scoped(select(ProvinceBulletin), ProvinceBulletin)
                             .order_by(ProvinceBulletin.created_at.desc()).limit(200)).all()
    return render_template("province/list.html", items=items)


@bp.route("/send/<int:article_id>", methods=["GET", "POST"])
def send(article_id: int) -> ResponseReturnValue:
    db = get_db()
    article = db.get(Article, article_id)
    if article is None or not can_read_article(db, current_actor(), article):
        abort(404)
    form = SendForm()
    if form.validate_on_submit():
        try:
            window = None
            if form.mode.data == "must_air":
                tz = radio_ctx().tz
                window = (parse_local_input(form.window_start.data or "", tz),
                          parse_local_input(form.window_end.data or "", tz))
            item = distribution.send_to_communes(db, current_actor(), article=article,
                                                 commune_ids=[int(c) for c in form.commune_ids.data or []],
                                                 mode=form.mode.data or "", window=window, now=utcnow(),
                                                 remote_addr=remote_addr())
        except (BulletinError, TimeInputError) as exc:  # NotAllowed included: said on the page, not a bare 403
            db.rollback()
            flash(translate(str(exc)), "error")
        else:
            db.commit()
            flash(_("Đã gửi bản tin xuống các xã."), "success")
            return redirect(url_for("province.detail", item_id=item.id))
    return render_template("province/send.html", form=form, article=article, communes=_province_communes(article))


@bp.get("/<int:item_id>")
def detail(item_id: int) -> ResponseReturnValue:
    item = visible_or_404(ProvinceBulletin, item_id)
    scope = current_scope()
    rows = [r for r in distribution.airings(get_db(), item.id) if scope is None or r.commune.id in scope
            or item.origin_area_id in scope]
    return render_template("province/detail.html", item=item, rows=rows)


@bp.post("/<int:item_id>/withdraw")
def withdraw(item_id: int) -> ResponseReturnValue:
    item = visible_or_404(ProvinceBulletin, item_id)
    db = get_db()
    try:
        count = distribution.withdraw(db, current_actor(), item.id, now=utcnow(), remote_addr=remote_addr())
    except NotAllowed as exc:
        db.rollback()
        flash(translate(str(exc)), "error")
        return redirect(url_for("province.detail", item_id=item_id))
    db.commit()
    flash(_("Đã thu hồi bản tin ở %(n)s xã chưa xử lý.", n=count), "success")
    return redirect(url_for("province.detail", item_id=item_id))


def _period() -> tuple[date, date, datetime, datetime]:
    """The report's dates (local, inclusive), default the last 30 days, as UTC bounds."""
    tz = radio_ctx().tz
    today = utcnow().astimezone(tz).date()
    try:
        first = date.fromisoformat(request.args.get("from", "")) if request.args.get("from") else None
        last = date.fromisoformat(request.args.get("to", "")) if request.args.get("to") else None
    except ValueError:
        first = last = None
    last = last or today
    first = first or last - timedelta(days=29)
    if first > last:
        first, last = last, first
    start = datetime.combine(first, datetime.min.time(), tz)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tz)
    return first, last, start, end


def _name(code: str | None) -> str:
    return _("Chưa phân loại") if code is None else _(FIELD_CATEGORY_LABELS[code])


@bp.get("/fields")
def fields() -> ResponseReturnValue:
    first, last, start, end = _period()
    rows = field_rows(get_db(), current_scope(), start, end)
    return render_template("province/fields.html", rows=rows, first=first, last=last, name=_name)


@bp.get("/fields.csv")
def fields_csv() -> ResponseReturnValue:
    first, last, start, end = _period()
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(safe_row([_("Thống kê bản tin theo lĩnh vực"), f"{first:%d/%m/%Y} – {last:%d/%m/%Y}"]))
    writer.writerow([_("Lĩnh vực"), _("Số bản tin"), _("Số bản tin đã phát"), _("Lượt phát trên cụm loa"),
                     _("Thời lượng đã phát (giây)")])
    for row in field_rows(get_db(), current_scope(), start, end):
        writer.writerow(safe_row([_name(row.category), row.bulletins, row.aired, row.loudspeaker_airings,
                                  format_seconds(row.played_ms)]))
    return Response(("\ufeff" + buf.getvalue()).encode("utf-8"), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=linh-vuc-{first}-{last}.csv"})

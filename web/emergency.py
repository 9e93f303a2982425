"""The emergency broadcast button: one short form (article with audio, where) and an explicit confirmation,
then the bulletin airs at once (about 3 s later), interrupting whatever plays (Thông tư 39/2020).

The general bulletin form can do the same; this page exists so that in a storm or a fire the broadcaster
or the leader finds it in one tap from the bulletins, calendar and loudspeaker pages.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.models import Article, Bulletin, Node, Role
from radio.db.types import utcnow
from station.bulletins import create_bulletin
from station.errors import BulletinError
from station.isolation import visible
from web.authz import current_actor, current_scope, register, scoped
from web.context import get_db, radio_ctx
from web.forms import ViForm
from web.i18n import translate
from web.scope import CommuneGroup, group_area_ids, target_groups

bp = Blueprint("emergency", __name__, url_prefix="/emergency")
ARTICLE_CHOICES = 50

register("emergency.new", (Role.BROADCASTER, Role.LEADER), (Role.BROADCASTER, Role.LEADER))


def _preselected() -> set[int]:
    """The commune or village the button was pressed for (?commune=, ?village=, ?node=)."""
    chosen = {v for key in ("commune", "village") if (v := request.args.get(key, type=int))}
    node_id = request.args.get("node")
    if node_id and (node := visible(get_db(), Node, node_id, current_scope())) is not None:
        chosen.add(node.village_id)
    return chosen


@bp.route("/", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    db, now = get_db(), utcnow()
    form = ViForm()
    groups = target_groups(db, current_user.area_id)
    articles = db.scalars(scoped(select(Article), Article).where(Article.audio_id.is_not(None))
                          .order_by(Article.updated_at.desc()).limit(ARTICLE_CHOICES)).all()
    selected = {int(a) for a in request.form.getlist("area_ids") if a.isdigit()} if form.is_submitted() \
        else _preselected()
    article_id = request.form.get("article_id", type=int) or request.args.get("article_id", type=int)
    error = None
    if form.validate_on_submit():
        try:
            bulletin = _send(db, article_id, selected, groups, now)
        except BulletinError as exc:
            db.rollback()
            error = translate(str(exc))
        else:
            db.commit()
            flash(_("Đã gửi bản tin khẩn cấp: các cụm loa sẽ phát sau khoảng %(seconds)s giây.",
                    seconds=_lead_s()), "success")
            return redirect(url_for("bulletins.detail", bulletin_id=bulletin.id))
    elif form.is_submitted():
        error = _("Phiên làm việc đã hết hạn, hãy thử lại.")
    return render_template("emergency/new.html", form=form, groups=groups, articles=articles, selected=selected,
                           article_id=article_id, error=error, lead_s=_lead_s()), 400 if error else 200


def _lead_s() -> str:
    """The emergency lead (setting emergency_lead_s) as people read it: 3, 2.5."""
    return f"{radio_ctx().settings.emergency_lead_s:g}"


def _send(db: Session, article_id: int | None, area_ids: set[int], groups: list[CommuneGroup],
          now: datetime) -> Bulletin:
    # The server decides: the page's confirm() dialog can be bypassed, the ticked checkbox cannot.
    if request.form.get("confirm") != "yes":
        raise BulletinError(_("Hãy đánh dấu “Tôi xác nhận phát khẩn cấp ngay” trước khi phát."))
    article = visible(db, Article, article_id, current_scope()) if article_id else None
    if article is None or article.audio_id is None:
        raise BulletinError(_("Hãy chọn một bài viết đã có âm thanh."))
    if not area_ids:
        raise BulletinError(_("Hãy chọn ít nhất một thôn hoặc cả xã để phát."))
    if not area_ids <= group_area_ids(groups):
        raise BulletinError(_("Bạn không được phát tới khu vực đã chọn."))
    # An emergency by a leader or admin skips approval; the actor decides, and the audit log records it.
    return create_bulletin(db, title=article.title, audio_id=article.audio_id, start_at=None,
                           area_ids=sorted(area_ids), priority="emergency", created_by=current_user.id, now=now,
                           article_id=article.id, actor=current_actor(), remote_addr=request.remote_addr or "",
                           emergency_lead=radio_ctx().emergency_lead)

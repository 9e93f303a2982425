"""Bulletins: list upcoming and recent, schedule a new one for chosen villages, cancel, show as-run."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from radio.db.models import Area, AreaLevel, Article, AsRun, Bulletin, BulletinTarget, Node
from radio.db.types import utcnow
from scheduler.bulletins import BulletinError, cancel_bulletin, create_bulletin
from web.context import get_db, radio_ctx
from web.forms import BulletinForm, ViForm, choices
from web.timefmt import TimeInputError, parse_local_input, to_input_value

bp = Blueprint("bulletins", __name__, url_prefix="/bulletins")
RECENT_LIMIT = 50
DEFAULT_LEAD = timedelta(minutes=10)


@dataclass(frozen=True)
class CommuneGroup:
    """One commune and its villages, as the target checkboxes are laid out."""

    commune: Area
    villages: list[Area]


def target_groups(db: Session, area_id: int | None) -> list[CommuneGroup]:
    """The communes (with villages) a user may target: their own commune, their province's, or all."""
    query = select(Area).where(Area.level == AreaLevel.COMMUNE).order_by(Area.code)
    area = db.get(Area, area_id) if area_id is not None else None
    if area is not None and area.level == AreaLevel.PROVINCE:
        query = query.where(Area.parent_id == area.id)
    elif area is not None and area.level == AreaLevel.COMMUNE:
        query = query.where(Area.id == area.id)
    elif area is not None and area.level == AreaLevel.VILLAGE:
        query = query.where(Area.id == area.parent_id)
    communes = list(db.scalars(query))
    villages = db.scalars(
        select(Area).where(Area.parent_id.in_([c.id for c in communes])).order_by(Area.code)
    ).all()
    by_commune: dict[int, list[Area]] = {c.id: [] for c in communes}
    for village in villages:
        by_commune[village.parent_id or 0].append(village)
    return [CommuneGroup(c, by_commune[c.id]) for c in communes]


def _get_bulletin(bulletin_id: int) -> Bulletin:
    bulletin = get_db().get(Bulletin, bulletin_id)
    if bulletin is None:
        abort(404)
    return bulletin


@bp.get("/")
def index() -> ResponseReturnValue:
    db, now = get_db(), utcnow()
    # Targets are shown in every row: load them in one query instead of one per bulletin.
    with_targets = select(Bulletin).options(selectinload(Bulletin.targets).joinedload(BulletinTarget.area))
    upcoming = db.scalars(with_targets.where(Bulletin.start_at >= now).order_by(Bulletin.start_at)).all()
    recent = db.scalars(
        with_targets.where(Bulletin.start_at < now).order_by(Bulletin.start_at.desc()).limit(RECENT_LIMIT)
    ).all()
    return render_template("bulletins/list.html", upcoming=upcoming, recent=recent, form=ViForm())


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    db = get_db()
    form = BulletinForm()
    articles = db.scalars(
        select(Article).where(Article.audio_id.is_not(None)).order_by(Article.updated_at.desc())
    ).all()
    form.article_id.choices = choices((a.id, a.title) for a in articles)
    groups = target_groups(db, current_user.area_id)
    error = None
    if not form.is_submitted():
        # Coming from an article page preselects it; a start a few minutes ahead is a sensible default.
        form.article_id.data = request.args.get("article_id", type=int)
        form.start_local.data = to_input_value(
            (utcnow() + DEFAULT_LEAD).replace(second=0, microsecond=0), radio_ctx().tz
        )
    if form.validate_on_submit():
        allowed = {c.commune.id for c in groups} | {v.id for c in groups for v in c.villages}
        area_ids = list(form.area_ids.data or [])
        article = db.get(Article, form.article_id.data)
        try:
            if not set(area_ids) <= allowed:
                raise BulletinError("Bạn không được phát tới khu vực đã chọn.")
            if article is None:
                raise BulletinError("Không tìm thấy bài viết.")
            start_at = parse_local_input(form.start_local.data or "", radio_ctx().tz)
            bulletin = create_bulletin(
                db,
                title=article.title,
                audio_id=article.audio_id,
                start_at=start_at,
                area_ids=area_ids,
                priority=form.priority.data or "",
                created_by=current_user.id,
                now=utcnow(),
                article_id=article.id,
            )
        except (BulletinError, TimeInputError) as exc:
            db.rollback()
            error = str(exc)
        else:
            db.commit()
            flash("Đã lên lịch bản tin.", "success")
            return redirect(url_for("bulletins.detail", bulletin_id=bulletin.id))
    elif form.is_submitted():
        error = next(iter(m for errors in form.errors.values() for m in errors), None)
    status = 400 if error else 200
    selected = set(form.area_ids.data or [])
    return (
        render_template("bulletins/new.html", form=form, groups=groups, selected=selected, error=error),
        status,
    )


@bp.get("/<int:bulletin_id>")
def detail(bulletin_id: int) -> ResponseReturnValue:
    bulletin = _get_bulletin(bulletin_id)
    rows = get_db().execute(
        select(AsRun, Node)
        .join(Node, AsRun.node_id == Node.id)
        .where(AsRun.bulletin_id == bulletin.id)
        .order_by(Node.id)
    ).all()
    return render_template("bulletins/detail.html", bulletin=bulletin, rows=rows, form=ViForm())


@bp.post("/<int:bulletin_id>/cancel")
def cancel(bulletin_id: int) -> ResponseReturnValue:
    db = get_db()
    try:
        cancel_bulletin(db, bulletin_id, now=utcnow())
    except BulletinError as exc:
        db.rollback()
        if db.get(Bulletin, bulletin_id) is None:
            abort(404)
        flash(str(exc), "error")
    else:
        db.commit()
        flash("Đã huỷ bản tin.", "success")
    return redirect(url_for("bulletins.detail", bulletin_id=bulletin_id))

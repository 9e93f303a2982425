"""Bulletins: list upcoming and recent, schedule a new one (at a time, in a programme, or at once for an
emergency), cancel, show as-run and how on time it aired."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from radio.db.models import Article, ArticleStatus, AsRun, Bulletin, BulletinStatus, BulletinTarget, Node, Programme
from radio.db.types import utcnow
from station.airing import playing_ids, same_slot
from station.approval import EMERGENCY_WITHOUT_APPROVAL, NotAllowed
from station.bulletins import BulletinError, cancel_bulletin, create_bulletin
from station.errors import OverlapRefused
from station.isolation import visible
from station.lateness import bulletin_timeliness
from web.authz import current_actor, current_scope, forbidden, remote_addr, scoped, visible_or_404
from web.context import get_db, radio_ctx
from web.forms import BulletinForm, ViForm, choices
from web.forms_once import once
from web.i18n import N_, translate
from web.notes import rule_words, status_note
from web.programme_support import occurrence_choices, parse_occurrence, visible_programmes
from web.scope import CommuneGroup, group_area_ids, group_node_ids, target_groups
from web.timefmt import TimeInputError, format_local, parse_local_input, to_input_value

bp = Blueprint("bulletins", __name__, url_prefix="/bulletins")
RECENT_LIMIT = 50
DEFAULT_LEAD = timedelta(minutes=10)
CONFIRM_EMERGENCY = N_("Bản tin khẩn cấp sẽ phát ngay: hãy đánh dấu “Tôi xác nhận phát khẩn cấp ngay”.")


def programme_names(db: Session, bulletins: list[Bulletin]) -> dict[int, str]:
    """Names of the programmes these bulletins belong to, in one query (Bulletin has no relationship)."""
    ids = {b.programme_id for b in bulletins if b.programme_id is not None}
    if not ids:
        return {}
    return dict(db.execute(select(Programme.id, Programme.name).where(Programme.id.in_(ids))).all())


@bp.get("/")
def index() -> ResponseReturnValue:
    db, now = get_db(), utcnow()
    # Targets are shown in every row: load them in one query instead of one per bulletin.
    with_targets = scoped(select(Bulletin), Bulletin).options(
        selectinload(Bulletin.targets).joinedload(BulletinTarget.area), selectinload(Bulletin.node_targets))
    # A cancelled bulletin is not coming: it is listed with the cancelled ones, not under "Sắp phát".
    later = with_targets.where(Bulletin.start_at >= now)
    upcoming = db.scalars(later.where(Bulletin.status != BulletinStatus.CANCELLED)
                          .order_by(Bulletin.start_at)).all()
    cancelled = db.scalars(later.where(Bulletin.status == BulletinStatus.CANCELLED)
                           .order_by(Bulletin.start_at).limit(RECENT_LIMIT)).all()
    recent = db.scalars(
        with_targets.where(Bulletin.start_at < now).order_by(Bulletin.start_at.desc()).limit(RECENT_LIMIT)
    ).all()
    names = programme_names(db, [*upcoming, *recent, *cancelled])
    playing = playing_ids(db, [b.id for b in [*upcoming, *recent]])
    return render_template("bulletins/list.html", upcoming=upcoming, recent=recent, cancelled=cancelled,
                           programmes=names, playing=playing, form=ViForm())


def _schedule(db: Session, form: BulletinForm, groups: list[CommuneGroup], programmes: set[int],
              now: datetime) -> Bulletin:
    """Check what the service cannot know (the user's scope, the confirmation) and call it."""
    area_ids = [int(a) for a in form.area_ids.data or []]
    node_ids = [str(n) for n in form.node_ids.data or []]
    if not set(area_ids) <= group_area_ids(groups) or not set(node_ids) <= group_node_ids(groups):
        raise BulletinError(_("Bạn không được phát tới khu vực đã chọn."))
    article = visible(db, Article, form.article_id.data, current_scope())
    if article is None:
        raise BulletinError(_("Không tìm thấy bài viết."))
    priority = form.priority.data or ""
    programme_id, occurrence, start_at = None, None, None
    if priority == "emergency":
        # The server decides, not the page's script: an emergency airs now whatever time field was sent.
        if not form.confirm_emergency.data:
            raise BulletinError(_(CONFIRM_EMERGENCY))
    elif form.placement.data == "programme":
        programme_id, occurrence = parse_occurrence(form.occurrence.data, programmes)
        # A programme airs on its own targets; checkboxes left ticked on the page must not widen it.
        area_ids, node_ids = [], []
    else:
        start_at = parse_local_input(form.start_local.data or "", radio_ctx().tz)
    bulletin = create_bulletin(
        db, title=article.title, audio_id=article.audio_id, start_at=start_at, area_ids=area_ids,
        node_ids=node_ids, priority=priority, created_by=current_user.id, now=now, article_id=article.id,
        on_overlap=form.on_overlap.data or "refuse", programme_id=programme_id, occurrence_start=occurrence,
        emergency_lead=radio_ctx().emergency_lead, actor=current_actor(), remote_addr=remote_addr(),
    )
    # Asked after the rules passed (an overlap refused anyway needs no question); the caller rolls back.
    if priority != "emergency" and request.form.get("confirm_duplicate") != "yes":
        _refuse_duplicate(db, bulletin)
    return bulletin


class DuplicateWarning(BulletinError):
    """The same content is already on the schedule at about that time for some of the same loudspeakers."""

    def __init__(self, message: str, earlier: list[Bulletin]) -> None:
        super().__init__(message)
        self.earlier = earlier


def _refuse_duplicate(db: Session, bulletin: Bulletin) -> None:
    """Back then "Lên lịch" again used to queue a second copy a few minutes later: ask first."""
    if bulletin.programme_id is not None:
        earlier = list(db.scalars(select(Bulletin).where(
            Bulletin.article_id == bulletin.article_id, Bulletin.programme_id == bulletin.programme_id,
            Bulletin.occurrence_start == bulletin.occurrence_start, Bulletin.id != bulletin.id,
            Bulletin.status.in_((BulletinStatus.SCHEDULED, BulletinStatus.DISPATCHED)))))
    else:
        earlier = [b for b in same_slot(db, article_id=bulletin.article_id, audio_id=bulletin.audio_id,
                                        start_at=bulletin.start_at, area_ids=[t.area_id for t in bulletin.targets],
                                        node_ids=[t.node_id for t in bulletin.node_targets]) if b.id != bulletin.id]
    if earlier:
        raise DuplicateWarning(_("Bài này đã được lên lịch phát lúc %(when)s cho cùng nơi phát. Nếu thật sự muốn "
                                 "phát thêm một lần, hãy đánh dấu “Vẫn lên lịch thêm” rồi bấm “Lên lịch” lần nữa.",
                                 when=format_local(earlier[0].start_at, radio_ctx().tz)), earlier)


def _article_choices(db: Session) -> list[tuple[int, str]]:
    """Approved articles with audio; leaders and admins also see unapproved ones, for emergencies only (never
    a rejected one: the rejection says it must not air as it is)."""
    rows = db.scalars(scoped(select(Article), Article).where(Article.audio_id.is_not(None))
                      .order_by(Article.updated_at.desc())).all()
    may_skip = current_actor().role in EMERGENCY_WITHOUT_APPROVAL
    return [(a.id, a.title if a.status in ArticleStatus.AIRABLE else _("%(title)s (chưa duyệt: chỉ phát khẩn cấp)",
                                                                       title=a.title))
            for a in rows if a.status in ArticleStatus.AIRABLE or (may_skip and a.status != ArticleStatus.REJECTED)]


@bp.route("/new", methods=["GET", "POST"])
@once
def new() -> ResponseReturnValue:
    db, now, tz = get_db(), utcnow(), radio_ctx().tz
    form = BulletinForm()
    form.article_id.choices = choices(_article_choices(db))
    groups = target_groups(db, current_user.area_id, with_nodes=True)
    programmes = visible_programmes(db, current_user.area_id, active_only=True)
    form.occurrence.choices = choices(occurrence_choices(programmes, now, tz))
    error, status, duplicates, queue_offer = None, 200, [], False
    if not form.is_submitted():
        # Coming from an article page preselects it; a start a few minutes ahead is a sensible default.
        form.article_id.data = request.args.get("article_id", type=int)
        form.start_local.data = to_input_value((now + DEFAULT_LEAD).replace(second=0, microsecond=0), tz)
        # "Thêm bản tin vào buổi này" on a programme page preselects that airing.
        if occurrence := request.args.get("occurrence"):
            form.placement.data, form.occurrence.data = "programme", occurrence
    if form.validate_on_submit():
        if request.form.get("queue_after_clash") == "1":  # the one-click answer to an overlap (below)
            form.on_overlap.data = "queue"
        try:
            bulletin = _schedule(db, form, groups, {p.id for p in programmes}, now)
        except (BulletinError, TimeInputError) as exc:
            db.rollback()
            error = rule_words(str(exc))
            duplicates = exc.earlier if isinstance(exc, DuplicateWarning) else []
            queue_offer = isinstance(exc, OverlapRefused)
            # Not the user's area, or not their role's to air unapproved: forbidden, not a typo to fix.
            status = 403 if isinstance(exc, NotAllowed) else 400
        else:
            db.commit()
            flash(_scheduled_message(bulletin), "success")
            return redirect(url_for("bulletins.detail", bulletin_id=bulletin.id))
    elif form.is_submitted():
        error = next(iter(m for errors in form.errors.values() for m in errors), None)
        status = 400 if error else 200
    selected = {int(a) for a in form.area_ids.data or []}
    selected_nodes = {str(n) for n in form.node_ids.data or []}
    return (
        render_template("bulletins/new.html", form=form, groups=groups, selected=selected,
                        selected_nodes=selected_nodes, error=error, duplicates=duplicates, queue_offer=queue_offer),
        status,
    )


def _scheduled_message(bulletin: Bulletin) -> str:
    if bulletin.priority == "emergency":
        return _("Đã gửi bản tin khẩn cấp: phát ngay.")
    if bulletin.status_detail:
        return _("Đã lên lịch bản tin. %(detail)s", detail=status_note(bulletin.status_detail, radio_ctx().tz))
    return _("Đã lên lịch bản tin.")


@bp.get("/<int:bulletin_id>")
def detail(bulletin_id: int) -> ResponseReturnValue:
    db = get_db()
    bulletin = visible_or_404(Bulletin, bulletin_id)
    # A bulletin shared by several communes: each sees the as-run of its own loudspeakers only.
    rows = db.execute(
        scoped(select(AsRun, Node), AsRun)
        .join(Node, AsRun.node_id == Node.id)
        .where(AsRun.bulletin_id == bulletin.id)
        .order_by(Node.id, AsRun.attempt)
    ).all()
    node_names = dict(db.execute(scoped(select(Node.id, Node.name), Node).where(
        Node.id.in_([t.node_id for t in bulletin.node_targets]))).all())
    return render_template(
        "bulletins/detail.html", bulletin=bulletin, rows=rows, form=ViForm(),
        programme=db.get(Programme, bulletin.programme_id) if bulletin.programme_id else None,
        node_names=node_names, timeliness=bulletin_timeliness(db, bulletin.id),
    )


@bp.post("/<int:bulletin_id>/cancel")
def cancel(bulletin_id: int) -> ResponseReturnValue:
    db = get_db()
    try:
        cancel_bulletin(db, bulletin_id, now=utcnow(), actor=current_actor(), remote_addr=remote_addr())
    except NotAllowed as exc:
        db.rollback()
        return forbidden(translate(str(exc)))
    except BulletinError as exc:
        db.rollback()
        if db.get(Bulletin, bulletin_id) is None:
            abort(404)
        flash(translate(str(exc)), "error")
    else:
        db.commit()
        flash(_("Đã huỷ bản tin."), "success")
    return redirect(url_for("bulletins.detail", bulletin_id=bulletin_id))

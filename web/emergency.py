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

from audio_library import AudioError
from radio.db.models import Area, AreaLevel, Article, ArticleStatus, Bulletin, Node, Role
from radio.db.types import utcnow
from station.approval import ARTICLE_FIELDS, EMERGENCY_WITHOUT_APPROVAL
from station.audit import record, snapshot
from station.bulletins import create_bulletin
from station.errors import BulletinError
from station.isolation import visible
from station.lexicon import article_readings, speech_text
from web.audio_assets import upsert_asset
from web.authz import current_actor, current_scope, register, remote_addr, scoped
from web.context import get_db, radio_ctx
from web.forms import ViForm
from web.forms_once import once
from web.i18n import audio_message
from web.scope import CommuneGroup, group_area_ids, target_groups
from web.voices import editor_defaults

bp = Blueprint("emergency", __name__, url_prefix="/emergency")
ARTICLE_CHOICES = 50
# Leaders (and admins) may write an emergency on this page; broadcasters air approved content only.
WRITERS = EMERGENCY_WITHOUT_APPROVAL
TITLE_MAX, BODY_MAX = 300, 5_000

register("emergency.new", (Role.BROADCASTER, Role.LEADER), (Role.BROADCASTER, Role.LEADER))


def _preselected() -> set[int]:
    """The commune or village the button was pressed for (?commune=, ?village=, ?node=)."""
    chosen = {v for key in ("commune", "village") if (v := request.args.get(key, type=int))}
    node_id = request.args.get("node")
    if node_id and (node := visible(get_db(), Node, node_id, current_scope())) is not None:
        chosen.add(node.village_id)
    return chosen


def _offered_articles(db: Session) -> list[Article]:
    """Articles with audio this user may air in an emergency: approved ones, and for a leader (TT39) also
    unapproved drafts, but never one the leader rejected: a rejection says it must not air as it is."""
    query = scoped(select(Article), Article).where(Article.audio_id.is_not(None))
    if current_actor().role in EMERGENCY_WITHOUT_APPROVAL:
        query = query.where(Article.status != ArticleStatus.REJECTED)
    else:
        query = query.where(Article.status.in_(ArticleStatus.AIRABLE))
    return list(db.scalars(query.order_by(Article.updated_at.desc()).limit(ARTICLE_CHOICES)))


def _write_article(db: Session, now: datetime) -> Article:
    """An emergency written on the spot (a leader in a storm has no article ready): saved as an article of
    the user's commune, approved by the writer (a leader's emergency needs no other approval, TT39), then
    synthesized now with the commune's default voice."""
    if current_actor().role not in WRITERS:
        raise BulletinError(_("Chỉ lãnh đạo xã được viết và phát ngay tin khẩn cấp chưa duyệt; hãy chọn một bài "
                              "đã được duyệt."))
    title, body = (request.form.get("title") or "").strip(), (request.form.get("body") or "").strip()
    if not title or not body:
        raise BulletinError(_("Hãy nhập tiêu đề và nội dung tin khẩn cấp."))
    if len(title) > TITLE_MAX or len(body) > BODY_MAX:
        body_max = f"{BODY_MAX:,}".replace(",", ".")  # 5.000: the Vietnamese thousands separator
        raise BulletinError(_("Tin khẩn cấp quá dài: tiêu đề tối đa %(t)s ký tự, nội dung tối đa %(b)s ký tự.",
                              t=TITLE_MAX, b=body_max))
    commune = _commune_of_user(db)
    if commune is None:
        raise BulletinError(_("Tài khoản của bạn không thuộc xã nào nên không viết được tin cho xã."))
    actor = current_actor()
    article = Article(title=title, body=body, language="vi", commune_id=commune, author_id=actor.user_id)
    db.add(article)
    db.flush()
    record(db, actor, "article.create", "article", article.id, None, snapshot(article, ARTICLE_FIELDS),
           "emergency", area_id=commune, remote_addr=remote_addr())
    before = snapshot(article, ARTICLE_FIELDS)
    article.status, article.reviewed_by, article.reviewed_at = ArticleStatus.APPROVED, actor.user_id, now
    article.review_comment = _("Tin khẩn cấp do lãnh đạo viết và phát.")
    record(db, actor, "article.approve", "article", article.id, before, snapshot(article, ARTICLE_FIELDS),
           "emergency", area_id=commune, remote_addr=remote_addr())
    voice_key, defaults = editor_defaults(commune)
    engine, voice = voice_key.split("/", 1)
    acronyms, loanwords = article_readings(db, article)
    asset = radio_ctx().audio_library.synthesize(speech_text(article), engine=engine, voice=voice,
                                                 extra_acronyms=acronyms, extra_loanwords=loanwords,
                                                 rate_wpm=defaults.rate_wpm)
    article.audio_id = upsert_asset(db, asset).id
    db.flush()
    return article


def _commune_of_user(db: Session) -> int | None:
    area = db.get(Area, current_actor().area_id) if current_actor().area_id is not None else None
    if area is not None and area.level == AreaLevel.VILLAGE:
        area = area.parent
    return area.id if area is not None and area.level == AreaLevel.COMMUNE else None


@bp.route("/", methods=["GET", "POST"])
@once
def new() -> ResponseReturnValue:
    db, now = get_db(), utcnow()
    form = ViForm()
    groups = target_groups(db, current_user.area_id)
    articles = _offered_articles(db)
    may_write = current_actor().role in WRITERS
    selected = {int(a) for a in request.form.getlist("area_ids") if a.isdigit()} if form.is_submitted() \
        else _preselected()
    article_id = request.form.get("article_id", type=int) or request.args.get("article_id", type=int)
    error = None
    if form.validate_on_submit():
        try:
            if request.form.get("source") == "write":
                article_id = _write_article(db, now).id
            bulletin = _send(db, article_id, selected, groups, now)
        except (BulletinError, AudioError) as exc:
            db.rollback()
            error = audio_message(exc)
        else:
            db.commit()
            flash(_("Đã gửi bản tin khẩn cấp: các cụm loa sẽ phát sau khoảng %(seconds)s giây.",
                    seconds=_lead_s()), "success")
            return redirect(url_for("bulletins.detail", bulletin_id=bulletin.id))
    elif form.is_submitted():
        error = _("Phiên làm việc đã hết hạn, hãy thử lại.")
    return render_template("emergency/new.html", form=form, groups=groups, articles=articles, selected=selected,
                           article_id=article_id, error=error, lead_s=_lead_s(), may_write=may_write,
                           source=request.form.get("source") or ("list" if articles else "write"),
                           title=request.form.get("title", ""), body=request.form.get("body", "")
                           ), 400 if error else 200


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

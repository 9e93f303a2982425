"""Articles: write, edit, turn into audio (synthesis or an uploaded recording), preview."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from audio_library import AudioError
from radio.db.models import Area, AreaLevel, Article, AudioAssetRow, ContentType, FieldCategory
from radio.db.types import utcnow
from station import approval, lexicon
from station.audit import record, snapshot
from station.lexicon import article_readings, speech_text
from station.speech import SpeechPreview, pause_label, speech_preview
from web.audio_assets import upsert_asset
from web.authz import current_actor, forbidden, remote_addr, scoped
from web.context import get_db, radio_ctx
from web.forms import ArticleForm, UploadForm
from web.timefmt import TimeInputError, parse_local_input, to_input_value
from web.uploads import import_upload
from web.voices import VOICES, editor_defaults, voice_options

__all__ = ["SYNTH_LANGUAGES", "VOICES", "bp", "preview", "speech_text"]

bp = Blueprint("articles", __name__, url_prefix="/articles")
# Languages the offline engine can speak; others need a recorded file.
SYNTH_LANGUAGES = frozenset({"vi"})


def preview(article: Article) -> SpeechPreview:
    """What the broadcaster sees before synthesis: the segments that will be read, what may go wrong, and
    the words to add to the lexicon."""
    return speech_preview(speech_text(article), *article_readings(get_db(), article))


def _get_article(article_id: int) -> Article:
    """The article if the user may at least read it: 404 when missing, 403 outside their area."""
    db = get_db()
    article = db.get(Article, article_id)
    if article is None:
        abort(404)
    # Readable: in the user's area, or from an area above theirs (a province article for every commune).
    if not approval.can_read_article(db, current_actor(), article):
        abort(403)
    return article


def _editable(article_id: int) -> Article:
    """The article if the user may change it (their commune's, as broadcaster or admin), else 403."""
    article = _get_article(article_id)
    if not approval.can_edit_article(get_db(), current_actor(), article):
        abort(403)
    return article


def _audit(action: str, article: Article, before: dict[str, object] | None, detail: str = "") -> None:
    db = get_db()
    record(db, current_actor(), action, "article", article.id, before, snapshot(article, approval.ARTICLE_FIELDS),
           detail, area_id=approval.article_area_id(db, article), remote_addr=remote_addr())


def _user_commune_id() -> int | None:
    area_id = current_user.area_id
    if area_id is None:
        return None
    area = get_db().get(Area, area_id)
    return area.id if area is not None and area.level == AreaLevel.COMMUNE else None


def _apply_metadata(form: ArticleForm, article: Article) -> bool:
    """Copy the bulletin metadata from the form; False (with the reason flashed) when the time cannot be read.

    Metadata says how the province counts the article, not what airs: changing it needs no new approval. A field
    the request does not carry (an older form, a script) keeps its stored value."""
    sent = request.form
    if "produced_local" in sent:
        produced = (form.produced_local.data or "").strip()
        try:
            article.produced_at = parse_local_input(produced, radio_ctx().tz) if produced else None
        except TimeInputError:
            flash(_("Thời gian sản xuất không hợp lệ (dạng đúng: ngày/tháng/năm giờ:phút)."), "error")
            return False
    if "field_category" in sent:
        category = form.field_category.data or ""
        if category and category not in set(FieldCategory):
            flash(_("Lĩnh vực không hợp lệ."), "error")
            return False
        article.field_category = category or None
    if "content_type" in sent:
        if form.content_type.data not in set(ContentType):
            flash(_("Loại nội dung không hợp lệ."), "error")
            return False
        article.content_type = form.content_type.data
    for name in ("author_name", "pen_name", "summary", "source"):
        if name in sent:
            setattr(article, name, (getattr(form, name).data or "").strip())
    return True


@bp.get("/")
def index() -> ResponseReturnValue:
    db = get_db()
    # Commune and province users: their articles and those shared from above (station.isolation).
    query = scoped(select(Article), Article)
    field = request.args.get("field", "")
    if field == "none":
        query = query.where(Article.field_category.is_(None))
    elif field in set(FieldCategory):
        query = query.where(Article.field_category == field)
    else:
        field = ""
    articles = db.scalars(query.order_by(Article.updated_at.desc(), Article.id.desc())).all()
    return render_template("articles/list.html", articles=articles, field=field)


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    form = ArticleForm()
    if form.validate_on_submit():
        db = get_db()
        article = Article(
            title=(form.title.data or "").strip(),
            body=(form.body.data or "").strip(),
            language=form.language.data or "vi",
            commune_id=_user_commune_id(),
            author_id=current_user.id,
        )
        if not _apply_metadata(form, article):
            return render_template("articles/form.html", form=form, article=None, upload_form=None)
        db.add(article)
        db.flush()
        _audit("article.create", article, None)
        db.commit()
        flash(_("Đã lưu bài viết."), "success")
        return redirect(url_for("articles.edit", article_id=article.id))
    return render_template("articles/form.html", form=form, article=None, upload_form=None)


@bp.route("/<int:article_id>", methods=["GET", "POST"])
def edit(article_id: int) -> ResponseReturnValue:
    article = _editable(article_id) if request.method == "POST" else _get_article(article_id)
    form = ArticleForm(obj=article)
    if request.method == "GET":
        form.field_category.data = article.field_category or ""
        form.produced_local.data = to_input_value(article.produced_at, radio_ctx().tz) if article.produced_at else ""
    if form.validate_on_submit():
        before = snapshot(article, approval.ARTICLE_FIELDS)
        if not _apply_metadata(form, article):
            get_db().rollback()
            return redirect(url_for("articles.edit", article_id=article.id))
        title, body = (form.title.data or "").strip(), (form.body.data or "").strip()
        changed_text = (title, body, form.language.data) != (article.title, article.body, article.language)
        article.title, article.body, article.language = title, body, form.language.data or "vi"
        if changed_text and article.audio_id is not None:
            # The old audio no longer says what the article says; it must not be scheduled by mistake.
            article.audio_id = None
            flash(_("Nội dung đã thay đổi: hãy tạo lại âm thanh."), "warning")
        # What the leader approved is no longer what would air: approval starts again.
        if changed_text and approval.reopen_after_change(article):
            flash(_("Bài viết đã sửa nên trở về bản nháp: hãy trình lãnh đạo duyệt lại."), "warning")
        _audit("article.edit", article, before)
        get_db().commit()
        flash(_("Đã lưu bài viết."), "success")
        return redirect(url_for("articles.edit", article_id=article.id))
    default_voice, defaults = editor_defaults(article.commune_id)
    # The list an editor's "add to lexicon" goes to: the article's commune (national: admins only).
    may_add = lexicon.may_edit(get_db(), current_actor(), article.commune_id)
    return render_template("articles/form.html", form=form, article=article, upload_form=UploadForm(),
                           preview=preview(article), voices=voice_options(), pause_label=pause_label,
                           lexicon_list=str(article.commune_id or "") if may_add else None,
                           default_voice=default_voice, voice_defaults=defaults)


@bp.post("/<int:article_id>/audio")
def render_audio(article_id: int) -> ResponseReturnValue:
    audio_error = AudioError

    article = _editable(article_id)
    if article.language not in SYNTH_LANGUAGES:
        flash(_("Chưa đọc tự động được ngôn ngữ này. Hãy tải lên tệp ghi âm."), "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    ctx = radio_ctx()
    default_voice, defaults = editor_defaults(article.commune_id)
    choice = request.form.get("voice", default_voice)
    if choice not in voice_options():
        flash(_("Giọng đọc không hợp lệ."), "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    engine, voice = choice.split("/", 1)
    check = preview(article)
    if not check.lint.fit and request.form.get("confirm_unfit") != "yes":
        # OCR text without diacritics reads as gibberish on air: make the broadcaster look first.
        flash(_("Văn bản có vẻ bị mất dấu hoặc lỗi nhận dạng ký tự, đọc lên sẽ sai. Hãy sửa văn bản, hoặc đánh "
                "dấu “Vẫn tạo âm thanh” nếu đã kiểm tra."), "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    acronyms, loanwords = article_readings(get_db(), article)
    try:
        asset = ctx.audio_library.synthesize(speech_text(article), engine=engine, voice=voice,
                                             extra_acronyms=acronyms, extra_loanwords=loanwords,
                                             rate_wpm=defaults.rate_wpm)
    except audio_error as exc:
        flash(str(exc), "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    if _attach(article, asset, "synthesize"):
        flash(_("Âm thanh mới khác bản lãnh đạo đã duyệt: bài viết chờ lãnh đạo duyệt lại."), "warning")
    if asset.fallback_reason:
        flash(_("Đã dùng giọng đọc dự phòng: %(reason)s", reason=asset.fallback_reason), "warning")
    flash(_("Đã tạo âm thanh."), "success")
    return redirect(url_for("articles.edit", article_id=article.id))


@bp.post("/<int:article_id>/upload")
def upload_audio(article_id: int) -> ResponseReturnValue:
    audio_error = AudioError

    article = _editable(article_id)
    form = UploadForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    try:
        row = import_upload(get_db(), form.file.data)
    except audio_error as exc:
        flash(str(exc), "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    # A recording is not the text the leader read: an approved article needs approval again.
    if approval.reopen_after_change(article):
        flash(_("Bài viết có tệp ghi âm mới nên trở về bản nháp: hãy trình lãnh đạo duyệt lại."), "warning")
    _attach_row(article, row, "upload")
    flash(_("Đã tải lên tệp âm thanh."), "success")
    return redirect(url_for("articles.edit", article_id=article.id))


def _attach(article: Article, asset: object, how: str) -> bool:
    """Attach synthesized audio; True when it replaced approved audio, so the leader must approve again."""
    db = get_db()
    row = upsert_asset(db, asset)
    changed = article.audio_id is not None and article.audio_id != row.id
    reopened = changed and approval.return_to_review(db, article, current_actor(), remote_addr=remote_addr(),
                                                     reason=approval.AUDIO_CHANGED)
    _attach_row(article, row, how)
    return reopened


def _attach_row(article: Article, row: AudioAssetRow, how: str) -> None:
    before = snapshot(article, approval.ARTICLE_FIELDS)
    article.audio_id = row.id
    article.updated_at = utcnow()
    _audit("article.audio", article, before, detail=f"{how} sha256={row.sha256}")
    get_db().commit()


def _workflow_step(article_id: int, step: str) -> ResponseReturnValue:
    """Run one approval step (submit or review), with its audit entry, and go back to the editor."""
    db = get_db()
    article = _get_article(article_id)
    actor, now = current_actor(), utcnow()
    try:
        if step == "submit":
            approval.submit(db, article, actor, now=now, remote_addr=remote_addr())
        else:
            approval.review(db, article, actor, decision=request.form.get("decision", ""),
                            comment=request.form.get("comment", ""), now=now, remote_addr=remote_addr())
    except approval.NotAllowed as exc:
        db.rollback()
        return forbidden(str(exc))
    except approval.ApprovalError as exc:
        db.rollback()
        flash(str(exc), "error")
        return redirect(url_for("articles.edit", article_id=article_id))
    db.commit()
    messages = {"submitted": _("Đã trình lãnh đạo duyệt."), "approved": _("Đã duyệt bài viết: có thể lên lịch phát."),
                "rejected": _("Đã từ chối bài viết và gửi lý do cho cán bộ đài.")}
    flash(messages.get(article.status, _("Đã lưu.")), "success")
    return redirect(url_for("articles.edit", article_id=article_id))


@bp.post("/<int:article_id>/submit")
def submit(article_id: int) -> ResponseReturnValue:
    return _workflow_step(article_id, "submit")


@bp.post("/<int:article_id>/review")
def review(article_id: int) -> ResponseReturnValue:
    return _workflow_step(article_id, "review")


@bp.app_template_global()
def article_actions(article: Article) -> dict[str, bool]:
    """Which approval buttons the editor shows; the routes check again, this only hides useless buttons."""
    db, actor = get_db(), current_actor()
    owner = approval.article_area_id(db, article)
    return {
        "edit": approval.can_edit_article(db, actor, article),
        "submit": approval.can_edit_article(db, actor, article) and article.status in approval.SUBMITTABLE,
        "review": actor.role in approval.REVIEWERS and approval.area_covers(db, actor.area_id, owner)
        and article.status == approval.ArticleStatus.SUBMITTED,
    }

"""Articles: write, edit, turn into audio (synthesis or an uploaded recording), preview."""

from __future__ import annotations

import contextlib
from concurrent.futures import TimeoutError as FutureTimeout

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from audio_library import AudioError
from radio.db.models import Area, AreaLevel, Article, ArticleStatus, AudioAssetRow, ContentType, FieldCategory, Role
from radio.db.types import utcnow
from radio.db.workflow import RenderJob, RenderState
from station import approval, lexicon, render_jobs
from station.audit import record, snapshot
from station.lexicon import article_readings, speech_text
from station.speech import SpeechPreview, pause_label, speech_preview
from web import render_worker
from web.authz import current_actor, forbidden, remote_addr, scoped
from web.context import get_db, radio_ctx
from web.forms import ArticleForm, UploadForm
from web.forms_once import once
from web.i18n import audio_message, translate
from web.timefmt import TimeInputError, parse_local_input, to_input_value
from web.uploads import import_upload
from web.voices import VOICES, editor_defaults, voice_options

__all__ = ["SYNTH_LANGUAGES", "VOICES", "bp", "preview", "speech_text"]

bp = Blueprint("articles", __name__, url_prefix="/articles")
SCHEDULERS = frozenset({Role.BROADCASTER, Role.LEADER, Role.ADMIN})
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
    status = request.args.get("status", "")
    # Commune and province users: their articles and those shared from above (station.isolation).
    query = scoped(select(Article), Article)
    if status in set(ArticleStatus):
        query = query.where(Article.status == status)
    else:
        status = ""
    field = request.args.get("field", "")
    if field == "none":
        query = query.where(Article.field_category.is_(None))
    elif field in set(FieldCategory):
        query = query.where(Article.field_category == field)
    else:
        field = ""
    articles = db.scalars(query.order_by(Article.updated_at.desc(), Article.id.desc())).all()
    counts = dict(db.execute(scoped(select(Article.status, func.count()), Article).group_by(Article.status)).all())
    return render_template("articles/list.html", articles=articles, status=status, counts=counts, field=field,
                           may_write=current_actor().role in approval.SUBMITTERS)


@bp.route("/new", methods=["GET", "POST"])
@once
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
    if article.audio is not None and f"{article.audio.engine}/{article.audio.voice}" in voice_options():
        default_voice = f"{article.audio.engine}/{article.audio.voice}"  # keep the voice just rendered with
    db, now = get_db(), utcnow()
    job = render_jobs.latest_job(db, article.id)
    running = job if job is not None and render_jobs.active_job(db, article.id, now) is job else None
    finished = job if job is not None and running is None and request.args.get("job") == str(job.id) else None
    # The list an editor's "add to lexicon" goes to: the article's commune (national: admins only).
    may_add = lexicon.may_edit(get_db(), current_actor(), article.commune_id)
    return render_template("articles/form.html", form=form, article=article, upload_form=UploadForm(),
                           preview=preview(article), voices=voice_options(), pause_label=pause_label,
                           lexicon_list=str(article.commune_id or "") if may_add else None,
                           default_voice=default_voice, voice_defaults=defaults,
                           render_running=render_jobs.progress(running, now) if running else None,
                           render_label=_render_label(render_jobs.progress(running, now)) if running else "",
                           render_finished=finished, render_notes=_job_notes(finished.message) if finished else [])


@bp.post("/<int:article_id>/audio")
@once
def render_audio(article_id: int) -> ResponseReturnValue:
    article = _editable(article_id)
    if article.language not in SYNTH_LANGUAGES:
        flash(_("Chưa đọc tự động được ngôn ngữ này. Hãy tải lên tệp ghi âm."), "error")
        return redirect(url_for("articles.edit", article_id=article.id))
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
    db, text = get_db(), speech_text(article)
    job, new = render_jobs.request_render(db, article_id=article.id, user_id=current_user.id, engine=engine,
                                          voice=voice, chars=len(text), now=utcnow())
    db.commit()
    if not new:
        # A second click (or another tab) while the first render runs: wait for it, never render twice.
        flash(_("Âm thanh của bài này đang được tạo. Hãy chờ xong; không cần bấm lại."), "warning")
        return redirect(url_for("articles.edit", article_id=article.id))
    acronyms, loanwords = article_readings(db, article)
    future = render_worker.worker().submit(render_worker.RenderInput(
        job.id, article.id, text, engine, voice, acronyms, loanwords, defaults.rate_wpm, current_actor(),
        remote_addr()))
    with contextlib.suppress(FutureTimeout):
        # A short article is ready before the page reloads. The tests' fake renders are instant and set a long
        # wait, so a busy machine cannot turn their render into a progress bar.
        future.result(timeout=current_app.config.get("RENDER_QUICK_WAIT_S", render_worker.QUICK_WAIT_S))
    return redirect(url_for("articles.edit", article_id=article.id, job=job.id))


@bp.get("/<int:article_id>/render/<int:job_id>")
def render_status(article_id: int, job_id: int) -> ResponseReturnValue:
    """The progress of one render, polled by the editor page (static/js/render_progress.js)."""
    article = _get_article(article_id)
    job = get_db().get(RenderJob, job_id)
    if job is None or job.article_id != article.id:
        abort(404)
    p = render_jobs.progress(job, utcnow())
    return jsonify({"state": p.state, "finished": p.finished, "percent": p.percent, "elapsed_s": p.elapsed_s,
                    "label": _render_label(p),
                    "done_url": url_for("articles.edit", article_id=article.id, job=job.id)})


def _render_label(p: render_jobs.Progress) -> str:
    if p.state == RenderState.QUEUED:
        return _("Đang chờ tạo âm thanh… (cần khoảng %(left)s giây)", left=max(p.remaining_s, 1))
    if p.state == RenderState.RUNNING:
        if p.remaining_s > 0:
            return _("Đang tạo âm thanh… %(percent)s%% (đã %(s)s giây, còn khoảng %(left)s giây)",
                     percent=p.percent, s=p.elapsed_s, left=p.remaining_s)
        return _("Đang tạo âm thanh… %(percent)s%% (đã %(s)s giây, sắp xong)", percent=p.percent, s=p.elapsed_s)
    if p.state == RenderState.DONE:
        return _("Đã tạo âm thanh.")
    return _("Không tạo được âm thanh.")


def _job_notes(message: str) -> list[str]:
    """The job's notes in the reader's language (stored as Vietnamese msgids, "msgid|argument" with one)."""
    notes = []
    for line in filter(None, message.splitlines()):
        msgid, _sep, arg = line.partition("|")
        notes.append(_(msgid, reason=arg) if arg else translate(msgid))
    return notes


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
        flash(audio_message(exc), "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    # A recording is not the text the leader read: an approved article needs approval again.
    if approval.reopen_after_change(article):
        flash(_("Bài viết có tệp ghi âm mới nên trở về bản nháp: hãy trình lãnh đạo duyệt lại."), "warning")
    _attach_row(article, row, "upload")
    flash(_("Đã tải lên tệp âm thanh."), "success")
    return redirect(url_for("articles.edit", article_id=article.id))


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
        flash(translate(str(exc)), "error")
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
        "submit": approval.can_edit_article(db, actor, article) and article.status in approval.SUBMITTABLE
        and article.audio_id is not None,
        # Scheduling needs approved content with audio and a role that schedules (not a monitor).
        "schedule": actor.role in SCHEDULERS and article.status in ArticleStatus.AIRABLE
        and article.audio_id is not None,
        "review": actor.role in approval.REVIEWERS and approval.area_covers(db, actor.area_id, owner)
        and article.status == approval.ArticleStatus.SUBMITTED,
    }

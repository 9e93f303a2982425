"""Articles: write, edit, turn into audio (synthesis or an uploaded recording), preview."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from audio_library.text import LintReport, lint
from audio_library.textbridge import speakable
from radio.db.models import Area, AreaLevel, Article, AudioAssetRow
from radio.db.types import utcnow
from scheduler.assets import user_acronyms
from web.audio_assets import audio_error_type, upsert_asset
from web.context import get_db, radio_ctx
from web.forms import ArticleForm, UploadForm
from web.uploads import import_upload

bp = Blueprint("articles", __name__, url_prefix="/articles")
# Languages the offline engine can speak; others need a recorded file.
SYNTH_LANGUAGES = frozenset({"vi"})
# (engine, voice) → what a broadcaster calls it.
VOICES: dict[str, str] = {
    "espeak-ng/vi": "Giọng miền Bắc (ngoại tuyến)",
    "espeak-ng/vi-vn-x-central": "Giọng miền Trung (ngoại tuyến)",
    "espeak-ng/vi-vn-x-south": "Giọng miền Nam (ngoại tuyến)",
    "gtts/vi": "Giọng Google (cần Internet; tự chuyển sang giọng ngoại tuyến khi mất mạng)",
}


@dataclass(frozen=True)
class Preview:
    """What the broadcaster sees before synthesis: the words that will be read and what may go wrong."""

    speakable: str
    lint: LintReport


def preview(article: Article) -> Preview:
    text = speech_text(article)
    extra = user_acronyms(get_db())
    return Preview(speakable(text, extra), lint(text, extra))


def _get_article(article_id: int) -> Article:
    article = get_db().get(Article, article_id)
    if article is None:
        abort(404)
    return article


def _user_commune_id() -> int | None:
    area_id = current_user.area_id
    if area_id is None:
        return None
    area = get_db().get(Area, area_id)
    return area.id if area is not None and area.level == AreaLevel.COMMUNE else None


def speech_text(article: Article) -> str:
    """What is read on air: the title, a pause, then the body."""
    return f"{article.title.strip()}.\n{article.body.strip()}"


@bp.get("/")
def index() -> ResponseReturnValue:
    articles = get_db().scalars(select(Article).order_by(Article.updated_at.desc(), Article.id.desc())).all()
    return render_template("articles/list.html", articles=articles)


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
        db.add(article)
        db.commit()
        flash("Đã lưu bài viết.", "success")
        return redirect(url_for("articles.edit", article_id=article.id))
    return render_template("articles/form.html", form=form, article=None, upload_form=None)


@bp.route("/<int:article_id>", methods=["GET", "POST"])
def edit(article_id: int) -> ResponseReturnValue:
    article = _get_article(article_id)
    form = ArticleForm(obj=article)
    if form.validate_on_submit():
        title, body = (form.title.data or "").strip(), (form.body.data or "").strip()
        changed_text = (title, body, form.language.data) != (article.title, article.body, article.language)
        article.title, article.body, article.language = title, body, form.language.data or "vi"
        if changed_text and article.audio_id is not None:
            # The old audio no longer says what the article says; it must not be scheduled by mistake.
            article.audio_id = None
            flash("Nội dung đã thay đổi: hãy tạo lại âm thanh.", "warning")
        get_db().commit()
        flash("Đã lưu bài viết.", "success")
        return redirect(url_for("articles.edit", article_id=article.id))
    ctx = radio_ctx()
    default_voice = f"{ctx.settings.tts_engine}/{ctx.settings.tts_voice}"
    return render_template("articles/form.html", form=form, article=article, upload_form=UploadForm(),
                           preview=preview(article), voices=VOICES,
                           default_voice=default_voice if default_voice in VOICES else "espeak-ng/vi")


@bp.post("/<int:article_id>/audio")
def render_audio(article_id: int) -> ResponseReturnValue:
    audio_error = audio_error_type()

    article = _get_article(article_id)
    if article.language not in SYNTH_LANGUAGES:
        flash("Chưa đọc tự động được ngôn ngữ này. Hãy tải lên tệp ghi âm.", "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    ctx = radio_ctx()
    choice = request.form.get("voice", f"{ctx.settings.tts_engine}/{ctx.settings.tts_voice}")
    if choice not in VOICES:
        flash("Giọng đọc không hợp lệ.", "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    engine, voice = choice.split("/", 1)
    check = preview(article)
    if not check.lint.fit and request.form.get("confirm_unfit") != "yes":
        # OCR text without diacritics reads as gibberish on air: make the broadcaster look first.
        flash("Văn bản có vẻ bị mất dấu hoặc lỗi nhận dạng ký tự, đọc lên sẽ sai. Hãy sửa văn bản, hoặc đánh dấu "
              "“Vẫn tạo âm thanh” nếu đã kiểm tra.", "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    try:
        asset = ctx.audio_library.synthesize(speech_text(article), engine=engine, voice=voice,
                                             extra_acronyms=user_acronyms(get_db()))
    except audio_error as exc:
        flash(str(exc), "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    _attach(article, asset)
    if asset.fallback_reason:
        flash(f"Đã dùng giọng đọc dự phòng: {asset.fallback_reason}", "warning")
    flash("Đã tạo âm thanh.", "success")
    return redirect(url_for("articles.edit", article_id=article.id))


@bp.post("/<int:article_id>/upload")
def upload_audio(article_id: int) -> ResponseReturnValue:
    audio_error = audio_error_type()

    article = _get_article(article_id)
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
    _attach_row(article, row)
    flash("Đã tải lên tệp âm thanh.", "success")
    return redirect(url_for("articles.edit", article_id=article.id))


def _attach(article: Article, asset: object) -> None:
    _attach_row(article, upsert_asset(get_db(), asset))


def _attach_row(article: Article, row: AudioAssetRow) -> None:
    article.audio_id = row.id
    article.updated_at = utcnow()
    get_db().commit()

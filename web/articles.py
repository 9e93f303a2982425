"""Articles: write, edit, turn into audio (synthesis or an uploaded recording), preview."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from radio.db.models import Area, AreaLevel, Article
from radio.db.types import utcnow
from web.audio_assets import audio_error_type, upsert_asset
from web.context import get_db, radio_ctx
from web.forms import ArticleForm, UploadForm

bp = Blueprint("articles", __name__, url_prefix="/articles")
# Languages the offline engine can speak; others need a recorded file.
SYNTH_LANGUAGES = frozenset({"vi"})


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
    return render_template("articles/form.html", form=form, article=article, upload_form=UploadForm())


@bp.post("/<int:article_id>/audio")
def render_audio(article_id: int) -> ResponseReturnValue:
    audio_error = audio_error_type()

    article = _get_article(article_id)
    if article.language not in SYNTH_LANGUAGES:
        flash("Chưa đọc tự động được ngôn ngữ này. Hãy tải lên tệp ghi âm.", "error")
        return redirect(url_for("articles.edit", article_id=article.id))
    ctx = radio_ctx()
    try:
        asset = ctx.audio_library.synthesize(
            speech_text(article), engine=ctx.settings.tts_engine, voice=ctx.settings.tts_voice
        )
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
    storage = form.file.data
    original = Path(storage.filename or "upload").name
    with tempfile.TemporaryDirectory(prefix="radio-upload-") as tmp:
        # A fixed name inside a private directory: the user's file name never becomes a path.
        path = Path(tmp) / "upload"
        storage.save(path)
        try:
            asset = radio_ctx().audio_library.import_file(path, original_name=original)
        except audio_error as exc:
            flash(str(exc), "error")
            return redirect(url_for("articles.edit", article_id=article.id))
    _attach(article, asset)
    flash("Đã tải lên tệp âm thanh.", "success")
    return redirect(url_for("articles.edit", article_id=article.id))


def _attach(article: Article, asset: object) -> None:
    db = get_db()
    row = upsert_asset(db, asset)
    article.audio_id = row.id
    article.updated_at = utcnow()
    db.commit()

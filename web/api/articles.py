"""API: articles and their approval, and turning them into audio (synthesis or an uploaded recording)."""

from __future__ import annotations

from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from audio_library import AudioError
from radio.db.models import Area, AreaLevel, Article, ArticleStatus, Role
from radio.db.types import utcnow
from station import approval
from station.audit import record, snapshot
from station.lexicon import article_readings
from web.api import actor, bp, fail, iso, json_body, page_args
from web.articles import SYNTH_LANGUAGES, preview, speech_text
from web.audio_assets import upsert_asset
from web.authz import register, remote_addr, scoped
from web.context import get_db, radio_ctx
from web.i18n import audio_message
from web.labels import LANGUAGE_LABELS
from web.uploads import import_upload
from web.voices import editor_defaults, voice_options

EVERYONE = tuple(Role)
B, L = Role.BROADCASTER, Role.LEADER
for _endpoint, _read, _write in (
    ("api.articles_list", EVERYONE, ()), ("api.articles_get", EVERYONE, ()), ("api.articles_create", (), (B,)),
    ("api.articles_update", (), (B,)), ("api.articles_submit", (), (B,)), ("api.articles_review", (), (L,)),
    ("api.articles_synthesize", (), (B,)), ("api.articles_upload", (), (B,)),
):
    register(_endpoint, _read, _write)


def article_json(a: Article) -> dict[str, Any]:
    return {
        "id": a.id, "title": a.title, "body": a.body, "language": a.language, "commune_id": a.commune_id,
        "author_id": a.author_id, "status": a.status, "review_comment": a.review_comment,
        "submitted_by": a.submitted_by, "submitted_at": iso(a.submitted_at), "reviewed_by": a.reviewed_by,
        "reviewed_at": iso(a.reviewed_at), "created_at": iso(a.created_at), "updated_at": iso(a.updated_at),
        "audio": None if a.audio is None else {"sha256": a.audio.sha256, "duration_ms": a.audio.duration_ms,
                                                "engine": a.audio.engine, "voice": a.audio.voice},
    }


def _article(article_id: int, *, write: bool = False) -> Article:
    """Same rules as the web editor: readable in or above the user's area, writable in it."""
    db, who = get_db(), actor()
    article = db.get(Article, article_id)
    if article is None:
        fail(404, "Không tìm thấy bài viết.")
    if not approval.can_read_article(db, who, article):
        fail(403)
    if write and not approval.can_edit_article(db, who, article):
        fail(403, approval.NOT_YOUR_AREA)
    return article


def _audit(action: str, article: Article, before: dict[str, Any] | None, detail: str = "") -> None:
    db = get_db()
    record(db, actor(), action, "article", article.id, before, snapshot(article, approval.ARTICLE_FIELDS), detail,
           area_id=approval.article_area_id(db, article), remote_addr=remote_addr())


def _text(data: dict[str, Any], field: str, limit: int, *, required: bool) -> str | None:
    value = data.get(field)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value.strip():
        fail(422, f"Trường {field} không được để trống.")
    if len(value) > limit:
        fail(422, f"Trường {field} dài quá {limit} ký tự.")
    return value.strip()


@bp.get("/articles")
def articles_list() -> ResponseReturnValue:
    db = get_db()
    limit, offset = page_args()
    query = scoped(select(Article), Article).order_by(Article.updated_at.desc(), Article.id.desc())
    if status := request.args.get("status"):
        query = query.where(Article.status == status)
    rows = db.scalars(query.offset(offset).limit(limit)).all()
    return {"items": [article_json(a) for a in rows], "limit": limit, "offset": offset}


@bp.get("/articles/<int:article_id>")
def articles_get(article_id: int) -> ResponseReturnValue:
    return article_json(_article(article_id))


@bp.post("/articles")
def articles_create() -> ResponseReturnValue:
    db, who, data = get_db(), actor(), json_body()
    title, body = _text(data, "title", 300, required=True), _text(data, "body", 100_000, required=True)
    language = data.get("language", "vi")
    if language not in LANGUAGE_LABELS:
        fail(422, "Ngôn ngữ không hợp lệ.")
    commune_id = data.get("commune_id")
    if commune_id is None:  # like the web: a commune account writes for its commune
        area = db.get(Area, who.area_id) if who.area_id is not None else None
        commune_id = area.id if area is not None and area.level == AreaLevel.COMMUNE else None
    elif not isinstance(commune_id, int) or db.get(Area, commune_id) is None:
        fail(422, "Xã không tồn tại.")
    elif not approval.area_covers(db, who.area_id, commune_id):
        fail(403, approval.NOT_YOUR_AREA)
    article = Article(title=title, body=body, language=language, commune_id=commune_id, author_id=who.user_id)
    db.add(article)
    db.flush()
    _audit("article.create", article, None, "api")
    db.commit()
    return article_json(article), 201


@bp.patch("/articles/<int:article_id>")
def articles_update(article_id: int) -> ResponseReturnValue:
    db, data = get_db(), json_body()
    article = _article(article_id, write=True)
    before = snapshot(article, approval.ARTICLE_FIELDS)
    title = _text(data, "title", 300, required=False) or article.title
    body = _text(data, "body", 100_000, required=False) or article.body
    language = data.get("language", article.language)
    if language not in LANGUAGE_LABELS:
        fail(422, "Ngôn ngữ không hợp lệ.")
    if (title, body, language) != (article.title, article.body, article.language):
        article.title, article.body, article.language = title, body, language
        article.audio_id = None  # the old audio no longer says what the article says
        approval.reopen_after_change(article)
        _audit("article.edit", article, before, "api")
        db.commit()
    return article_json(article)


def _step(article_id: int, step: str) -> ResponseReturnValue:
    db, who, now = get_db(), actor(), utcnow()
    article = _article(article_id)
    try:
        if step == "submit":
            approval.submit(db, article, who, now=now, remote_addr=remote_addr())
        else:
            data = json_body()
            approval.review(db, article, who, decision=str(data.get("decision", "")),
                            comment=str(data.get("comment") or ""), now=now, remote_addr=remote_addr())
    except approval.NotAllowed as exc:
        db.rollback()
        fail(403, str(exc))
    except approval.WrongStatus as exc:
        db.rollback()
        fail(409, str(exc))
    except approval.ApprovalError as exc:
        db.rollback()
        fail(422, str(exc))
    db.commit()
    return article_json(article)


@bp.post("/articles/<int:article_id>/submit")
def articles_submit(article_id: int) -> ResponseReturnValue:
    return _step(article_id, "submit")


@bp.post("/articles/<int:article_id>/review")
def articles_review(article_id: int) -> ResponseReturnValue:
    return _step(article_id, "review")


def _attach(article: Article, asset_row_id: int, detail: str) -> None:
    db = get_db()
    before = snapshot(article, approval.ARTICLE_FIELDS)
    if article.audio_id != asset_row_id and article.status == ArticleStatus.REJECTED:
        approval.reopen_after_change(article)  # new audio for a rejected article: a draft to submit again (web too)
    article.audio_id = asset_row_id
    article.updated_at = utcnow()
    _audit("article.audio", article, before, detail)
    db.commit()


@bp.post("/articles/<int:article_id>/audio/synthesize")
def articles_synthesize(article_id: int) -> ResponseReturnValue:
    db, ctx = get_db(), radio_ctx()
    article = _article(article_id, write=True)
    data = json_body() if request.content_length else {}
    if article.language not in SYNTH_LANGUAGES:
        fail(422, "Chưa đọc tự động được ngôn ngữ này. Hãy tải lên tệp ghi âm.")
    default_voice, defaults = editor_defaults(article.commune_id)
    choice = str(data.get("voice") or default_voice)
    if choice not in voice_options():
        fail(422, "Giọng đọc không hợp lệ.", "bad_voice")
    if not preview(article).lint.fit and data.get("confirm_unfit") is not True:
        fail(422, "Văn bản có vẻ bị mất dấu hoặc lỗi nhận dạng ký tự; sửa văn bản hoặc gửi confirm_unfit=true.",
             "text_unfit")
    engine, voice = choice.split("/", 1)
    acronyms, loanwords = article_readings(db, article)
    try:
        asset = ctx.audio_library.synthesize(speech_text(article), engine=engine, voice=voice,
                                             extra_acronyms=acronyms, extra_loanwords=loanwords,
                                             rate_wpm=defaults.rate_wpm)
    except AudioError as exc:
        fail(422, audio_message(exc), "audio_error")
    row = upsert_asset(db, asset)
    if article.audio_id is not None and article.audio_id != row.id:  # approved audio replaced: review again
        approval.return_to_review(db, article, actor(), reason=approval.AUDIO_CHANGED, remote_addr=remote_addr())
    _attach(article, row.id, f"synthesize sha256={row.sha256} (api)")
    return article_json(article)


@bp.post("/articles/<int:article_id>/audio/upload")
def articles_upload(article_id: int) -> ResponseReturnValue:
    db = get_db()
    article = _article(article_id, write=True)
    storage = request.files.get("file")  # reading the body enforces MAX_CONTENT_LENGTH (413)
    if storage is None or not storage.filename:
        fail(422, "Hãy gửi tệp âm thanh trong trường 'file' (multipart/form-data).", "missing_file")
    try:
        row = import_upload(db, storage)
    except AudioError as exc:
        db.rollback()
        fail(422, audio_message(exc), "audio_error")
    approval.reopen_after_change(article)  # a new recording needs the leader's approval again
    _attach(article, row.id, f"upload sha256={row.sha256} (api)")
    return article_json(article)

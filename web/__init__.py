"""Flask admin for commune radio: app factory (blueprints, CSRF, login, per-request DB session)."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from radio.db.models import Bulletin
from radio.db.session import make_engine, make_sessionmaker
from radio.db.types import utcnow
from radio.settings import Settings, load_settings
from station.airing import playing_ids, shown_status
from station.warnings.hazards import hazard_name
from web import (
    alerts,
    api,
    areas,
    articles,
    asrun,
    audit,
    auth,
    authz,
    bulletins,
    calendar,
    controls,
    emergency,
    forms_once,
    headers,
    health,
    home,
    httt_push,
    i18n,
    inbox,
    lexicon,
    live,
    media,
    node_detail,
    nodes,
    notes,
    programmes,
    province,
    public,
    render_worker,
    tokens,
    users,
    voices,
    warnings,
)
from web.audio_assets import format_duration
from web.context import RadioContext, get_db, init_app, radio_ctx
from web.i18n import N_, current_language
from web.labels import (
    ARTICLE_STATUS_LABELS,
    CONTENT_TYPE_LABELS,
    DELIVERY_MODE_LABELS,
    DELIVERY_STATUS_LABELS,
    FIELD_CATEGORY_LABELS,
    KIND_LABELS,
    LANGUAGE_LABELS,
    LEXICON_KIND_LABELS,
    OUTCOME_LABELS,
    PRIORITY_LABELS,
    STATUS_LABELS,
    WARNING_STATUS_LABELS,
    days_label,
    label,
    size_words,
)
from web.reports import dashboards, plans
from web.timefmt import (
    format_epoch_ms,
    format_local,
    format_ms,
    format_occurrence,
    format_seconds,
    format_signed_ms,
)

csrf = CSRFProtect()

# Shown instead of Werkzeug's English error pages.
ERROR_MESSAGES_VI: dict[int, str] = {
    400: N_("Yêu cầu không hợp lệ."),
    403: N_("Bạn không có quyền làm việc này."),
    404: N_("Không tìm thấy trang hoặc tệp."),
    405: N_("Thao tác không được phép."),
    413: N_("Tệp tải lên quá lớn."),
    500: N_("Lỗi máy chủ. Hãy thử lại sau."),
}


def create_app(
    settings: Settings | None = None,
    *,
    audio_library: Any = None,
    test_config: dict[str, Any] | None = None,
) -> Flask:
    """Build the web app. The database must already be migrated (`radio db upgrade`)."""
    settings = settings or load_settings()
    settings.ensure_dirs()
    app = Flask(__name__)
    app.config.from_mapping(
        SECRET_KEY=settings.flask_secret(),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        MAX_CONTENT_LENGTH=settings.max_upload_bytes,
        # A broadcaster may keep a long article open; the default 1 h token would lose their work.
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        # Use our own Vietnamese WTForms messages (web.forms), not Flask-Babel.
        WTF_I18N_ENABLED=False,
    )
    if test_config:
        app.config.update(test_config)

    engine = make_engine(settings.db_url)
    init_app(app, RadioContext(settings, make_sessionmaker(engine), audio_library))
    csrf.init_app(app)
    headers.init_app(app)
    i18n.init_app(app)
    auth.init_app(app)
    authz.init_app(app)  # after auth: the login redirect comes before the role check
    for module in (articles, lexicon, bulletins, programmes, areas, nodes, controls, asrun, dashboards, plans, media,
                   health, calendar, emergency, node_detail, live, audit, users, tokens, voices, inbox, province,
                   httt_push, public, alerts, warnings):
        app.register_blueprint(module.bp)
    render_worker.init_app(app)  # "Tạo âm thanh" renders in the background, the editor polls its progress
    home.init_app(app)  # the landing page "Việc hôm nay" and the count badge in the menu
    forms_once.init_app(app)  # one-time form keys: a resubmitted form returns the first result
    csrf.exempt(httt_push.bp)  # the province authenticates with its push token, not a browser form
    api.init_app(app, csrf)  # /api/v1: bearer tokens only, so exempt from the form CSRF check
    _register_template_helpers(app)
    notes.init_app(app)
    app.add_template_global(voices.voice_name, "voice_name")
    _register_error_pages(app)

    @app.get("/")
    def index() -> ResponseReturnValue:
        return redirect(url_for("home.today_page"))

    return app


def _register_template_helpers(app: Flask) -> None:
    app.add_template_filter(lambda dt: format_local(dt, radio_ctx().tz), "localtime")
    app.add_template_filter(lambda ms: format_epoch_ms(ms, radio_ctx().tz), "localtime_ms")
    app.add_template_filter(format_duration, "duration")
    app.add_template_filter(format_seconds, "seconds")
    app.add_template_filter(format_signed_ms, "signed_ms")
    app.add_template_filter(format_ms, "ms")
    app.add_template_filter(lambda dt: format_occurrence(dt, radio_ctx().tz), "occurrence")
    app.add_template_filter(days_label, "days")
    app.add_template_global(lambda code: label(PRIORITY_LABELS, code), "priority_label")
    app.add_template_global(lambda code: label(STATUS_LABELS, code), "status_label")
    app.add_template_global(lambda code: label(OUTCOME_LABELS, code), "outcome_label")
    app.add_template_global(lambda code: label(LANGUAGE_LABELS, code), "language_label")
    app.add_template_global(lambda code: label(KIND_LABELS, code), "kind_label")
    app.add_template_global(lambda code: label(LEXICON_KIND_LABELS, code), "lexicon_kind_label")
    app.add_template_global(lambda code: _("Chưa phân loại") if code is None else label(FIELD_CATEGORY_LABELS, code),
                            "field_category_label")
    app.add_template_global(lambda: [(k, _(v)) for k, v in FIELD_CATEGORY_LABELS.items()], "field_category_choices")
    app.add_template_global(lambda code: label(CONTENT_TYPE_LABELS, code), "content_type_label")
    app.add_template_global(lambda code: label(DELIVERY_MODE_LABELS, code), "delivery_mode_label")
    app.add_template_global(lambda code: label(DELIVERY_STATUS_LABELS, code), "delivery_status_label")
    app.add_template_global(_bulletin_status_label, "bulletin_status_label")
    app.add_template_global(lambda code: label(ARTICLE_STATUS_LABELS, code), "article_status_label")

    app.add_template_global(alerts.unread_count, "alert_unread_count")
    app.add_template_global(warnings.active_for_user, "active_warnings")
    app.add_template_global(lambda h: hazard_name(h, current_language()), "hazard_title")
    app.add_template_global(lambda code: label(WARNING_STATUS_LABELS, code), "warning_status_label")

def _bulletin_status_label(bulletin: Bulletin, playing: set[int] | None = None) -> str:
    """The bulletin's status as people read it ("Đang phát" while a loudspeaker plays it); lists pass the set
    of playing ids they computed in one query, a single bulletin costs one query."""
    if playing is None:
        playing = playing_ids(get_db(), [bulletin.id])
    return label(STATUS_LABELS, shown_status(bulletin, utcnow(), playing))


def _register_error_pages(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_exc: CSRFError) -> ResponseReturnValue:
        message = _("Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại.")
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        code = exc.code or 500
        if code < 400:  # redirects raised as exceptions pass through untouched
            return exc
        if request.path.startswith("/api/"):  # programs get JSON errors, even for unknown API paths
            return api.json_http_error(exc)
        message = _(ERROR_MESSAGES_VI.get(code, N_("Đã xảy ra lỗi.")))
        if code == 413:  # say the limit, so the user knows what would fit
            message = _("Tệp tải lên quá lớn: tối đa %(limit)s. Hãy nén hoặc cắt ngắn tệp rồi tải lại.",
                        limit=size_words(current_app.config["MAX_CONTENT_LENGTH"]))
        return render_template("error.html", code=code, message=message), code

"""Languages of the admin: Vietnamese (the source text, msgids) by default, English as a translation.

The UI is written in Vietnamese and every user-visible string is wrapped in `_()`/`gettext`; the English
catalog lives in web/translations/en/LC_MESSAGES (rebuilt by scripts/translations.py). A user picks the
language with `?lang=en` (the top-bar switch does that); the choice is remembered in a cookie. Times are
still shown in Asia/Ho_Chi_Minh whatever the language: the stations are all in Vietnam.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from flask import Flask, Response, request
from flask_babel import Babel, get_locale, gettext, lazy_gettext

TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DEFAULT_LANGUAGE = "vi"
# Code → the language's own name, so a user who cannot read the current language still finds theirs.
LANGUAGES: dict[str, str] = {"vi": "Tiếng Việt", "en": "English"}
COOKIE = "lang"
COOKIE_MAX_AGE_S = 365 * 24 * 3600

babel = Babel()
_l = lazy_gettext


def N_(message: str) -> str:
    """Mark a string for extraction without translating it now (module-level tables, translated on use)."""
    return message


def current_language() -> str:
    locale = get_locale()
    return locale.language if locale is not None and locale.language in LANGUAGES else DEFAULT_LANGUAGE


def select_locale() -> str:
    """?lang= first (the switch), then the remembered cookie, then Vietnamese."""
    for candidate in (request.args.get("lang"), request.cookies.get(COOKIE)):
        if candidate in LANGUAGES:
            return candidate
    return DEFAULT_LANGUAGE


def audio_message(exc: Exception) -> str:
    """An audio-library error (audio_library.errors.AudioError) in the user's language, from its msgid and values;
    any other exception as its text, translated when the catalog knows it."""
    msgid = getattr(exc, "msgid", None)
    if not isinstance(msgid, str):
        return translate(str(exc))
    params = getattr(exc, "params", None) or {}
    return gettext(msgid, **params) if params else gettext(msgid)


def translate(message: str) -> str:
    """A message built elsewhere (a scheduler error, a stored label) in the user's language when the catalog
    knows it, otherwise as it is: an untranslated Vietnamese sentence beats a missing one."""
    return gettext(message) if message else message


def _remember_choice(response: Response) -> Response:
    chosen = request.args.get("lang")
    if chosen in LANGUAGES and request.cookies.get(COOKIE) != chosen:
        response.set_cookie(COOKIE, chosen, max_age=COOKIE_MAX_AGE_S, samesite="Lax", httponly=True)
    return response


def switch_url(language: str) -> str:
    """The current page in another language (GET parameters kept), for the top-bar links."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k != "lang"]
    return f"{request.path}?{urlencode([*args, ('lang', language)])}"


def init_app(app: Flask) -> None:
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LANGUAGE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS_DIR))
    babel.init_app(app, locale_selector=select_locale)
    app.after_request(_remember_choice)
    app.add_template_global(switch_url, "switch_url")
    app.add_template_global(current_language, "current_language")
    app.add_template_global(LANGUAGES, "LANGUAGES")
    app.add_template_filter(translate, "t")

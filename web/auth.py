"""Login and logout; every endpoint not listed in PUBLIC_ENDPOINTS requires a logged-in user."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from radio.db.models import User
from radio.db.types import utcnow
from radio.settings import SettingsError
from station.audit import Actor, record
from web import login_limit
from web.context import get_db
from web.forms import LoginForm
from web.i18n import N_

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

# Nodes fetch media and monitors probe health without a browser session; everything else is private.
# httt_push.push authenticates the province by its own push token (web/httt_push.py), never by a session.
# The residents' page (web/public.py) is public by design and shows only aired, approved items.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "media.serve", "health.healthz", "health.server_time", "static",
                              "httt_push.push", "public.page", "public.feed", "public.audio"})
BAD_LOGIN = N_("Tên đăng nhập hoặc mật khẩu không đúng.")
# Checked against when the user does not exist, so both failures take the same time (no enumeration).
_DUMMY_HASH = generate_password_hash("not-a-real-password")


@dataclass(frozen=True)
class CurrentUser(UserMixin):
    """The logged-in user as the views see it: a detached snapshot, never a session-bound ORM row."""

    id: int
    username: str
    full_name: str
    role: str
    area_id: int | None
    session_version: int = 0

    @classmethod
    def from_row(cls, row: User) -> CurrentUser:
        return cls(row.id, row.username, row.full_name, row.role, row.area_id, row.session_version)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def get_id(self) -> str:
        # What Flask-Login keeps in the session: "<id>:<session_version>". Raising the user's version (logout,
        # password change) makes every cookie issued before it name a version that no longer exists.
        return f"{self.id}:{self.session_version}"


@login_manager.user_loader
def load_user(session_id: str) -> CurrentUser | None:
    user_id, _sep, version = session_id.partition(":")
    try:
        row = get_db().get(User, int(user_id))
        wanted = int(version)
    except ValueError:  # also a cookie from before session versions: log in once more
        return None
    if row is None or not row.active or row.session_version != wanted:
        return None
    return CurrentUser.from_row(row)


def revoke_sessions(row: User) -> None:
    """End every session of this user, on every device (not committed): their cookies name the old version."""
    row.session_version = (row.session_version or 0) + 1


def _require_login() -> ResponseReturnValue | None:
    # request.endpoint is None for unknown URLs: let those fall through to the 404 page.
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    # The REST API authenticates by bearer token only (web.api), never by this browser session.
    if request.blueprint == "api":
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the login form cannot bounce users to another site. Backslashes and
    control characters are refused too: browsers fold them into '//' (another host), and a line break in a
    Location header is a 500."""
    if target and "\\" not in target and not any(ord(c) < 0x20 or ord(c) == 0x7F for c in target):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("home.today_page")


def authenticate(username: str, password: str) -> User | None:
    row = get_db().scalar(select(User).where(User.username == username))
    if row is None or not row.active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return row if check_password_hash(row.password_hash, password) else None


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("home.today_page"))
    form = LoginForm()
    error = None
    status = 200
    if form.validate_on_submit():
        db, now = get_db(), utcnow()
        username, address = (form.username.data or "")[:64], request.remote_addr or ""
        attempt = login_limit.claim(db, username, address, now)  # counted before checking: see login_limit
        if login_limit.is_blocked(db, username, address, now, attempt):
            # Not even checking the password: a guesser learns nothing, and the hash cost is not spent.
            login_limit.release(db, attempt)
            _record_login(None, username, "login.blocked", address)
            db.commit()
            return render_template("auth/login.html", form=form, error=_(login_limit.BLOCKED_VI)), 429
        row = authenticate(username, form.password.data or "")
        login_limit.settle(db, attempt, row is not None)
        _record_login(row, username, "login.success" if row is not None else "login.failure", address)
        db.commit()
        if row is None:
            error, status = _(BAD_LOGIN), 401
        else:
            # A fresh session on login (the session cookie is re-issued): nothing an attacker planted before
            # login survives it (session fixation).
            session.clear()
            login_user(CurrentUser.from_row(row), fresh=True)
            flash(_("Xin chào, %(name)s.", name=row.full_name or row.username), "success")
            return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form, error=error), status


def _record_login(row: User | None, username: str, action: str, address: str) -> None:
    """Logins go to the audit log too; a failure names what was typed, tied to the account's area if any."""
    db = get_db()
    known = row or db.scalar(select(User).where(User.username == username))
    actor = Actor(row.id, row.role, row.area_id, row.username) if row else Actor(None, "anonymous", None, username)
    record(db, actor, action, "user", known.id if known else username, None, None,
           area_id=known.area_id if known else None, remote_addr=address)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    # Clearing the cookie is not enough: a copy of it (another tab, a stolen one) would still work.
    if current_user.is_authenticated:
        db = get_db()
        row = db.get(User, current_user.id)
        if row is not None:
            revoke_sessions(row)
            db.commit()
    logout_user()
    session.clear()
    flash(_("Bạn đã đăng xuất."), "info")
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Hãy đăng nhập để tiếp tục.")
    # Flask-Login passes its message through this, so the login prompt follows the chosen language.
    login_manager.localize_callback = _
    login_manager.login_message_category = "warning"
    # "basic" by default: Flask-Login's identifier includes the client address, and commune staff on 4G
    # change address all the time, so "strong" would log them out mid-article. What protects a session is
    # the Secure/HttpOnly/SameSite cookie and its revocation (session_version). A deployment on fixed lines
    # can choose "strong" (setting `session_protection`). See docs/architecture.md, Sessions and headers.
    settings = app.extensions["radio"].settings
    if settings.session_protection not in ("basic", "strong"):
        raise SettingsError(f"setting session_protection: {settings.session_protection!r} is not basic or strong")
    login_manager.session_protection = settings.session_protection
    app.before_request(_require_login)
    app.register_blueprint(bp)

"""Login and logout; every endpoint not listed in PUBLIC_ENDPOINTS requires a logged-in user."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from radio.db.models import User
from web.context import get_db
from web.forms import LoginForm

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

# Nodes fetch media and monitors probe health without a browser session; everything else is private.
PUBLIC_ENDPOINTS = frozenset({"auth.login", "media.serve", "health.healthz", "health.server_time", "static"})
BAD_LOGIN = "Tên đăng nhập hoặc mật khẩu không đúng."
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

    @classmethod
    def from_row(cls, row: User) -> CurrentUser:
        return cls(row.id, row.username, row.full_name, row.role, row.area_id)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


@login_manager.user_loader
def load_user(user_id: str) -> CurrentUser | None:
    try:
        row = get_db().get(User, int(user_id))
    except ValueError:
        return None
    if row is None or not row.active:
        return None
    return CurrentUser.from_row(row)


def _require_login() -> ResponseReturnValue | None:
    # request.endpoint is None for unknown URLs: let those fall through to the 404 page.
    if request.endpoint is None or request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    return None


def _safe_next(target: str | None) -> str:
    """Only same-site relative paths, so the login form cannot bounce users to another site."""
    if target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc and target.startswith("/") and not target.startswith("//"):
            return target
    return url_for("bulletins.index")


def authenticate(username: str, password: str) -> User | None:
    row = get_db().scalar(select(User).where(User.username == username))
    if row is None or not row.active:
        check_password_hash(_DUMMY_HASH, password)
        return None
    return row if check_password_hash(row.password_hash, password) else None


@bp.route("/login", methods=["GET", "POST"])
def login() -> ResponseReturnValue:
    if current_user.is_authenticated:
        return redirect(url_for("bulletins.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        row = authenticate(form.username.data or "", form.password.data or "")
        if row is None:
            error = BAD_LOGIN
        else:
            session.clear()  # a fresh session on login: nothing carried over from before
            login_user(CurrentUser.from_row(row))
            flash(f"Xin chào, {row.full_name or row.username}.", "success")
            return redirect(_safe_next(request.args.get("next")))
    status = 401 if error else 200
    return render_template("auth/login.html", form=form, error=error), status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    logout_user()
    flash("Bạn đã đăng xuất.", "info")
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Hãy đăng nhập để tiếp tục."
    login_manager.login_message_category = "warning"
    # Flask-Login's "strong" protection drops the session if the IP or user agent changes;
    # commune staff on 4G change IP often, so "basic" avoids constant log-outs.
    login_manager.session_protection = "basic"
    app.before_request(_require_login)
    app.register_blueprint(bp)

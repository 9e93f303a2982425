"""User accounts (admin only): create, change role and area, reset a password, deactivate.

Accounts are deactivated, never deleted, so the audit log keeps naming who did what.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_user
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from radio.db.models import Area, AreaLevel, Role, User
from station.audit import snapshot
from web.audit import log_action
from web.auth import CurrentUser, revoke_sessions
from web.authz import current_actor, require
from web.context import get_db
from web.forms import ViForm, choices
from web.i18n import N_
from web.labels import ROLE_LABELS

bp = Blueprint("users", __name__, url_prefix="/users")
USER_FIELDS = ("username", "full_name", "role", "area_id", "active")  # never the password hash
MIN_PASSWORD = 10


class UserForm(ViForm):
    username = StringField(N_("Tên đăng nhập"), validators=[
        DataRequired(N_("Hãy nhập tên đăng nhập.")),
        Regexp(r"^[a-z0-9._-]{3,64}$", message=N_("Tên đăng nhập: 3-64 chữ thường không dấu, số, dấu . _ -"))])
    full_name = StringField(N_("Họ và tên"), validators=[Length(max=200)])
    role = SelectField(N_("Vai trò"), choices=choices((r, r) for r in Role))
    # 0 = no area (national account); checked against existing areas in the view.
    area_id = SelectField(N_("Khu vực phụ trách"), coerce=int, validate_choice=False, default=0)
    active = BooleanField(N_("Đang hoạt động"), default=True)
    password = PasswordField(N_("Mật khẩu mới"), validators=[Optional(), Length(
        min=MIN_PASSWORD, max=200, message=N_("Mật khẩu phải có ít nhất 10 ký tự."))])


def _prepare(form: UserForm, db: Session) -> None:
    form.role.choices = choices((r, _(label)) for r, label in ROLE_LABELS.items())
    areas = db.scalars(select(Area).where(Area.level != AreaLevel.VILLAGE).order_by(Area.code)).all()
    national = (0, _("Toàn quốc (không giới hạn)"))
    form.area_id.choices = choices([national, *((a.id, f"{a.code} {a.name}") for a in areas)])


def _error(form: UserForm, db: Session, user: User | None) -> str | None:
    """Checks WTForms cannot do: a real area, a unique name, a password for new accounts, no self-lockout."""
    if form.area_id.data and db.get(Area, form.area_id.data) is None:
        return _("Khu vực không tồn tại.")
    name = (form.username.data or "").strip()
    clash = db.scalar(select(User.id).where(User.username == name))
    if clash is not None and (user is None or clash != user.id):
        return _("Tên đăng nhập đã có người dùng.")
    if user is None and not form.password.data:
        return _("Hãy đặt mật khẩu cho tài khoản mới.")
    if user is not None and user.id == current_actor().user_id and (
            not form.active.data or form.role.data != Role.ADMIN):
        return _("Bạn không thể tự khoá hoặc tự bỏ quyền quản trị của mình.")
    return None


def _edit(user: User | None) -> ResponseReturnValue:
    db = get_db()
    form = UserForm(obj=user) if user is not None else UserForm()
    _prepare(form, db)
    if user is not None and not form.is_submitted():
        form.area_id.data = user.area_id or 0
    error = None
    if form.validate_on_submit():
        error = _error(form, db, user)
        if error is None:
            target = user if user is not None else User(password_hash="")
            before = snapshot(user, USER_FIELDS) if user is not None else None
            target.username = (form.username.data or "").strip()
            target.full_name = (form.full_name.data or "").strip()
            target.role, target.area_id = form.role.data or Role.BROADCASTER, form.area_id.data or None
            target.active = bool(form.active.data)
            if form.password.data:
                target.password_hash = generate_password_hash(form.password.data)
                # A reset is often because someone else knew the password: their sessions end with it.
                revoke_sessions(target)
            if user is None:
                db.add(target)
            db.flush()
            log_action("user.create" if user is None else "user.edit", "user", target.id, before,
                       snapshot(target, USER_FIELDS), area_id=target.area_id)
            if user is not None and form.password.data:
                log_action("user.password", "user", target.id, None, None, _("Đặt lại mật khẩu."),
                           area_id=target.area_id)
            db.commit()
            if form.password.data and target.id == current_actor().user_id:
                login_user(CurrentUser.from_row(target))  # an admin changing their own: this browser stays in
            flash(_("Đã lưu tài khoản %(name)s.", name=target.username), "success")
            return redirect(url_for("users.index"))
    elif form.is_submitted():
        error = next(iter(m for errors in form.errors.values() for m in errors), None)
    return render_template("users/form.html", form=form, user=user, error=error), 400 if error else 200


@bp.get("/")
@require(Role.ADMIN)
def index() -> ResponseReturnValue:
    db = get_db()
    users = db.scalars(select(User).order_by(User.active.desc(), User.username)).all()
    areas = dict(db.execute(select(Area.id, Area.name)).all())
    return render_template("users/list.html", users=users, areas=areas, roles=ROLE_LABELS)


@bp.route("/new", methods=["GET", "POST"])
@require(Role.ADMIN)
def new() -> ResponseReturnValue:
    return _edit(None)


@bp.route("/<int:user_id>", methods=["GET", "POST"])
@require(Role.ADMIN)
def edit(user_id: int) -> ResponseReturnValue:
    user = get_db().get(User, user_id)
    if user is None:
        abort(404)
    return _edit(user)

"""Personal API tokens: each user creates (secret shown once), lists and revokes their own.

A token acts with its owner's role and area. Only a sha256 of the secret is stored; the prefix (the first
characters, not secret enough to use) lets people tell their tokens apart.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from radio.db.governance import ApiToken
from radio.db.models import User
from radio.db.types import utcnow
from station.audit import snapshot
from web.audit import log_action
from web.authz import current_actor
from web.context import get_db
from web.forms import ViForm

bp = Blueprint("tokens", __name__, url_prefix="/tokens")
TOKEN_PREFIX = "crt_"  # "commune radio token": recognisable in logs and by secret scanners
PREFIX_LEN = 12
TOKEN_FIELDS = ("name", "prefix", "user_id", "revoked_at")
MAX_ACTIVE = 20  # per user: enough for a few integrations, not an unbounded table


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def new_token(session: Session, user_id: int, name: str, now: datetime) -> tuple[ApiToken, str]:
    """A fresh token row (flushed) and its secret, which is returned here and never stored."""
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user_id, name=name, prefix=secret[:PREFIX_LEN], token_hash=hash_token(secret),
                   created_at=now)
    session.add(row)
    session.flush()
    return row, secret


def verify_token(session: Session, secret: str, now: datetime) -> User | None:
    """The active user behind a presented token, or None; marks the token used."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = hash_token(secret)
    found: ApiToken | None = None
    for row in session.scalars(select(ApiToken).where(ApiToken.prefix == secret[:PREFIX_LEN])):
        # Constant-time comparison of the digests: no timing hint of how many characters matched.
        if hmac.compare_digest(row.token_hash, digest):
            found = row
    if found is None or found.revoked_at is not None:
        return None
    user = session.get(User, found.user_id)
    if user is None or not user.active:
        return None
    found.last_used_at = now
    return user


def _own_token(token_id: int) -> ApiToken:
    token = get_db().get(ApiToken, token_id)
    # Someone else's token is "not found", not "forbidden": its existence is none of this user's business.
    if token is None or token.user_id != current_actor().user_id:
        abort(404)
    return token


def _list_page(secret: str | None = None, error: str | None = None, status: int = 200) -> ResponseReturnValue:
    tokens = get_db().scalars(
        select(ApiToken).where(ApiToken.user_id == current_actor().user_id)
        .order_by(ApiToken.revoked_at.is_not(None), ApiToken.created_at.desc())).all()
    html = render_template("tokens/list.html", tokens=tokens, secret=secret, error=error, form=ViForm())
    # A page holding a secret must not be kept by the browser cache or a proxy.
    return html, status, {"Cache-Control": "no-store"}


@bp.get("/")
def index() -> ResponseReturnValue:
    return _list_page()


@bp.post("/")
def create() -> ResponseReturnValue:
    if not ViForm().validate_on_submit():
        abort(400)
    db, actor = get_db(), current_actor()
    name = " ".join((request.form.get("name") or "").split())[:100]
    if not name:
        return _list_page(error=_("Hãy đặt tên cho khoá (ví dụ: Hệ thống thông tin tỉnh)."), status=400)
    active = db.scalars(select(ApiToken.id).where(ApiToken.user_id == actor.user_id,
                                                  ApiToken.revoked_at.is_(None))).all()
    if len(active) >= MAX_ACTIVE:
        return _list_page(error=_("Bạn đã có quá nhiều khoá đang dùng; hãy thu hồi khoá cũ trước."), status=400)
    assert actor.user_id is not None
    row, secret = new_token(db, actor.user_id, name, utcnow())
    log_action("token.create", "api_token", row.id, None, snapshot(row, TOKEN_FIELDS), area_id=actor.area_id)
    db.commit()
    # Shown once, in this response only (never flashed: the flash would sit in the session cookie).
    return _list_page(secret=secret)


@bp.post("/<int:token_id>/revoke")
def revoke(token_id: int) -> ResponseReturnValue:
    if not ViForm().validate_on_submit():
        abort(400)
    db = get_db()
    token = _own_token(token_id)
    if token.revoked_at is None:
        before = snapshot(token, TOKEN_FIELDS)
        token.revoked_at = utcnow()
        log_action("token.revoke", "api_token", token.id, before, snapshot(token, TOKEN_FIELDS),
                   area_id=current_actor().area_id)
        db.commit()
    flash(_("Đã thu hồi khoá %(prefix)s…", prefix=token.prefix), "success")
    return redirect(url_for("tokens.index"))

"""One-time form keys: a form submitted twice (Back then submit again, a double click, a reload that
re-posts) does its work once and sends the second submission to the first one's result.

Each protected form carries a hidden `form_key` (a fresh random value per page render, `form_key_field()`).
`@once` claims the key (user, key) in its own committed row *before* the view runs, so two simultaneous
submissions cannot both pass: the second finds the claim and waits for the first's result. A view that answers
with a redirect (the work was done) settles the claim with where it sent the user; any other answer (a form
error to fix) releases it, so the corrected form can be submitted with the same key.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from datetime import timedelta
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, flash, make_response, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import delete, update
from sqlalchemy.exc import IntegrityError

from radio.db.types import utcnow
from radio.db.workflow import FormSubmission
from web.context import radio_ctx

F = TypeVar("F", bound=Callable[..., Any])
FIELD = "form_key"
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")
# A claim this old without a result belongs to a request that died: the key may be used again.
IN_FLIGHT_FOR = timedelta(seconds=120)
REDIRECTS = frozenset({301, 302, 303, 307, 308})


def new_key() -> str:
    return secrets.token_urlsafe(18)


def form_key_field() -> Markup:
    """The hidden input a protected form carries (a template global)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FIELD, new_key())


def _claim(user_id: int, key: str, endpoint: str) -> Any:
    """None when this request owns the key now; else the answer for a repeated submission."""
    with radio_ctx().sessionmaker() as s:
        s.add(FormSubmission(user_id=user_id, form_key=key, endpoint=endpoint[:64], location=None))
        try:
            s.commit()
            return None
        except IntegrityError:
            s.rollback()
        row = s.get(FormSubmission, (user_id, key))
        if row is None:  # released between our insert and our read: take it
            return _claim(user_id, key, endpoint)
        if row.location:
            flash(_("Biểu mẫu này đã được gửi trước đó; đây là kết quả của lần gửi đầu tiên, không tạo thêm bản "
                    "nào."), "warning")
            return redirect(row.location)
        if row.created_at > utcnow() - IN_FLIGHT_FOR:
            message = _("Lần gửi trước của biểu mẫu này vẫn đang được xử lý. Hãy chờ một lát rồi tải lại trang.")
            return render_template("error.html", code=409, message=message), 409
        s.execute(update(FormSubmission).where(FormSubmission.user_id == user_id, FormSubmission.form_key == key)
                  .values(created_at=utcnow()))
        s.commit()
        return None


def _settle(user_id: int, key: str, location: str | None) -> None:
    with radio_ctx().sessionmaker() as s:
        where = (FormSubmission.user_id == user_id, FormSubmission.form_key == key)
        if location:
            s.execute(update(FormSubmission).where(*where).values(location=location[:500]))
        else:
            s.execute(delete(FormSubmission).where(*where))
        s.commit()


def once(view: F) -> F:
    """View decorator: a POST carrying a form key is done at most once per user and key."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.form.get(FIELD, "") if request.method == "POST" else ""
        if not KEY.fullmatch(key) or not current_user.is_authenticated:
            return view(*args, **kwargs)
        user_id = int(current_user.id)
        earlier = _claim(user_id, key, request.endpoint or "")
        if earlier is not None:
            return earlier
        try:
            response = make_response(view(*args, **kwargs))
        except BaseException:
            _settle(user_id, key, None)
            raise
        done = response.status_code in REDIRECTS and response.location
        _settle(user_id, key, response.location if done else None)
        return response

    return wrapper  # type: ignore[return-value]


def init_app(app: Flask) -> None:
    app.add_template_global(form_key_field, "form_key_field")

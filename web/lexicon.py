"""The acronym lexicon users extend: local names and abbreviations the shipped lexicon does not know."""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from audio_library.text.lexicon import base_acronyms
from radio.db.models import LexiconEntry
from radio.db.types import utcnow
from web.audit import log_action
from web.context import get_db
from web.forms import ViForm

bp = Blueprint("lexicon", __name__, url_prefix="/lexicon")
ACRONYM = re.compile(r"[A-ZĐ][A-ZĐ0-9&\-]{1,31}")
# An expansion is read as it is: digits or symbols in it would reach the TTS engine unread.
FORBIDDEN = re.compile(r"[0-9/&%]")


def validate(acronym: str, expansion: str) -> str | None:
    """The Vietnamese error for a bad entry, or None."""
    if not ACRONYM.fullmatch(acronym):
        return _("Từ viết tắt gồm 2-32 chữ in hoa (có thể có Đ, chữ số, “&”, “-”), ví dụ HTX hoặc LĐ-TB&XH.")
    if not expansion or len(expansion) > 300:
        return _("Cách đọc không được để trống và tối đa 300 ký tự.")
    if FORBIDDEN.search(expansion):
        return _("Cách đọc phải viết bằng chữ: không chứa chữ số hay các ký hiệu “/”, “&”, “%”.")
    return None


@bp.get("/")
def index() -> ResponseReturnValue:
    entries = get_db().scalars(select(LexiconEntry).order_by(LexiconEntry.acronym)).all()
    return render_template("lexicon/index.html", entries=entries, shipped=len(base_acronyms()), form=ViForm())


@bp.post("/")
def add() -> ResponseReturnValue:
    if not ViForm().validate_on_submit():
        abort(400)
    acronym = (request.form.get("acronym") or "").strip().upper()
    expansion = " ".join((request.form.get("expansion") or "").split())
    error = validate(acronym, expansion)
    db = get_db()
    if error is None and db.scalar(select(LexiconEntry).where(LexiconEntry.acronym == acronym)) is not None:
        error = _("“%(acronym)s” đã có trong từ điển; hãy xoá mục cũ trước khi sửa.", acronym=acronym)
    if error:
        flash(error, "error")
        return redirect(url_for("lexicon.index"))
    entry = LexiconEntry(acronym=acronym, expansion=expansion, created_by=current_user.id, created_at=utcnow())
    db.add(entry)
    db.flush()
    # The lexicon is shared by every commune: how a word is read on air changes for everyone.
    log_action("lexicon.add", "lexicon_entry", entry.id, None, {"acronym": acronym, "expansion": expansion})
    db.commit()
    flash(_("Đã thêm “%(acronym)s”: các bài viết có từ này sẽ được đọc lại theo cách mới khi tạo âm thanh.",
            acronym=acronym), "success")
    return redirect(url_for("lexicon.index"))


@bp.post("/<int:entry_id>/delete")
def delete(entry_id: int) -> ResponseReturnValue:
    if not ViForm().validate_on_submit():
        abort(400)
    db = get_db()
    entry = db.get(LexiconEntry, entry_id)
    if entry is None:
        abort(404)
    log_action("lexicon.delete", "lexicon_entry", entry.id,
               {"acronym": entry.acronym, "expansion": entry.expansion}, None)
    db.delete(entry)
    db.commit()
    flash(_("Đã xoá “%(acronym)s”.", acronym=entry.acronym), "success")
    return redirect(url_for("lexicon.index"))

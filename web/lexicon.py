"""The lexicon users extend: local abbreviations (acronyms, expanded or spelled) and loanwords / brand names
(Zalo, livestream) with their Vietnamese reading, which the shipped lexicon does not know.

Each commune keeps its own entries; the national list (no commune) is read everywhere and only admins change
it (station.lexicon). A change that alters how an approved article would be read sends it back to review.
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from audio_library.text.lexicon import base_acronyms, spell_letters
from radio.db.models import Area, LexiconEntry
from radio.db.types import utcnow
from station import lexicon
from web.audit import log_action
from web.authz import current_actor, forbidden, remote_addr, scoped, visible_or_404
from web.context import get_db
from web.forms import ViForm
from web.scope import visible_communes

bp = Blueprint("lexicon", __name__, url_prefix="/lexicon")
ACRONYM = re.compile(r"[A-ZĐ][A-ZĐ0-9&\-]{1,31}")
LOANWORD = re.compile(r"[^\W\d_](?:[^\W_]|-){1,31}")
# An expansion is read as it is: digits or symbols in it would reach the TTS engine unread.
FORBIDDEN = re.compile(r"[0-9/&%]")
NATIONAL = ""  # the form value of the national list


def validate(acronym: str, expansion: str, kind: str = "acronym") -> str | None:
    """The Vietnamese error for a bad entry, or None."""
    if kind not in lexicon.KINDS:
        return _("Loại mục không hợp lệ.")
    if kind == "acronym" and not ACRONYM.fullmatch(acronym):
        return _("Từ viết tắt gồm 2-32 chữ in hoa (có thể có Đ, chữ số, “&”, “-”), ví dụ HTX hoặc LĐ-TB&XH.")
    if kind == "loanword" and not LOANWORD.fullmatch(acronym):
        return _("Từ mượn gồm 2-32 chữ cái hoặc chữ số, bắt đầu bằng chữ cái, ví dụ Zalo hoặc livestream.")
    if not expansion or len(expansion) > 300:
        return _("Cách đọc không được để trống và tối đa 300 ký tự.")
    if FORBIDDEN.search(expansion):
        return _("Cách đọc phải viết bằng chữ: không chứa chữ số hay các ký hiệu “/”, “&”, “%”.")
    return None


def _lists() -> list[tuple[str, str]]:
    """The lists the user may add to: the national one for admins, then their communes."""
    db, actor = get_db(), current_actor()
    own = [(str(c.id), c.name) for c in visible_communes(db, current_user.area_id)
           if lexicon.may_edit(db, actor, c.id)]
    return ([(NATIONAL, _("Toàn quốc (mọi xã)"))] if lexicon.may_edit(db, actor, None) else []) + own


@bp.get("/")
def index() -> ResponseReturnValue:
    db = get_db()
    entries = db.scalars(scoped(select(LexiconEntry), LexiconEntry)
                        .order_by(LexiconEntry.acronym, LexiconEntry.commune_id)).all()
    names = dict(db.execute(select(Area.id, Area.name).where(
        Area.id.in_({e.commune_id for e in entries if e.commune_id is not None}))).all())
    actor = current_actor()
    editable = {e.id for e in entries if lexicon.may_edit(db, actor, e.commune_id)}
    return render_template("lexicon/index.html", entries=entries, shipped=len(base_acronyms()), form=ViForm(),
                           lists=_lists(), names=names, editable=editable)


def _reopened_message(count: int) -> None:
    if count:
        flash(_("%(n)s bài đã duyệt sẽ được đọc khác nên đã chuyển về chờ lãnh đạo duyệt lại.", n=count), "warning")


def _back() -> ResponseReturnValue:
    """Back to the article editor the entry was added from, else to the lexicon."""
    article_id = request.form.get("article_id", "")
    if article_id.isdigit():
        return redirect(url_for("articles.edit", article_id=int(article_id)))
    return redirect(url_for("lexicon.index"))


def _duplicate(key: str, kind: str, commune_id: int | None) -> bool:
    """An entry for the same word in the same list; loanwords match whatever the letter case (as read)."""
    same_list = select(LexiconEntry.acronym).where(
        LexiconEntry.commune_id.is_(None) if commune_id is None else LexiconEntry.commune_id == commune_id)
    keys = get_db().scalars(same_list).all()
    return any(k == key or (kind == "loanword" and k.casefold() == key.casefold()) for k in keys)


@bp.post("/")
def add() -> ResponseReturnValue:
    if not ViForm().validate_on_submit():
        abort(400)
    # No kind sent (an old form, a script): an acronym, as before loanwords existed.
    kind = request.form.get("kind") or "acronym"
    acronym = (request.form.get("acronym") or "").strip()
    acronym = acronym.upper() if kind == "acronym" else acronym
    expansion = " ".join((request.form.get("expansion") or "").split())
    if kind == "acronym" and request.form.get("mode") == "spell":
        expansion = spell_letters(acronym)  # "KG" → "ca gờ": read letter by letter, and no longer "unknown"
    lists = _lists()
    # No choice sent (an old form, a script): the first list the user may edit, their commune for commune staff.
    choice = request.form.get("commune_id", lists[0][0] if lists else NATIONAL)
    if choice not in {value for value, _label in lists}:
        return forbidden(_("Bạn không được sửa từ điển của danh sách này."))
    commune_id = int(choice) if choice else None
    error = validate(acronym, expansion, kind)
    db = get_db()
    if error is None and _duplicate(acronym, kind, commune_id):
        error = _("“%(acronym)s” đã có trong từ điển; hãy xoá mục cũ trước khi sửa.", acronym=acronym)
    if error:
        flash(error, "error")
        return _back()
    entry = LexiconEntry(acronym=acronym, expansion=expansion, kind=kind, commune_id=commune_id,
                         created_by=current_user.id, created_at=utcnow())
    reopened = lexicon.change_lexicon(db, current_actor(), commune_id, lambda: db.add(entry),
                                      remote_addr=remote_addr())
    log_action("lexicon.add", "lexicon_entry", entry.id, None,
               {"acronym": acronym, "expansion": expansion, "kind": kind, "commune_id": commune_id},
               area_id=commune_id)
    db.commit()
    flash(_("Đã thêm “%(acronym)s”: các bài viết có từ này sẽ được đọc lại theo cách mới khi tạo âm thanh.",
            acronym=acronym), "success")
    _reopened_message(len(reopened))
    return _back()


@bp.post("/<int:entry_id>/delete")
def delete(entry_id: int) -> ResponseReturnValue:
    if not ViForm().validate_on_submit():
        abort(400)
    db = get_db()
    entry = visible_or_404(LexiconEntry, entry_id)  # another commune's entry: as if it did not exist
    if not lexicon.may_edit(db, current_actor(), entry.commune_id):
        return forbidden(_("Chỉ quản trị viên được sửa danh sách toàn quốc."))
    commune_id, acronym = entry.commune_id, entry.acronym
    before = {"acronym": acronym, "expansion": entry.expansion, "kind": entry.kind, "commune_id": commune_id}
    reopened = lexicon.change_lexicon(db, current_actor(), commune_id, lambda: db.delete(entry),
                                      remote_addr=remote_addr())
    log_action("lexicon.delete", "lexicon_entry", entry_id, before, None, area_id=commune_id)
    db.commit()
    flash(_("Đã xoá “%(acronym)s”.", acronym=acronym), "success")
    _reopened_message(len(reopened))
    return redirect(url_for("lexicon.index"))

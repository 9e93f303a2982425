"""Recurring programmes (chương trình): name, commune, targets, jingles, weekly slots in Vietnam time,
and the next week's airings with what is planned in each."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from audio_library import AudioError
from radio.db.models import Area, AudioAssetRow, Programme, ProgrammeSlot, ProgrammeTarget
from radio.db.types import utcnow
from station.errors import BulletinError
from station.isolation import visible
from web.audit import log_action
from web.authz import current_scope
from web.context import get_db
from web.forms import ProgrammeForm, SlotForm, ViForm, choices
from web.i18n import audio_message, translate
from web.labels import WEEKDAY_LABELS
from web.programme_support import asset_choices, occurrence_value, planned_occurrences, visible_programmes
from web.scope import target_groups, visible_communes
from web.uploads import import_upload

bp = Blueprint("programmes", __name__, url_prefix="/programmes")


def _snapshot(p: Programme) -> dict[str, object]:
    """What the audit log keeps of a programme: everything that decides what airs where."""
    return {"name": p.name, "commune_id": p.commune_id, "active": p.active, "sign_on_audio_id": p.sign_on_audio_id,
            "sign_off_audio_id": p.sign_off_audio_id, "area_ids": sorted(t.area_id for t in p.targets)}


def _slot_snapshot(slot: ProgrammeSlot) -> dict[str, object]:
    return {"local_time": slot.local_time, "days": slot.days, "valid_from": slot.valid_from,
            "valid_to": slot.valid_to}


def _get_programme(programme_id: int) -> Programme:
    db = get_db()
    programme = db.get(Programme, programme_id)
    if programme is None:
        abort(404)
    if programme.commune_id not in {c.id for c in visible_communes(db, current_user.area_id)}:
        abort(403)
    return programme


@bp.get("/")
def index() -> ResponseReturnValue:
    db = get_db()
    programmes = visible_programmes(db, current_user.area_id)
    communes = {c.id: c.name for c in visible_communes(db, current_user.area_id)}
    return render_template("programmes/list.html", programmes=programmes, communes=communes)


def _prepare(form: ProgrammeForm, db: Session) -> None:
    form.commune_id.choices = choices((c.id, c.name) for c in visible_communes(db, current_user.area_id))
    assets = choices(asset_choices(db))
    form.sign_on_audio_id.choices = assets
    form.sign_off_audio_id.choices = list(assets)


def _jingle(db: Session, form: ProgrammeForm, kind: str) -> int | None:
    """An uploaded file wins over the drop-down; 0 in the drop-down means no jingle."""
    storage = getattr(form, f"{kind}_file").data
    # Browsers send an empty file part when nothing was chosen: only a named file counts as an upload.
    if storage is not None and getattr(storage, "filename", None):
        try:
            return import_upload(db, storage).id
        except AudioError as exc:
            raise BulletinError(audio_message(exc)) from exc
    chosen = getattr(form, f"{kind}_audio_id").data or 0
    if chosen and visible(db, AudioAssetRow, chosen, current_scope()) is None:
        raise BulletinError(_("Không tìm thấy tệp nhạc hiệu đã chọn."))
    return chosen or None


def _apply(db: Session, programme: Programme, form: ProgrammeForm) -> None:
    """Copy the form into the programme after checking it stays inside the user's communes."""
    groups = {g.commune.id: g for g in target_groups(db, current_user.area_id)}
    group = groups.get(form.commune_id.data or 0)
    if group is None:
        raise BulletinError(_("Bạn không được lập chương trình cho xã đã chọn."))
    area_ids = {int(a) for a in form.area_ids.data or []}
    if not area_ids <= {group.commune.id} | {v.id for v in group.villages}:
        raise BulletinError(_("Nơi phát phải thuộc xã của chương trình."))
    # Nothing ticked, or the whole commune ticked, means the whole commune (one group command, not one per
    # village: a node must not be addressed twice).
    if not area_ids or group.commune.id in area_ids:
        area_ids = {group.commune.id}
    programme.name = (form.name.data or "").strip()
    programme.commune_id = group.commune.id
    programme.active = bool(form.active.data)
    programme.sign_on_audio_id = _jingle(db, form, "sign_on")
    programme.sign_off_audio_id = _jingle(db, form, "sign_off")
    kept = [t for t in programme.targets if t.area_id in area_ids]
    programme.targets = kept + [ProgrammeTarget(area_id=a) for a in sorted(area_ids - {t.area_id for t in kept})]


def _edit(programme: Programme | None) -> ResponseReturnValue:
    db = get_db()
    form = ProgrammeForm(obj=programme) if programme is not None else ProgrammeForm()
    _prepare(form, db)
    if not form.is_submitted() and programme is not None:
        form.area_ids.data = [t.area_id for t in programme.targets]
        form.sign_on_audio_id.data = programme.sign_on_audio_id or 0
        form.sign_off_audio_id.data = programme.sign_off_audio_id or 0
    error = None
    if form.validate_on_submit():
        target = programme if programme is not None else Programme()
        before = _snapshot(programme) if programme is not None else None
        try:
            _apply(db, target, form)
        except BulletinError as exc:
            db.rollback()
            error = translate(str(exc))
        else:
            if programme is None:
                db.add(target)
            db.flush()
            log_action("programme.create" if programme is None else "programme.edit", "programme", target.id,
                       before, _snapshot(target), area_id=target.commune_id)
            db.commit()
            flash(_("Đã lưu chương trình.") + ("" if target.slots else " " + _("Hãy thêm giờ phát.")), "success")
            return redirect(url_for("programmes.detail", programme_id=target.id))
    elif form.is_submitted():
        error = next(iter(m for errors in form.errors.values() for m in errors), None)
    groups = target_groups(db, current_user.area_id)
    selected = {int(a) for a in form.area_ids.data or []}
    return render_template("programmes/form.html", form=form, programme=programme, groups=groups,
                           selected=selected, error=error), 400 if error else 200


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    return _edit(None)


@bp.route("/<int:programme_id>/edit", methods=["GET", "POST"])
def edit(programme_id: int) -> ResponseReturnValue:
    return _edit(_get_programme(programme_id))


def _render_detail(programme: Programme, slot_form: SlotForm, error: str | None = None) -> ResponseReturnValue:
    db = get_db()
    return render_template(
        "programmes/detail.html", programme=programme, slot_form=slot_form, error=error, form=ViForm(),
        commune=db.get(Area, programme.commune_id), target_names=[
            a.name for t in programme.targets if (a := db.get(Area, t.area_id)) is not None],
        jingles={k: db.get(AudioAssetRow, i) if i else None
                 for k, i in (("sign_on", programme.sign_on_audio_id), ("sign_off", programme.sign_off_audio_id))},
        occurrences=planned_occurrences(db, programme, utcnow()), occurrence_value=occurrence_value,
        slots=sorted(programme.slots, key=lambda s: (s.local_time, s.id)),
        weekdays=[(k, _(v)) for k, v in WEEKDAY_LABELS.items()],
    ), 400 if error else 200


@bp.get("/<int:programme_id>")
def detail(programme_id: int) -> ResponseReturnValue:
    return _render_detail(_get_programme(programme_id), SlotForm(formdata=None))


@bp.post("/<int:programme_id>/slots")
def add_slot(programme_id: int) -> ResponseReturnValue:
    programme = _get_programme(programme_id)
    form = SlotForm()
    if not form.validate_on_submit():
        return _render_detail(programme, form, next(iter(m for e in form.errors.values() for m in e), None))
    if form.valid_from.data and form.valid_to.data and form.valid_from.data > form.valid_to.data:
        return _render_detail(programme, form, _("Ngày kết thúc áp dụng phải sau ngày bắt đầu."))
    chosen = set(form.days.data or [])
    # Day names, never numbers: APScheduler counts numeric days from Monday even in crontab style.
    days = ",".join(d for d in WEEKDAY_LABELS if d in chosen)
    db = get_db()
    slot = ProgrammeSlot(programme_id=programme.id, local_time=form.local_time.data, days=days,
                         valid_from=form.valid_from.data, valid_to=form.valid_to.data)
    db.add(slot)
    db.flush()
    log_action("programme.slot_add", "programme", programme.id, None, _slot_snapshot(slot),
               f"slot {slot.id}", area_id=programme.commune_id)
    db.commit()
    flash(_("Đã thêm giờ phát."), "success")
    return redirect(url_for("programmes.detail", programme_id=programme.id))


@bp.post("/<int:programme_id>/slots/<int:slot_id>/delete")
def delete_slot(programme_id: int, slot_id: int) -> ResponseReturnValue:
    programme = _get_programme(programme_id)
    db = get_db()
    slot = db.get(ProgrammeSlot, slot_id)
    if slot is None or slot.programme_id != programme.id:
        abort(404)
    log_action("programme.slot_delete", "programme", programme.id, _slot_snapshot(slot), None,
               f"slot {slot.id}", area_id=programme.commune_id)
    db.delete(slot)
    db.commit()
    # Already planned airings keep their times; only future placement stops offering this slot.
    flash(_("Đã xoá giờ phát. Các bản tin đã xếp vào buổi phát cũ vẫn giữ nguyên."), "success")
    return redirect(url_for("programmes.detail", programme_id=programme.id))

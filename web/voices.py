"""Voices as broadcasters name them, and each commune's voice defaults (region Bắc/Trung/Nam, speaking rate).

The editor offers the commune's regional voice first and synthesizes at its rate (station.voices); the list
holds every voice the audio library can speak with, installed Piper voices by name.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from radio.db.models import Area, AreaLevel
from station import lexicon
from station.voices import REGION_VOICES, VoiceDefaults, commune_voice, set_commune_voice
from web.audit import log_action
from web.authz import current_actor, forbidden
from web.context import get_db, radio_ctx
from web.forms import ViForm
from web.i18n import N_
from web.scope import visible_communes

bp = Blueprint("voices", __name__, url_prefix="/voices")
# (engine, voice) → what a broadcaster calls it.
VOICES: dict[str, str] = {
    "espeak-ng/vi": N_("Giọng miền Bắc (espeak-ng, ngoại tuyến)"),
    "espeak-ng/vi-vn-x-central": N_("Giọng miền Trung (espeak-ng, ngoại tuyến)"),
    "espeak-ng/vi-vn-x-south": N_("Giọng miền Nam (espeak-ng, ngoại tuyến)"),
    "gtts/vi": N_("Giọng Google (cần Internet; tự chuyển sang giọng ngoại tuyến khi mất mạng)"),
}
REGION_LABELS: dict[str, str] = {"bac": N_("Miền Bắc"), "trung": N_("Miền Trung"), "nam": N_("Miền Nam")}
RATE_LABELS: dict[int, str] = {130: N_("Chậm"), 145: N_("Hơi chậm"), 160: N_("Vừa"), 175: N_("Nhanh")}


def piper_label(name: str) -> str:
    """"vi_VN-vais1000-medium" → "Giọng Piper “vais1000” (medium)"."""
    parts = name.split("-")
    if len(parts) >= 3:
        return _("Giọng Piper “%(speaker)s” (%(quality)s)", speaker="-".join(parts[1:-1]), quality=parts[-1])
    return _("Giọng Piper “%(name)s”", name=name)


def voice_options() -> dict[str, str]:
    """Every selectable voice → its name in the user's language; Piper voices the library has installed."""
    options = {key: _(label) for key, label in VOICES.items()}
    choices = getattr(radio_ctx().audio_library, "voice_choices", None)
    for engine, voice in choices() if choices is not None else []:
        if engine == "piper":
            options[f"piper/{voice}"] = piper_label(voice)
    return options


def voice_name(engine: str | None, voice: str | None) -> str:
    """The voice of stored audio as a broadcaster calls it ("Giọng miền Nam"), never "espeak-ng (vi-vn-x-south)"."""
    if engine == "upload":
        return _("Tệp ghi âm tải lên")
    key = f"{engine}/{voice}"
    if key in VOICES:
        return _(VOICES[key])
    if engine == "piper" and voice:
        return piper_label(voice)
    return " ".join(p for p in (engine, voice) if p) or "—"


def editor_defaults(commune_id: int | None) -> tuple[str, VoiceDefaults]:
    """The voice the editor selects first (the commune's region, else the station's setting) and the
    commune's defaults (its rate is used when synthesizing)."""
    defaults = commune_voice(get_db(), commune_id)
    settings = radio_ctx().settings
    configured = f"{settings.tts_engine}/{settings.tts_voice}"
    choice = defaults.voice_key or configured
    return (choice if choice in voice_options() else "espeak-ng/vi"), defaults


def _communes() -> list[Area]:
    db, actor = get_db(), current_actor()
    return [c for c in visible_communes(db, current_user.area_id) if lexicon.may_edit(db, actor, c.id)]


@bp.get("/")
def index() -> ResponseReturnValue:
    db = get_db()
    rows = [(c, commune_voice(db, c.id)) for c in _communes()]
    return render_template("voices/index.html", rows=rows, form=ViForm(), regions=REGION_LABELS,
                           rates=RATE_LABELS, voices=VOICES, region_voices=REGION_VOICES)


@bp.post("/<int:area_id>")
def save(area_id: int) -> ResponseReturnValue:
    if not ViForm().validate_on_submit():
        abort(400)
    db = get_db()
    area = db.get(Area, area_id)
    if area is None or area.level != AreaLevel.COMMUNE:
        abort(404)
    if not lexicon.may_edit(db, current_actor(), area_id):
        return forbidden(_("Bạn chỉ được đổi giọng đọc của xã mình."))
    rate = request.form.get("rate_wpm", "")
    try:
        before, after = set_commune_voice(db, area_id, request.form.get("region", ""),
                                          int(rate) if rate.isdigit() else None, current_user.id)
    except ValueError:
        flash(_("Vùng giọng hoặc tốc độ đọc không hợp lệ."), "error")
        return redirect(url_for("voices.index"))
    log_action("commune_voice.set", "commune_voice", area_id, before, after, area_id=area_id)
    db.commit()
    flash(_("Đã lưu giọng đọc mặc định của %(name)s.", name=area.name), "success")
    return redirect(url_for("voices.index"))

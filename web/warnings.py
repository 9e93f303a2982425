"""Disaster warnings in the web: list and live status, the one-minute form for leaders, cancel / replace,
CAP 1.2 import into a draft. The cycle itself runs in the scheduler (station/warnings/service.py)."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from audio_library.errors import AudioError
from radio.db.alerts import DisasterWarning, WarningAiring, WarningStatus
from radio.db.models import Area, AreaLevel, Bulletin, Role
from radio.db.types import utcnow
from station.assets import upsert_audio_asset
from station.warnings.cap import MAX_BYTES, CapError, parse_cap
from station.warnings.hazards import LEVEL_COLOURS, LEVELS, Hazard, hazard_name
from station.warnings.service import (
    WarningError,
    activate,
    active_warnings,
    announce_end,
    end_warning,
    new_warning,
)
from station.warnings.texts import cancel_text, compose, title_of
from web.authz import current_actor, current_scope, register, remote_addr, scoped, visible_or_404
from web.context import get_db, radio_ctx
from web.i18n import audio_message, current_language, translate

bp = Blueprint("warnings", __name__, url_prefix="/warnings")
LEADERS = (Role.LEADER,)
register("warnings.index", tuple(Role))
register("warnings.detail", tuple(Role))
register("warnings.new", LEADERS, LEADERS)
register("warnings.activate", (), LEADERS)
register("warnings.cancel", (), LEADERS)
register("warnings.import_cap", LEADERS, LEADERS)
INTERVAL_CHOICES_MIN = (30, 60, 120, 180, 240)
CAP_TIMEOUT_S = 5


def _communes() -> list[Area]:
    return list(get_db().scalars(scoped(select(Area), Area).where(Area.level == AreaLevel.COMMUNE)
                                 .order_by(Area.code)))


def _labels() -> dict[str, object]:
    """Names and colours for the templates, in the reader's language."""
    index = 1 if current_language() == "en" else 0
    return {"hazards": [(h.value, hazard_name(h, current_language())) for h in Hazard],
            "levels": [(n, LEVEL_COLOURS[n][index]) for n in LEVELS],
            "hazard_label": lambda h: hazard_name(h, current_language()),
            "level_colour": lambda n: LEVEL_COLOURS.get(n, ("", "", ""))[index]}


def active_for_user() -> list[DisasterWarning]:
    """The active warnings the user's area sees (for templates/warnings/_active.html)."""
    scope = current_scope()
    return active_warnings(get_db(), None if scope is None else set(scope))


def _synthesize(text: str) -> int:
    """Speech of the warning through the same TTS path as articles; returns the audio row id."""
    ctx = radio_ctx()
    asset = ctx.audio_library.synthesize(text, engine=ctx.settings.tts_engine, voice=ctx.settings.tts_voice)
    return upsert_audio_asset(get_db(), asset).id


@bp.get("/")
def index() -> ResponseReturnValue:
    recent = get_db().scalars(scoped(select(DisasterWarning), DisasterWarning)
                              .order_by(DisasterWarning.created_at.desc()).limit(50)).all()
    return render_template("warnings/list.html", warnings=recent, **_labels())


@bp.get("/<int:warning_id>")
def detail(warning_id: int) -> ResponseReturnValue:
    warning = visible_or_404(DisasterWarning, warning_id)
    airings = get_db().execute(select(WarningAiring.at, Bulletin.id, Bulletin.status)
                               .join(Bulletin, Bulletin.id == WarningAiring.bulletin_id)
                               .where(WarningAiring.warning_id == warning.id).order_by(WarningAiring.at.desc())).all()
    villages = get_db().scalars(select(Area.name).where(Area.id.in_([t.area_id for t in warning.targets]))).all()
    return render_template("warnings/detail.html", warning=warning, airings=airings, villages=villages,
                           **_labels())


def _form_values(commune: Area | None) -> dict[str, object]:
    form = request.form
    return {"hazard": form.get("hazard", Hazard.STORM), "level": form.get("level", type=int) or 3,
            "villages": form.getlist("village", type=int), "details": form.get("details", "")[:500],
            "body": form.get("body", "")[:4000], "interval": form.get("interval", type=int) or 120,
            "commune_id": commune.id if commune else None}


@bp.route("/new", methods=["GET", "POST"])
def new() -> ResponseReturnValue:
    communes = _communes()
    replacing = None
    if (replace_id := request.values.get("replace", type=int)) is not None:
        replacing = visible_or_404(DisasterWarning, replace_id)
    chosen = request.values.get("commune", type=int) or (replacing.commune_id if replacing else None)
    commune = next((c for c in communes if c.id == chosen), communes[0] if len(communes) == 1 else None)
    error = ""
    if request.method == "POST":
        values = _form_values(commune)
        if commune is None:
            error = _("Hãy chọn xã.")
        elif values["interval"] not in INTERVAL_CHOICES_MIN:
            error = _("Chu kỳ phát lại không hợp lệ.")
        else:
            error = _create_and_air(commune, values, replacing)
            if not error:
                return redirect(url_for("warnings.index"))
    else:
        values = {"hazard": replacing.hazard if replacing else Hazard.STORM,
                  "level": replacing.level if replacing else 3,
                  "villages": [t.area_id for t in replacing.targets] if replacing else [],
                  "details": "", "body": "", "interval": (replacing.interval_s // 60) if replacing else 120,
                  "commune_id": commune.id if commune else None}
    villages = get_db().scalars(select(Area).where(Area.parent_id == commune.id).order_by(Area.code)).all() \
        if commune else []
    return render_template("warnings/new.html", communes=communes, commune=commune, villages=villages, values=values,
                           replacing=replacing, intervals=INTERVAL_CHOICES_MIN, error=error,
                           **_labels()), 400 if error else 200


def _create_and_air(commune: Area, values: dict[str, object], replacing: DisasterWarning | None) -> str:
    """Compose, synthesize, save and activate; '' on success, else the message to show."""
    db = get_db()
    hazard, level, details = str(values["hazard"]), int(str(values["level"])), str(values["details"])
    village_ids = [int(v) for v in values["villages"]]  # type: ignore[attr-defined]
    names = list(db.scalars(select(Area.name).where(Area.id.in_(village_ids), Area.parent_id == commune.id)
                            .order_by(Area.code)))
    body = str(values["body"]).strip()
    if hazard in set(Hazard) and level in LEVELS and not body:
        body = compose(commune.name, hazard, level, names, details)
    try:
        warning = new_warning(db, commune=commune, hazard=hazard, level=level, village_ids=village_ids,
                              title=title_of(hazard, level, details) if hazard in set(Hazard) else "", body=body,
                              interval_s=int(str(values["interval"])) * 60, created_by=current_actor().user_id,
                              now=utcnow())
        audio_id = _synthesize(body)
        activate(db, warning, audio_id=audio_id, actor=current_actor(), now=utcnow(), replaces=replacing,
                 remote_addr=remote_addr())
    except WarningError as exc:
        db.rollback()
        return translate(exc.message)
    except AudioError as exc:
        db.rollback()
        return _("Không tạo được âm thanh: %(reason)s", reason=audio_message(exc))
    db.commit()
    flash(_("Đã phát cảnh báo. Hệ thống sẽ phát lại mỗi %(minutes)s phút đến khi huỷ hoặc thay thế.",
            minutes=values["interval"]), "success")
    return ""


@bp.post("/<int:warning_id>/activate", endpoint="activate")
def activate_draft(warning_id: int) -> ResponseReturnValue:
    warning = visible_or_404(DisasterWarning, warning_id)
    db = get_db()
    try:
        activate(db, warning, audio_id=_synthesize(warning.body), actor=current_actor(), now=utcnow(),
                 remote_addr=remote_addr())
    except (WarningError, AudioError) as exc:
        db.rollback()
        flash(translate(exc.message) if isinstance(exc, WarningError) else audio_message(exc), "error")
        return redirect(url_for("warnings.detail", warning_id=warning_id))
    db.commit()
    flash(_("Đã phát cảnh báo."), "success")
    return redirect(url_for("warnings.detail", warning_id=warning_id))


@bp.post("/<int:warning_id>/cancel")
def cancel(warning_id: int) -> ResponseReturnValue:
    warning = visible_or_404(DisasterWarning, warning_id)
    db = get_db()
    was_on_air = warning.status == WarningStatus.ACTIVE
    now = utcnow()
    try:
        end_warning(db, warning, status=WarningStatus.CANCELLED, actor=current_actor(), now=now,
                    remote_addr=remote_addr())
    except WarningError as exc:
        db.rollback()
        flash(translate(exc.message), "error")
        return redirect(url_for("warnings.detail", warning_id=warning_id))
    db.commit()  # stopping comes first: it holds even if the spoken notice below cannot be made
    if not was_on_air:
        flash(_("Đã huỷ cảnh báo nháp."), "success")
        return redirect(url_for("warnings.detail", warning_id=warning_id))
    commune = db.get(Area, warning.commune_id)
    text = cancel_text(commune.name if commune else "", warning.hazard, warning.title)
    try:
        announce_end(db, warning, audio_id=_synthesize(text), actor=current_actor(), now=now,
                     emergency_lead=radio_ctx().emergency_lead, remote_addr=remote_addr())
    except (WarningError, AudioError) as exc:
        db.rollback()
        flash(_("Đã huỷ cảnh báo và dừng phát, nhưng chưa phát được thông báo huỷ trên loa: %(reason)s",
                reason=translate(exc.message) if isinstance(exc, WarningError) else audio_message(exc)), "warning")
        return redirect(url_for("warnings.detail", warning_id=warning_id))
    db.commit()
    flash(_("Đã huỷ cảnh báo: các cụm loa dừng phát, không phát lại nữa, và phát một lần thông báo huỷ cảnh báo."),
          "success")
    return redirect(url_for("warnings.detail", warning_id=warning_id))


def _fetch(url: str) -> bytes:
    """The CAP document at `url`, if its host is allowed; at most MAX_BYTES, CAP_TIMEOUT_S."""
    parts = urlsplit(url)
    allowed = {h.strip().lower() for h in radio_ctx().settings.cap_url_hosts.split(",") if h.strip()}
    if parts.scheme not in ("http", "https") or (parts.hostname or "").lower() not in allowed:
        raise CapError("Địa chỉ này không nằm trong danh sách nguồn cảnh báo được phép.")
    try:
        with requests.get(url, timeout=CAP_TIMEOUT_S, stream=True, allow_redirects=False) as response:
            if response.status_code != 200:
                raise CapError("Nguồn cảnh báo trả lời lỗi, không tải được bản tin CAP.")
            data = response.raw.read(MAX_BYTES + 1, decode_content=True)
    except requests.RequestException:
        raise CapError("Không kết nối được tới nguồn cảnh báo.") from None
    return bytes(data)


@bp.route("/import", methods=["GET", "POST"])
def import_cap() -> ResponseReturnValue:
    communes = _communes()
    error = ""
    if request.method == "POST":
        commune = next((c for c in communes if c.id == request.form.get("commune", type=int)),
                       communes[0] if len(communes) == 1 else None)
        upload = request.files.get("file")
        url = request.form.get("url", "").strip()[:2000]
        try:
            if commune is None:
                raise CapError("Hãy chọn xã.")
            if upload is not None and upload.filename:
                data = upload.read(MAX_BYTES + 1)
            elif url:
                data = _fetch(url)
            else:
                raise CapError("Hãy chọn tệp CAP hoặc nhập địa chỉ.")
            draft = parse_cap(data)
            interval_s = radio_ctx().settings.warning_interval_s
            warning = new_warning(get_db(), commune=commune, hazard=draft.hazard, level=draft.level, village_ids=[],
                                  title=draft.title, body=draft.body, interval_s=interval_s,
                                  created_by=current_actor().user_id, now=utcnow(), source="cap",
                                  cap_identifier=draft.identifier)
        except CapError as exc:
            get_db().rollback()
            error = _(exc.template, **exc.params)
        except WarningError as exc:
            get_db().rollback()
            error = translate(exc.message)
        else:
            get_db().commit()
            flash(_("Đã nhập bản tin CAP thành cảnh báo nháp. Hãy kiểm tra rồi bấm “Phát cảnh báo”."), "success")
            return redirect(url_for("warnings.detail", warning_id=warning.id))
    if not communes:
        abort(403)
    return render_template("warnings/import.html", communes=communes, error=error,
                           url_enabled=bool(radio_ctx().settings.cap_url_hosts.strip())), 400 if error else 200

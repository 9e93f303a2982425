"""Week calendar (/calendar/): a commune's bulletins and programme airings Monday to Sunday, local time; and
moving a scheduled bulletin to another time through the same rules as scheduling it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import Session

from radio.db.models import Area, Bulletin, BulletinStatus, Node, Role
from radio.db.types import utcnow
from station.audit import record as audit_record
from station.calendar import Week, load_week, parse_week, reschedule_bulletin, week_name
from station.errors import BulletinError
from web.authz import current_actor, register
from web.context import get_db, radio_ctx
from web.forms import ViForm
from web.labels import WEEKDAY_LABELS
from web.notes import rule_words
from web.scope import visible_area_ids, visible_communes
from web.timefmt import TimeInputError, parse_local_input, to_input_value

bp = Blueprint("calendar", __name__, url_prefix="/calendar")

register("calendar.week", frozenset(Role))
register("calendar.move", (Role.BROADCASTER, Role.LEADER), (Role.BROADCASTER, Role.LEADER))


@dataclass(frozen=True)
class Entry:
    """One box in a day column: a bulletin, or a programme airing (bulletin is None)."""

    start: datetime
    end: datetime | None
    title: str
    bulletin: Bulletin | None = None
    programme_id: int | None = None

    @property
    def css(self) -> str:
        if self.bulletin is None:
            return "cal-slot"
        return f"cal-item priority-{self.bulletin.priority} status-{self.bulletin.status}"


def day_entries(week: Week, day: date) -> list[Entry]:
    tz = radio_ctx().tz
    entries = [
        Entry(b.start_at, b.start_at + timedelta(milliseconds=b.audio.duration_ms), b.title, bulletin=b)
        for b in week.bulletins if b.start_at.astimezone(tz).date() == day
    ] + [
        Entry(s.start, None, s.programme_name, programme_id=s.programme_id)
        for s in week.slots if s.start.astimezone(tz).date() == day
    ]
    # A programme's airing comes just before the items planned in it.
    return sorted(entries, key=lambda e: (e.start, e.bulletin is not None))


@bp.app_template_filter("weekday")
def weekday_name(day: date) -> str:
    return _(list(WEEKDAY_LABELS.values())[day.weekday()])


@bp.app_template_filter("localclock")
def local_clock(value: datetime | None) -> str:
    return value.astimezone(radio_ctx().tz).strftime("%H:%M") if value is not None else "—"


def _today() -> date:
    return utcnow().astimezone(radio_ctx().tz).date()


def _may_move(db: Session, bulletin: Bulletin) -> bool:
    """Every area and node the bulletin reaches must be in the user's own scope."""
    allowed = visible_area_ids(db, current_user.area_id)
    if allowed is None:
        return True
    villages = {n.village_id for t in bulletin.node_targets if (n := db.get(Node, t.node_id)) is not None}
    return {t.area_id for t in bulletin.targets} | villages <= allowed


def _movable(bulletin: Bulletin) -> bool:
    return (bulletin.status == BulletinStatus.SCHEDULED and bulletin.kind == "item"
            and bulletin.programme_id is None and bulletin.priority != "emergency")


@bp.get("/")
def week() -> ResponseReturnValue:
    db = get_db()
    communes = visible_communes(db, current_user.area_id)
    today = _today()
    try:
        monday = parse_week(request.args.get("week"), today)
    except ValueError:
        flash(_("Tuần không hợp lệ (dạng đúng: 2026-W48); đang hiện tuần này."), "warning")
        monday = parse_week(None, today)
    commune = next((c for c in communes if c.id == request.args.get("commune", type=int)),
                   communes[0] if communes else None)
    data = load_week(db, commune.id, monday, radio_ctx().tz) if commune is not None else Week(monday, [], [])
    can_move = current_user.role in (Role.ADMIN, Role.BROADCASTER, Role.LEADER)
    return render_template(
        "calendar/week.html", communes=communes, commune=commune, week=data, today=today,
        days=[(d, day_entries(data, d)) for d in data.days()], week_name=week_name(monday),
        previous=week_name(monday - timedelta(days=7)), next=week_name(monday + timedelta(days=7)),
        this_week=week_name(parse_week(None, today)), movable=_movable if can_move else (lambda _b: False),
    )


def _get_movable(bulletin_id: int) -> Bulletin:
    db = get_db()
    bulletin = db.get(Bulletin, bulletin_id)
    if bulletin is None:
        abort(404)
    if not _may_move(db, bulletin):
        abort(403)
    return bulletin


def _commune_of(db: Session, bulletin: Bulletin) -> int | None:
    """The commune a bulletin airs in, to return to the right calendar after a move."""
    area = bulletin.targets[0].area if bulletin.targets else None
    if area is None and bulletin.node_targets:
        node = db.get(Node, bulletin.node_targets[0].node_id)
        area = node.village if node is not None else None
    while area is not None and area.level == "village":
        area = db.get(Area, area.parent_id) if area.parent_id else None
    return area.id if area is not None else None


@bp.route("/bulletins/<int:bulletin_id>/move", methods=["GET", "POST"])
def move(bulletin_id: int) -> ResponseReturnValue:
    db, tz, now = get_db(), radio_ctx().tz, utcnow()
    bulletin = _get_movable(bulletin_id)
    form = ViForm()
    error = None
    start_local = request.form.get("start_local") or to_input_value(bulletin.start_at, tz)
    on_overlap = request.form.get("on_overlap", "refuse")
    if form.validate_on_submit():
        before = bulletin.start_at
        try:
            new_start = parse_local_input(start_local, tz)
            moved = reschedule_bulletin(db, bulletin.id, new_start, now=now, on_overlap=on_overlap)
            audit_record(db, current_actor(), "bulletin.reschedule", "bulletin", moved.id,
                         {"start_at": before}, {"start_at": moved.start_at}, area_id=_commune_of(db, moved),
                         remote_addr=request.remote_addr or "")
        except (BulletinError, TimeInputError) as exc:
            db.rollback()  # nothing changes on error
            error = rule_words(str(exc))
        else:
            db.commit()
            flash(_("Đã đổi giờ phát của “%(title)s”.", title=moved.title), "success")
            when = moved.start_at.astimezone(tz).date()
            return redirect(url_for("calendar.week", commune=_commune_of(db, moved), week=week_name(when)))
    elif form.is_submitted():
        error = _("Phiên làm việc đã hết hạn, hãy thử lại.")
    return render_template("calendar/move.html", bulletin=bulletin, form=form, error=error, start_local=start_local,
                           on_overlap=on_overlap, movable=_movable(bulletin),
                           back=url_for("calendar.week", commune=_commune_of(db, bulletin),
                                        week=week_name(bulletin.start_at.astimezone(tz).date()))), 400 if error else 200

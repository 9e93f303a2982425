"""Loudspeaker nodes: where each is, whether it is connected, when it was last heard from; and the volume
and stop controls (web.controls) for the communes and nodes the user is responsible for."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from radio.db.models import Area, ControlRequest, Node
from web.authz import current_scope, scoped
from web.context import get_db, radio_ctx
from web.forms import VolumeForm
from web.live import now_playing
from web.node_telemetry import device_summary, telemetry_facts
from web.node_time import time_health
from web.scope import visible_communes

bp = Blueprint("nodes", __name__, url_prefix="/nodes")
RECENT_CONTROLS = 10


@bp.get("/")
def index() -> ResponseReturnValue:
    db = get_db()
    # Only the loudspeakers of the user's own areas (station.isolation): another commune's boxes, names
    # and health are none of their business, and all they may see they may also control (role permitting).
    nodes = db.scalars(
        scoped(select(Node), Node)
        .join(Area, Node.village_id == Area.id)
        .options(joinedload(Node.village).joinedload(Area.parent))
        .order_by(Area.code, Node.name, Node.id)
    ).all()
    online = sum(1 for n in nodes if n.online)
    recent = db.execute(
        scoped(select(ControlRequest, Area.name, Node.name), ControlRequest)
        .outerjoin(Area, ControlRequest.area_id == Area.id)
        .outerjoin(Node, ControlRequest.node_id == Node.id)
        .order_by(ControlRequest.created_at.desc(), ControlRequest.id.desc())
        .limit(RECENT_CONTROLS)
    ).all()
    # A loudspeaker on air says so, not just "online" (issue 14); the live script keeps it current.
    playing = {p["node_id"] for p in now_playing(db, None, current_scope())}
    return render_template("nodes/list.html", nodes=nodes, online=online, controllable={n.id for n in nodes},
                           playing=playing,
                           communes=visible_communes(db, current_user.area_id), recent=recent,
                           time_health={n.id: time_health(n) for n in nodes},
                           device={n.id: device_summary(telemetry_facts(n, radio_ctx().tz)) for n in nodes},
                           form=VolumeForm(formdata=None))

"""Loudspeaker nodes: where each is, whether it is connected, when it was last heard from; and the volume
and stop controls (web.controls) for the communes and nodes the user is responsible for."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from radio.db.models import Area, ControlRequest, Node
from web.context import get_db
from web.forms import VolumeForm
from web.scope import visible_area_ids, visible_communes

bp = Blueprint("nodes", __name__, url_prefix="/nodes")
RECENT_CONTROLS = 10


@bp.get("/")
def index() -> ResponseReturnValue:
    db = get_db()
    nodes = (
        db.scalars(
            select(Node)
            .join(Area, Node.village_id == Area.id)
            .options(joinedload(Node.village).joinedload(Area.parent))
            .order_by(Area.code, Node.name, Node.id)
        )
        .all()
    )
    online = sum(1 for n in nodes if n.online)
    # Everyone may see every node's health; only nodes in the user's own area get control buttons.
    allowed = visible_area_ids(db, current_user.area_id)
    controllable = {n.id for n in nodes if allowed is None or n.village_id in allowed}
    recent_query = (
        select(ControlRequest, Area.name, Node.name)
        .outerjoin(Area, ControlRequest.area_id == Area.id)
        .outerjoin(Node, ControlRequest.node_id == Node.id)
        .order_by(ControlRequest.created_at.desc(), ControlRequest.id.desc())
        .limit(RECENT_CONTROLS)
    )
    if allowed is not None:
        recent_query = recent_query.where(
            or_(ControlRequest.area_id.in_(allowed), ControlRequest.node_id.in_(controllable)))
    recent = db.execute(recent_query).all()
    return render_template("nodes/list.html", nodes=nodes, online=online, controllable=controllable,
                           communes=visible_communes(db, current_user.area_id), recent=recent,
                           form=VolumeForm(formdata=None))

"""Loudspeaker nodes: where each is, whether it is connected, when it was last heard from."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from radio.db.models import Area, Node
from web.context import get_db

bp = Blueprint("nodes", __name__, url_prefix="/nodes")


@bp.get("/")
def index() -> ResponseReturnValue:
    nodes = (
        get_db()
        .scalars(
            select(Node)
            .join(Area, Node.village_id == Area.id)
            .options(joinedload(Node.village).joinedload(Area.parent))
            .order_by(Area.code, Node.name, Node.id)
        )
        .all()
    )
    online = sum(1 for n in nodes if n.online)
    return render_template("nodes/list.html", nodes=nodes, online=online)

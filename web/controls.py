"""Loudspeaker controls: set the volume or stop playback now, for a whole commune or one node.

The web never signs commands (only the scheduler holds the key): it records a ControlRequest, which the
scheduler signs and publishes within one poll (about half a second) and marks as sent.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from radio.db.models import Area, ControlRequest, Node
from web.context import get_db
from web.forms import ViForm, VolumeForm
from web.scope import area_in_scope

bp = Blueprint("controls", __name__, url_prefix="/controls")


def _area(area_id: int) -> Area:
    db = get_db()
    area = db.get(Area, area_id)
    if area is None:
        abort(404)
    if not area_in_scope(db, current_user.area_id, area.id):
        abort(403)
    return area


def _node(node_id: str) -> Node:
    db = get_db()
    node = db.get(Node, node_id)
    if node is None:
        abort(404)
    if not area_in_scope(db, current_user.area_id, node.village_id):
        abort(403)
    return node


def _back() -> ResponseReturnValue:
    return redirect(url_for("nodes.index"))


def _volume(request: ControlRequest, name: str) -> ResponseReturnValue:
    form = VolumeForm()
    if not form.validate_on_submit():
        flash(next(iter(m for e in form.errors.values() for m in e), "Âm lượng không hợp lệ."), "error")
        return _back()
    request.volume = form.volume.data
    return _record(request, f"Đã gửi lệnh đặt âm lượng {form.volume.data} cho {name}.")


def _stop(request: ControlRequest, name: str) -> ResponseReturnValue:
    if not ViForm().validate_on_submit():  # only the CSRF token to check
        flash("Phiên làm việc đã hết hạn, hãy thử lại.", "error")
        return _back()
    return _record(request, f"Đã gửi lệnh dừng phát ngay cho {name}.")


def _record(request: ControlRequest, message: str) -> ResponseReturnValue:
    db = get_db()
    request.requested_by = current_user.id
    db.add(request)
    db.commit()
    flash(message, "success")
    return _back()


@bp.post("/areas/<int:area_id>/volume")
def area_volume(area_id: int) -> ResponseReturnValue:
    area = _area(area_id)
    return _volume(ControlRequest(kind="volume", area_id=area.id), area.name)


@bp.post("/areas/<int:area_id>/stop")
def area_stop(area_id: int) -> ResponseReturnValue:
    area = _area(area_id)
    return _stop(ControlRequest(kind="stop", area_id=area.id), area.name)


@bp.post("/nodes/<node_id>/volume")
def node_volume(node_id: str) -> ResponseReturnValue:
    node = _node(node_id)
    return _volume(ControlRequest(kind="volume", node_id=node.id), node.name)


@bp.post("/nodes/<node_id>/stop")
def node_stop(node_id: str) -> ResponseReturnValue:
    node = _node(node_id)
    return _stop(ControlRequest(kind="stop", node_id=node.id), node.name)

"""Loudspeaker controls: set the volume or stop playback now, for a whole commune or one node.

The web never signs commands (only the scheduler holds the key): it records a ControlRequest, which the
scheduler signs and publishes within one poll (about half a second) and marks as sent.
"""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from radio.db.models import ControlRequest, Node
from web.audit import log_action
from web.context import get_db
from web.forms import ViForm, VolumeForm
from web.scope import area_or_abort, require_in_scope

bp = Blueprint("controls", __name__, url_prefix="/controls")


def _node(node_id: str) -> Node:
    node = get_db().get(Node, node_id)
    if node is None:
        abort(404)
    require_in_scope(node.village_id)
    return node


def _back() -> ResponseReturnValue:
    return redirect(url_for("nodes.index"))


def _volume(request: ControlRequest, name: str) -> ResponseReturnValue:
    form = VolumeForm()
    if not form.validate_on_submit():
        flash(next(iter(m for e in form.errors.values() for m in e), _("Âm lượng không hợp lệ.")), "error")
        return _back()
    request.volume = form.volume.data
    return _record(request, _("Đã gửi lệnh đặt âm lượng %(volume)s cho %(name)s.", volume=form.volume.data, name=name))


def _stop(request: ControlRequest, name: str) -> ResponseReturnValue:
    if not ViForm().validate_on_submit():  # only the CSRF token to check
        flash(_("Phiên làm việc đã hết hạn, hãy thử lại."), "error")
        return _back()
    return _record(request, _("Đã gửi lệnh dừng phát ngay cho %(name)s.", name=name))


def _record(request: ControlRequest, message: str) -> ResponseReturnValue:
    db = get_db()
    request.requested_by = current_user.id
    db.add(request)
    db.flush()
    # Stopping loudspeakers changes what airs: who pressed it is recorded, like any other change.
    target_area = request.area_id
    if target_area is None and request.node_id is not None:
        node = db.get(Node, request.node_id)
        target_area = node.village_id if node is not None else None
    log_action(f"control.{request.kind}", "control_request", request.id, None,
               {"kind": request.kind, "area_id": request.area_id, "node_id": request.node_id,
                "volume": request.volume}, area_id=target_area)
    db.commit()
    flash(message, "success")
    return _back()


@bp.post("/areas/<int:area_id>/volume")
def area_volume(area_id: int) -> ResponseReturnValue:
    area = area_or_abort(area_id)
    return _volume(ControlRequest(kind="volume", area_id=area.id), area.name)


@bp.post("/areas/<int:area_id>/stop")
def area_stop(area_id: int) -> ResponseReturnValue:
    area = area_or_abort(area_id)
    return _stop(ControlRequest(kind="stop", area_id=area.id), area.name)


@bp.post("/nodes/<node_id>/volume")
def node_volume(node_id: str) -> ResponseReturnValue:
    node = _node(node_id)
    return _volume(ControlRequest(kind="volume", node_id=node.id), node.name)


@bp.post("/nodes/<node_id>/stop")
def node_stop(node_id: str) -> ResponseReturnValue:
    node = _node(node_id)
    return _stop(ControlRequest(kind="stop", node_id=node.id), node.name)

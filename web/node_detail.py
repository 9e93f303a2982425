"""One loudspeaker's page (/nodes/<id>): health from its last heartbeat, what it played lately, and what a
technician needs to (re)provision the box. Secrets are never shown: the password lives only as a hash in
mosquitto's file and in the box's own config; re-provisioning issues a new one."""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import select

from radio.db.models import Area, AsRun, Bulletin, CommandRow, Node, NodeEventRow, Role
from radio.protocol import topics
from web.authz import register, visible_or_404
from web.context import get_db, radio_ctx
from web.forms import VolumeForm
from web.live import CLOCK_WARN_MS, file_size
from web.node_telemetry import telemetry_facts
from web.node_time import flagged_out_of_step, start_timing_words, time_health
from web.scope import area_in_scope

bp = Blueprint("node_detail", __name__, url_prefix="/nodes")
RECENT_ASRUN = 20

register("node_detail.show", frozenset(Role))


@dataclass(frozen=True)
class Provisioning:
    username: str
    village_code: str
    topics: list[str]
    command: str


def area_codes(node: Node) -> list[str]:
    """Village, commune, province: the group topics the node subscribes to (station.provision.area_chain)."""
    codes: list[str] = []
    area: Area | None = node.village
    while area is not None:
        codes.append(area.code)
        area = area.parent
    return codes


def provisioning(node: Node) -> Provisioning:
    codes = area_codes(node)
    command = shlex.join(["radio", "node", "provision", "--node-id", node.id, "--village", codes[0],
                          "--name", node.name, "--out", f"bundle-{node.id}"])
    return Provisioning(node.id, codes[0], [topics.node_cmd(node.id), *(topics.area_cmd(c) for c in codes)], command)


@bp.get("/<node_id>")
def show(node_id: str) -> ResponseReturnValue:
    db = get_db()
    node = visible_or_404(Node, node_id)  # another commune's loudspeaker: as if it did not exist
    current = None
    if node.current_command_id:
        current = db.execute(
            select(Bulletin.id, Bulletin.title).join(CommandRow, CommandRow.bulletin_id == Bulletin.id)
            .where(CommandRow.id == node.current_command_id)
        ).first()
    recent = db.execute(
        select(AsRun, Bulletin.title).join(Bulletin, AsRun.bulletin_id == Bulletin.id)
        .where(AsRun.node_id == node.id)
        .order_by(AsRun.scheduled_start.desc(), AsRun.id.desc()).limit(RECENT_ASRUN)
    ).all()
    # What the node said when it started each of these (an out-of-step flag lives in its `started` event).
    started_details = dict(db.execute(
        select(NodeEventRow.command_id, NodeEventRow.detail).where(
            NodeEventRow.node_id == node.id, NodeEventRow.kind == "started",
            NodeEventRow.command_id.in_([run.command_id for run, _title in recent]))
    ).all()) if recent else {}
    timing = {run.id: start_timing_words(run.started_at_ms, run.clock_offset_ms, run.clock_uncertainty_ms,
                                         flagged_out_of_step(started_details.get(run.command_id)))
              for run, _title in recent}
    commune = node.village.parent if node.village is not None else None
    cache_pct = (min(100, round(100 * node.cache_bytes / node.cache_limit_bytes))
                 if node.cache_bytes is not None and node.cache_limit_bytes else None)
    return render_template(
        "nodes/detail.html", node=node, commune=commune, current=current, recent=recent, cache_pct=cache_pct,
        clock_warn=node.clock_offset_ms is not None and abs(node.clock_offset_ms) > CLOCK_WARN_MS,
        clock_warn_ms=CLOCK_WARN_MS, provisioning=provisioning(node), form=VolumeForm(formdata=None),
        uptime=format_uptime(node.uptime_s), time_health=time_health(node), timing=timing,
        facts=telemetry_facts(node, radio_ctx().tz),
        controllable=area_in_scope(db, current_user.area_id, node.village_id)
        and current_user.role in (Role.ADMIN, Role.BROADCASTER, Role.LEADER),
    )


bp.add_app_template_filter(file_size, "filesize")


def format_uptime(seconds: int | None) -> str:
    if seconds is None:
        return "—"
    days, rest = divmod(seconds, 86_400)
    return (f"{days} d " if days else "") + f"{rest // 3600:02d}:{rest % 3600 // 60:02d}"

"""API: bulletins (list, get, schedule, cancel), loudspeaker nodes, the as-run log and per-commune reports."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from sqlalchemy import Select, select

from radio.db.models import Area, AreaLevel, Article, AsRun, Bulletin, Node, Role
from radio.db.types import utcnow
from station.accounting.periods import Period, local_today
from station.accounting.queries import area_scope, commune_figures
from station.approval import NotAllowed, can_read_article
from station.bulletins import BulletinError, cancel_bulletin, create_bulletin
from station.isolation import scope_of, visible
from web.api import actor, bp, fail, iso, json_body, page_args, parse_time
from web.api.areas import refuse_areas
from web.authz import current_scope, register, remote_addr, scoped
from web.context import get_db, radio_ctx

EVERYONE = tuple(Role)
B, L = Role.BROADCASTER, Role.LEADER
for _endpoint, _read, _write in (
    ("api.bulletins_list", EVERYONE, ()), ("api.bulletins_get", EVERYONE, ()),
    ("api.bulletins_create", (), (B, L)), ("api.bulletins_cancel", (), (B, L)),
    ("api.nodes_list", EVERYONE, ()), ("api.nodes_get", EVERYONE, ()), ("api.asrun_list", EVERYONE, ()),
    ("api.reports_communes", EVERYONE, ()), ("api.openapi", EVERYONE, ()),
):
    register(_endpoint, _read, _write)


def bulletin_json(b: Bulletin) -> dict[str, Any]:
    return {
        "id": b.id, "title": b.title, "article_id": b.article_id, "priority": b.priority, "language": b.language,
        "start_at": iso(b.start_at), "status": b.status, "status_detail": b.status_detail, "kind": b.kind,
        "programme_id": b.programme_id, "occurrence_start": iso(b.occurrence_start),
        "approval_skipped": b.approval_skipped, "duration_ms": b.audio.duration_ms if b.audio else None,
        "area_ids": [t.area_id for t in b.targets], "node_ids": [t.node_id for t in b.node_targets],
        "created_by": b.created_by, "created_at": iso(b.created_at),
    }


def node_json(n: Node) -> dict[str, Any]:
    return {
        "id": n.id, "name": n.name, "village_id": n.village_id, "online": n.online, "last_seen_at": iso(n.last_seen_at),
        "agent_version": n.agent_version, "volume": n.volume, "clock_offset_ms": n.clock_offset_ms,
        "heartbeat_at": iso(n.heartbeat_at),
    }


def _bulletin(bulletin_id: int) -> Bulletin:
    found = visible(get_db(), Bulletin, bulletin_id, current_scope())
    if found is None:  # outside the scope looks the same as missing: no probing of other communes' ids
        fail(404, "Không tìm thấy bản tin.")
    return found


@bp.get("/bulletins")
def bulletins_list() -> ResponseReturnValue:
    limit, offset = page_args()
    query = scoped(select(Bulletin), Bulletin).order_by(Bulletin.start_at.desc(), Bulletin.id.desc())
    if status := request.args.get("status"):
        query = query.where(Bulletin.status == status)
    if (start := parse_time(request.args.get("from"), "from")) is not None:
        query = query.where(Bulletin.start_at >= start)
    if (end := parse_time(request.args.get("to"), "to")) is not None:
        query = query.where(Bulletin.start_at < end)
    rows = get_db().scalars(query.offset(offset).limit(limit)).all()
    return {"items": [bulletin_json(b) for b in rows], "limit": limit, "offset": offset}


@bp.get("/bulletins/<int:bulletin_id>")
def bulletins_get(bulletin_id: int) -> ResponseReturnValue:
    return bulletin_json(_bulletin(bulletin_id))


def _ints(value: Any, field: str) -> list[int]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, int) for v in value):
        fail(422, f"{field} phải là danh sách số nguyên.")
    return list(value)


@bp.post("/bulletins")
def bulletins_create() -> ResponseReturnValue:
    db, data, now = get_db(), json_body(), utcnow()
    article_id = data.get("article_id")
    if not isinstance(article_id, int):
        fail(422, "Thiếu article_id (số nguyên).")
    # Another commune's article answers exactly like a missing one: its title or status must not leak.
    article = visible(db, Article, article_id, current_scope())
    if article is None or not can_read_article(db, actor(), article):
        fail(404, "Không tìm thấy bài viết.")
    node_ids = data.get("node_ids") or []
    if not isinstance(node_ids, list) or not all(isinstance(n, str) for n in node_ids):
        fail(422, "node_ids phải là danh sách mã cụm loa.")
    programme_id = data.get("programme_id")
    area_ids = _ints(data.get("area_ids"), "area_ids")
    refuse_areas(area_ids)
    try:
        bulletin = create_bulletin(
            db, title=str(data.get("title") or article.title), audio_id=article.audio_id,
            start_at=parse_time(data.get("start_at"), "start_at"), area_ids=area_ids,
            node_ids=node_ids, priority=str(data.get("priority", "normal")), created_by=actor().user_id, now=now,
            article_id=article.id, on_overlap=str(data.get("on_overlap", "refuse")),
            programme_id=programme_id if isinstance(programme_id, int) else None,
            occurrence_start=parse_time(data.get("occurrence_start"), "occurrence_start"),
            emergency_lead=radio_ctx().emergency_lead, actor=actor(), remote_addr=remote_addr(),
        )
    except NotAllowed as exc:
        db.rollback()
        fail(403, str(exc))
    except BulletinError as exc:
        db.rollback()
        fail(422, str(exc))
    db.commit()
    return bulletin_json(bulletin), 201


@bp.post("/bulletins/<int:bulletin_id>/cancel")
def bulletins_cancel(bulletin_id: int) -> ResponseReturnValue:
    db = get_db()
    _bulletin(bulletin_id)
    try:
        bulletin = cancel_bulletin(db, bulletin_id, now=utcnow(), actor=actor(), remote_addr=remote_addr())
    except NotAllowed as exc:
        db.rollback()
        fail(403, str(exc))
    except BulletinError as exc:
        db.rollback()
        fail(409, str(exc))
    db.commit()
    return bulletin_json(bulletin)


def _nodes_query() -> Select[Any]:
    return scoped(select(Node), Node).order_by(Node.id)


@bp.get("/nodes")
def nodes_list() -> ResponseReturnValue:
    limit, offset = page_args()
    rows = get_db().scalars(_nodes_query().offset(offset).limit(limit)).all()
    return {"items": [node_json(n) for n in rows], "limit": limit, "offset": offset}


@bp.get("/nodes/<node_id>")
def nodes_get(node_id: str) -> ResponseReturnValue:
    node = get_db().scalar(_nodes_query().where(Node.id == node_id))
    if node is None:
        fail(404, "Không tìm thấy cụm loa.")
    return node_json(node)


@bp.get("/asrun")
def asrun_list() -> ResponseReturnValue:
    limit, offset = page_args()
    query = scoped(select(AsRun), AsRun).join(Node, AsRun.node_id == Node.id).order_by(
        AsRun.scheduled_start.desc(), AsRun.id.desc())
    if area_id := request.args.get("area_id", type=int):
        refuse_areas([area_id])  # an empty answer would look like "nothing aired there"
        query = query.where(Node.village_id.in_(scope_of(get_db(), area_id) or {area_id}))
    for field, column in (("node_id", AsRun.node_id), ("outcome", AsRun.outcome)):
        if value := request.args.get(field):
            query = query.where(column == value)
    if bulletin_id := request.args.get("bulletin_id", type=int):
        query = query.where(AsRun.bulletin_id == bulletin_id)
    if (start := parse_time(request.args.get("from"), "from")) is not None:
        query = query.where(AsRun.scheduled_start >= start)
    if (end := parse_time(request.args.get("to"), "to")) is not None:
        query = query.where(AsRun.scheduled_start < end)
    rows = get_db().scalars(query.offset(offset).limit(limit)).all()
    return {"items": [{
        "id": r.id, "bulletin_id": r.bulletin_id, "node_id": r.node_id, "command_id": r.command_id,
        "attempt": r.attempt, "scheduled_start": iso(r.scheduled_start), "requested_ms": r.requested_ms,
        "started_at_ms": r.started_at_ms, "ended_at_ms": r.ended_at_ms, "played_ms": r.played_ms,
        "outcome": r.outcome, "detail": r.detail} for r in rows], "limit": limit, "offset": offset}


@bp.get("/reports/communes")
def reports_communes() -> ResponseReturnValue:
    """Per-commune figures (station.accounting) for an area in the user's scope over local dates."""
    from datetime import date

    db, who = get_db(), actor()
    area_id = request.args.get("area_id", type=int) or who.area_id
    if area_id is None:
        fail(422, "Hãy chọn khu vực (area_id).")
    refuse_areas([area_id])
    area = db.get(Area, area_id)
    if area is None:
        fail(404, "Không tìm thấy khu vực.")
    today = local_today(utcnow())
    try:
        start = date.fromisoformat(request.args.get("from") or today.replace(day=1).isoformat())
        end = date.fromisoformat(request.args.get("to") or today.isoformat())
    except ValueError:
        fail(422, "from/to phải là ngày dạng YYYY-MM-DD (giờ Việt Nam).")
    if end < start or (end - start).days > 731:
        fail(422, "Khoảng ngày không hợp lệ (tối đa hai năm).")
    figures = commune_figures(db, area_scope(db, area), Period(start, end, f"{start}..{end}"))
    names: dict[int, str] = {row[0]: row[1] for row in db.execute(
        select(Area.id, Area.name).where(Area.id.in_(list(figures)), Area.level == AreaLevel.COMMUNE))}
    return {"area_id": area.id, "from": start.isoformat(), "to": end.isoformat(), "communes": [
        {"commune_id": cid, "name": names.get(cid, ""), **asdict(fig)} for cid, fig in sorted(figures.items())]}

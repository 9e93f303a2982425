"""API: the areas (province, communes, villages) the token's user may see and target, and the refusal of
any other area id a request names (refused, never silently dropped: a script must know it did nothing)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy import select

from radio.db.models import Area, AreaLevel, Role
from web.api import bp, fail, page_args
from web.authz import current_scope, register, scoped
from web.context import get_db

register("api.areas_list", tuple(tuple(Role)))


def area_json(a: Area) -> dict[str, Any]:
    return {"id": a.id, "code": a.code, "name": a.name, "level": a.level, "parent_id": a.parent_id}


def refuse_areas(area_ids: Iterable[int]) -> None:
    """403, changing nothing, when any of these area ids lies outside the user's scope."""
    scope = current_scope()
    outside = sorted({a for a in area_ids if scope is not None and a not in scope})
    if outside:
        fail(403, _("Bạn không phụ trách khu vực có mã %(ids)s (xem GET /api/v1/areas). Không có gì được thay đổi.",
                    ids=", ".join(str(a) for a in outside)), "area_forbidden")


@bp.get("/areas")
def areas_list() -> ResponseReturnValue:
    """The user's areas by code; ?level=province|commune|village narrows the list."""
    limit, offset = page_args()
    query = scoped(select(Area), Area).order_by(Area.code)
    if level := request.args.get("level"):
        if level not in (AreaLevel.PROVINCE, AreaLevel.COMMUNE, AreaLevel.VILLAGE):
            fail(422, _("level phải là province, commune hoặc village."))
        query = query.where(Area.level == level)
    rows = get_db().scalars(query.offset(offset).limit(limit)).all()
    return {"items": [area_json(a) for a in rows], "limit": limit, "offset": offset}

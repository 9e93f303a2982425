"""The push side of the HTTT nguồn exchange: the province's system POSTs bulletins for its communes here, with the
push token configured for that province (station.httt.config). Same filing as the pull (station.httt.inbound):
each bulletin is checked field by field and filed once per BanTinId."""

from __future__ import annotations

import hmac

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue

from radio.db.types import utcnow
from station.httt.config import ProvinceLink, links_from_settings
from station.httt.inbound import InboundResult, receive
from web.api import rate_limit
from web.authz import remote_addr
from web.context import get_db, radio_ctx

bp = Blueprint("httt_push", __name__, url_prefix="/httt/v1")
MAX_ITEMS = 1000


def _province(header: str) -> ProvinceLink | None:
    """The configured province whose push token this is (compared in constant time), else None."""
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    if not token:
        return None
    found = None
    for link in links_from_settings(radio_ctx().settings.extra):
        if link.push_token and hmac.compare_digest(link.push_token.encode(), token.encode()):
            found = link
    return found


def _limited(key: str, limit: int) -> ResponseReturnValue | None:
    """429 with Retry-After once `key` has used its requests in the window (the API's counters and limits)."""
    return rate_limit.refuse_over_limit(
        key, limit, lambda wait_s: jsonify({"Loi": f"quá nhiều yêu cầu, hãy gửi lại sau {wait_s} giây"}))


@bp.post("/bantin")
def push() -> ResponseReturnValue:
    # The address first, before the token is looked at: guessing a province's token costs requests like anything
    # else; then each province's own budget, so one busy (or leaked) token cannot flood the filing.
    settings = radio_ctx().settings
    refused = _limited(f"httt-addr:{remote_addr()}", settings.api_rate_per_address)
    if refused is not None:
        return refused
    link = _province(request.headers.get("Authorization", ""))
    if link is None:
        return jsonify({"Loi": "khoá truy cập không hợp lệ"}), 401
    refused = _limited(f"httt-province:{link.code}", settings.api_rate_per_token)
    if refused is not None:
        return refused
    body = request.get_json(silent=True)
    f = link.mapping.fields
    items = body.get(f["items"]) if isinstance(body, dict) else None
    if not isinstance(items, list) or not items or len(items) > MAX_ITEMS:
        return jsonify({f["error"]: f"{f['items']}: danh sách 1-{MAX_ITEMS} bản tin"}), 400
    db, result = get_db(), InboundResult()
    for wire in items:
        if isinstance(wire, dict):
            receive(db, link.code, link.mapping.from_wire(wire), utcnow(), result)
    db.commit()
    return jsonify({f["results"]: {"created": len(result.created), "duplicates": result.duplicates,
                                   "refused": result.refused, "unknown_areas": sorted(result.unknown_areas)}})

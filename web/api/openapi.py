"""GET /api/v1/openapi.json: the OpenAPI 3.1 description of every API endpoint (public, no token needed).

Written by hand as a dict so it says what the API promises; tests/web/test_web_api_openapi.py checks that
every route in the url_map is described here and nothing else is.
"""

from __future__ import annotations

from typing import Any

from flask.typing import ResponseReturnValue

from radio.protocol import Priority
from web.api import bp

JSON = "application/json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(schema: dict[str, Any], status: str = "200", text: str = "Thành công") -> dict[str, Any]:
    return {status: {"description": text, "content": {JSON: {"schema": schema}}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {400: "Yêu cầu không hợp lệ", 401: "Thiếu hoặc sai khoá API", 403: "Không có quyền (vai trò/khu vực)",
            404: "Không tìm thấy (hoặc ngoài khu vực)", 409: "Trạng thái không cho phép", 413: "Tệp quá lớn",
            415: "Không phải JSON", 422: "Dữ liệu không hợp lệ", 429: "Quá nhiều yêu cầu (xem tiêu đề Retry-After)"}
    return {str(c): {"description": text[c], "content": {JSON: {"schema": _ref("Error")}}} for c in codes}


def _list(item: str) -> dict[str, Any]:
    return {"type": "object", "required": ["items", "limit", "offset"], "properties": {
        "items": {"type": "array", "items": _ref(item)}, "limit": {"type": "integer"}, "offset": {"type": "integer"}}}


def _q(name: str, schema: dict[str, Any], text: str) -> dict[str, Any]:
    return {"name": name, "in": "query", "required": False, "schema": schema, "description": text}


def _p(name: str, kind: str = "integer") -> dict[str, Any]:
    return {"name": name, "in": "path", "required": True, "schema": {"type": kind}}


def _body(schema: dict[str, Any], media: str = JSON) -> dict[str, Any]:
    return {"required": True, "content": {media: {"schema": schema}}}


def _op(summary: str, tag: str, responses: dict[str, Any], *, params: list[dict[str, Any]] | None = None,
        body: dict[str, Any] | None = None, errors: tuple[int, ...] = (401, 403)) -> dict[str, Any]:
    op: dict[str, Any] = {"summary": summary, "tags": [tag], "operationId": summary, "parameters": params or [],
                          # 429: every request counts against its token's and address's rate limit
                          "responses": {**responses, **_errors(*errors, 429)}}
    if body is not None:
        op["requestBody"] = body
    return op


PAGE = [_q("limit", {"type": "integer", "minimum": 1, "maximum": 1000, "default": 100}, "Số dòng tối đa"),
        _q("offset", {"type": "integer", "minimum": 0, "default": 0}, "Bỏ qua bao nhiêu dòng")]
TIME = {"type": "string", "format": "date-time", "description": "ISO 8601 có múi giờ, ví dụ 2025-07-01T06:00:00+07:00"}
RANGE = [_q("from", TIME, "Từ thời điểm (bao gồm)"), _q("to", TIME, "Đến thời điểm (không bao gồm)")]
NULL_INT = {"type": ["integer", "null"]}
NULL_TIME = {"type": ["string", "null"], "format": "date-time"}

SCHEMAS: dict[str, Any] = {
    "Error": {"type": "object", "required": ["error"], "properties": {"error": {
        "type": "object", "required": ["code", "message"],
        "properties": {"code": {"type": "string"}, "message": {"type": "string", "description": "Tiếng Việt"}}}}},
    "Audio": {"type": ["object", "null"], "properties": {
        "sha256": {"type": "string"}, "duration_ms": {"type": "integer"}, "engine": {"type": "string"},
        "voice": {"type": ["string", "null"]}}},
    "Article": {"type": "object", "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "body": {"type": "string"},
        "language": {"type": "string"}, "commune_id": NULL_INT, "author_id": NULL_INT,
        "status": {"type": "string", "enum": ["draft", "submitted", "approved", "rejected", "scheduled", "aired"]},
        "review_comment": {"type": "string"}, "submitted_by": NULL_INT, "submitted_at": NULL_TIME,
        "reviewed_by": NULL_INT, "reviewed_at": NULL_TIME, "created_at": TIME, "updated_at": TIME,
        "audio": _ref("Audio")}},
    "ArticleCreate": {"type": "object", "required": ["title", "body"], "properties": {
        "title": {"type": "string", "maxLength": 300}, "body": {"type": "string"},
        "language": {"type": "string", "default": "vi"}, "commune_id": NULL_INT}},
    "ArticleUpdate": {"type": "object", "properties": {
        "title": {"type": "string", "maxLength": 300}, "body": {"type": "string"}, "language": {"type": "string"}},
        "description": "Đổi nội dung đưa bài về bản nháp (phải trình duyệt lại) và bỏ âm thanh cũ."},
    "Review": {"type": "object", "required": ["decision"], "properties": {
        "decision": {"type": "string", "enum": ["approve", "reject"]},
        "comment": {"type": "string", "description": "Bắt buộc khi từ chối"}}},
    "Synthesize": {"type": "object", "properties": {
        "voice": {"type": "string", "enum": ["espeak-ng/vi", "espeak-ng/vi-vn-x-central", "espeak-ng/vi-vn-x-south",
                                             "gtts/vi"]},
        "confirm_unfit": {"type": "boolean", "description": "Vẫn đọc văn bản bị cảnh báo lỗi dấu/OCR"}}},
    "Upload": {"type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "contentMediaType": "application/octet-stream",
                 "description": "Tệp MP3 hoặc WAV, tối đa MAX_CONTENT_LENGTH"}}},
    "Bulletin": {"type": "object", "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "article_id": NULL_INT,
        "priority": {"type": "string", "enum": [p.value for p in Priority]}, "language": {"type": "string"},
        "start_at": TIME, "status": {"type": "string"}, "status_detail": {"type": "string"},
        "kind": {"type": "string"}, "programme_id": NULL_INT, "occurrence_start": NULL_TIME,
        "approval_skipped": {"type": "boolean"}, "duration_ms": NULL_INT,
        "area_ids": {"type": "array", "items": {"type": "integer"}},
        "node_ids": {"type": "array", "items": {"type": "string"}}, "created_by": NULL_INT, "created_at": TIME}},
    "BulletinCreate": {"type": "object", "required": ["article_id"], "properties": {
        "article_id": {"type": "integer"}, "title": {"type": "string"},
        "priority": {"type": "string", "enum": [p.value for p in Priority], "default": "normal"},
        "start_at": TIME, "area_ids": {"type": "array", "items": {"type": "integer"}},
        "node_ids": {"type": "array", "items": {"type": "string"}},
        "on_overlap": {"type": "string", "enum": ["refuse", "queue"], "default": "refuse"},
        "programme_id": {"type": "integer"}, "occurrence_start": TIME},
        "description": "Chỉ bài đã duyệt; tin khẩn cấp chưa duyệt chỉ lãnh đạo/quản trị được phát."},
    "Area": {"type": "object", "properties": {
        "id": {"type": "integer"}, "code": {"type": "string"}, "name": {"type": "string"},
        "level": {"type": "string", "enum": ["province", "commune", "village"]}, "parent_id": NULL_INT}},
    "Node": {"type": "object", "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "village_id": {"type": "integer"},
        "online": {"type": "boolean"}, "last_seen_at": NULL_TIME, "agent_version": {"type": "string"},
        "volume": NULL_INT, "clock_offset_ms": NULL_INT, "heartbeat_at": NULL_TIME}},
    "AsRun": {"type": "object", "properties": {
        "id": {"type": "integer"}, "bulletin_id": {"type": "integer"}, "node_id": {"type": "string"},
        "command_id": {"type": "string"}, "attempt": {"type": "integer"}, "scheduled_start": TIME,
        "requested_ms": {"type": "integer"}, "started_at_ms": NULL_INT, "ended_at_ms": NULL_INT,
        "played_ms": {"type": "integer"}, "outcome": {"type": "string"}, "detail": {"type": "string"}}},
    "CommuneReport": {"type": "object", "properties": {
        "area_id": {"type": "integer"}, "from": {"type": "string", "format": "date"},
        "to": {"type": "string", "format": "date"}, "communes": {"type": "array", "items": {
            "type": "object", "additionalProperties": True, "properties": {
                "commune_id": {"type": "integer"}, "name": {"type": "string"},
                "bulletins_sent": {"type": "integer"}, "bulletins_played": {"type": "integer"},
                "urgent_sent": {"type": "integer"}, "requested_ms": {"type": "integer"},
                "played_ms": {"type": "integer"}}}}}},
}

ARTICLE = _p("article_id")
BULLETIN = _p("bulletin_id")
PATHS: dict[str, Any] = {
    "/articles": {
        "get": _op("listArticles", "articles", _ok(_list("Article")), params=[
            *PAGE, _q("status", {"type": "string"}, "Lọc theo trạng thái duyệt")]),
        "post": _op("createArticle", "articles", _ok(_ref("Article"), "201", "Đã tạo"),
                    body=_body(_ref("ArticleCreate")), errors=(401, 403, 415, 422))},
    "/articles/{article_id}": {
        "get": _op("getArticle", "articles", _ok(_ref("Article")), params=[ARTICLE], errors=(401, 403, 404)),
        "patch": _op("updateArticle", "articles", _ok(_ref("Article")), params=[ARTICLE],
                     body=_body(_ref("ArticleUpdate")), errors=(401, 403, 404, 415, 422))},
    "/articles/{article_id}/submit": {
        "post": _op("submitArticle", "approval", _ok(_ref("Article")), params=[ARTICLE], errors=(401, 403, 404, 409))},
    "/articles/{article_id}/review": {
        "post": _op("reviewArticle", "approval", _ok(_ref("Article")), params=[ARTICLE], body=_body(_ref("Review")),
                    errors=(401, 403, 404, 409, 415, 422))},
    "/articles/{article_id}/audio/synthesize": {
        "post": _op("synthesizeArticle", "audio", _ok(_ref("Article")), params=[ARTICLE],
                    body={**_body(_ref("Synthesize")), "required": False}, errors=(401, 403, 404, 415, 422))},
    "/articles/{article_id}/audio/upload": {
        "post": _op("uploadArticleAudio", "audio", _ok(_ref("Article")), params=[ARTICLE],
                    body=_body(_ref("Upload"), "multipart/form-data"), errors=(401, 403, 404, 413, 422))},
    "/bulletins": {
        "get": _op("listBulletins", "bulletins", _ok(_list("Bulletin")), params=[
            *PAGE, *RANGE, _q("status", {"type": "string"}, "Lọc theo trạng thái")], errors=(401, 403, 422)),
        "post": _op("createBulletin", "bulletins", _ok(_ref("Bulletin"), "201", "Đã lên lịch"),
                    body=_body(_ref("BulletinCreate")), errors=(401, 403, 404, 415, 422))},
    "/bulletins/{bulletin_id}": {
        "get": _op("getBulletin", "bulletins", _ok(_ref("Bulletin")), params=[BULLETIN], errors=(401, 403, 404))},
    "/bulletins/{bulletin_id}/cancel": {
        "post": _op("cancelBulletin", "bulletins", _ok(_ref("Bulletin")), params=[BULLETIN],
                    errors=(401, 403, 404, 409))},
    "/areas": {"get": _op("listAreas", "areas", _ok(_list("Area")), params=[
        *PAGE, _q("level", {"type": "string", "enum": ["province", "commune", "village"]}, "Cấp khu vực")],
        errors=(401, 403, 422))},
    "/nodes": {"get": _op("listNodes", "nodes", _ok(_list("Node")), params=PAGE)},
    "/nodes/{node_id}": {
        "get": _op("getNode", "nodes", _ok(_ref("Node")), params=[_p("node_id", "string")], errors=(401, 403, 404))},
    "/asrun": {"get": _op("listAsRun", "asrun", _ok(_list("AsRun")), params=[
        *PAGE, *RANGE, _q("area_id", {"type": "integer"}, "Khu vực (kể cả cấp dưới)"),
        _q("node_id", {"type": "string"}, "Cụm loa"), _q("bulletin_id", {"type": "integer"}, "Bản tin"),
        _q("outcome", {"type": "string"}, "Kết quả")], errors=(401, 403, 422))},
    "/reports/communes": {"get": _op("communeReport", "reports", _ok(_ref("CommuneReport")), params=[
        _q("area_id", {"type": "integer"}, "Tỉnh hoặc xã (mặc định: khu vực của tài khoản)"),
        _q("from", {"type": "string", "format": "date"}, "Từ ngày (giờ Việt Nam), mặc định đầu tháng"),
        _q("to", {"type": "string", "format": "date"}, "Đến ngày (bao gồm), mặc định hôm nay")],
        errors=(401, 403, 404, 422))},
    "/openapi.json": {"get": {"summary": "openapi", "operationId": "openapi", "tags": ["meta"], "security": [],
                              "responses": {"200": {"description": "Tài liệu này",
                                                    "content": {JSON: {"schema": {"type": "object"}}}},
                                            **_errors(429)}}},
}

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Đài truyền thanh xã — API", "version": "1.0.0",
             "description": "Cùng quy tắc vai trò và khu vực như giao diện web; mọi thay đổi được ghi nhật ký. "
                            "Lỗi: {\"error\": {\"code\", \"message\"}}. Thời điểm: ISO 8601 có múi giờ."},
    "servers": [{"url": "/api/v1"}],
    "security": [{"bearerAuth": []}],
    "components": {"securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer",
                                                      "description": "Khoá tạo ở trang /tokens/"}},
                   "schemas": SCHEMAS},
    "paths": PATHS,
}


@bp.get("/openapi.json")
def openapi() -> ResponseReturnValue:
    return DOCUMENT

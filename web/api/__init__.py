"""REST API /api/v1 for integrations (a provincial information system, scripts): JSON in, JSON out.

Authentication is a personal bearer token (web.tokens) and nothing else: browser session cookies are
ignored here, so a malicious page cannot ride a logged-in user's cookie (hence no CSRF token either).
The role table (web.authz) and the area rules are the same as the web's, and changes are audited.
Errors are {"error": {"code": ..., "message": <Vietnamese>}} with the matching HTTP status.
Requests are rate-limited per client address and per token (web.api.rate_limit): 429 with Retry-After.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NoReturn

from flask import Blueprint, Flask, Response, g, jsonify, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException

from radio.db.types import utcnow
from station.audit import Actor
from web.api import rate_limit
from web.authz import allowed, remote_addr
from web.context import get_db, radio_ctx
from web.tokens import hash_token, verify_token

bp = Blueprint("api", __name__, url_prefix="/api/v1")
PUBLIC = frozenset({"api.openapi"})
MAX_LIMIT = 1000
HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "Yêu cầu không hợp lệ."),
    401: ("unauthorized", "Thiếu hoặc sai khoá API (tiêu đề Authorization: Bearer <khoá>)."),
    403: ("forbidden", "Bạn không có quyền làm việc này."),
    404: ("not_found", "Không tìm thấy."),
    405: ("method_not_allowed", "Phương thức không được hỗ trợ ở địa chỉ này."),
    409: ("conflict", "Trạng thái hiện tại không cho phép thao tác này."),
    413: ("payload_too_large", "Tệp tải lên quá lớn."),
    415: ("unsupported_media_type", "Hãy gửi dữ liệu JSON (Content-Type: application/json)."),
    422: ("unprocessable", "Dữ liệu không hợp lệ."),
    429: ("too_many_requests", "Quá nhiều yêu cầu. Hãy thử lại sau."),
    500: ("server_error", "Lỗi máy chủ. Hãy thử lại sau."),
}


class ApiError(Exception):
    """Stop a request with a JSON error: the status, a stable code for programs, a message for people."""

    def __init__(self, status: int, message: str | None = None, code: str | None = None) -> None:
        default_code, default_message = HTTP_CODES.get(status, ("error", "Đã xảy ra lỗi."))
        super().__init__(message or default_message)
        self.status, self.code, self.message = status, code or default_code, message or default_message


def fail(status: int, message: str | None = None, code: str | None = None) -> NoReturn:
    raise ApiError(status, message, code)


def error_response(status: int, message: str | None = None, code: str | None = None) -> Response:
    err = ApiError(status, message, code)
    response = jsonify({"error": {"code": err.code, "message": err.message}})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="commune-radio"'
    return response


def json_http_error(exc: HTTPException) -> Response:
    """An HTTP error (404, 405, 413…) raised anywhere under /api/ as JSON instead of the HTML page."""
    return error_response(exc.code or 500)


@bp.errorhandler(ApiError)
def _api_error(exc: ApiError) -> ResponseReturnValue:
    return error_response(exc.status, exc.message, exc.code)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> ResponseReturnValue:
    return json_http_error(exc)


def actor() -> Actor:
    found: Actor = g.api_actor
    return found


def _limited(key: str, limit: int) -> Response | None:
    """429 with Retry-After once `key` has used up its requests in the current window."""
    return rate_limit.refuse_over_limit(key, limit, lambda wait_s: error_response(
        429, _("Quá nhiều yêu cầu. Hãy thử lại sau %(seconds)s giây.", seconds=wait_s)))


@bp.before_request
def _authenticate() -> ResponseReturnValue | None:
    # The address first, before any token is looked at: guessing tokens costs requests like anything else.
    settings = radio_ctx().settings
    refused = _limited(f"addr:{remote_addr()}", settings.api_rate_per_address)
    if refused is not None or request.endpoint in PUBLIC:
        return refused
    header = request.headers.get("Authorization", "")
    scheme, _sep, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return error_response(401)
    db = get_db()
    user = verify_token(db, secret.strip(), utcnow())
    if user is None:
        return error_response(401, "Khoá API không hợp lệ, đã bị thu hồi, hoặc tài khoản đã bị khoá.")
    db.commit()  # last_used_at, shown on the tokens page
    # Keyed by the token's hash (what is stored), so each token of a user has its own budget.
    refused = _limited(f"token:{hash_token(secret.strip())[:40]}", settings.api_rate_per_token)
    if refused is not None:
        return refused
    g.api_actor = Actor(user.id, user.role, user.area_id, user.username)
    if request.endpoint is not None and not allowed(request.endpoint, request.method, user.role):
        return error_response(403)
    return None


@bp.after_request
def _no_store(response: Response) -> Response:
    # Answers depend on the token's owner: shared caches must never hand them to someone else.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def json_body() -> dict[str, Any]:
    """The request's JSON object; 415 when not JSON, 400 when not an object."""
    if not request.is_json:
        fail(415)
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        fail(400, "Nội dung yêu cầu phải là một đối tượng JSON.")
    return data


def page_args() -> tuple[int, int]:
    """limit (1-1000, default 100) and offset from the query string."""
    limit = request.args.get("limit", 100, type=int) or 100
    offset = request.args.get("offset", 0, type=int) or 0
    return min(max(limit, 1), MAX_LIMIT), max(offset, 0)


def parse_time(value: Any, field: str, *, required: bool = False) -> datetime | None:
    """An ISO 8601 time with its offset ("2025-07-01T06:00:00+07:00"); a naive time is refused, not guessed."""
    if value in (None, ""):
        if required:
            fail(422, f"Thiếu trường {field}.")
        return None
    try:
        parsed = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        fail(422, f"{field}: thời điểm không hợp lệ (dạng ISO 8601, ví dụ 2025-07-01T06:00:00+07:00).")
    if parsed.tzinfo is None:
        fail(422, f"{field}: hãy ghi rõ múi giờ (ví dụ +07:00).")
    return parsed


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def init_app(app: Flask, csrf: CSRFProtect) -> None:
    """Register the API (routes live in the submodules) and exempt it from the form CSRF check."""
    from web.api import areas, articles, openapi, operations  # noqa: F401  (registers routes on bp)

    csrf.exempt(bp)
    app.register_blueprint(bp)

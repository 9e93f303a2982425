"""Who may do what: one role table for every endpoint (web and API), the area rule, the 403 page.

Layers, so no single forgotten check opens a hole:
1. `enforce` (before_request): the role table below. Monitors are read-only everywhere. A route missing from
   the table falls back to "everyone may read, monitors may not write", and tests/web/test_web_authz_matrix.py
   fails until someone writes its rule down.
2. Isolation (`scoped`, `visible_or_404`): every list, detail, form choice and stream of stored objects is
   filtered by station.isolation.ISOLATION, the one table saying which rows a user of an area sees. The
   web and the API call the same two helpers (current_actor is the token's user under /api/).
3. In each view / service: the area rule for changes (`can_act_on_area`, station.approval.area_covers).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, g, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from sqlalchemy import Select

from radio.db.models import Role
from station.approval import area_covers
from station.audit import Actor
from station.isolation import Scope, restrict, scope_of, visible
from web.auth import PUBLIC_ENDPOINTS
from web.context import get_db

__all__ = ["RULES", "Actor", "Rule", "allowed", "can_act_on_area", "current_actor", "current_scope", "forbidden",
           "init_app", "require", "scoped", "visible_or_404"]

F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T")
A, M, B, L = Role.ADMIN, Role.MONITOR, Role.BROADCASTER, Role.LEADER
EVERYONE = frozenset(Role)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
FORBIDDEN_VI = "Bạn không có quyền làm việc này."


@dataclass(frozen=True)
class Rule:
    """Roles allowed to read (GET/HEAD) and to change (any other method) through one endpoint."""

    read: frozenset[str]
    write: frozenset[str] = frozenset()


def _r(read: tuple[str, ...] | frozenset[str], write: tuple[str, ...] = ()) -> Rule:
    return Rule(frozenset(read), frozenset(write))


# Admin is always allowed and not listed. Decisions (docs/api.md "Roles"):
# - articles are written and submitted by broadcasters, reviewed by leaders;
# - leaders may schedule (they send unapproved emergencies, TT39) and change programmes;
# - airtime rules (quiet hours, caps) are set by the commune's station staff or leader, for their own areas;
# - monitors (province/district) read everything in their area and change nothing but their own API tokens.
RULES: dict[str, Rule] = {
    "index": _r(EVERYONE),
    "auth.logout": _r(EVERYONE, tuple(Role)),
    "articles.index": _r(EVERYONE),
    "articles.new": _r((B,), (B,)),
    "articles.edit": _r(EVERYONE, (B,)),
    "articles.render_audio": _r((), (B,)),
    "articles.render_status": _r(EVERYONE),
    "articles.upload_audio": _r((), (B,)),
    "articles.submit": _r((), (B,)),
    "articles.review": _r((), (L,)),
    "lexicon.index": _r(EVERYONE),
    "lexicon.add": _r((), (B, L)),
    "lexicon.delete": _r((), (B, L)),
    "bulletins.index": _r(EVERYONE),
    "bulletins.new": _r((B, L), (B, L)),
    "bulletins.detail": _r(EVERYONE),
    "bulletins.cancel": _r((), (B, L)),
    "programmes.index": _r(EVERYONE),
    "programmes.new": _r((B, L), (B, L)),
    "programmes.edit": _r((B, L), (B, L)),
    "programmes.detail": _r(EVERYONE),
    "programmes.add_slot": _r((), (B, L)),
    "programmes.delete_slot": _r((), (B, L)),
    "areas.index": _r(EVERYONE),
    "areas.policy": _r(EVERYONE, (B, L)),
    "nodes.index": _r(EVERYONE),
    "controls.area_volume": _r((), (B, L)),
    "controls.area_stop": _r((), (B, L)),
    "controls.node_volume": _r((), (B, L)),
    "controls.node_stop": _r((), (B, L)),
    "asrun.index": _r(EVERYONE),
    "audit.index": _r((M, L)),
    "audit.export_csv": _r((M, L)),
    "users.index": _r(()),
    "users.new": _r((), ()),
    "users.edit": _r((), ()),
    # calendar.*, emergency.new, node_detail.show, live.stream register their rules next to their routes.
    "tokens.index": _r(EVERYONE),
    "tokens.create": _r((), tuple(Role)),
    "tokens.revoke": _r((), tuple(Role)),
}
# Whole blueprints whose routes are still moving (web/reports/*, another engineer's): one rule for all of
# them, looked up as "<blueprint>.*" when the endpoint has none of its own. Everyone reads progress; plans
# and their targets are entered by province monitors (and admins), as web/reports/plans.py also enforces.
RULES["reports.*"] = _r(EVERYONE)
RULES["plans.*"] = _r(EVERYONE, (M,))
# The only writes a monitor may make: ending their session, their own integration tokens, the plans
# (targets for reporting) their province issues, and their own alert read marks and preferences. None of these
# changes what airs or who may change it.
MONITOR_MAY_WRITE = frozenset({"auth.logout", "auth.login", "tokens.create", "tokens.revoke", "plans.*",
                               "alerts.mark_read", "alerts.preferences"})


def register(endpoint: str, read: tuple[str, ...] | frozenset[str], write: tuple[str, ...] = ()) -> None:
    """Let a blueprint (e.g. the API) declare its endpoints' rules next to its routes."""
    RULES[endpoint] = _r(read, write)


def rule_for(endpoint: str) -> Rule | None:
    """The endpoint's own rule, else its blueprint's, else None."""
    rule = RULES.get(endpoint)
    if rule is None and "." in endpoint:
        rule = RULES.get(endpoint.split(".", 1)[0] + ".*")
    return rule


def allowed(endpoint: str, method: str, role: str) -> bool:
    """The role table: may `role` use `endpoint` with `method`? Area checks come on top, in the views."""
    if role not in set(Role):
        return False  # a row with a mistyped role gets nothing rather than a guess
    if role == Role.ADMIN:
        return True
    write = method.upper() not in READ_METHODS
    if write and role == Role.MONITOR and not ({endpoint, endpoint.split(".", 1)[0] + ".*"} & MONITOR_MAY_WRITE):
        return False
    rule = rule_for(endpoint)
    if rule is None:
        return True  # fallback above; the matrix test insists on an explicit rule
    return role in (rule.write if write else rule.read)


def current_actor() -> Actor:
    """The acting user: the API token's user when set by web.api, else the logged-in browser user."""
    actor: Actor | None = g.get("api_actor")
    if actor is not None:
        return actor
    if not current_user.is_authenticated:
        return Actor(None, "anonymous", None, "")
    return Actor(current_user.id, current_user.role, current_user.area_id, current_user.username)


def can_act_on_area(user: Any, area_id: int | None) -> bool:
    """The user's area is area_id or an ancestor of it; users without an area are national."""
    return area_covers(get_db(), getattr(user, "area_id", None), area_id)


def current_scope() -> Scope:
    """The area ids the acting user (browser or API token) covers; None for national accounts. Computed once per
    request and actor (every page asks several times: its lists, the alerts bell, the warnings banner)."""
    area_id = current_actor().area_id
    cached: tuple[int | None, Scope] | None = g.get("_radio_scope")
    if cached is None or cached[0] != area_id:
        cached = (area_id, scope_of(get_db(), area_id))
        g._radio_scope = cached
    return None if cached[1] is None else set(cached[1])


def scoped(query: Select[Any], kind: type) -> Select[Any]:
    """`query` limited to the `kind` rows the acting user may see (station.isolation.ISOLATION)."""
    return restrict(query, kind, current_scope())


def visible_or_404(kind: type[T], obj_id: object) -> T:
    """One object the acting user may see; 404 both when missing and when another commune's, so ids of
    other communes cannot be probed."""
    found = visible(get_db(), kind, obj_id, current_scope())
    if found is None:
        abort(404)
    return found


def remote_addr() -> str:
    # request.remote_addr is the peer; behind a reverse proxy the deployment adds ProxyFix to make it the client.
    return request.remote_addr or ""


def forbidden(message: str = FORBIDDEN_VI) -> ResponseReturnValue:
    """403 as a Vietnamese page, or as the API's JSON error."""
    if request.blueprint == "api" or request.path.startswith("/api/"):
        return jsonify({"error": {"code": "forbidden", "message": message}}), 403
    return render_template("error.html", code=403, message=message), 403


def require(*roles: str) -> Callable[[F], F]:
    """View decorator: only these roles (admin always) may call the view; others get the 403 page."""
    allowed_roles = frozenset(roles) | {Role.ADMIN}

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if current_actor().role not in allowed_roles:
                return forbidden()
            return view(*args, **kwargs)

        wrapper.required_roles = allowed_roles  # type: ignore[attr-defined]  # read by the matrix test
        return wrapper  # type: ignore[return-value]

    return decorate


def enforce() -> ResponseReturnValue | None:
    """before_request: apply the role table to every browser request (the API checks its own, by token)."""
    endpoint = request.endpoint
    if endpoint is None or endpoint in PUBLIC_ENDPOINTS or request.blueprint == "api":
        return None
    if not current_user.is_authenticated:
        return None  # web.auth has already sent the visitor to the login page
    if not allowed(endpoint, request.method, current_user.role):
        return forbidden()
    return None


def init_app(app: Flask) -> None:
    """Register after web.auth.init_app, so the login redirect runs first."""
    settings = app.extensions["radio"].settings
    secure = settings.session_cookie_secure
    # Behind HTTPS in production the cookies must never travel in clear text (on by default); plain HTTP on
    # one machine (`radio demo`) would lose its session with Secure set, hence a setting rather than a constant.
    app.config["SESSION_COOKIE_SECURE"] = secure
    app.config["REMEMBER_COOKIE_SECURE"] = secure
    app.before_request(enforce)
    # Until Flask-Babel is wired (UX), templates written with _() still render (identity translation).
    app.jinja_env.globals.setdefault("_", lambda s, **kw: s % kw if kw else s)

"""The landing page after login, "Việc hôm nay": what this person has to do today, by role.

The page is a list of blocks, one template partial each (templates/home/_*.html). A block is a name, a
partial and a loader that returns the partial's variables (or None to leave the block out); BLOCKS says which
blocks each role sees, in order. Another feature adds a block with `add_block` (e.g. the province inbox or an
active warning) and a partial; nothing else here changes. Every loader reads through station.today, which
filters by the user's area with the isolation table, as every list and the API do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from radio.db.models import Area, AreaLevel, ArticleStatus, Role
from radio.db.types import utcnow
from station import today
from web.authz import current_actor, current_scope, register
from web.context import get_db, radio_ctx
from web.labels import METRIC_LABELS

bp = Blueprint("home", __name__, url_prefix="/home")
register("home.today_page", frozenset(Role))

Loader = Callable[[], dict[str, Any] | None]


@dataclass(frozen=True)
class Block:
    name: str  # the block's id in the page (#home-<name>), also what tests look for
    template: str
    load: Loader


def _articles(status: str) -> Loader:
    # The list shows the latest few; the count in the heading is all of them.
    return lambda: {"articles": today.articles_in(get_db(), current_scope(), status),
                    "total": today.count_articles(get_db(), current_scope(), status)}


def _next() -> dict[str, Any]:
    return {"bulletins": today.airing_next(get_db(), current_scope(), utcnow())}


def _aired() -> dict[str, Any]:
    return {"aired": today.aired_today(get_db(), current_scope(), utcnow(), radio_ctx().tz)}


def _offline() -> dict[str, Any]:
    return {"nodes": today.offline_nodes(get_db(), current_scope(), utcnow())}


def _behind() -> dict[str, Any]:
    return {"behind": today.communes_behind(get_db(), current_actor().area_id, utcnow(), radio_ctx().tz)}


def _inbox() -> dict[str, Any] | None:
    # The province's bulletins reach communes (issue 16): only a commune's own staff have an inbox to work through.
    area = get_db().get(Area, current_actor().area_id)
    return {} if area is not None and area.level == AreaLevel.COMMUNE else None


BLOCKS_BY_NAME: dict[str, Block] = {b.name: b for b in [
    Block("approvals", "home/_approvals.html", _articles(ArticleStatus.SUBMITTED)),
    Block("rejected", "home/_rejected.html", _articles(ArticleStatus.REJECTED)),
    Block("drafts", "home/_drafts.html", _articles(ArticleStatus.DRAFT)),
    Block("waiting", "home/_waiting.html", _articles(ArticleStatus.SUBMITTED)),
    Block("next", "home/_next.html", _next),
    Block("aired", "home/_aired.html", _aired),
    Block("behind", "home/_behind.html", _behind),
    Block("offline", "home/_offline.html", _offline),
    Block("inbox", "inbox/_home_block.html", _inbox),  # its partial reads the user's scope (inbox_open_items)
]}
# Most urgent first: a leader's queue before anything else; a broadcaster's rejected articles before drafts.
BLOCKS: dict[str, list[str]] = {
    Role.BROADCASTER: ["rejected", "inbox", "drafts", "waiting", "next", "aired"],
    Role.LEADER: ["approvals", "inbox", "next", "aired", "offline"],
    Role.MONITOR: ["behind", "offline", "aired"],
    Role.ADMIN: ["approvals", "rejected", "next", "aired", "offline"],
}


def add_block(block: Block, roles: list[str], *, before: str | None = None) -> None:
    """Show another block to these roles (at the top by default, or before the named block)."""
    BLOCKS_BY_NAME[block.name] = block
    for role in roles:
        names = BLOCKS.setdefault(role, [])
        if block.name in names:
            continue
        names.insert(names.index(before) if before in names else 0, block.name)


@bp.get("/")
def today_page() -> ResponseReturnValue:
    shown = []
    for name in BLOCKS.get(current_user.role, []):
        block = BLOCKS_BY_NAME[name]
        data = block.load()
        if data is not None:
            shown.append((block, data))
    return render_template("home/today.html", blocks=shown)


# --- the count badge in the menu ---------------------------------------------------------------------------
def badge() -> tuple[int, str] | None:
    """The number on "Việc hôm nay" in the menu and what it counts, or None when nothing waits."""
    role, db, scope = current_user.role, get_db(), current_scope()
    if role in (Role.LEADER, Role.ADMIN):
        n, what = today.count_articles(db, scope, ArticleStatus.SUBMITTED), "approvals"
    elif role == Role.BROADCASTER:
        n, what = today.count_articles(db, scope, ArticleStatus.REJECTED), "rejected"
    elif role == Role.MONITOR:
        n, what = today.count_offline_nodes(db, scope, utcnow()), "offline"
    else:
        return None
    return (n, what) if n else None


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    app.add_template_global(metric_label, "metric_label")
    app.add_template_filter(format_number, "number")

    @app.context_processor
    def home_badge() -> dict[str, Any]:
        # Computed on use only (the menu calls it), so error pages and logged-out pages run no query.
        return {"home_badge": lambda: badge() if current_user.is_authenticated else None}


def metric_label(metric: str) -> str:
    return gettext(METRIC_LABELS.get(metric, metric))  # type: ignore[call-overload]


def format_number(value: float) -> str:
    """Vietnamese style: a dot between thousands, a comma before the one decimal kept under 10."""
    text = f"{value:,.1f}" if abs(value) < 10 and value != int(value) else f"{value:,.0f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")

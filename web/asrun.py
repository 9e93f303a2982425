"""As-run log: what each node actually played, newest first, 100 rows a page."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue
from sqlalchemy import select

from radio.db.models import Area, AsRun, Bulletin, Node
from web.authz import scoped
from web.context import get_db
from web.timefmt import epoch_ms

bp = Blueprint("asrun", __name__, url_prefix="/asrun")
PAGE_SIZE = 100


@dataclass(frozen=True)
class AsRunLine:
    row: AsRun
    bulletin_title: str
    node_name: str
    village_name: str

    @property
    def start_error_ms(self) -> int | None:
        """Actual minus scheduled start: positive means late."""
        if self.row.started_at_ms is None:
            return None
        return self.row.started_at_ms - epoch_ms(self.row.scheduled_start)


@bp.get("/")
def index() -> ResponseReturnValue:
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    # One row more than a page tells whether a next page exists without COUNT(*), which is slow
    # over millions of as-run rows.
    result = get_db().execute(
        scoped(select(AsRun, Bulletin.title, Node.name, Area.name), AsRun)
        .join(Bulletin, AsRun.bulletin_id == Bulletin.id)
        .join(Node, AsRun.node_id == Node.id)
        .join(Area, Node.village_id == Area.id)
        .order_by(AsRun.scheduled_start.desc(), AsRun.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE + 1)
    ).all()
    lines = [AsRunLine(*r) for r in result[:PAGE_SIZE]]
    return render_template(
        "asrun/list.html", lines=lines, page=page, has_next=len(result) > PAGE_SIZE, has_prev=page > 1
    )

"""Per-token and per-address request limits for the REST API, counted in the database.

A fixed window per key ("token:…", "addr:…"): one row holds the window number and the count, advanced by
a single INSERT … ON CONFLICT DO UPDATE … RETURNING. That statement is atomic on SQLite and PostgreSQL, so
parallel requests (several web processes, threads) each get a distinct count and the limit holds; counting
in the database rather than in process memory also makes every web worker share one budget. A fixed
window can let up to twice the limit through around a window boundary; for integrations polling a
schedule that is good enough, and it costs one statement per request.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable

from flask import Response
from sqlalchemy import case, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from radio.db.governance import ApiRateCounter

# Keys of windows long gone are deleted now and then (1 request in CLEANUP_ODDS), not on every request.
CLEANUP_ODDS = 100


def hit(session: Session, key: str, limit: int, window_s: int, now_s: float) -> int | None:
    """Count one request for `key` (committed). None while within `limit`, else the seconds to wait."""
    if limit <= 0 or window_s <= 0:
        return None
    window_no = int(now_s // window_s)
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(ApiRateCounter).values(key=key[:80], window_no=window_no, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[ApiRateCounter.key],
        # Both expressions read the row as it was: a new window starts again at 1.
        set_={"count": case((ApiRateCounter.window_no == window_no, ApiRateCounter.count + 1), else_=1),
              "window_no": window_no},
    ).returning(ApiRateCounter.count)
    count = session.execute(stmt).scalar_one()
    if random.randrange(CLEANUP_ODDS) == 0:
        session.execute(delete(ApiRateCounter).where(ApiRateCounter.window_no < window_no - 1))
    session.commit()
    if count <= limit:
        return None
    return max(1, math.ceil((window_no + 1) * window_s - now_s))


def refuse_over_limit(key: str, limit: int, reply: Callable[[int], Response]) -> Response | None:
    """Count one request of the current web request for `key` against `limit` in the configured window; over it,
    `reply(wait_s)` (each caller's own body: API error, plain text, HTTT envelope) as a 429 with Retry-After."""
    from web.context import get_db, radio_ctx  # the web's request context; this module's counting needs none

    wait_s = hit(get_db(), key, limit, radio_ctx().settings.api_rate_window_s, time.time())
    if wait_s is None:
        return None
    response = reply(wait_s)
    response.status_code = 429
    response.headers["Retry-After"] = str(wait_s)
    return response

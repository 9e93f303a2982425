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

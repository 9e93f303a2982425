"""Maintenance of the airtime rollups: full rebuild, and trigger removal around bulk loads."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Connection, select, text, tuple_

from radio.db.planning import CommuneBulletinRollup
from station.accounting.sql import RollupSQL


def _run(conn: Connection, statements: list[str]) -> None:
    for statement in statements:
        conn.execute(text(statement))


def rebuild(conn: Connection) -> None:
    """Recompute every rollup row from as_run (the caller commits)."""
    _run(conn, RollupSQL(conn.dialect.name).rebuild())


def drop_triggers(conn: Connection) -> None:
    """For a bulk load only: rollups stop following as_run until create_triggers() and rebuild()."""
    _run(conn, RollupSQL(conn.dialect.name).drop_triggers())


def create_triggers(conn: Connection) -> None:
    _run(conn, RollupSQL(conn.dialect.name).create_triggers())


def refresh(conn: Connection, keys: set[tuple[int, int]]) -> None:
    """Recompute the rollups of the given (bulletin, commune) pairs and the days / article months they touch."""
    if not keys:
        return
    sql = RollupSQL(conn.dialect.name)
    pairs = sorted(keys)
    affected = _l3_l4_keys(conn, pairs)
    params = [{"bulletin_id": b, "commune_id": c} for b, c in pairs]
    for statement in sql.refresh_l2():
        conn.execute(text(statement), params)
    affected |= _l3_l4_keys(conn, pairs)
    days = sorted({(c, d) for c, d, _a, _m in affected})
    months = sorted({(c, a, m) for c, _d, a, m in affected if a is not None})
    for statement in sql.refresh_l3():
        conn.execute(text(statement), [{"commune_id": c, "day": d} for c, d in days])
    if months:
        for statement in sql.refresh_l4():
            conn.execute(text(statement), [{"commune_id": c, "article_id": a, "month": m} for c, a, m in months])


def _l3_l4_keys(conn: Connection, pairs: list[tuple[int, int]]) -> set[tuple]:
    out: set[tuple] = set()
    for i in range(0, len(pairs), 400):
        chunk = pairs[i:i + 400]
        cb = CommuneBulletinRollup
        out.update(tuple(r) for r in conn.execute(
            select(cb.commune_id, cb.day, cb.article_id, cb.month).distinct()
            .where(tuple_(cb.bulletin_id, cb.commune_id).in_(chunk))))
    return out


@contextmanager
def deferred(conn: Connection) -> Iterator[set[tuple[int, int]]]:
    """Within one transaction: SQLite row triggers pause; the caller adds the (bulletin, commune) pairs it
    touched to the yielded set, and they are refreshed once at the end. PostgreSQL's statement triggers need
    no help, so there this does nothing."""
    keys: set[tuple[int, int]] = set()
    if conn.dialect.name != "sqlite":
        yield keys
        return
    conn.execute(text("INSERT INTO acct_defer (holder) VALUES (1)"))
    yield keys
    conn.execute(text("DELETE FROM acct_defer"))
    refresh(conn, keys)
